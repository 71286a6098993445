import { randomUUID } from 'node:crypto';
import { ethnicGroups, milestonesToAsk, vietnamEpiSchedule } from '@ecd/screening';
import { ageInMonths, formatDate, formatInstant, timeLeft, vietnamToday } from './format';
import { html, type SafeHtml } from './html';
import { sectorLabel, severityLabel, stateLabel, timelineLabel, urgencyLabel } from './labels';
import { csrfField, notice, say, type PageContext } from './layout';

/** What the intake service returns, as far as the pages use it. */
export interface Child {
  _id: string;
  fullName: string;
  dateOfBirth: string;
  sex: string;
  ethnicityCode: string;
  communeCode: string;
  village?: string;
  caregivers: { name: string; relationship: string; phone?: string }[];
  birthRegistered: boolean;
  disability?: boolean;
  registeredAt: string;
}

/** A consent to share the child's data with sectors (intake's consent register). */
export interface Consent {
  _id: string;
  givenBy: { name: string; relationship: string };
  childAssent?: boolean;
  sharingWith: string[];
  givenOn: string;
  inForce: boolean;
  withdrawal?: { on: string; by: { name: string; relationship: string }; reason: string };
}

export interface Finding {
  id: string;
  code: string;
  domain: string;
  severity: string;
  text: string;
  textVi: string;
}

export interface Screening {
  screeningId: string;
  at: string;
  ageMonths: number;
  findings: Finding[];
  suggestedReferrals: { service: string; sector: string; urgency: string; reason: string; reasonVi: string }[];
}

export interface CaseReferral {
  referralId: string;
  sector: string;
  urgency?: string;
  facilityId: string;
  state: string;
  requestedAt?: string;
  acceptBy?: string;
  completeBy?: string;
  acceptedAt?: string;
  completedAt?: string;
  escalationLevel: number;
  maxEscalationLevel?: number;
  serviceRecordId?: string;
}

export interface Case {
  _id: string;
  childId: string;
  child: { fullName: string; dateOfBirth: string; sex: string; communeCode: string };
  concerns: string[];
  note?: string;
  status: string;
  openedAt: string;
  timeline: { id: string; at: string; kind: string; summary: string }[];
  screenings?: Screening[];
  referrals?: CaseReferral[];
}

export interface Facility {
  _id: string;
  name: string;
  sector: string;
  unitCode: string;
}

/** A facility as intake's directory knows it: what a referral is checked against. */
export interface DirectoryFacility {
  _id: string;
  name: string;
  sectors: string[];
  unitCode: string;
  active: boolean;
}

/** Sectors a commune refers to through the form (protection goes through a protection case). */
const referralSectors = ['health', 'nutrition', 'education', 'welfare', 'civil-registration'] as const;

export type FormValues = Record<string, string | string[] | undefined>;
export interface ServiceRefusal {
  message: string;
  problems?: { field: string; problem: string }[];
}

const value = (values: FormValues, name: string) => {
  const v = values[name];
  return Array.isArray(v) ? (v[0] ?? '') : (v ?? '');
};
const checked = (values: FormValues, name: string) => (values[name] === 'on' ? html` checked` : '');

export const sexLabel = (sex: string, ctx: PageContext) =>
  sex === 'female' ? say(ctx, 'Nữ', 'Female') : say(ctx, 'Nam', 'Male');

/** A service's refusal, with each field problem listed (the service names the field). */
export function refusalNotice(ctx: PageContext, refusal: ServiceRefusal | undefined): SafeHtml | '' {
  if (!refusal) return '';
  return notice(
    'error',
    html`<p><strong>${say(ctx, 'Chưa lưu được', 'Not saved')}:</strong> ${refusal.message}</p>
      ${
        refusal.problems?.length
          ? html`<ul>
              ${refusal.problems.map((p) => html`<li><code>${p.field}</code> ${p.problem}</li>`)}
            </ul>`
          : ''
      }`,
  );
}

export function childSearchView(ctx: PageContext, query: string, children: Child[] | undefined): SafeHtml {
  return html`<form method="get" action="/children" role="search" class="card">
      <label for="q"
        >${say(ctx, 'Tìm trẻ theo tên (không cần dấu)', 'Find a child by name (diacritics optional)')}</label
      >
      <input type="search" id="q" name="q" value="${query}" autocomplete="off" />
      <button type="submit">${say(ctx, 'Tìm', 'Search')}</button>
      <a class="button secondary" href="/children/new">${say(ctx, 'Đăng ký trẻ mới', 'Register a new child')}</a>
    </form>
    ${
      children === undefined
        ? ''
        : children.length === 0
          ? html`<p>${say(ctx, 'Không tìm thấy trẻ nào.', 'No child found.')}</p>`
          : html`<h2>${say(ctx, 'Kết quả', 'Results')} (${children.length})</h2>
              <ul class="items">
                ${children.map(
                  (c) =>
                    html`<li>
                      <a href="/children/${c._id}"><strong>${c.fullName}</strong></a>
                      <span class="muted"
                        >· ${formatDate(c.dateOfBirth)} ·
                        ${sexLabel(c.sex, ctx)}${c.village ? ` · ${c.village}` : ''}</span
                      >
                    </li>`,
                )}
              </ul>`
    }`;
}

