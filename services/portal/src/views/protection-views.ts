import { formatInstant } from './format';
import { html, type SafeHtml } from './html';
import { sectorLabel, stateLabel, urgencyLabel } from './labels';
import { csrfField, notice, say, type PageContext } from './layout';
import { deadline, refusalNotice, type ServiceRefusal } from './intake-views';

/** A line of the protection service's escalation board (GET /board). */
export interface BoardEntry {
  _id: string;
  kind: string;
  referralId?: string;
  protectionCaseId?: string;
  step?: string;
  caseId: string;
  communeCode: string;
  sector: string;
  urgency: string;
  facilityId?: string;
  state: string;
  reason: string;
  dueAt: string;
  overdueMinutes: number;
  level: number;
  responsibleUnitCode: string;
  topOfLadder: boolean;
  open: boolean;
  acknowledged?: { userId: string; role: string; at: string };
  owner?: { userId: string; name?: string; at: string };
  notes?: { userId: string; at: string; text: string }[];
  escalatedAt: string;
}

/** A protection case as the case list shows it: stage and clocks, no names, no details. */
export interface ProtectionCaseSummary {
  _id: string;
  stage: string;
  urgency: string;
  seriousRisk: boolean;
  source: string;
  receivedAt: string;
  clocks: {
    step: string;
    dueAt: string;
    state: string;
    doneAt?: string;
    late?: boolean;
    escalation: { level: number; acknowledged: boolean };
  }[];
}

type Pair = [string, string];
const reasons: Record<string, Pair> = {
  NOT_ACCEPTED: ['Cơ sở chưa tiếp nhận quá hạn', 'Not accepted in time'],
  NOT_COMPLETED: ['Cơ sở chưa hoàn thành quá hạn', 'Not completed in time'],
};
/** Decree 56/2017 Chapter III steps, in the words of the procedure. */
const steps: Record<string, Pair> = {
  RISK_ASSESSMENT: ['Đánh giá ban đầu nguy cơ (Mẫu 02)', 'Initial risk assessment (form 02)'],
  EMERGENCY_MEASURE: ['Biện pháp khẩn cấp, trong 12 giờ', 'Emergency measure, within 12 hours'],
  CASE_MEETING: ['Xác minh, đánh giá chi tiết và họp (Mẫu 03)', 'Detailed assessment and case meeting (form 03)'],
  PLAN: ['Kế hoạch hỗ trợ, can thiệp (Mẫu 04), trong 5 ngày làm việc', 'Support plan (form 04), within 5 working days'],
  PLAN_APPROVAL: ['Phê duyệt kế hoạch (Mẫu 05)', 'Plan approval (form 05)'],
  APPROVAL: ['Phê duyệt kế hoạch (Mẫu 05)', 'Plan approval (form 05)'],
  REVIEW: ['Rà soát, đánh giá kế hoạch', 'Review of the plan'],
  CLOSURE: ['Đóng hồ sơ (Mẫu 06)', 'Case closure (form 06)'],
};
const label = (table: Record<string, Pair>, key: string, ctx: PageContext) => {
  const pair = table[key];
  return pair ? say(ctx, pair[0], pair[1]) : key;
};

