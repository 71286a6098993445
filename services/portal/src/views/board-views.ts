import { formatInstant } from './format';
import { html, type SafeHtml } from './html';
import { sectorLabel, stateLabel, urgencyLabel } from './labels';
import { csrfField, notice, say, type PageContext } from './layout';
import { deadline, refusalNotice, type Facility, type ServiceRefusal } from './intake-views';
import {
  boardKindLabel,
  boardReasonLabel,
  resolutionLabel,
  stageLabel,
  stepLabel,
  unitLabel,
} from './protection-labels';
import { vietnamLocalDateTime } from './protection-views';

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
  resolution?: { action: string; userId: string; at: string; reason: string };
  escalatedAt: string;
}

/** The board's filters, as the query string carries them. */
export interface BoardFilter {
  urgency?: string;
  kind?: string;
  level?: string;
  owner?: 'owned' | 'unowned';
  commune?: string;
  mine?: boolean;
  page: number;
}

export const BOARD_PAGE_SIZE = 10;

/** Whether an entry passes the filter; `skip` leaves one criterion out (to count its options). */
export function passes(e: BoardEntry, f: BoardFilter, userId: string, skip?: keyof BoardFilter): boolean {
  if (skip !== 'urgency' && f.urgency && e.urgency !== f.urgency) return false;
  if (skip !== 'kind' && f.kind && e.kind !== f.kind) return false;
  if (skip !== 'level' && f.level && String(e.level) !== f.level) return false;
  if (skip !== 'owner' && f.owner === 'owned' && !e.owner) return false;
  if (skip !== 'owner' && f.owner === 'unowned' && e.owner) return false;
  if (skip !== 'commune' && f.commune && e.communeCode !== f.commune) return false;
  if (skip !== 'mine' && f.mine && e.owner?.userId !== userId) return false;
  return true;
}

/** The query string of a filter (for links: paging keeps the filter). */
export function filterQuery(f: BoardFilter, page = f.page): string {
  const q = new URLSearchParams();
  if (f.urgency) q.set('urgency', f.urgency);
  if (f.kind) q.set('kind', f.kind);
  if (f.level) q.set('level', f.level);
  if (f.owner) q.set('owner', f.owner);
  if (f.commune) q.set('commune', f.commune);
  if (f.mine) q.set('mine', '1');
  if (page > 1) q.set('page', String(page));
  const s = q.toString();
  return s ? `?${s}` : '';
}