export function registerChildView(
  ctx: PageContext,
  values: FormValues,
  outcome?: { duplicates?: { childId: string; fullName: string; dateOfBirth: string }[]; refusal?: ServiceRefusal },
): SafeHtml {
  const duplicates = outcome?.duplicates ?? [];
  return html`${refusalNotice(ctx, outcome?.refusal)}
    ${
      duplicates.length
        ? notice(
            'warning',
            html`<p>
                <strong>${say(ctx, 'Có thể trùng hồ sơ', 'Possible duplicate')}:</strong> ${say(
                  ctx,
                  'Xã đã có trẻ cùng họ tên và ngày sinh. Hãy kiểm tra trước khi đăng ký thêm.',
                  'The commune already has a child with the same name and date of birth. Check before registering another.',
                )}
              </p>
              <ul>
                ${duplicates.map(
                  (d) =>
                    html`<li><a href="/children/${d.childId}">${d.fullName}</a>, ${formatDate(d.dateOfBirth)}</li>`,
                )}
              </ul>`,
          )
        : ''
    }
    <form method="post" action="/children" class="card" novalidate>
      ${csrfField(ctx)}
      <input type="hidden" name="requestKey" value="${randomUUID()}" />
      <label for="fullName">${say(ctx, 'Họ và tên trẻ', 'Child’s full name')}</label>
      <input
        type="text"
        id="fullName"
        name="fullName"
        required
        value="${value(values, 'fullName')}"
        autocomplete="off"
      />
      <label for="dateOfBirth">${say(ctx, 'Ngày sinh', 'Date of birth')}</label>
      <input
        type="date"
        id="dateOfBirth"
        name="dateOfBirth"
        required
        max="${vietnamToday()}"
        value="${value(values, 'dateOfBirth')}"
      />
      <fieldset>
        <legend>${say(ctx, 'Giới tính', 'Sex')}</legend>
        <label class="check"
          ><input
            type="radio"
            name="sex"
            value="female"
            ${value(values, 'sex') === 'female' ? html` checked` : ''}
            required
          />
          ${say(ctx, 'Nữ', 'Female')}</label
        >
        <label class="check"
          ><input type="radio" name="sex" value="male" ${value(values, 'sex') === 'male' ? html` checked` : ''} />
          ${say(ctx, 'Nam', 'Male')}</label
        >
      </fieldset>
      <label for="ethnicityCode">${say(ctx, 'Dân tộc', 'Ethnic group')}</label>
      <select id="ethnicityCode" name="ethnicityCode" required>
        ${ethnicGroups.map(
          (g) =>
            html`<option value="${g.code}" ${value(values, 'ethnicityCode') === g.code ? html` selected` : ''}>
              ${ctx.lang === 'en' ? g.name : g.nameVi}
            </option>`,
        )}
      </select>
      <label for="village">${say(ctx, 'Thôn, bản', 'Village')}</label>
      <input type="text" id="village" name="village" value="${value(values, 'village')}" />
      <fieldset>
        <legend>${say(ctx, 'Người chăm sóc chính', 'Main caregiver')}</legend>
        <label for="caregiverName">${say(ctx, 'Họ và tên', 'Full name')}</label>
        <input type="text" id="caregiverName" name="caregiverName" value="${value(values, 'caregiverName')}" />
        <label for="caregiverRelationship">${say(ctx, 'Quan hệ với trẻ', 'Relationship to the child')}</label>
        <input
          type="text"
          id="caregiverRelationship"
          name="caregiverRelationship"
          value="${value(values, 'caregiverRelationship')}"
        />
        <label for="caregiverPhone">${say(ctx, 'Số điện thoại', 'Phone')}</label>
        <input
          type="tel"
          id="caregiverPhone"
          name="caregiverPhone"
          value="${value(values, 'caregiverPhone')}"
          autocomplete="off"
        />
      </fieldset>
      <label class="check"
        ><input type="checkbox" name="birthRegistered" ${checked(values, 'birthRegistered')} />
        ${say(ctx, 'Đã đăng ký khai sinh', 'Birth registered')}</label
      >
      <label class="check"
        ><input type="checkbox" name="disability" ${checked(values, 'disability')} />
        ${say(ctx, 'Trẻ khuyết tật', 'Child with a disability')}</label
      >
      ${
        duplicates.length
          ? html`<label class="check"
              ><input type="checkbox" name="confirmedNotDuplicate" /> ${say(
                ctx,
                'Tôi đã kiểm tra: đây là một trẻ khác',
                'I have checked: this is a different child',
              )}</label
            >`
          : ''
      }
      <button type="submit">${say(ctx, 'Đăng ký trẻ', 'Register the child')}</button>
    </form>`;
}