function entryItem(ctx: PageContext, e: BoardEntry): SafeHtml {
  const base = `/board/${e._id}`;
  return html`<li
    id="entry-${e._id}"
    class="overdue"
    data-entry="${e._id}"
    data-acknowledged="${e.acknowledged ? 'true' : 'false'}"
  >
    <h3>
      ${e.kind === 'referral' ? html`${say(ctx, 'Chuyển tuyến', 'Referral')} ${sectorLabel(e.sector, ctx.lang)} · ${e.facilityId ?? ''}` : html`${say(ctx, 'Hồ sơ bảo vệ', 'Protection case')}: ${label(steps, e.step ?? '', ctx)}`}
    </h3>
    <p>
      <span class="badge level"
        >${say(ctx, 'Cấp', 'Level')} ${e.level}${e.topOfLadder ? say(ctx, ' (cao nhất)', ' (top)') : ''}</span
      >
      · ${urgencyLabel(e.urgency, ctx.lang)} · ${e.kind === 'referral' ? label(reasons, e.reason, ctx) : e.reason}
      ${e.kind === 'referral' ? html` · <span class="badge state-${e.state}">${stateLabel(e.state, ctx.lang)}</span>` : ''}
    </p>
    ${deadline(ctx, say(ctx, 'Hạn', 'Due'), e.dueAt)}
    <p class="muted">
      ${say(ctx, 'Xã', 'Commune')} ${e.communeCode} · ${say(ctx, 'báo cáo vượt cấp lúc', 'escalated')}
      ${formatInstant(e.escalatedAt)} · ${say(ctx, 'đơn vị chịu trách nhiệm', 'responsible unit')}
      ${e.responsibleUnitCode}
    </p>
    ${e.owner ? html`<p>${say(ctx, 'Người phụ trách', 'Owner')}: ${e.owner.name ?? e.owner.userId}</p>` : ''}
    ${
      e.notes?.length
        ? html`<ul>
            ${e.notes.map((n) => html`<li>${formatInstant(n.at)}: ${n.text}</li>`)}
          </ul>`
        : ''
    }
    ${
      e.acknowledged
        ? notice('info', html`${say(ctx, 'Đã ghi nhận lúc', 'Acknowledged at')} ${formatInstant(e.acknowledged.at)}`)
        : html`<form method="post" action="${base}/acknowledge">
            ${csrfField(ctx)}
            <label for="note-${e._id}">${say(ctx, 'Ghi chú (không bắt buộc)', 'Note (optional)')}</label>
            <input type="text" id="note-${e._id}" name="note" maxlength="1000" />
            <button type="submit">${say(ctx, 'Ghi nhận và xử lý', 'Acknowledge')}</button>
          </form>`
    }
    ${
      e.owner
        ? ''
        : html`<form method="post" action="${base}/ownership" class="inline">
            ${csrfField(ctx)}<button type="submit" class="secondary">
              ${say(ctx, 'Nhận phụ trách', 'Take ownership')}
            </button>
          </form>`
    }
  </li>`;
}

export function boardView(
  ctx: PageContext,
  entries: BoardEntry[],
  options: { refusal?: ServiceRefusal; flash?: string } = {},
): SafeHtml {
  return html`${options.flash ? notice('success', options.flash) : ''}${refusalNotice(ctx, options.refusal)}
    <p class="muted">
      ${say(ctx, 'Mọi chuyển tuyến quá hạn và bước bảo vệ trẻ em bị trễ trên địa bàn, khẩn nhất và quá hạn lâu nhất ở trên. Trang tự cập nhật.', 'Every overdue referral and missed protection step in your area, most urgent and longest overdue first. The page updates itself.')}
    </p>
    ${
      entries.length
        ? html`<ul class="items">
            ${entries.map((e) => entryItem(ctx, e))}
          </ul>`
        : html`<p>${say(ctx, 'Không có gì quá hạn.', 'Nothing is overdue.')}</p>`
    }
    <p><a href="/protection-cases">${say(ctx, 'Hồ sơ bảo vệ trẻ em', 'Protection cases')}</a></p>`;
}

export function protectionCasesView(ctx: PageContext, cases: ProtectionCaseSummary[]): SafeHtml {
  if (!cases.length) return html`<p>${say(ctx, 'Chưa có hồ sơ bảo vệ trẻ em.', 'No protection case yet.')}</p>`;
  return html`<ul class="items">
    ${cases.map(
      (
        c,
      ) => html`<li${c.clocks.some((k) => k.state !== 'DONE' && Date.parse(k.dueAt) < Date.now()) ? html` class="overdue"` : ''}>
      <h3>${say(ctx, 'Hồ sơ', 'Case')} ${c._id.slice(0, 8)} · ${c.stage}</h3>
      <p>${urgencyLabel(c.urgency, ctx.lang)}${c.seriousRisk ? html` · <span class="badge level">${say(ctx, 'Nguy cơ nghiêm trọng', 'Serious risk')}</span>` : ''} · ${say(ctx, 'nhận tin lúc', 'reported')} ${formatInstant(c.receivedAt)}</p>
      <h4>${say(ctx, 'Các bước theo Nghị định 56/2017 và thời hạn', 'Steps of Decree 56/2017 and their deadlines')}</h4>
      <ul>${c.clocks.map(
        (k) =>
          html`<li>
            <strong>${label(steps, k.step, ctx)}</strong>:
            ${
              k.doneAt
                ? html`${say(ctx, 'đã xong lúc', 'done')}
                  ${formatInstant(k.doneAt)}${k.late ? say(ctx, ' (trễ hạn)', ' (late)') : ''}`
                : deadline(ctx, say(ctx, 'hạn', 'due'), k.dueAt)
            }${k.escalation.level > 0 ? html` <span class="badge level">${say(ctx, 'Cấp', 'Level')} ${k.escalation.level}</span>` : ''}
          </li>`,
      )}</ul>
    </li>`,
    )}
  </ul>`;
}
