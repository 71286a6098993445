import { formatDate, formatInstant, timeLeft } from './format';
import { html, type SafeHtml } from './html';
import { sectorLabel, urgencyLabel } from './labels';
import { csrfField, notice, say, type PageContext } from './layout';
import { refusalNotice, type Facility, type FormValues, type ServiceRefusal } from './intake-views';
import {
  MeasureCodes,
  ReportSourceCodes,
  RiskLevelCodes,
  clockStateLabel,
  historyLabel,
  measureLabel,
  nextStepLabel,
  riskLabel,
  sourceLabel,
  stageLabel,
  stepLabel,
} from './protection-labels';

export type { BoardEntry } from './board-views';

/** One statutory clock of a case, as the protection service reports it. */
export interface CaseClock {
  step: string;
  dueAt: string;
  state: string;
  doneAt?: string;
  late?: boolean;
  escalation: { level: number; unitCode?: string; acknowledged: boolean };
}

/** A protection case as the case list shows it: stage and clocks, no names, no details. */
export interface ProtectionCaseSummary {
  _id: string;
  communeCode: string;
  stage: string;
  urgency: string;
  seriousRisk: boolean;
  source: string;
  receivedAt: string;
  openedAt: string;
  clocks: CaseClock[];
}

/** A case with its opened forms, for its team and the commune chairman. */
export interface ProtectionCaseDetails extends ProtectionCaseSummary {
  team: string[];
  forms: Record<string, unknown>;
  history: { at: string; action: string; stage: string; step?: string; by?: { userId: string; role: string } }[];
}

/** A field of an opened form, as text. */
export function formText(value: unknown, ...path: string[]): string {
  let at: unknown = value;
  for (const key of path) {
    if (at === null || typeof at !== 'object') return '';
    at = Reflect.get(at, key);
  }
  return typeof at === 'string' || typeof at === 'number' ? String(at) : typeof at === 'boolean' ? String(at) : '';
}

/** The plan's actions (form 04), as recorded. */
function planActions(plan: unknown): { body: string; action: string; sector: string }[] {
  const actions: unknown = plan && typeof plan === 'object' ? Reflect.get(plan, 'actions') : undefined;
  return Array.isArray(actions)
    ? actions.map((a: unknown) => ({
        body: formText(a, 'body'),
        action: formText(a, 'action'),
        sector: formText(a, 'sector'),
      }))
    : [];
}

const TWO_HOURS = 2 * 3_600_000;
const openClock = (k: CaseClock) => k.state === 'RUNNING';
/** Running clocks due within two hours (or overdue): what the officers are told about. */
export const dueSoon = (cases: ProtectionCaseSummary[], now = Date.now()) =>
  cases.flatMap((c) =>
    c.clocks.filter((k) => openClock(k) && Date.parse(k.dueAt) - now < TWO_HOURS).map((k) => ({ kase: c, clock: k })),
  );

const caseRef = (id: string) => id.slice(0, 8);

/** A clock as a line: the step, its deadline, the time left (ticking), or when it was done. */
function clockItem(ctx: PageContext, k: CaseClock): SafeHtml {
  const overdue = openClock(k) && Date.parse(k.dueAt) < Date.now();
  const soon = openClock(k) && !overdue && Date.parse(k.dueAt) - Date.now() < TWO_HOURS;
  return html`<li
    data-clock="${k.step}"
    data-state="${k.state}"
    class="${overdue ? 'overdue' : soon ? 'due-soon' : ''}"
  >
    <strong>${stepLabel(k.step, ctx.lang)}</strong><br />
    ${say(ctx, 'Hạn', 'Due')}: <time datetime="${k.dueAt}" data-due>${formatInstant(k.dueAt)}</time>
    ${
      openClock(k)
        ? html` ·
            <span class="countdown${overdue ? ' overdue' : ''}" data-deadline="${k.dueAt}"
              >${timeLeft(k.dueAt, ctx.lang)}</span
            >`
        : html` ·
            <span class="badge">${clockStateLabel(k.state, ctx.lang)}</span>${
              k.doneAt
                ? html` ${say(ctx, 'lúc', 'at')}
                  ${formatInstant(k.doneAt)}${k.late ? say(ctx, ' (trễ hạn)', ' (late)') : ''}`
                : ''
            }`
    }
    ${
      k.escalation.level > 0
        ? html` <span class="badge level"
            >${say(ctx, 'Đã báo cáo cấp', 'Escalated, level')}
            ${k.escalation.level}${k.escalation.acknowledged ? say(ctx, ' (đã ghi nhận)', ' (acknowledged)') : ''}</span
          >`
        : ''
    }
  </li>`;
}