const relationshipLabel = (r: string, ctx: PageContext) =>
  r === 'parent'
    ? say(ctx, 'cha/mẹ', 'parent')
    : r === 'guardian'
      ? say(ctx, 'người giám hộ', 'guardian')
      : say(ctx, 'trẻ', 'child');

/** Consents in force and withdrawn, and the form to record one (referrals need it, protection excepted). */
export function consentSection(ctx: PageContext, child: Child, consents: Consent[], requestKey: string): SafeHtml {
  const months = ageInMonths(child.dateOfBirth, vietnamToday());
  return html`<section aria-labelledby="consent">
    <h2 id="consent">${say(ctx, 'Đồng ý chia sẻ thông tin của trẻ', 'Consent to share the child’s data')}</h2>
    <p class="muted">${say(
      ctx,
      'Theo quy định về bảo vệ dữ liệu cá nhân, chuyển tuyến sang y tế, giáo dục… cần cha mẹ hoặc người giám hộ đồng ý (trẻ từ 7 tuổi cũng phải đồng ý). Chuyển tuyến bảo vệ trẻ em không cần.',
      'Under the personal data rules, referrals to health, education… need the consent of a parent or guardian (and of the child from age 7). Protection referrals do not.',
    )}</p>
    ${
      consents.length
        ? html`<ul class="items">
            ${consents.map(
              (c) =>
                html`<li data-consent="${c._id}">
                  <p>
                    <span class="badge${c.inForce ? ' state-COMPLETED' : ' state-DECLINED'}"
                      >${c.inForce ? say(ctx, 'Còn hiệu lực', 'In force') : say(ctx, 'Đã rút lại', 'Withdrawn')}</span
                    >
                    ${c.givenBy.name} (${relationshipLabel(c.givenBy.relationship, ctx)}) · ${formatDate(c.givenOn)}
                  </p>
                  <p>
                    ${say(ctx, 'Chia sẻ với', 'Sharing with')}:
                    ${c.sharingWith.map((x) => sectorLabel(x, ctx.lang)).join(', ')}
                  </p>
                  ${c.withdrawal ? html`<p class="muted">${say(ctx, 'Rút lại ngày', 'Withdrawn on')} ${formatDate(c.withdrawal.on)}: ${c.withdrawal.reason}</p>` : ''}
                  ${
                    c.inForce
                      ? html`<details>
                          <summary>${say(ctx, 'Ghi nhận rút lại đồng ý', 'Record a withdrawal')}</summary>
                          <form method="post" action="/children/${child._id}/consents/${c._id}/withdraw">
                            ${csrfField(ctx)}
                            <label for="wby-${c._id}">${say(ctx, 'Người rút lại', 'Withdrawn by')}</label>
                            <input type="text" id="wby-${c._id}" name="name" required value="${c.givenBy.name}" />
                            <label for="wrel-${c._id}">${say(ctx, 'Quan hệ', 'Relationship')}</label>
                            <select id="wrel-${c._id}" name="relationship">
                              ${['parent', 'guardian', 'child'].map((r) => html`<option value="${r}">${relationshipLabel(r, ctx)}</option>`)}
                            </select>
                            <label for="wreason-${c._id}">${say(ctx, 'Lý do', 'Reason')}</label>
                            <textarea id="wreason-${c._id}" name="reason" rows="2" required minlength="3"></textarea>
                            <button type="submit" class="danger">
                              ${say(ctx, 'Rút lại đồng ý', 'Withdraw the consent')}
                            </button>
                          </form>
                        </details>`
                      : ''
                  }
                </li>`,
            )}
          </ul>`
        : notice(
            'warning',
            say(
              ctx,
              'Chưa có đồng ý chia sẻ: chưa thể chuyển tuyến sang y tế, giáo dục.',
              'No consent yet: referrals to health and education cannot be made.',
            ),
          )
    }
    <details${consents.some((c) => c.inForce) ? '' : html` open`}><summary>${say(ctx, 'Ghi nhận đồng ý', 'Record a consent')}</summary>
      <form method="post" action="/children/${child._id}/consents" id="consent-form">
        ${csrfField(ctx)}
        <input type="hidden" name="requestKey" value="${requestKey}-c">
        <label for="consent-name">${say(ctx, 'Người đồng ý', 'Given by')}</label>
        <input type="text" id="consent-name" name="name" required value="${child.caregivers[0]?.name ?? ''}">
        <label for="consent-relationship">${say(ctx, 'Quan hệ với trẻ', 'Relationship to the child')}</label>
        <select id="consent-relationship" name="relationship"><option value="parent">${relationshipLabel('parent', ctx)}</option><option value="guardian">${relationshipLabel('guardian', ctx)}</option></select>
        <fieldset><legend>${say(ctx, 'Đồng ý chia sẻ với', 'Agrees to share with')}</legend>
          ${referralSectors.map(
            (x) =>
              html`<label class="check"
                ><input
                  type="checkbox"
                  name="sharingWith"
                  value="${x}"
                  ${x === 'health' || x === 'education' ? html` checked` : ''}
                />
                ${sectorLabel(x, ctx.lang)}</label
              >`,
          )}
        </fieldset>
        <label for="consent-date">${say(ctx, 'Ngày đồng ý', 'Given on')}</label>
        <input type="date" id="consent-date" name="givenOn" value="${vietnamToday()}" max="${vietnamToday()}" required>
        ${months >= 84 ? html`<label class="check"><input type="checkbox" name="childAssent" /> ${say(ctx, 'Trẻ cũng đồng ý', 'The child agrees too')}</label>` : ''}
        <button type="submit">${say(ctx, 'Lưu đồng ý', 'Save the consent')}</button>
      </form>
    </details>
  </section>`;
}