function filterForm(ctx: PageContext, entries: BoardEntry[], f: BoardFilter): SafeHtml {
  const userId = ctx.staff?.userId ?? '';
  const count = (skip: keyof BoardFilter, test: (e: BoardEntry) => boolean) =>
    entries.filter((e) => passes(e, f, userId, skip) && test(e)).length;
  const select = (
    name: keyof BoardFilter,
    label: string,
    choices: [string, string, (e: BoardEntry) => boolean][],
    current: string | undefined,
  ) =>
    html`<div class="filter">
      <label for="filter-${name}">${label}</label>
      <select id="filter-${name}" name="${name}">
        <option value="">${say(ctx, 'Tất cả', 'All')} (${count(name, () => true)})</option>
        ${choices.map(
          ([value, text, test]) =>
            html`<option value="${value}" ${current === value ? html` selected` : ''}>
              ${text} (${count(name, test)})
            </option>`,
        )}
      </select>
    </div>`;
  const levels = [...new Set(entries.map((e) => e.level))].sort();
  const communes = [...new Set(entries.map((e) => e.communeCode))].sort();
  return html`<form
    method="get"
    action="/board"
    class="filters"
    aria-label="${say(ctx, 'Lọc bảng cảnh báo', 'Filter the board')}"
  >
    ${select(
      'urgency',
      say(ctx, 'Mức độ khẩn', 'Urgency'),
      ['emergency', 'urgent', 'routine'].map((u) => [u, urgencyLabel(u, ctx.lang), (e) => e.urgency === u]),
      f.urgency,
    )}
    ${select(
      'kind',
      say(ctx, 'Loại', 'Kind'),
      ['referral', 'protection-step'].map((k) => [k, boardKindLabel(k, ctx.lang), (e) => e.kind === k]),
      f.kind,
    )}
    ${select(
      'level',
      say(ctx, 'Cấp báo cáo', 'Level'),
      levels.map((l) => [String(l), `${say(ctx, 'Cấp', 'Level')} ${l}`, (e) => e.level === l]),
      f.level,
    )}
    ${select(
      'owner',
      say(ctx, 'Người phụ trách', 'Owner'),
      [
        ['unowned', say(ctx, 'Chưa có người phụ trách', 'Nobody'), (e) => !e.owner],
        ['owned', say(ctx, 'Đã có người phụ trách', 'Someone'), (e) => !!e.owner],
      ],
      f.owner,
    )}
    ${select(
      'commune',
      say(ctx, 'Xã', 'Commune'),
      communes.map((c) => [c, unitLabel(c), (e) => e.communeCode === c]),
      f.commune,
    )}
    <div class="filter">
      <label class="check"
        ><input type="checkbox" name="mine" value="1" ${f.mine ? html` checked` : ''} />
        ${say(ctx, 'Chỉ mục tôi phụ trách', 'Only mine')} (${count('mine', (e) => e.owner?.userId === userId)})</label
      >
    </div>
    <button type="submit" class="secondary">${say(ctx, 'Lọc', 'Filter')}</button>
    <a href="/board">${say(ctx, 'Bỏ lọc', 'Clear')}</a>
  </form>`;
}

function facilityName(facilities: Facility[], id: string | undefined): string {
  if (!id) return '';
  return facilities.find((f) => f._id === id)?.name ?? id;
}

function resolveForms(ctx: PageContext, e: BoardEntry, facilities: Facility[]): SafeHtml {
  const base = `/board/${e._id}/resolve`;
  const others = facilities.filter(
    (f) => f._id !== e.facilityId && (f.sector === e.sector || e.sector === 'nutrition'),
  );
  return html`<details class="resolve">
    <summary>${say(ctx, 'Xử lý: chuyển cơ sở, gia hạn hoặc đóng', 'Resolve: redirect, extend or close')}</summary>
    <form method="post" action="${base}" class="card" data-resolve="redirect">
      ${csrfField(ctx)}<input type="hidden" name="action" value="redirect" />
      <label for="to-${e._id}">${say(ctx, 'Chuyển sang cơ sở', 'Redirect to')}</label>
      <select id="to-${e._id}" name="toFacilityId" required>
        ${others.map((f) => html`<option value="${f._id}">${f.name} (${unitLabel(f.unitCode)})</option>`)}
      </select>
      <label for="redirect-reason-${e._id}">${say(ctx, 'Lý do', 'Reason')}</label>
      <input type="text" id="redirect-reason-${e._id}" name="reason" required maxlength="500" />
      <button type="submit">${say(ctx, 'Chuyển cơ sở', 'Redirect')}</button>
    </form>
    <form method="post" action="${base}" class="card" data-resolve="extend">
      ${csrfField(ctx)}<input type="hidden" name="action" value="extend" />
      <p class="muted">
        ${say(ctx, 'Chỉ gia hạn được khi quy định về thời hạn cho phép vai trò của bạn.', 'Only where the deadline policy allows your role to extend it.')}
      </p>
      <label for="deadline-${e._id}">${say(ctx, 'Hạn mới (giờ Việt Nam)', 'New deadline (Vietnam time)')}</label>
      <input
        type="datetime-local"
        id="deadline-${e._id}"
        name="newDeadline"
        required
        value="${vietnamLocalDateTime(new Date(Date.now() + 2 * 86_400_000))}"
      />
      <label for="extend-reason-${e._id}">${say(ctx, 'Lý do gia hạn', 'Reason for the extension')}</label>
      <input type="text" id="extend-reason-${e._id}" name="reason" required maxlength="500" />
      <button type="submit">${say(ctx, 'Gia hạn', 'Extend')}</button>
    </form>
    <form method="post" action="${base}" class="card" data-resolve="close-unresolved">
      ${csrfField(ctx)}<input type="hidden" name="action" value="close-unresolved" />
      <label for="close-reason-${e._id}"
        >${say(ctx, 'Lý do đóng khi chưa giải quyết', 'Why it closes unresolved')}</label
      >
      <input type="text" id="close-reason-${e._id}" name="reason" required maxlength="500" />
      <button type="submit" class="danger">${say(ctx, 'Đóng, chưa giải quyết', 'Close unresolved')}</button>
    </form>
  </details>`;
}