export function clocksList(ctx: PageContext, clocks: CaseClock[]): SafeHtml {
  return html`<ul class="clocks" aria-label="${say(ctx, 'Thời hạn theo luật', 'Statutory clocks')}">
    ${clocks.map((k) => clockItem(ctx, k))}
  </ul>`;
}

/** "Due within 2 hours" notices, without any detail of the cases. */
export function dueSoonNotice(ctx: PageContext, cases: ProtectionCaseSummary[]): SafeHtml | '' {
  const soon = dueSoon(cases);
  if (!soon.length) return '';
  return notice(
    'warning',
    html`<p><strong>${say(ctx, 'Sắp đến hạn hoặc quá hạn', 'Due within 2 hours or overdue')}</strong></p>
      <ul data-due-soon>
        ${soon.map(
          ({ kase, clock }) =>
            html`<li>
              <a href="/protection-cases/${kase._id}">${say(ctx, 'Hồ sơ', 'Case')} ${caseRef(kase._id)}</a>:
              ${stepLabel(clock.step, ctx.lang)} ·
              <span class="countdown" data-deadline="${clock.dueAt}">${timeLeft(clock.dueAt, ctx.lang)}</span>
            </li>`,
        )}
      </ul>`,
  );
}

export function protectionCasesView(ctx: PageContext, cases: ProtectionCaseSummary[], flash?: string): SafeHtml {
  const officer = ctx.staff?.role === 'protection-officer';
  return html`${flash ? notice('success', flash) : ''}${dueSoonNotice(ctx, cases)}
  ${
    officer
      ? html`<p>
          <a class="button" href="/protection-cases/new"
            >${say(ctx, 'Tiếp nhận tin báo (Mẫu 01)', 'Receive a report (form 01)')}</a
          >
        </p>`
      : ''
  }
  ${
    cases.length
      ? html`<ul class="items" data-cases>
          ${cases.map(
            (c) =>
              html`<li
                data-case="${c._id}"
                ${c.clocks.some((k) => openClock(k) && Date.parse(k.dueAt) < Date.now()) ? html` class="overdue"` : ''}
              >
                <h2 class="item-title">
                  <a href="/protection-cases/${c._id}">${say(ctx, 'Hồ sơ', 'Case')} ${caseRef(c._id)}</a>
                </h2>
                <p>
                  <span class="badge" data-stage>${stageLabel(c.stage, ctx.lang)}</span> ·
                  ${urgencyLabel(c.urgency, ctx.lang)}${
                    c.seriousRisk
                      ? html` · <span class="badge level">${say(ctx, 'Nguy cơ nghiêm trọng', 'Serious risk')}</span>`
                      : ''
                  }
                  · ${say(ctx, 'nhận tin lúc', 'received')} ${formatInstant(c.receivedAt)}
                </p>
                ${clocksList(ctx, c.clocks.filter(openClock))}
              </li>`,
          )}
        </ul>`
      : html`<p>${say(ctx, 'Chưa có hồ sơ bảo vệ trẻ em.', 'No protection case yet.')}</p>`
  }`;
}

const v = (values: FormValues, name: string) => {
  const x = values[name];
  return Array.isArray(x) ? (x[0] ?? '') : (x ?? '');
};

/** `YYYY-MM-DDTHH:mm` in Vietnam time, for datetime-local inputs. */
export function vietnamLocalDateTime(at = new Date()): string {
  const p = Object.fromEntries(
    new Intl.DateTimeFormat('en-GB', {
      timeZone: 'Asia/Ho_Chi_Minh',
      year: 'numeric',
      month: '2-digit',
      day: '2-digit',
      hour: '2-digit',
      minute: '2-digit',
      hourCycle: 'h23',
    })
      .formatToParts(at)
      .map((x) => [x.type, x.value]),
  );
  return `${p.year}-${p.month}-${p.day}T${p.hour}:${p.minute}`;
}

const options = (codes: readonly string[], label: (c: string) => string, selected: string) =>
  codes.map((c) => html`<option value="${c}" ${c === selected ? html` selected` : ''}>${label(c)}</option>`);

