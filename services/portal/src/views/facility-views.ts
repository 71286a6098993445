import { formatInstant, vietnamToday } from './format';
import { html, type SafeHtml } from './html';
import {
  recordKindLabel,
  recordKindsFor,
  sectorLabel,
  stateLabel,
  urgencyLabel,
  type FacilityServiceName,
} from './labels';
import { csrfField, notice, say, type PageContext } from './layout';
import { deadline, refusalNotice, type ServiceRefusal } from './intake-views';

/** An inbox item as the health and education services return it. */
export interface InboxItem {
  _id: string;
  caseId: string;
  sector: string;
  urgency: string;
  state: string;
  fromUnitCode: string;
  reason?: string;
  requestedAt?: string;
  acceptBy?: string;
  completeBy?: string;
  dueAt?: string;
  escalationLevel: number;
  serviceRecordId?: string;
  updatedAt: string;
}

const short = (id: string) => id.slice(0, 8);

/**
 * The facts a desk's record must carry (`ServiceRecordDetails` of @ecd/contracts): a birth's
 * registration number; a social allowance's decision and monthly amount.
 */
function recordFacts(ctx: PageContext, item: InboxItem): SafeHtml | '' {
  if (item.sector === 'civil-registration') {
    return html`<label for="registrationNumber-${item._id}"
        >${say(ctx, 'Số đăng ký khai sinh (theo Sổ hộ tịch)', 'Birth registration number (civil-status book)')}</label
      >
      <input
        type="text"
        id="registrationNumber-${item._id}"
        name="registrationNumber"
        required
        maxlength="40"
        pattern="[0-9A-Za-z][0-9A-Za-z./-]*"
      />`;
  }
  if (item.sector === 'welfare') {
    return html`<fieldset>
      <legend>${say(ctx, 'Khi cấp trợ cấp xã hội hằng tháng', 'For a monthly social allowance')}</legend>
      <label for="decisionNumber-${item._id}">${say(ctx, 'Số quyết định', 'Decision number')}</label>
      <input type="text" id="decisionNumber-${item._id}" name="decisionNumber" maxlength="60" />
      <label for="monthlyAmountVnd-${item._id}">${say(ctx, 'Mức trợ cấp (đồng/tháng)', 'Amount (đồng a month)')}</label>
      <input type="number" id="monthlyAmountVnd-${item._id}" name="monthlyAmountVnd" min="1" step="1" />
    </fieldset>`;
  }
  return '';
}

function actions(ctx: PageContext, item: InboxItem, sector: FacilityServiceName): SafeHtml {
  const base = `/inbox/${item._id}`;
  const simple = (action: string, label: string, secondary = false) =>
    html`<form method="post" action="${base}/${action}" class="inline">
      ${csrfField(ctx)}<button type="submit" ${secondary ? html` class="secondary"` : ''}>${label}</button>
    </form>`;
  const complete = html`<details>
    <summary>${say(ctx, 'Hoàn thành và ghi hồ sơ dịch vụ', 'Complete with a service record')}</summary>
    <form method="post" action="${base}/complete">
      ${csrfField(ctx)}
      <label for="kind-${item._id}">${say(ctx, 'Loại dịch vụ đã cung cấp', 'Service given')}</label>
      <select id="kind-${item._id}" name="kind">
        ${recordKindsFor(sector, item.sector).map((k) => html`<option value="${k}">${recordKindLabel(k, ctx.lang)}</option>`)}
      </select>
      ${recordFacts(ctx, item)}
      <label for="date-${item._id}">${say(ctx, 'Ngày cung cấp', 'Date given')}</label>
      <input type="date" id="date-${item._id}" name="date" value="${vietnamToday()}" max="${vietnamToday()}" required />
      <label for="summary-${item._id}"
        >${say(ctx, 'Tóm tắt dịch vụ và kết quả', 'What was done and the outcome')}</label
      >
      <textarea id="summary-${item._id}" name="summary" rows="3" required minlength="3"></textarea>
      <button type="submit">${say(ctx, 'Hoàn thành chuyển tuyến', 'Complete the referral')}</button>
    </form>
  </details>`;
  switch (item.state) {
    case 'REQUESTED':
      return html`${simple('accept', say(ctx, 'Tiếp nhận', 'Accept'))}
        <details>
          <summary>${say(ctx, 'Từ chối', 'Decline')}</summary>
          <form method="post" action="${base}/decline">
            ${csrfField(ctx)}
            <label for="reason-${item._id}">${say(ctx, 'Lý do từ chối', 'Reason for declining')}</label>
            <textarea id="reason-${item._id}" name="reason" rows="2" required minlength="3"></textarea>
            <button type="submit" class="danger">${say(ctx, 'Từ chối chuyển tuyến', 'Decline the referral')}</button>
          </form>
        </details>`;
    case 'ACCEPTED':
      return html`${simple('start', say(ctx, 'Bắt đầu cung cấp dịch vụ', 'Start the service'), true)}${complete}`;
    case 'IN_SERVICE':
      return complete;
    default:
      return html``;
  }
}