function entryItem(ctx: PageContext, e: BoardEntry, facilities: Facility[]): SafeHtml {
  const base = `/board/${e._id}`;
  const lang = ctx.lang;
  const referral = e.kind === 'referral';
  return html`<li
    id="entry-${e._id}"
    class="board-entry${e.open ? ' overdue' : ''}"
    data-entry="${e._id}"
    data-case="${e.caseId}"
    data-acknowledged="${e.acknowledged ? 'true' : 'false'}"
  >
    <h2 class="item-title">
      ${
        referral
          ? html`${boardKindLabel(e.kind, lang)} · ${sectorLabel(e.sector, lang)} ·
            ${facilityName(facilities, e.facilityId)}`
          : html`${boardKindLabel(e.kind, lang)} · ${stepLabel(e.step ?? e.reason, lang)}`
      }
    </h2>
    <p>
      <span class="badge level"
        >${say(ctx, 'Cấp', 'Level')} ${e.level}${e.topOfLadder ? say(ctx, ' (cao nhất)', ' (top)') : ''}</span
      >
      · ${urgencyLabel(e.urgency, lang)} ·
      ${referral ? boardReasonLabel(e.reason, lang) : boardReasonLabel('STEP_MISSED', lang)} ·
      <span class="badge state-${e.state}">${referral ? stateLabel(e.state, lang) : stageLabel(e.state, lang)}</span>
    </p>
    ${deadline(ctx, say(ctx, 'Hạn', 'Due'), e.dueAt)}
    <p class="muted">
      ${unitLabel(e.communeCode)} · ${say(ctx, 'báo cáo lúc', 'escalated')} ${formatInstant(e.escalatedAt)} ·
      ${say(ctx, 'đơn vị chịu trách nhiệm', 'responsible unit')}: ${unitLabel(e.responsibleUnitCode)}
    </p>
    ${e.owner ? html`<p data-owner>${say(ctx, 'Người phụ trách', 'Owner')}: ${e.owner.name ?? e.owner.userId}</p>` : ''}
    ${
      e.resolution
        ? notice(
            'success',
            html`${resolutionLabel(e.resolution.action, lang)} · ${formatInstant(e.resolution.at)} ·
            ${e.resolution.reason}`,
          )
        : ''
    }
    ${
      e.notes?.length
        ? html`<ul class="notes">
            ${e.notes.map((n) => html`<li>${formatInstant(n.at)}: ${n.text}</li>`)}
          </ul>`
        : ''
    }
    ${
      e.open
        ? html`<div class="entry-actions">
            ${
              e.acknowledged
                ? html`<p class="muted">
                    ${say(ctx, 'Đã ghi nhận lúc', 'Acknowledged at')} ${formatInstant(e.acknowledged.at)}
                  </p>`
                : html`<form method="post" action="${base}/acknowledge" class="inline">
                    ${csrfField(ctx)}
                    <label for="note-${e._id}" class="visually-hidden"
                      >${say(ctx, 'Ghi chú (không bắt buộc)', 'Note (optional)')}</label
                    >
                    <input
                      type="text"
                      id="note-${e._id}"
                      name="note"
                      maxlength="1000"
                      placeholder="${say(ctx, 'Ghi chú (không bắt buộc)', 'Note (optional)')}"
                    />
                    <button type="submit">${say(ctx, 'Ghi nhận và xử lý', 'Acknowledge')}</button>
                  </form>`
            }
            ${
              e.owner
                ? ''
                : html`<form method="post" action="${base}/ownership" class="inline own">
                    ${csrfField(ctx)}<button type="submit" class="secondary">
                      ${say(ctx, 'Nhận phụ trách', 'Take ownership')}
                    </button>
                  </form>`
            }
            <details>
              <summary>${say(ctx, 'Thêm ghi chú', 'Add a note')}</summary>
              <form method="post" action="${base}/notes">
                ${csrfField(ctx)}
                <label for="text-${e._id}">${say(ctx, 'Ghi chú', 'Note')}</label>
                <input type="text" id="text-${e._id}" name="text" required maxlength="2000" />
                <button type="submit" class="secondary">${say(ctx, 'Lưu ghi chú', 'Save the note')}</button>
              </form>
            </details>
            ${
              referral
                ? resolveForms(ctx, e, facilities)
                : html`<p>
                    <a href="/protection-cases/${e.protectionCaseId ?? e.caseId}"
                      >${say(ctx, 'Làm bước còn thiếu trên hồ sơ', 'Do the missing step on the case')}</a
                    >
                  </p>`
            }
          </div>`
        : ''
    }
  </li>`;
}

