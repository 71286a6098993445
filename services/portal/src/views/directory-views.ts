import { html, type SafeHtml } from './html';
import { sectorLabel } from './labels';
import { csrfField, notice, say, type PageContext } from './layout';
import { refusalNotice, type FormValues, type ServiceRefusal } from './intake-views';

/** The services that own facilities, and the sectors each can take referrals for. */
export const facilityOwners = {
  health: ['health', 'nutrition'],
  education: ['education'],
  welfare: ['welfare', 'civil-registration'],
} as const;
export type FacilityOwner = keyof typeof facilityOwners;

/** A facility as its owning service administers it (GET /facilities on health, education, welfare). */
export interface OwnedFacility {
  _id: string;
  name: string;
  sector: string;
  sectors: string[];
  services?: string[];
  unitCode: string;
  level: string;
  catchmentUnitCodes?: string[];
  hours?: string;
  capacityNotes?: string;
  contact?: { phone?: string; address?: string };
  active: boolean;
  revision: number;
}

const levels: Record<string, [string, string]> = {
  commune: ['Cấp xã', 'Commune level'],
  district: ['Cấp huyện / khu vực', 'District or regional level'],
  province: ['Cấp tỉnh', 'Province level'],
};
const ownerLabels: Record<FacilityOwner, [string, string]> = {
  health: ['Y tế (trạm y tế, trung tâm y tế)', 'Health (stations, health centres)'],
  education: ['Giáo dục (trường mầm non)', 'Education (preschools)'],
  welfare: [
    'Xã hội và hộ tịch (bàn LĐ-TB-XH, công chức tư pháp – hộ tịch)',
    'Welfare and civil status (welfare desks, civil-status officers)',
  ],
};

const value = (values: FormValues, name: string, fallback = ''): string => {
  const v = values[name];
  return (Array.isArray(v) ? v.join(' ') : v) ?? fallback;
};

/** The details every facility form asks for (create and edit). */
function detailFields(ctx: PageContext, prefix: string, values: FormValues): SafeHtml {
  const chosen = new Set(Array.isArray(values.sectors) ? values.sectors : values.sectors ? [values.sectors] : []);
  const level = value(values, 'level', 'commune');
  return html`<label for="${prefix}-name">${say(ctx, 'Tên cơ sở', 'Name')}</label>
    <input type="text" id="${prefix}-name" name="name" required maxlength="200" value="${value(values, 'name')}" />
    <fieldset>
      <legend>${say(ctx, 'Nhận chuyển tuyến lĩnh vực', 'Takes referrals for')}</legend>
      ${['health', 'nutrition', 'education'].map(
        (s) =>
          html`<label class="check"
            ><input type="checkbox" name="sectors" value="${s}" ${chosen.has(s) ? html`checked` : ''} />
            ${sectorLabel(s, ctx.lang)}</label
          >`,
      )}
    </fieldset>
    <label for="${prefix}-level">${say(ctx, 'Cấp', 'Level')}</label>
    <select id="${prefix}-level" name="level">
      ${Object.entries(levels).map(
        ([code, [vi, en]]) =>
          html`<option value="${code}" ${code === level ? html`selected` : ''}>${say(ctx, vi, en)}</option>`,
      )}
    </select>
    <label for="${prefix}-unit">${say(ctx, 'Mã đơn vị hành chính nơi đặt cơ sở', 'Code of the unit it sits in')}</label>
    <input
      type="text"
      id="${prefix}-unit"
      name="unitCode"
      required
      inputmode="numeric"
      pattern="[0-9]{2,5}"
      value="${value(values, 'unitCode', ctx.staff?.unitCode && ctx.staff.unitCode.length === 5 ? ctx.staff.unitCode : '')}"
    />
    <label for="${prefix}-catchment"
      >${say(
        ctx,
        'Địa bàn phục vụ: mã xã, hoặc mã tỉnh để phục vụ mọi xã trong tỉnh (cách nhau bằng dấu phẩy)',
        'Catchment: commune codes, or a province code to serve every commune in it (comma-separated)',
      )}</label
    >
    <input type="text" id="${prefix}-catchment" name="catchment" value="${value(values, 'catchment')}" />
    <label for="${prefix}-hours">${say(ctx, 'Giờ làm việc', 'Opening hours')}</label>
    <input type="text" id="${prefix}-hours" name="hours" maxlength="200" value="${value(values, 'hours')}" />
    <label for="${prefix}-capacity">${say(ctx, 'Khả năng tiếp nhận', 'Capacity notes')}</label>
    <textarea id="${prefix}-capacity" name="capacityNotes" rows="2" maxlength="500">
${value(values, 'capacityNotes')}</textarea>
    <label for="${prefix}-phone">${say(ctx, 'Điện thoại cơ quan', 'Desk phone')}</label>
    <input type="tel" id="${prefix}-phone" name="phone" maxlength="30" value="${value(values, 'phone')}" />
    <label for="${prefix}-address">${say(ctx, 'Địa chỉ', 'Address')}</label>
    <input type="text" id="${prefix}-address" name="address" maxlength="300" value="${value(values, 'address')}" />`;
}