export function childView(
  ctx: PageContext,
  child: Child,
  cases: Case[],
  requestKey: string,
  consents: Consent[] = [],
): SafeHtml {
  const group = ethnicGroups.find((g) => g.code === child.ethnicityCode);
  return html`<section aria-labelledby="child-facts">
      <h2 id="child-facts">${say(ctx, 'Thông tin trẻ', 'About the child')}</h2>
      <dl class="facts">
        <dt>${say(ctx, 'Ngày sinh', 'Date of birth')}</dt>
        <dd>
          ${formatDate(child.dateOfBirth)} (${ageInMonths(child.dateOfBirth, vietnamToday())}
          ${say(ctx, 'tháng tuổi', 'months old')})
        </dd>
        <dt>${say(ctx, 'Giới tính', 'Sex')}</dt>
        <dd>${sexLabel(child.sex, ctx)}</dd>
        <dt>${say(ctx, 'Dân tộc', 'Ethnic group')}</dt>
        <dd>${group ? (ctx.lang === 'en' ? group.name : group.nameVi) : child.ethnicityCode}</dd>
        <dt>${say(ctx, 'Thôn, bản', 'Village')}</dt>
        <dd>${child.village ?? '—'}</dd>
        <dt>${say(ctx, 'Người chăm sóc', 'Caregivers')}</dt>
        <dd>${child.caregivers.map((c) => `${c.name} (${c.relationship})`).join(', ') || '—'}</dd>
        <dt>${say(ctx, 'Khai sinh', 'Birth registration')}</dt>
        <dd>
          ${child.birthRegistered ? say(ctx, 'Đã đăng ký', 'Registered') : say(ctx, 'Chưa đăng ký', 'Not registered')}
        </dd>
      </dl>
    </section>
    ${consentSection(ctx, child, consents, requestKey)}
    <section aria-labelledby="child-cases">
      <h2 id="child-cases">${say(ctx, 'Hồ sơ của trẻ', 'The child’s cases')}</h2>
      ${
        cases.length
          ? html`<ul>
              ${cases.map(
                (c) =>
                  html`<li>
                    <a href="/cases/${c._id}"
                      >${say(ctx, 'Hồ sơ mở ngày', 'Case opened')} ${formatInstant(c.openedAt)}</a
                    >
                    · ${stateLabel(c.status, ctx.lang)}
                  </li>`,
              )}
            </ul>`
          : html`<p>${say(ctx, 'Trẻ chưa có hồ sơ.', 'No case yet.')}</p>`
      }
      <form method="post" action="/children/${child._id}/cases">
        ${csrfField(ctx)}
        <input type="hidden" name="requestKey" value="${requestKey}" />
        <fieldset>
          <legend>${say(ctx, 'Mở hồ sơ mới: nhu cầu cần xem xét', 'Open a case: needs to look at')}</legend>
          ${(['health', 'nutrition', 'education', 'protection', 'welfare', 'civil-registration'] as const).map(
            (s) =>
              html`<label class="check"
                ><input type="checkbox" name="concerns" value="${s}" ${s === 'health' ? html` checked` : ''} />
                ${sectorLabel(s, ctx.lang)}</label
              >`,
          )}
        </fieldset>
        <label for="note">${say(ctx, 'Ghi chú', 'Note')}</label>
        <textarea id="note" name="note" rows="2"></textarea>
        <button type="submit">${say(ctx, 'Mở hồ sơ', 'Open the case')}</button>
      </form>
    </section>`;
}

