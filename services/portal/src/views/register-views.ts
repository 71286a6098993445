import { specialCircumstanceGroups } from '@ecd/screening';
import { formatDate, vietnamToday } from './format';
import { html, type SafeHtml } from './html';
import { csrfField, notice, say, type PageContext } from './layout';
import { refusalNotice, sexLabel, type Child, type FormValues, type ServiceRefusal } from './intake-views';
import { CareStatusCodes, careStatusLabel, groupLabel, unitLabel } from './protection-labels';

/** An entry of the special-circumstances register (protection service). */
export interface RegisterEntry {
  _id: string;
  childId?: string;
  birthYear: number;
  sex: string;
  child: { fullName: string; dateOfBirth: string; village?: string };
  groups: { code: string; subGroup?: string }[];
  care: { status: string; since: string };
  careDetails?: { provider?: string; measures?: string };
  updatedAt: string;
}

export interface SubGroup {
  code: string;
  name: string;
  nameVi: string;
}

export interface RegisterSummary {
  unitCode: string;
  children: number;
  receivingCare: number;
  caredForShare: number | null;
  groups: { code: string; children: number; receivingCare: number }[];
  communes?: { unitCode: string; children: number; receivingCare: number; caredForShare: number | null }[];
}

const percent = (share: number | null) => (share === null ? '—' : `${Math.round(share * 1000) / 10}%`);
const v = (values: FormValues, name: string) => {
  const x = values[name];
  return Array.isArray(x) ? (x[0] ?? '') : (x ?? '');
};

function careForm(ctx: PageContext, e: RegisterEntry): SafeHtml {
  return html`<details>
    <summary>${say(ctx, 'Ghi nhận chăm sóc', 'Record care')}</summary>
    <form method="post" action="/special-circumstances/${e._id}/care" class="card">
      ${csrfField(ctx)}
      <fieldset>
        <legend>${say(ctx, 'Tình trạng chăm sóc', 'Care status')}</legend>
        ${CareStatusCodes.map(
          (s) =>
            html`<label class="check"
              ><input type="radio" name="status" value="${s}" required ${e.care.status === s ? html` checked` : ''} />
              ${careStatusLabel(s, ctx.lang)}</label
            >`,
        )}
      </fieldset>
      <label for="since-${e._id}">${say(ctx, 'Từ ngày', 'Since')}</label>
      <input type="date" id="since-${e._id}" name="since" required value="${vietnamToday()}" />
      <label for="provider-${e._id}">${say(ctx, 'Cơ quan, người chăm sóc', 'Provided by')}</label>
      <input
        type="text"
        id="provider-${e._id}"
        name="provider"
        maxlength="200"
        value="${e.careDetails?.provider ?? ''}"
      />
      <label for="measures-${e._id}">${say(ctx, 'Hình thức chăm sóc, hỗ trợ', 'Care and support given')}</label>
      <textarea id="measures-${e._id}" name="measures" rows="2" maxlength="2000">
${e.careDetails?.measures ?? ''}</textarea>
      <button type="submit">${say(ctx, 'Lưu', 'Save')}</button>
    </form>
  </details>`;
}

export function registerListView(
  ctx: PageContext,
  entries: RegisterEntry[],
  filter: { group?: string; status?: string },
  flash?: string,
  refusal?: ServiceRefusal,
): SafeHtml {
  const officer = ctx.staff?.role === 'protection-officer';
  return html`${flash ? notice('success', flash) : ''}${refusalNotice(ctx, refusal)}
    <p>
      ${officer ? html`<a class="button" href="/special-circumstances/new">${say(ctx, 'Thêm trẻ vào sổ', 'Add a child')}</a> ` : ''}
      <a href="/special-circumstances/summary">${say(ctx, 'Tổng hợp theo nhóm', 'Summary per group')}</a>
    </p>
    <form
      method="get"
      action="/special-circumstances"
      class="filters"
      aria-label="${say(ctx, 'Lọc sổ', 'Filter the register')}"
    >
      <div class="filter">
        <label for="filter-group">${say(ctx, 'Nhóm', 'Group')}</label>
        <select id="filter-group" name="group">
          <option value="">${say(ctx, 'Tất cả', 'All')}</option>
          ${specialCircumstanceGroups.map(
            (g) =>
              html`<option value="${g.code}" ${filter.group === g.code ? html` selected` : ''}>
                ${g.code}. ${groupLabel(g.code, ctx.lang)}
              </option>`,
          )}
        </select>
      </div>
      <div class="filter">
        <label for="filter-status">${say(ctx, 'Chăm sóc', 'Care')}</label>
        <select id="filter-status" name="status">
          <option value="">${say(ctx, 'Tất cả', 'All')}</option>
          ${CareStatusCodes.map(
            (s) =>
              html`<option value="${s}" ${filter.status === s ? html` selected` : ''}>
                ${careStatusLabel(s, ctx.lang)}
              </option>`,
          )}
        </select>
      </div>
      <button type="submit" class="secondary">${say(ctx, 'Lọc', 'Filter')}</button>
    </form>
    <p data-register-count>${entries.length} ${say(ctx, 'trẻ', 'children')}</p>
    ${
      entries.length
        ? html`<ul class="items" data-register>
            ${entries.map(
              (e) =>
                html`<li data-register-entry="${e._id}">
                  <h2 class="item-title">${e.child.fullName}</h2>
                  <p>
                    ${formatDate(e.child.dateOfBirth)} ·
                    ${sexLabel(e.sex, ctx)}${e.child.village ? html` · ${e.child.village}` : ''}
                  </p>
                  <ul>
                    ${e.groups.map((g) => html`<li>${g.code}. ${groupLabel(g.code, ctx.lang)}${g.subGroup ? html` (${g.subGroup})` : ''}</li>`)}
                  </ul>
                  <p>
                    <span
                      class="badge ${e.care.status === 'receiving-care' ? 'state-COMPLETED' : 'state-DECLINED'}"
                      data-care
                      >${careStatusLabel(e.care.status, ctx.lang)}</span
                    >
                    ${say(ctx, 'từ', 'since')}
                    ${formatDate(e.care.since)}${e.careDetails?.provider ? html` · ${e.careDetails.provider}` : ''}
                  </p>
                  ${officer ? careForm(ctx, e) : ''}
                </li>`,
            )}
          </ul>`
        : html`<p>${say(ctx, 'Không có trẻ nào.', 'No child.')}</p>`
    }`;
}

