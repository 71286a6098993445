import type { AdministrativeUnit } from '../referral-deadlines';

/**
 * Sample hierarchy of Lào Cai province under the two-level local government in force since
 * 1 July 2025 (districts abolished; the new province also took in the former Yên Bái province):
 * province → commune/ward → village. Province codes have 2 digits, commune codes 5 digits
 * (Decision 19/2025/QĐ-TTg), never reused.
 *
 * Names follow real places; the codes are ILLUSTRATIVE, not the official list of Decision
 * 19/2025/QĐ-TTg, and village codes are local identifiers.
 */
export const laoCaiTwoLevelUnits: readonly AdministrativeUnit[] = [
  { code: '10', name: 'Tỉnh Lào Cai', level: 'province' },
  { code: '02701', name: 'Xã Bát Xát', level: 'commune', parentCode: '10' },
  { code: '02704', name: 'Xã Y Tý', level: 'commune', parentCode: '10' },
  { code: '02707', name: 'Xã A Mú Sung', level: 'commune', parentCode: '10' },
  { code: '02710', name: 'Xã Trịnh Tường', level: 'commune', parentCode: '10' },
  { code: '02713', name: 'Phường Sa Pa', level: 'commune', parentCode: '10' },
  { code: '02716', name: 'Phường Lào Cai', level: 'commune', parentCode: '10' },
  { code: '02719', name: 'Phường Cam Đường', level: 'commune', parentCode: '10' },
  { code: '02722', name: 'Phường Yên Bái', level: 'commune', parentCode: '10' },
  { code: '02704-01', name: 'Thôn Choản Thèn', level: 'village', parentCode: '02704' },
];