export function boardView(
  ctx: PageContext,
  entries: BoardEntry[],
  filter: BoardFilter,
  facilities: Facility[],
  options: { refusal?: ServiceRefusal; flash?: string } = {},
): SafeHtml {
  const userId = ctx.staff?.userId ?? '';
  const shown = entries.filter((e) => passes(e, filter, userId));
  const pages = Math.max(1, Math.ceil(shown.length / BOARD_PAGE_SIZE));
  const page = Math.min(filter.page, pages);
  const slice = shown.slice((page - 1) * BOARD_PAGE_SIZE, page * BOARD_PAGE_SIZE);
  return html`${options.flash ? notice('success', options.flash) : ''}${refusalNotice(ctx, options.refusal)}
    <p class="muted">
      ${say(ctx, 'Mọi chuyển tuyến quá hạn và bước bảo vệ trẻ em bị trễ trên địa bàn, khẩn nhất và quá hạn lâu nhất ở trên. Trang tự cập nhật.', 'Every overdue referral and missed protection step in your area, most urgent and longest overdue first. The page updates itself.')}
    </p>
    ${filterForm(ctx, entries, filter)}
    <p data-board-count>
      ${say(ctx, 'Đang hiện', 'Showing')} ${slice.length} / ${shown.length}
      ${say(ctx, 'mục', 'entries')}${shown.length !== entries.length ? html` (${say(ctx, 'tổng', 'of')} ${entries.length})` : ''}
    </p>
    ${
      slice.length
        ? html`<ul class="items board">
            ${slice.map((e) => entryItem(ctx, e, facilities))}
          </ul>`
        : html`<p>${say(ctx, 'Không có gì quá hạn.', 'Nothing is overdue.')}</p>`
    }
    ${
      pages > 1
        ? html`<nav class="pager" aria-label="${say(ctx, 'Trang', 'Pages')}">
            ${page > 1 ? html`<a href="/board${filterQuery(filter, page - 1)}" rel="prev">${say(ctx, '← Trang trước', '← Previous')}</a>` : ''}
            <span>${say(ctx, 'Trang', 'Page')} ${page} / ${pages}</span>
            ${page < pages ? html`<a href="/board${filterQuery(filter, page + 1)}" rel="next">${say(ctx, 'Trang sau →', 'Next →')}</a>` : ''}
          </nav>`
        : ''
    }`;
}