export function addToRegisterView(
  ctx: PageContext,
  options: {
    query: string;
    found?: Child[];
    chosen?: Child;
    subGroups: SubGroup[];
    values?: FormValues;
    refusal?: ServiceRefusal;
  },
): SafeHtml {
  const values = options.values ?? {};
  const chosen = options.chosen;
  const checkedGroups = new Set(Array.isArray(values.groups) ? values.groups : values.groups ? [values.groups] : []);
  return html`${refusalNotice(ctx, options.refusal)}
    <form method="get" action="/special-circumstances/new" class="card" role="search">
      <label for="q"
        >${say(ctx, 'Tìm trẻ trong sổ của xã (bộ phận tiếp nhận)', "Find the child in the commune's register (intake)")}</label
      >
      <input type="search" id="q" name="q" maxlength="120" value="${options.query}" />
      <button type="submit" class="secondary">${say(ctx, 'Tìm', 'Search')}</button>
    </form>
    ${
      options.found
        ? options.found.length
          ? html`<ul class="items" data-found>
              ${options.found.map(
                (c) =>
                  html`<li>
                    ${c.fullName} · ${formatDate(c.dateOfBirth)} ·
                    <a href="/special-circumstances/new?childId=${c._id}"
                      >${say(ctx, 'Chọn trẻ này', 'Choose this child')}</a
                    >
                  </li>`,
              )}
            </ul>`
          : html`<p>
              ${say(ctx, 'Không tìm thấy; nhập thông tin trẻ bên dưới.', 'Not found; enter the child below.')}
            </p>`
        : ''
    }
    <form method="post" action="/special-circumstances" id="register-form">
      ${csrfField(ctx)} ${chosen ? html`<input type="hidden" name="childId" value="${chosen._id}" />` : ''}
      <fieldset>
        <legend>
          ${say(ctx, 'Trẻ em', 'The child')}${chosen ? say(ctx, ' (từ sổ của xã)', " (from the commune's register)") : ''}
        </legend>
        <label for="fullName">${say(ctx, 'Họ và tên', 'Full name')}</label>
        <input
          type="text"
          id="fullName"
          name="fullName"
          required
          maxlength="120"
          value="${chosen?.fullName ?? v(values, 'fullName')}"
        />
        <label for="dateOfBirth">${say(ctx, 'Ngày sinh', 'Date of birth')}</label>
        <input
          type="date"
          id="dateOfBirth"
          name="dateOfBirth"
          required
          value="${chosen?.dateOfBirth ?? v(values, 'dateOfBirth')}"
        />
        <fieldset>
          <legend>${say(ctx, 'Giới tính', 'Sex')}</legend>
          ${(['female', 'male'] as const).map(
            (s) =>
              html`<label class="check"
                ><input
                  type="radio"
                  name="sex"
                  value="${s}"
                  required
                  ${(chosen?.sex ?? v(values, 'sex')) === s ? html` checked` : ''}
                />
                ${sexLabel(s, ctx)}</label
              >`,
          )}
        </fieldset>
        <label for="village">${say(ctx, 'Thôn, bản', 'Village')}</label>
        <input
          type="text"
          id="village"
          name="village"
          maxlength="120"
          value="${chosen?.village ?? v(values, 'village')}"
        />
      </fieldset>
      <fieldset>
        <legend>
          ${say(ctx, 'Nhóm hoàn cảnh đặc biệt (Luật Trẻ em Điều 10)', 'Special-circumstance groups (Law on Children Art. 10)')}
        </legend>
        ${specialCircumstanceGroups.map((g) => {
          const subs = options.subGroups.filter((s) => s.code.startsWith(`${g.code}.`));
          return html`<div class="group">
            <label class="check"
              ><input
                type="checkbox"
                name="groups"
                value="${g.code}"
                ${checkedGroups.has(g.code) ? html` checked` : ''}
              />
              ${g.code}. ${groupLabel(g.code, ctx.lang)}</label
            >
            ${
              subs.length
                ? html`<label for="sub-${g.code}" class="sub">${say(ctx, 'Nhóm nhỏ', 'Sub-group')}</label>
                    <select id="sub-${g.code}" name="sub-${g.code}">
                      <option value="">—</option>
                      ${subs.map((s) => html`<option value="${s.code}">${s.code} ${ctx.lang === 'en' ? s.name : s.nameVi}</option>`)}
                    </select>`
                : ''
            }
          </div>`;
        })}
      </fieldset>
      <fieldset>
        <legend>${say(ctx, 'Chăm sóc, hỗ trợ', 'Care and support')}</legend>
        ${CareStatusCodes.map(
          (s) =>
            html`<label class="check"
              ><input
                type="radio"
                name="status"
                value="${s}"
                required
                ${v(values, 'status') === s ? html` checked` : ''}
              />
              ${careStatusLabel(s, ctx.lang)}</label
            >`,
        )}
        <label for="since">${say(ctx, 'Từ ngày', 'Since')}</label>
        <input type="date" id="since" name="since" required value="${v(values, 'since') || vietnamToday()}" />
        <label for="provider">${say(ctx, 'Cơ quan, người chăm sóc', 'Provided by')}</label>
        <input type="text" id="provider" name="provider" maxlength="200" value="${v(values, 'provider')}" />
        <label for="measures">${say(ctx, 'Hình thức chăm sóc, hỗ trợ', 'Care and support given')}</label>
        <textarea id="measures" name="measures" rows="2" maxlength="2000">${v(values, 'measures')}</textarea>
      </fieldset>
      <button type="submit">${say(ctx, 'Thêm vào sổ', 'Add to the register')}</button>
    </form>`;
}

