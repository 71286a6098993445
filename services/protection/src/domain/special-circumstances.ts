import { specialCircumstanceGroups } from '@ecd/screening';

export interface SpecialCircumstanceSubGroup {
  /** `<group code>.<letter>`, e.g. `03.a`. */
  code: string;
  name: string;
  nameVi: string;
}

/**
 * Sub-groups Decree 56/2017/NĐ-CP Chapter II distinguishes within some of the 14 groups of Law on
 * Children Art. 10, for the support each needs. Data, not code: the list below follows the
 * decree's structure as summarised in DOMAIN.md and is to be checked against the decree's text
 * before it is used for official statistics; groups without sub-groups are recorded by group only.
 */
export const specialCircumstanceSubGroups: readonly SpecialCircumstanceSubGroup[] = [
  {
    code: '03.a',
    name: 'One parent dead, the other missing, imprisoned, or in a social-protection or rehabilitation facility',
    nameVi:
      'Mồ côi cha hoặc mẹ, người còn lại mất tích, đang chấp hành án phạt tù hoặc ở cơ sở trợ giúp xã hội, cai nghiện',
  },
  {
    code: '03.b',
    name: 'Both parents missing, imprisoned, or in a social-protection or rehabilitation facility',
    nameVi: 'Cả cha và mẹ mất tích, đang chấp hành án phạt tù hoặc ở cơ sở trợ giúp xã hội, cai nghiện',
  },
  { code: '04.a', name: 'Especially severe disability', nameVi: 'Khuyết tật đặc biệt nặng' },
  { code: '04.b', name: 'Severe disability', nameVi: 'Khuyết tật nặng' },
  { code: '04.c', name: 'Mild disability', nameVi: 'Khuyết tật nhẹ' },
  { code: '10.a', name: 'Labour exploitation', nameVi: 'Bị bóc lột sức lao động' },
  { code: '10.b', name: 'Sexual exploitation', nameVi: 'Bị bóc lột tình dục' },
  { code: '14.a', name: 'Migrant child', nameVi: 'Trẻ em di cư' },
  { code: '14.b', name: 'Displaced or refugee child', nameVi: 'Trẻ em lánh nạn, tị nạn' },
];

export const specialCircumstanceGroupCodes = specialCircumstanceGroups.map((g) => g.code);

/** Problems with a group/sub-group pair; empty when the sub-group belongs to the group. */
export function checkGroup(code: string, subGroup: string | undefined, field: string) {
  if (!specialCircumstanceGroupCodes.includes(code)) {
    return [{ field: `${field}.code`, problem: 'is not one of the 14 groups of Law on Children Art. 10 (01–14)' }];
  }
  if (
    subGroup !== undefined &&
    !specialCircumstanceSubGroups.some((s) => s.code === subGroup && s.code.startsWith(`${code}.`))
  ) {
    return [{ field: `${field}.subGroup`, problem: `is not a sub-group of group ${code}` }];
  }
  return [];
}
