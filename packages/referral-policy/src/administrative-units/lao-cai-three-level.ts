import type { AdministrativeUnit } from '../referral-deadlines';

/**
 * Sample hierarchy of Lào Cai province as it stood until 30 June 2025: province → district →
 * commune → village (three levels of local government, villages below the commune).
 *
 * Names follow real places; the codes are ILLUSTRATIVE, not the official statistics-office list,
 * and village codes are local identifiers (villages have no official code). Load the official
 * list from the reference-data service in production.
 */
export const laoCaiThreeLevelUnits: readonly AdministrativeUnit[] = [
  { code: '10', name: 'Tỉnh Lào Cai', level: 'province' },
  { code: '082', name: 'Huyện Bát Xát', level: 'district', parentCode: '10' },
  { code: '02680', name: 'Thị trấn Bát Xát', level: 'commune', parentCode: '082' },
  { code: '02683', name: 'Xã A Mú Sung', level: 'commune', parentCode: '082' },
  { code: '02686', name: 'Xã Y Tý', level: 'commune', parentCode: '082' },
  { code: '02692', name: 'Xã Trịnh Tường', level: 'commune', parentCode: '082' },
  { code: '02686-01', name: 'Thôn Choản Thèn', level: 'village', parentCode: '02686' },
  { code: '02686-02', name: 'Thôn Lao Chải', level: 'village', parentCode: '02686' },
  { code: '088', name: 'Thị xã Sa Pa', level: 'district', parentCode: '10' },
  { code: '02893', name: 'Phường Sa Pa', level: 'commune', parentCode: '088' },
  { code: '02905', name: 'Xã Tả Van', level: 'commune', parentCode: '088' },
];