/** A facility's details as the form shows them. */
export function formValuesOf(f: OwnedFacility): FormValues {
  return {
    name: f.name,
    sectors: f.sectors,
    level: f.level,
    unitCode: f.unitCode,
    catchment: (f.catchmentUnitCodes ?? []).join(', '),
    hours: f.hours,
    capacityNotes: f.capacityNotes,
    phone: f.contact?.phone,
    address: f.contact?.address,
  };
}

function facilityItem(ctx: PageContext, owner: FacilityOwner, f: OwnedFacility): SafeHtml {
  const [levelVi, levelEn] = levels[f.level] ?? [f.level, f.level];
  return html`<li data-facility="${f._id}" class="${f.active ? '' : 'inactive'}">
    <h3>${f.name}</h3>
    <p>
      <code>${f._id}</code> · ${f.sectors.map((s) => sectorLabel(s, ctx.lang)).join(', ')} ·
      ${say(ctx, levelVi, levelEn)} ·
      <span class="badge ${f.active ? 'state-COMPLETED' : 'state-DECLINED'}"
        >${f.active ? say(ctx, 'Đang nhận chuyển tuyến', 'Taking referrals') : say(ctx, 'Ngừng nhận', 'Not taking referrals')}</span
      >
    </p>
    <p class="muted">
      ${say(ctx, 'Đặt tại', 'Sited in')} ${f.unitCode} · ${say(ctx, 'phục vụ', 'serves')}
      ${(f.catchmentUnitCodes ?? [f.unitCode]).join(', ')}${f.hours ? html` · ${f.hours}` : ''}${f.contact?.phone ? html` · ${f.contact.phone}` : ''}
    </p>
    ${f.capacityNotes ? html`<p>${f.capacityNotes}</p>` : ''}
    <p>
      <a href="/directory/${owner}/${f._id}"
        >${say(ctx, 'Sửa thông tin', 'Edit details')}<span class="visually-hidden">: ${f.name}</span></a
      >
    </p>
    <form method="post" action="/directory/${owner}/${f._id}/status" class="inline">
      ${csrfField(ctx)}
      <input type="hidden" name="revision" value="${String(f.revision)}" />
      <input type="hidden" name="active" value="${f.active ? 'false' : 'true'}" />
      <button type="submit" class="${f.active ? 'danger' : 'secondary'}">
        ${f.active ? say(ctx, 'Ngừng nhận chuyển tuyến', 'Stop taking referrals') : say(ctx, 'Mở lại', 'Open again')}<span
          class="visually-hidden"
          >: ${f.name}</span
        >
      </button>
    </form>
  </li>`;
}