export function caseListView(ctx: PageContext, cases: Case[], total: number): SafeHtml {
  return html`<p>${say(ctx, 'Tổng số hồ sơ', 'Cases in total')}: <strong>${total}</strong></p>
    <div class="table-wrap" role="region" tabindex="0" aria-label="${say(ctx, 'Hồ sơ của xã', 'Cases of the commune')}">
      <table>
        <caption class="visually-hidden">
          ${say(ctx, 'Hồ sơ của xã', 'Cases of the commune')}
        </caption>
        <thead>
          <tr>
            <th scope="col">${say(ctx, 'Trẻ', 'Child')}</th>
            <th scope="col">${say(ctx, 'Ngày sinh', 'Born')}</th>
            <th scope="col">${say(ctx, 'Trạng thái', 'Status')}</th>
            <th scope="col">${say(ctx, 'Ngày mở', 'Opened')}</th>
          </tr>
        </thead>
        <tbody>
          ${cases.map(
            (c) =>
              html`<tr>
                <td><a href="/cases/${c._id}">${c.child.fullName}</a></td>
                <td>${formatDate(c.child.dateOfBirth)}</td>
                <td>${stateLabel(c.status, ctx.lang)}</td>
                <td>${formatInstant(c.openedAt)}</td>
              </tr>`,
          )}
        </tbody>
      </table>
    </div>`;
}

/** A deadline with its live countdown (portal.js keeps it ticking). */
export function deadline(ctx: PageContext, label: string, iso: string | undefined): SafeHtml | '' {
  if (!iso) return '';
  const overdue = Date.parse(iso) < Date.now();
  return html`<p>
    ${label}: <time datetime="${iso}">${formatInstant(iso)}</time> ·
    <span class="countdown${overdue ? ' overdue' : ''}" data-deadline="${iso}">${timeLeft(iso, ctx.lang)}</span>
  </p>`;
}

/**
 * The receiving facility: only those intake's directory says take referrals and serve the child's
 * commune (`offered`), grouped by the sector they serve; with `sector`, that sector's only.
 * portal.js shows the group of the sector chosen above it.
 */
function facilitySelect(ctx: PageContext, id: string, offered: DirectoryFacility[], sector?: string): SafeHtml {
  const groups = sector ? [sector] : [...referralSectors];
  return html`<label for="${id}">${say(ctx, 'Cơ sở nhận chuyển tuyến', 'Receiving facility')}</label>
    <select id="${id}" name="facilityId" required ${sector ? '' : html`data-sector-from="ref-sector"`}>
      ${groups.map(
        (g) =>
          html`<optgroup label="${sectorLabel(g, ctx.lang)}" data-sector="${g}">
            ${offered
              .filter((f) => f.sectors.includes(g))
              .sort(
                (a, b) => (a.unitCode === ctx.staff?.unitCode ? -1 : 0) - (b.unitCode === ctx.staff?.unitCode ? -1 : 0),
              )
              .map((f) => html`<option value="${f._id}">${f.name}</option>`)}
          </optgroup>`,
      )}
    </select>`;
}