/** Form 01: receiving a report, in person, by phone or forwarded from hotline 111. */
export function reportForm(
  ctx: PageContext,
  values: FormValues,
  requestKey: string,
  refusal?: ServiceRefusal,
): SafeHtml {
  const lang = ctx.lang;
  return html`${refusalNotice(ctx, refusal)}
    <p class="muted">
      ${say(
        ctx,
        'Mọi thời hạn (12 giờ biện pháp khẩn cấp, đánh giá ban đầu, 5 ngày làm việc lập kế hoạch) tính từ thời điểm nhận thông tin.',
        'Every clock (12-hour emergency measure, initial assessment, 5 working days to the plan) counts from the time the information was received.',
      )}
    </p>
    <form method="post" action="/protection-cases" id="report-form">
      ${csrfField(ctx)}<input type="hidden" name="requestKey" value="${requestKey}" />
      ${v(values, 'childId') ? html`<input type="hidden" name="childId" value="${v(values, 'childId')}" />` : ''}
      <fieldset>
        <legend>${say(ctx, '1. Tiếp nhận', '1. Receipt')}</legend>
        <label for="source">${say(ctx, 'Nguồn tin', 'Source')}</label>
        <select id="source" name="source" required>
          ${options(ReportSourceCodes, (c) => sourceLabel(c, lang), v(values, 'source') || 'hotline-111')}
        </select>
        <label for="receivedAt"
          >${say(ctx, 'Thời điểm nhận thông tin (giờ Việt Nam)', 'Time the information was received (Vietnam time)')}</label
        >
        <input
          type="datetime-local"
          id="receivedAt"
          name="receivedAt"
          required
          value="${v(values, 'receivedAt') || vietnamLocalDateTime()}"
        />
        <label class="check"
          ><input type="checkbox" name="seriousRisk" ${v(values, 'seriousRisk') === 'on' ? html` checked` : ''} />
          ${say(ctx, 'Tính mạng, sức khỏe, nhân phẩm của trẻ đang bị đe dọa nghiêm trọng', "The child's life, health or dignity is at serious risk")}</label
        >
      </fieldset>
      <fieldset>
        <legend>${say(ctx, '2. Người báo tin', '2. Who reported')}</legend>
        <label for="reporterName">${say(ctx, 'Họ và tên (không bắt buộc)', 'Name (optional)')}</label>
        <input type="text" id="reporterName" name="reporterName" maxlength="120" value="${v(values, 'reporterName')}" />
        <label for="reporterContact">${say(ctx, 'Điện thoại hoặc địa chỉ liên hệ', 'Phone or contact')}</label>
        <input
          type="text"
          id="reporterContact"
          name="reporterContact"
          maxlength="120"
          value="${v(values, 'reporterContact')}"
        />
        <label for="reporterRelationship">${say(ctx, 'Quan hệ với trẻ', 'Relationship to the child')}</label>
        <input
          type="text"
          id="reporterRelationship"
          name="reporterRelationship"
          maxlength="120"
          value="${v(values, 'reporterRelationship')}"
        />
      </fieldset>
      <fieldset>
        <legend>${say(ctx, '3. Trẻ em', '3. The child')}</legend>
        <label for="childName">${say(ctx, 'Họ và tên trẻ', "Child's full name")}</label>
        <input type="text" id="childName" name="childName" required maxlength="120" value="${v(values, 'childName')}" />
        <label for="childDateOfBirth">${say(ctx, 'Ngày sinh (nếu biết)', 'Date of birth (if known)')}</label>
        <input type="date" id="childDateOfBirth" name="childDateOfBirth" value="${v(values, 'childDateOfBirth')}" />
        <fieldset>
          <legend>${say(ctx, 'Giới tính', 'Sex')}</legend>
          <label class="check"
            ><input
              type="radio"
              name="childSex"
              value="female"
              ${v(values, 'childSex') === 'female' ? html` checked` : ''}
            />
            ${say(ctx, 'Nữ', 'Female')}</label
          >
          <label class="check"
            ><input
              type="radio"
              name="childSex"
              value="male"
              ${v(values, 'childSex') === 'male' ? html` checked` : ''}
            />
            ${say(ctx, 'Nam', 'Male')}</label
          >
        </fieldset>
        <label for="childAddress">${say(ctx, 'Địa chỉ', 'Address')}</label>
        <input type="text" id="childAddress" name="childAddress" maxlength="300" value="${v(values, 'childAddress')}" />
      </fieldset>
      <fieldset>
        <legend>${say(ctx, '4. Nội dung tin báo', '4. What was reported')}</legend>
        <label for="description">${say(ctx, 'Sự việc', 'What happened')}</label>
        <textarea id="description" name="description" required maxlength="5000" rows="4">
${v(values, 'description')}</textarea>
        <label for="place">${say(ctx, 'Nơi xảy ra', 'Where')}</label>
        <input type="text" id="place" name="place" maxlength="300" value="${v(values, 'place')}" />
      </fieldset>
      <button type="submit">${say(ctx, 'Lưu tin báo và mở hồ sơ', 'Save the report and open the case')}</button>
    </form>`;
}