export function registerSummaryView(ctx: PageContext, s: RegisterSummary): SafeHtml {
  return html`<div class="figures">
      <div class="card">
        <p class="stat" data-cared-share>${percent(s.caredForShare)}</p>
        <p>
          ${say(ctx, 'trẻ có hoàn cảnh đặc biệt được chăm sóc, hỗ trợ', 'of children in special circumstances are cared for')}
          (${s.receivingCare} / ${s.children}) · ${unitLabel(s.unitCode)}
        </p>
      </div>
    </div>
    <h2>${say(ctx, 'Theo nhóm', 'Per group')}</h2>
    <div class="table-wrap">
      <table data-summary-groups>
        <thead>
          <tr>
            <th scope="col">${say(ctx, 'Nhóm', 'Group')}</th>
            <th scope="col">${say(ctx, 'Số trẻ', 'Children')}</th>
            <th scope="col">${say(ctx, 'Được chăm sóc', 'Cared for')}</th>
            <th scope="col">${say(ctx, 'Tỷ lệ', 'Share')}</th>
          </tr>
        </thead>
        <tbody>
          ${s.groups.map(
            (g) =>
              html`<tr data-group="${g.code}">
                <th scope="row">${g.code}. ${groupLabel(g.code, ctx.lang)}</th>
                <td>${g.children}</td>
                <td>${g.receivingCare}</td>
                <td>${percent(g.children ? g.receivingCare / g.children : null)}</td>
              </tr>`,
          )}
        </tbody>
      </table>
    </div>
    ${
      s.communes
        ? html`<h2>${say(ctx, 'Theo xã', 'Per commune')}</h2>
            <div class="table-wrap">
              <table data-summary-communes>
                <thead>
                  <tr>
                    <th scope="col">${say(ctx, 'Xã', 'Commune')}</th>
                    <th scope="col">${say(ctx, 'Số trẻ', 'Children')}</th>
                    <th scope="col">${say(ctx, 'Được chăm sóc', 'Cared for')}</th>
                    <th scope="col">${say(ctx, 'Tỷ lệ', 'Share')}</th>
                  </tr>
                </thead>
                <tbody>
                  ${s.communes.map(
                    (c) =>
                      html`<tr data-commune="${c.unitCode}">
                        <th scope="row">${unitLabel(c.unitCode)}</th>
                        <td>${c.children}</td>
                        <td>${c.receivingCare}</td>
                        <td>${percent(c.caredForShare)}</td>
                      </tr>`,
                  )}
                </tbody>
              </table>
            </div>`
        : ''
    }`;
}