function screeningForm(ctx: PageContext, kase: Case): SafeHtml {
  const today = vietnamToday();
  const months = ageInMonths(kase.child.dateOfBirth, today);
  const monthsOf = (age: { months?: number; days?: number }) => (age.months ?? 0) + (age.days ?? 0) / 30;
  const doses = vietnamEpiSchedule.doses.filter((d) => !d.provincial && monthsOf(d.dueAge) <= months);
  const signs = months <= 72 ? milestonesToAsk(months) : [];
  return html`<form method="post" action="/cases/${kase._id}/screenings" id="screening-form">
    ${csrfField(ctx)}
    <input type="hidden" name="requestKey" value="${randomUUID()}" />
    <fieldset>
      <legend>${say(ctx, 'Cân đo', 'Measurements')}</legend>
      <label for="measuredOn">${say(ctx, 'Ngày cân đo', 'Measured on')}</label>
      <input type="date" id="measuredOn" name="measuredOn" value="${today}" max="${today}" />
      <label for="weightKg">${say(ctx, 'Cân nặng (kg)', 'Weight (kg)')}</label>
      <input type="number" id="weightKg" name="weightKg" step="0.1" min="0.5" max="60" inputmode="decimal" />
      <label for="heightCm"
        >${months < 24 ? say(ctx, 'Chiều dài nằm (cm)', 'Length lying down (cm)') : say(ctx, 'Chiều cao đứng (cm)', 'Standing height (cm)')}</label
      >
      <input type="number" id="heightCm" name="heightCm" step="0.1" min="30" max="150" inputmode="decimal" />
      <label class="check"
        ><input type="checkbox" name="oedema" /> ${say(ctx, 'Phù hai chân (ấn lõm)', 'Bilateral pitting oedema')}</label
      >
    </fieldset>
    <fieldset>
      <legend>
        ${say(ctx, 'Tiêm chủng: ngày đã tiêm (để trống nếu chưa tiêm)', 'Vaccinations: date given (leave empty if not given)')}
      </legend>
      ${doses.map(
        (d) =>
          html`<label for="dose-${d.id}"
              >${ctx.lang === 'en' ? d.name : d.nameVi} — ${say(ctx, 'mũi', 'dose')} ${d.dose}</label
            >
            <input type="date" id="dose-${d.id}" name="dose:${d.vaccine}:${d.dose}" max="${today}" />`,
      )}
    </fieldset>
    ${
      signs.length
        ? html`<fieldset>
            <legend>${say(ctx, 'Phát triển: hỏi người chăm sóc', 'Development: ask the caregiver')}</legend>
            ${signs.map(
              (s) =>
                html`<fieldset class="question">
                  <legend>${ctx.lang === 'en' ? s.question : s.questionVi}</legend>
                  <label class="check"
                    ><input type="radio" name="obs:${s.observation}" value="yes" /> ${say(ctx, 'Có', 'Yes')}</label
                  >
                  <label class="check"
                    ><input type="radio" name="obs:${s.observation}" value="no" /> ${say(ctx, 'Không', 'No')}</label
                  >
                </fieldset>`,
            )}
          </fieldset>`
        : ''
    }
    ${
      months >= 36
        ? html`<label class="check"
            ><input type="checkbox" name="enrolledInPreschool" />
            ${say(ctx, 'Trẻ đang đi học mầm non', 'Attends preschool')}</label
          >`
        : ''
    }
    <button type="submit">${say(ctx, 'Lưu kết quả sàng lọc', 'Save the screening')}</button>
  </form>`;
}

function referralTimeline(ctx: PageContext, kase: Case, referralId: string): SafeHtml {
  const entries = kase.timeline.filter((t) => t.summary.includes(referralId)).sort((a, b) => a.at.localeCompare(b.at));
  if (!entries.length) return html``;
  return html`<details>
    <summary>${say(ctx, 'Diễn biến chuyển tuyến', 'Referral timeline')} (${entries.length})</summary>
    <ol class="timeline">
      ${entries.map(
        (t) =>
          html`<li><time datetime="${t.at}">${formatInstant(t.at)}</time> — ${timelineLabel(t.kind, ctx.lang)}</li>`,
      )}
    </ol>
  </details>`;
}