const textarea = (id: string, label: string, rows = 3, required = true) =>
  html`<label for="${id}">${label}</label
    ><textarea id="${id}" name="${id}" rows="${rows}" maxlength="5000" ${required ? html` required` : ''}></textarea>`;
const riskSelect = (ctx: PageContext, id: string, label: string) =>
  html`<label for="${id}">${label}</label>
    <select id="${id}" name="${id}" required>
      ${options(RiskLevelCodes, (c) => riskLabel(c, ctx.lang), '')}
    </select>`;

/** The form of one step; the workflow refuses what the procedure does not allow. */
function stepForm(ctx: PageContext, caseId: string, step: string, legend: string, body: SafeHtml, submit: string) {
  return html`<form method="post" action="/protection-cases/${caseId}/steps/${step}" id="step-${step}" class="card">
    ${csrfField(ctx)}
    <fieldset>
      <legend>${legend}</legend>
      ${body}
    </fieldset>
    <button type="submit">${submit}</button>
  </form>`;
}

function stepForms(ctx: PageContext, c: ProtectionCaseDetails, facilities: Facility[], requestKey: string): SafeHtml {
  const lang = ctx.lang;
  const chairman = ctx.staff?.role === 'commune-chairman';
  const forms: SafeHtml[] = [];
  const emergencyRunning = c.clocks.some((k) => k.step === 'EMERGENCY_MEASURE' && k.state === 'RUNNING');
  if (!chairman && emergencyRunning) {
    forms.push(
      stepForm(
        ctx,
        c._id,
        'emergency-measures',
        say(
          ctx,
          'Biện pháp khẩn cấp hoặc tạm thời cách ly (trong 12 giờ)',
          'Emergency measure or temporary separation (within 12 hours)',
        ),
        html`<label for="measure">${say(ctx, 'Biện pháp', 'Measure')}</label>
          <select id="measure" name="measure" required>
            ${options(MeasureCodes, (m) => measureLabel(m, lang), '')}
          </select>
          ${textarea('measureDescription', say(ctx, 'Mô tả', 'Description'))}
          <label for="takenAt">${say(ctx, 'Thời điểm thực hiện (giờ Việt Nam)', 'Taken at (Vietnam time)')}</label>
          <input type="datetime-local" id="takenAt" name="takenAt" value="${vietnamLocalDateTime()}" />`,
        say(ctx, 'Ghi nhận biện pháp khẩn cấp', 'Record the emergency measure'),
      ),
    );
  }
  if (chairman) {
    if (c.stage === 'PLAN_DRAFTED') {
      forms.push(
        stepForm(
          ctx,
          c._id,
          'approval',
          say(ctx, 'Quyết định phê duyệt kế hoạch (Mẫu 05)', 'Decision approving the plan (form 05)'),
          html`<label for="decisionNumber">${say(ctx, 'Số quyết định', 'Decision number')}</label>
            <input type="text" id="decisionNumber" name="decisionNumber" required maxlength="60" />
            <label for="approvalNote">${say(ctx, 'Ghi chú (không bắt buộc)', 'Note (optional)')}</label>
            <textarea id="approvalNote" name="approvalNote" rows="2" maxlength="2000"></textarea>`,
          say(ctx, 'Phê duyệt kế hoạch', 'Approve the plan'),
        ),
      );
    }
    return html`${forms}`;
  }
  switch (c.stage) {
    case 'REPORTED':
      forms.push(
        stepForm(
          ctx,
          c._id,
          'risk-assessment',
          say(ctx, 'Đánh giá ban đầu nguy cơ (Mẫu 02)', 'Initial risk assessment (form 02)'),
          html`<fieldset>
              <legend>
                ${say(ctx, 'Tính mạng, sức khỏe, nhân phẩm bị đe dọa nghiêm trọng?', 'Life, health or dignity at serious risk?')}
              </legend>
              <label class="check"
                ><input type="radio" name="seriousRisk" value="yes" required ${c.seriousRisk ? html` checked` : ''} />
                ${say(ctx, 'Có', 'Yes')}</label
              >
              <label class="check"
                ><input type="radio" name="seriousRisk" value="no" ${c.seriousRisk ? '' : html` checked`} />
                ${say(ctx, 'Không', 'No')}</label
              >
            </fieldset>
            ${riskSelect(ctx, 'riskLevel', say(ctx, 'Mức độ nguy cơ', 'Risk level'))}
            ${textarea('findings', say(ctx, 'Nhận định, phát hiện', 'Findings'), 4)}`,
          say(ctx, 'Lưu đánh giá ban đầu', 'Save the assessment'),
        ),
      );
      break;
    case 'ASSESSED':
      forms.push(
        stepForm(
          ctx,
          c._id,
          'case-meeting',
          say(ctx, 'Xác minh, đánh giá chi tiết và họp (Mẫu 03)', 'Detailed assessment and case meeting (form 03)'),
          html`<label for="heldOn">${say(ctx, 'Ngày họp', 'Held on')}</label>
            <input type="date" id="heldOn" name="heldOn" required value="${vietnamLocalDateTime().slice(0, 10)}" />
            ${textarea('participants', say(ctx, 'Thành phần tham dự (mỗi người một dòng)', 'Participants (one per line)'))}
            ${textarea('detailedAssessment', say(ctx, 'Kết quả xác minh, đánh giá chi tiết', 'Detailed assessment'), 4)}
            ${textarea('minutes', say(ctx, 'Biên bản họp', 'Minutes'), 4)}`,
          say(ctx, 'Lưu biên bản họp', 'Save the meeting'),
        ),
        closureForm(ctx, c._id),
      );
      break;
    case 'MEETING_HELD':
      forms.push(
        stepForm(
          ctx,
          c._id,
          'plan',
          say(ctx, 'Kế hoạch hỗ trợ, can thiệp (Mẫu 04)', 'Support and intervention plan (form 04)'),
          html`${textarea('objectives', say(ctx, 'Mục tiêu', 'Objectives'))}
            ${[1, 2, 3].map(
              (i) =>
                html`<fieldset>
                  <legend>
                    ${say(ctx, 'Hoạt động', 'Action')} ${i}${i > 1 ? say(ctx, ' (không bắt buộc)', ' (optional)') : ''}
                  </legend>
                  <label for="actionBody${i}">${say(ctx, 'Cơ quan, tổ chức thực hiện', 'Carried out by')}</label>
                  <input
                    type="text"
                    id="actionBody${i}"
                    name="actionBody${i}"
                    maxlength="200"
                    ${i === 1 ? html` required` : ''}
                  />
                  <label for="actionSector${i}">${say(ctx, 'Lĩnh vực', 'Sector')}</label>
                  <select id="actionSector${i}" name="actionSector${i}">
                    <option value="">—</option>
                    ${['health', 'education', 'welfare', 'protection'].map((s) => html`<option value="${s}">${sectorLabel(s, lang)}</option>`)}
                  </select>
                  <label for="actionText${i}">${say(ctx, 'Hoạt động', 'Action')}</label>
                  <textarea
                    id="actionText${i}"
                    name="actionText${i}"
                    rows="2"
                    maxlength="2000"
                    ${i === 1 ? html` required` : ''}
                  ></textarea>
                </fieldset>`,
            )}
            <label for="reviewBy">${say(ctx, 'Ngày rà soát, đánh giá kế hoạch', 'Review date')}</label>
            <input type="date" id="reviewBy" name="reviewBy" required />`,
          say(ctx, 'Lưu kế hoạch, trình phê duyệt', 'Save the plan for approval'),
        ),
      );
      break;
    case 'PLAN_DRAFTED':
      forms.push(
        notice(
          'info',
          say(
            ctx,
            'Kế hoạch đang chờ Chủ tịch UBND xã phê duyệt (Mẫu 05).',
            "The plan awaits the commune chairman's approval (form 05).",
          ),
        ),
      );
      break;
    case 'PLAN_APPROVED':
      forms.push(
        stepForm(
          ctx,
          c._id,
          'implementation',
          say(ctx, 'Bắt đầu thực hiện kế hoạch', 'Start carrying out the plan'),
          html`<label for="implementationNote">${say(ctx, 'Ghi chú (không bắt buộc)', 'Note (optional)')}</label>
            <textarea id="implementationNote" name="implementationNote" rows="2" maxlength="2000"></textarea>`,
          say(ctx, 'Bắt đầu thực hiện', 'Start'),
        ),
      );
      forms.push(referralForm(ctx, c._id, facilities, requestKey));
      break;
    case 'IN_IMPLEMENTATION':
      forms.push(referralForm(ctx, c._id, facilities, requestKey));
      forms.push(
        stepForm(
          ctx,
          c._id,
          'review',
          say(ctx, 'Rà soát, đánh giá kế hoạch', 'Review of the plan'),
          html`${textarea('reviewSummary', say(ctx, 'Kết quả rà soát', 'Review summary'), 4)}
          ${riskSelect(ctx, 'reviewRiskLevel', say(ctx, 'Mức độ nguy cơ hiện tại', 'Risk level now'))}`,
          say(ctx, 'Lưu rà soát', 'Save the review'),
        ),
      );
      break;
    case 'REVIEWED':
      forms.push(closureForm(ctx, c._id));
      break;
  }
  return html`${forms}`;
}