/** The service directory of the administrator's area, and the form to register a facility. */
export function directoryView(
  ctx: PageContext,
  owned: Record<FacilityOwner, OwnedFacility[]>,
  options: { refusal?: ServiceRefusal; flash?: string; values?: FormValues } = {},
): SafeHtml {
  const values = options.values ?? {};
  const owner = value(values, 'owner', 'health');
  return html`${options.flash ? notice('success', options.flash) : ''}${refusalNotice(ctx, options.refusal)}
    <p>
      ${say(
        ctx,
        'Các cơ sở nhận chuyển tuyến trên địa bàn của bạn. Phiếu chuyển tuyến chỉ đưa ra các cơ sở đang nhận chuyển tuyến, đúng lĩnh vực và phục vụ xã của trẻ.',
        'The facilities that take referrals in your area. Referral forms offer only facilities taking referrals, of the sector chosen, that serve the child’s commune.',
      )}
    </p>
    ${(Object.keys(facilityOwners) as FacilityOwner[]).map(
      (o) =>
        html`<section aria-labelledby="owner-${o}">
          <h2 id="owner-${o}">${say(ctx, ...ownerLabels[o])}</h2>
          ${
            owned[o].length
              ? html`<ul class="items">
                  ${owned[o].map((f) => facilityItem(ctx, o, f))}
                </ul>`
              : html`<p>${say(ctx, 'Chưa có cơ sở nào.', 'None yet.')}</p>`
          }
        </section>`,
    )}
    <section aria-labelledby="new-facility">
      <h2 id="new-facility">${say(ctx, 'Thêm cơ sở', 'Add a facility')}</h2>
      <details ${options.values ? html`open` : ''}>
        <summary>${say(ctx, 'Đăng ký cơ sở mới', 'Register a new facility')}</summary>
        <form method="post" action="/directory" id="new-facility-form">
          ${csrfField(ctx)}
          <label for="new-owner">${say(ctx, 'Ngành quản lý', 'Owning service')}</label>
          <select id="new-owner" name="owner">
            ${(Object.keys(facilityOwners) as FacilityOwner[]).map(
              (o) =>
                html`<option value="${o}" ${o === owner ? html`selected` : ''}>${say(ctx, ...ownerLabels[o])}</option>`,
            )}
          </select>
          <label for="new-code">${say(ctx, 'Mã cơ sở (ví dụ TYT-02704)', 'Facility code (e.g. TYT-02704)')}</label>
          <input
            type="text"
            id="new-code"
            name="facilityId"
            required
            maxlength="64"
            pattern="[A-Za-z0-9_-]+"
            value="${value(values, 'facilityId')}"
          />
          ${detailFields(ctx, 'new', values)}
          <button type="submit">${say(ctx, 'Đăng ký cơ sở', 'Register the facility')}</button>
        </form>
      </details>
    </section>`;
}

/** One facility's details to change, from the revision shown. */
export function editFacilityView(
  ctx: PageContext,
  owner: FacilityOwner,
  facility: OwnedFacility,
  options: { refusal?: ServiceRefusal; values?: FormValues } = {},
): SafeHtml {
  return html`${refusalNotice(ctx, options.refusal)}
    <p><a href="/directory">${say(ctx, 'Về danh bạ dịch vụ', 'Back to the service directory')}</a></p>
    <form method="post" action="/directory/${owner}/${facility._id}" id="edit-facility-form">
      ${csrfField(ctx)}
      <input type="hidden" name="revision" value="${String(facility.revision)}" />
      <p class="muted">
        <code>${facility._id}</code> · ${say(ctx, 'phiên bản', 'revision')} ${String(facility.revision)}
      </p>
      ${detailFields(ctx, 'edit', options.values ?? formValuesOf(facility))}
      <button type="submit">${say(ctx, 'Lưu thay đổi', 'Save the changes')}</button>
    </form>`;
}
