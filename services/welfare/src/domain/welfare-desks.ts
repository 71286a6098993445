import {
  CivilRegistrationRecordKinds,
  ServiceRecordDetails,
  WelfareRecordKinds,
  type CivilRegistrationRecordKind,
  type WelfareRecordKind,
} from '@ecd/contracts';
import type { Facility } from '@ecd/facility-inbox';

/** Every record kind this service's desks give: social assistance, and births registered. */
export const welfareServiceRecordKinds: readonly (WelfareRecordKind | CivilRegistrationRecordKind)[] = [
  ...WelfareRecordKinds,
  ...CivilRegistrationRecordKinds,
];

/** The facts some of those records must carry (a birth's registration number, an allowance's decision). */
export const welfareRecordDetails = ServiceRecordDetails;

/** Demo communes of Lào Cai with a desk of each kind (the communes of the demo data). */
const demoCommunes = [
  ['02701', 'Bát Xát'],
  ['02704', 'Y Tý'],
  ['02707', 'A Mú Sung'],
] as const;

/**
 * The commune social-welfare desk (the culture and social-affairs office of the commune People's
 * Committee): social assistance under Decree 20/2021/NĐ-CP.
 */
const welfareDesk = ([unitCode, commune]: (typeof demoCommunes)[number]): Facility => ({
  _id: `VHXH-${unitCode}`,
  name: `Phòng Văn hoá - Xã hội xã ${commune} (trợ giúp xã hội)`,
  sector: 'welfare',
  sectors: ['welfare'],
  services: [...WelfareRecordKinds],
  unitCode,
  level: 'commune',
});

/** The commune civil-status (justice) officer, who registers births (Law on Civil Status 2014 Art. 16). */
const civilStatusDesk = ([unitCode, commune]: (typeof demoCommunes)[number]): Facility => ({
  _id: `TP-${unitCode}`,
  name: `Tư pháp - hộ tịch, UBND xã ${commune}`,
  sector: 'welfare',
  sectors: ['civil-registration'],
  services: [...CivilRegistrationRecordKinds],
  unitCode,
  level: 'commune',
});

/**
 * Demo desks of Lào Cai (two-level government); codes follow the health stations' (TYT-02704):
 * VHXH- for the welfare desk, TP- for the civil-status officer. A deployment loads its own.
 */
export const demoWelfareDesks: readonly Facility[] = [
  ...demoCommunes.map(welfareDesk),
  ...demoCommunes.map(civilStatusDesk),
];