function closureForm(ctx: PageContext, caseId: string): SafeHtml {
  return stepForm(
    ctx,
    caseId,
    'closure',
    say(ctx, 'Đóng hồ sơ (Mẫu 06)', 'Close the case (form 06)'),
    html`${riskSelect(ctx, 'riskAtClosure', say(ctx, 'Mức độ nguy cơ khi đóng hồ sơ', 'Risk at closure'))}
    ${textarea('closureSummary', say(ctx, 'Tóm tắt kết quả', 'Summary'), 4)}`,
    say(ctx, 'Đóng hồ sơ', 'Close the case'),
  );
}

/** Referral to a health, education or welfare service, to carry out the approved plan. */
function referralForm(ctx: PageContext, caseId: string, facilities: Facility[], requestKey: string): SafeHtml {
  const sectors = [...new Set(facilities.map((f) => f.sector))];
  return html`<form method="post" action="/protection-cases/${caseId}/referrals" id="case-referral" class="card">
    ${csrfField(ctx)}<input type="hidden" name="requestKey" value="${requestKey}" />
    <fieldset>
      <legend>${say(ctx, 'Chuyển tuyến đến dịch vụ theo kế hoạch', 'Refer to a service named in the plan')}</legend>
      <label for="ref-facility">${say(ctx, 'Cơ sở nhận', 'Receiving facility')}</label>
      <select id="ref-facility" name="facility" required>
        ${sectors.map(
          (s) =>
            html`<optgroup label="${sectorLabel(s, ctx.lang)}">
              ${facilities
                .filter((f) => f.sector === s)
                .map((f) => html`<option value="${f.sector}:${f._id}">${f.name}</option>`)}
            </optgroup>`,
        )}
      </select>
      <label for="ref-urgency">${say(ctx, 'Mức độ khẩn', 'Urgency')}</label>
      <select id="ref-urgency" name="urgency" required>
        ${['routine', 'urgent', 'emergency'].map((u) => html`<option value="${u}">${urgencyLabel(u, ctx.lang)}</option>`)}
      </select>
      <label for="ref-reason"
        >${say(ctx, 'Dịch vụ cần (cơ sở sẽ đọc; không ghi chi tiết sự việc)', 'Service needed (the facility reads this; never what happened)')}</label
      >
      <textarea id="ref-reason" name="reason" rows="2" required minlength="3" maxlength="500"></textarea>
    </fieldset>
    <button type="submit">${say(ctx, 'Gửi chuyển tuyến', 'Send the referral')}</button>
  </form>`;
}