function referralItem(
  ctx: PageContext,
  kase: Case,
  r: CaseReferral,
  facilities: Map<string, DirectoryFacility>,
): SafeHtml {
  const due =
    r.state === 'REQUESTED'
      ? r.acceptBy
      : r.state === 'ACCEPTED' || r.state === 'IN_SERVICE'
        ? r.completeBy
        : undefined;
  const overdue = due && Date.parse(due) < Date.now();
  return html`<li class="${overdue || r.escalationLevel > 0 ? 'overdue' : ''}" data-referral="${r.referralId}">
    <h3>${facilities.get(r.facilityId)?.name ?? r.facilityId}</h3>
    <p>
      ${sectorLabel(r.sector, ctx.lang)}${r.urgency ? ` · ${urgencyLabel(r.urgency, ctx.lang)}` : ''} ·
      <span class="badge state-${r.state}">${stateLabel(r.state, ctx.lang)}</span>
      ${r.escalationLevel > 0 ? html` <span class="badge level">${say(ctx, 'Đã báo cáo vượt cấp, cấp', 'Escalated, level')} ${r.escalationLevel}</span>` : ''}
    </p>
    <p class="muted">
      ${say(ctx, 'Gửi lúc', 'Sent')}
      ${formatInstant(r.requestedAt)}${r.acceptedAt ? html` · ${say(ctx, 'tiếp nhận lúc', 'accepted')} ${formatInstant(r.acceptedAt)}` : ''}${r.completedAt ? html` · ${say(ctx, 'hoàn thành lúc', 'completed')} ${formatInstant(r.completedAt)}` : ''}
    </p>
    ${r.state === 'REQUESTED' ? deadline(ctx, say(ctx, 'Hạn tiếp nhận', 'Accept by'), r.acceptBy) : ''}
    ${r.state === 'ACCEPTED' || r.state === 'IN_SERVICE' ? deadline(ctx, say(ctx, 'Hạn hoàn thành', 'Complete by'), r.completeBy) : ''}
    ${
      r.state === 'COMPLETED'
        ? notice(
            'success',
            html`${say(ctx, 'Đã khép vòng chuyển tuyến: trẻ đã nhận dịch vụ.', 'Loop closed: the child received the service.')}
              ${say(ctx, 'Hồ sơ dịch vụ', 'Service record')}: <code>${r.serviceRecordId ?? '—'}</code>`,
          )
        : ''
    }
    ${referralTimeline(ctx, kase, r.referralId)}
  </li>`;
}