function item(ctx: PageContext, i: InboxItem, sector: FacilityServiceName): SafeHtml {
  const overdue = i.dueAt && Date.parse(i.dueAt) < Date.now();
  return html`<li
    id="ref-${i._id}"
    data-referral="${i._id}"
    class="${overdue || i.escalationLevel > 0 ? 'overdue' : ''}"
  >
    <h3>${say(ctx, 'Chuyển tuyến', 'Referral')} ${short(i._id)} · ${sectorLabel(i.sector, ctx.lang)}</h3>
    <p>
      <span class="badge state-${i.state}">${stateLabel(i.state, ctx.lang)}</span> ·
      ${urgencyLabel(i.urgency, ctx.lang)}
      ${i.escalationLevel > 0 ? html` <span class="badge level">${say(ctx, 'Quá hạn, đã báo cáo cấp', 'Overdue, escalated to level')} ${i.escalationLevel}</span>` : ''}
    </p>
    ${i.reason ? html`<p>${say(ctx, 'Lý do', 'Reason')}: ${i.reason}</p>` : ''}
    <p class="muted">
      ${say(ctx, 'Từ xã', 'From commune')} ${i.fromUnitCode} · ${say(ctx, 'gửi lúc', 'sent')}
      ${formatInstant(i.requestedAt)}
    </p>
    ${i.state === 'REQUESTED' ? deadline(ctx, say(ctx, 'Hạn tiếp nhận', 'Accept by'), i.acceptBy) : ''}
    ${i.state === 'ACCEPTED' || i.state === 'IN_SERVICE' ? deadline(ctx, say(ctx, 'Hạn hoàn thành', 'Complete by'), i.completeBy) : ''}
    ${i.serviceRecordId ? html`<p>${say(ctx, 'Hồ sơ dịch vụ', 'Service record')}: <code>${i.serviceRecordId}</code></p>` : ''}
    ${actions(ctx, i, sector)}
  </li>`;
}

export function inboxView(
  ctx: PageContext,
  items: InboxItem[],
  sector: FacilityServiceName,
  options: { refusal?: ServiceRefusal; flash?: string } = {},
): SafeHtml {
  const open = items.filter((i) => i.dueAt);
  const closed = items.filter((i) => !i.dueAt).slice(0, 20);
  return html`${options.flash ? notice('success', options.flash) : ''}${refusalNotice(ctx, options.refusal)}
    <p class="muted">
      ${say(ctx, 'Sắp xếp theo hạn: việc gấp nhất ở trên cùng. Trang tự cập nhật khi có chuyển tuyến mới.', 'Sorted by deadline, most urgent first. The page updates itself when referrals arrive.')}
    </p>
    <section aria-labelledby="open-referrals">
      <h2 id="open-referrals">${say(ctx, 'Cần xử lý', 'To do')} (${open.length})</h2>
      ${
        open.length
          ? html`<ul class="items">
              ${open.map((i) => item(ctx, i, sector))}
            </ul>`
          : html`<p>${say(ctx, 'Không có chuyển tuyến nào đang chờ.', 'Nothing waiting.')}</p>`
      }
    </section>
    <section aria-labelledby="closed-referrals">
      <h2 id="closed-referrals">${say(ctx, 'Đã kết thúc gần đây', 'Recently closed')} (${closed.length})</h2>
      ${
        closed.length
          ? html`<ul class="items">
              ${closed.map((i) => item(ctx, i, sector))}
            </ul>`
          : html`<p>${say(ctx, 'Chưa có.', 'None yet.')}</p>`
      }
    </section>`;
}