const recorded = (ctx: PageContext, title: string, rows: [string, string][], pdf?: string) =>
  html`<section class="card recorded">
    <h3>${title}</h3>
    <dl class="facts">
      ${rows
        .filter(([, value]) => value)
        .map(
          ([label, value]) =>
            html`<dt>${label}</dt>
              <dd>${value}</dd>`,
        )}
    </dl>
    ${pdf ? html`<p><a href="${pdf}" download data-pdf>${say(ctx, 'Tải bản in PDF', 'Download the PDF')} (${title.split(' (')[0]})</a></p>` : ''}
  </section>`;

function recordedForms(ctx: PageContext, c: ProtectionCaseDetails): SafeHtml {
  const f = c.forms;
  const lang = ctx.lang;
  const pdf = (n: string) => `/protection-cases/${c._id}/forms/${n}.pdf`;
  const parts: SafeHtml[] = [];
  parts.push(
    recorded(
      ctx,
      say(ctx, 'Tin báo (Mẫu 01)', 'Report (form 01)'),
      [
        [say(ctx, 'Nguồn tin', 'Source'), sourceLabel(c.source, lang)],
        [say(ctx, 'Nhận thông tin lúc', 'Received at'), formatInstant(c.receivedAt)],
        [
          say(ctx, 'Người báo tin', 'Reporter'),
          [formText(f.reporter, 'name'), formText(f.reporter, 'contact')].filter(Boolean).join(', '),
        ],
        [say(ctx, 'Sự việc', 'What happened'), formText(f.report, 'description')],
        [say(ctx, 'Nơi xảy ra', 'Where'), formText(f.report, 'place')],
      ],
      pdf('01'),
    ),
  );
  if (f.riskAssessment) {
    parts.push(
      recorded(
        ctx,
        say(ctx, 'Đánh giá ban đầu (Mẫu 02)', 'Initial assessment (form 02)'),
        [
          [say(ctx, 'Mức độ nguy cơ', 'Risk level'), riskLabel(formText(f.riskAssessment, 'riskLevel'), lang)],
          [
            say(ctx, 'Nguy cơ nghiêm trọng', 'Serious risk'),
            formText(f.riskAssessment, 'seriousRisk') === 'true' ? say(ctx, 'Có', 'Yes') : say(ctx, 'Không', 'No'),
          ],
          [say(ctx, 'Nhận định', 'Findings'), formText(f.riskAssessment, 'findings')],
          [
            say(ctx, 'Biện pháp khẩn cấp', 'Emergency measure'),
            f.emergencyMeasure
              ? `${measureLabel(formText(f.emergencyMeasure, 'measure'), lang)}: ${formText(f.emergencyMeasure, 'description')}`
              : '',
          ],
        ],
        pdf('02'),
      ),
    );
  }
  if (f.caseMeeting) {
    parts.push(
      recorded(
        ctx,
        say(ctx, 'Họp, đánh giá chi tiết (Mẫu 03)', 'Case meeting (form 03)'),
        [
          [say(ctx, 'Ngày họp', 'Held on'), formatDate(formText(f.caseMeeting, 'heldOn'))],
          [say(ctx, 'Đánh giá chi tiết', 'Detailed assessment'), formText(f.caseMeeting, 'detailedAssessment')],
          [say(ctx, 'Biên bản', 'Minutes'), formText(f.caseMeeting, 'minutes')],
        ],
        pdf('03'),
      ),
    );
  }
  if (f.plan) {
    parts.push(
      recorded(
        ctx,
        say(ctx, 'Kế hoạch (Mẫu 04)', 'Plan (form 04)'),
        [
          [say(ctx, 'Mục tiêu', 'Objectives'), formText(f.plan, 'objectives')],
          ...planActions(f.plan).map((a, i): [string, string] => [
            `${say(ctx, 'Hoạt động', 'Action')} ${i + 1}`,
            `${a.body}${a.sector ? ` (${sectorLabel(a.sector, lang)})` : ''}: ${a.action}`,
          ]),
          [say(ctx, 'Rà soát trước', 'Review by'), formatInstant(formText(f.plan, 'reviewBy'))],
        ],
        pdf('04'),
      ),
    );
  }
  if (f.approval) {
    parts.push(
      recorded(
        ctx,
        say(ctx, 'Quyết định phê duyệt (Mẫu 05)', 'Approval decision (form 05)'),
        [[say(ctx, 'Số quyết định', 'Decision number'), formText(f.approval, 'decisionNumber')]],
        pdf('05'),
      ),
    );
  }
  if (f.review) {
    parts.push(
      recorded(ctx, say(ctx, 'Rà soát', 'Review'), [
        [say(ctx, 'Kết quả', 'Summary'), formText(f.review, 'summary')],
        [say(ctx, 'Mức độ nguy cơ', 'Risk level'), riskLabel(formText(f.review, 'riskLevel'), lang)],
      ]),
    );
  }
  if (f.closure) {
    parts.push(
      recorded(
        ctx,
        say(ctx, 'Đóng hồ sơ (Mẫu 06)', 'Closure (form 06)'),
        [
          [say(ctx, 'Nguy cơ khi đóng', 'Risk at closure'), riskLabel(formText(f.closure, 'riskAtClosure'), lang)],
          [say(ctx, 'Tóm tắt', 'Summary'), formText(f.closure, 'summary')],
        ],
        pdf('06'),
      ),
    );
  }
  return html`${parts}`;
}