export function caseView(
  ctx: PageContext,
  kase: Case,
  /** Every facility of the directory (names of past referrals), and those offered to this child. */
  directory: { all: DirectoryFacility[]; offered: DirectoryFacility[] },
  requestKey: string,
  options: { refusal?: ServiceRefusal; flash?: string; consents?: Consent[] } = {},
): SafeHtml {
  const facilityList = directory.offered;
  const sharing = new Set((options.consents ?? []).filter((c) => c.inForce).flatMap((c) => c.sharingWith));
  const facilities = new Map(directory.all.map((f) => [f._id, f]));
  const latest = kase.screenings?.at(-1);
  const referrals = kase.referrals ?? [];
  const referable = (sector: string) => sector !== 'protection' && facilityList.some((f) => f.sectors.includes(sector));
  return html`${options.flash ? notice('success', options.flash) : ''}${refusalNotice(ctx, options.refusal)}
  <section aria-labelledby="case-child">
    <h2 id="case-child">${kase.child.fullName}</h2>
    <dl class="facts">
      <dt>${say(ctx, 'Ngày sinh', 'Date of birth')}</dt><dd>${formatDate(kase.child.dateOfBirth)} (${ageInMonths(kase.child.dateOfBirth, vietnamToday())} ${say(ctx, 'tháng tuổi', 'months old')})</dd>
      <dt>${say(ctx, 'Giới tính', 'Sex')}</dt><dd>${sexLabel(kase.child.sex, ctx)}</dd>
      <dt>${say(ctx, 'Trạng thái hồ sơ', 'Case status')}</dt><dd>${stateLabel(kase.status, ctx.lang)}</dd>
      <dt>${say(ctx, 'Nhu cầu', 'Needs')}</dt><dd>${kase.concerns.map((c) => sectorLabel(c, ctx.lang)).join(', ')}</dd>
      <dt>${say(ctx, 'Ngày mở', 'Opened')}</dt><dd>${formatInstant(kase.openedAt)}</dd>
    </dl>
    <p><a href="/children/${kase.childId}">${say(ctx, 'Xem thông tin trẻ', 'See the child’s record')}</a></p>
  </section>

  <section aria-labelledby="screening">
    <h2 id="screening">${say(ctx, 'Sàng lọc', 'Screening')}</h2>
    ${
      latest
        ? html`<p class="muted">
              ${say(ctx, 'Lần sàng lọc gần nhất', 'Latest screening')}: ${formatInstant(latest.at)} ·
              ${latest.ageMonths} ${say(ctx, 'tháng tuổi', 'months old')}
            </p>
            <h3>${say(ctx, 'Kết quả', 'Findings')}</h3>
            ${
              latest.findings.length
                ? html`<ul class="findings">
                    ${latest.findings.map(
                      (f) =>
                        html`<li>
                          <span class="badge">${severityLabel(f.severity, ctx.lang)}</span>
                          ${ctx.lang === 'en' ? f.text : f.textVi}
                        </li>`,
                    )}
                  </ul>`
                : html`<p>${say(ctx, 'Không phát hiện vấn đề.', 'Nothing found.')}</p>`
            }
            <h3>${say(ctx, 'Đề xuất chuyển tuyến', 'Suggested referrals')}</h3>
            ${
              latest.suggestedReferrals.length
                ? html`<ul class="items">
                    ${latest.suggestedReferrals.map(
                      (s, i) =>
                        html`<li>
                          <p>
                            <strong>${sectorLabel(s.sector, ctx.lang)}</strong> · ${urgencyLabel(s.urgency, ctx.lang)}
                          </p>
                          <p>${ctx.lang === 'en' ? s.reason : s.reasonVi}</p>
                          ${
                            referable(s.sector)
                              ? html`<form method="post" action="/cases/${kase._id}/referrals">
                                  ${csrfField(ctx)}
                                  <input type="hidden" name="requestKey" value="${requestKey}-s${i}" />
                                  <input type="hidden" name="sector" value="${s.sector}" />
                                  <input type="hidden" name="urgency" value="${s.urgency}" />
                                  <input
                                    type="hidden"
                                    name="reason"
                                    value="${ctx.lang === 'en' ? s.reason : s.reasonVi}"
                                  />
                                  ${facilitySelect(ctx, `suggested-${i}-facility`, facilityList, s.sector)}
                                  <button type="submit">
                                    ${say(ctx, 'Chuyển tuyến theo đề xuất', 'Refer as suggested')}
                                  </button>
                                </form>`
                              : html`<p class="muted">
                                  ${say(ctx, 'Lĩnh vực này chưa có cơ sở nhận chuyển tuyến trên hệ thống; hãy liên hệ trực tiếp.', 'No facility of this sector receives referrals in the system yet; contact it directly.')}
                                </p>`
                          }
                        </li>`,
                    )}
                  </ul>`
                : html`<p>${say(ctx, 'Không có đề xuất.', 'None.')}</p>`
            }`
        : html`<p>${say(ctx, 'Trẻ chưa được sàng lọc.', 'The child has not been screened yet.')}</p>`
    }
    <details${latest ? '' : html` open`}><summary>${latest ? say(ctx, 'Sàng lọc lại', 'Screen again') : say(ctx, 'Nhập kết quả sàng lọc', 'Enter a screening')}</summary>
      ${screeningForm(ctx, kase)}
    </details>
  </section>

  <section aria-labelledby="referrals">
    <h2 id="referrals">${say(ctx, 'Chuyển tuyến', 'Referrals')}</h2>
    <p>${say(ctx, 'Đồng ý chia sẻ thông tin', 'Consent to share')}: ${
      sharing.size ? [...sharing].map((x) => sectorLabel(x, ctx.lang)).join(', ') : say(ctx, 'chưa có', 'none yet')
    } · <a href="/children/${kase.childId}#consent">${say(ctx, 'ghi nhận đồng ý', 'record a consent')}</a></p>
    ${
      referrals.length
        ? html`<ul class="items">
            ${referrals.map((r) => referralItem(ctx, kase, r, facilities))}
          </ul>`
        : html`<p>${say(ctx, 'Chưa có chuyển tuyến.', 'No referral yet.')}</p>`
    }
    <details><summary>${say(ctx, 'Chuyển tuyến khác', 'Another referral')}</summary>
      <form method="post" action="/cases/${kase._id}/referrals">
        ${csrfField(ctx)}
        <input type="hidden" name="requestKey" value="${requestKey}-m">
        <label for="ref-sector">${say(ctx, 'Lĩnh vực', 'Sector')}</label>
        <select id="ref-sector" name="sector">${referralSectors.map((s) => html`<option value="${s}">${sectorLabel(s, ctx.lang)}</option>`)}</select>
        <label for="ref-urgency">${say(ctx, 'Mức độ', 'Urgency')}</label>
        <select id="ref-urgency" name="urgency">${['routine', 'urgent', 'emergency'].map((u) => html`<option value="${u}">${urgencyLabel(u, ctx.lang)}</option>`)}</select>
        ${facilitySelect(ctx, 'ref-facility', facilityList)}
        <label for="ref-reason">${say(ctx, 'Lý do chuyển tuyến', 'Reason for the referral')}</label>
        <textarea id="ref-reason" name="reason" rows="3" required></textarea>
        <button type="submit">${say(ctx, 'Gửi chuyển tuyến', 'Send the referral')}</button>
      </form>
    </details>
  </section>

  <section aria-labelledby="case-timeline">
    <h2 id="case-timeline">${say(ctx, 'Nhật ký hồ sơ', 'Case timeline')}</h2>
    <ol class="timeline">${[...kase.timeline]
      .sort((a, b) => a.at.localeCompare(b.at))
      .map(
        (t) =>
          html`<li><time datetime="${t.at}">${formatInstant(t.at)}</time> — ${timelineLabel(t.kind, ctx.lang)}</li>`,
      )}</ol>
  </section>`;
}