/** The case page for its team and the chairman: step, clocks, team, forms, timeline, next step's form. */
export function protectionCaseView(
  ctx: PageContext,
  c: ProtectionCaseDetails,
  facilities: Facility[],
  requestKey: string,
  opts: { refusal?: ServiceRefusal; flash?: string } = {},
): SafeHtml {
  const lang = ctx.lang;
  const child = c.forms.child;
  return html`${opts.flash ? notice('success', opts.flash) : ''}${refusalNotice(ctx, opts.refusal)}
    <dl class="facts">
      <dt>${say(ctx, 'Trẻ em', 'Child')}</dt>
      <dd data-child-name>${formText(child, 'fullName')}</dd>
      <dt>${say(ctx, 'Giai đoạn', 'Stage')}</dt>
      <dd><span class="badge" data-stage>${stageLabel(c.stage, lang)}</span></dd>
      <dt>${say(ctx, 'Bước tiếp theo', 'Next step')}</dt>
      <dd data-next-step>${nextStepLabel(c.stage, lang)}</dd>
      <dt>${say(ctx, 'Mức độ', 'Urgency')}</dt>
      <dd>
        ${urgencyLabel(c.urgency, lang)}${c.seriousRisk ? say(ctx, ' · nguy cơ nghiêm trọng', ' · serious risk') : ''}
      </dd>
      <dt>${say(ctx, 'Nhận thông tin lúc', 'Received at')}</dt>
      <dd data-received>${formatInstant(c.receivedAt)} · ${sourceLabel(c.source, lang)}</dd>
    </dl>
    <h2 id="clocks">${say(ctx, 'Thời hạn theo Nghị định 56/2017', 'Clocks under Decree 56/2017')}</h2>
    ${clocksList(ctx, c.clocks)}
    <h2 id="next">${say(ctx, 'Việc cần làm', 'What to do')}</h2>
    ${
      c.stage === 'CLOSED'
        ? html`<p>${say(ctx, 'Hồ sơ đã đóng; không còn bước nào.', 'The case is closed; no step is left.')}</p>`
        : stepForms(ctx, c, facilities, requestKey)
    }
    <h2 id="forms">${say(ctx, 'Hồ sơ đã ghi nhận', 'Recorded forms')}</h2>
    ${recordedForms(ctx, c)}
    <h2 id="team">${say(ctx, 'Người phụ trách hồ sơ', 'Who is on the case')}</h2>
    <ul data-team>
      ${c.team.map((u) => html`<li>${u}</li>`)}
    </ul>
    ${
      ctx.staff?.role === 'protection-officer'
        ? html`<form method="post" action="/protection-cases/${c._id}/team" class="inline-form" id="team-form">
            ${csrfField(ctx)}
            <label for="team-user"
              >${say(ctx, 'Thêm cán bộ bảo vệ trẻ em của xã (mã cán bộ)', 'Add a protection officer of the commune (staff id)')}</label
            >
            <input type="text" id="team-user" name="userId" required maxlength="100" pattern="[A-Za-z0-9._@\\-]+" />
            <button type="submit" class="secondary">${say(ctx, 'Thêm vào hồ sơ', 'Add to the case')}</button>
          </form>`
        : ''
    }
    <h2 id="timeline">${say(ctx, 'Diễn biến', 'Timeline')}</h2>
    <ol class="timeline">
      ${c.history.map(
        (h) =>
          html`<li>
            <time datetime="${h.at}">${formatInstant(h.at)}</time> ·
            ${historyLabel(h.action, lang)}${h.step ? html` · ${stepLabel(h.step, lang)}` : ''}${
              h.by ? html` · <span class="muted">${h.by.userId}</span>` : ''
            }
          </li>`,
      )}
    </ol>`;
}

/** What someone without a role on the case sees: its stage and deadlines, never its details. */
export function protectionCaseOutlineView(ctx: PageContext, c: ProtectionCaseSummary): SafeHtml {
  return html`${notice(
      'info',
      say(
        ctx,
        'Bạn chưa được phân công vào hồ sơ này: chỉ xem được giai đoạn và thời hạn. Đề nghị cán bộ phụ trách thêm bạn vào hồ sơ.',
        'You have no role on this case: you see its stage and deadlines only. Ask an officer on the case to add you.',
      ),
    )}
    <dl class="facts">
      <dt>${say(ctx, 'Giai đoạn', 'Stage')}</dt>
      <dd><span class="badge" data-stage>${stageLabel(c.stage, ctx.lang)}</span></dd>
      <dt>${say(ctx, 'Nhận thông tin lúc', 'Received at')}</dt>
      <dd>${formatInstant(c.receivedAt)}</dd>
    </dl>
    <h2>${say(ctx, 'Thời hạn', 'Deadlines')}</h2>
    ${clocksList(ctx, c.clocks)}`;
}
