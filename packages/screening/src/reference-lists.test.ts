import { describe, expect, it } from 'vitest';
import {
  ethnicGroups,
  findEthnicGroup,
  findSpecialCircumstanceGroup,
  specialCircumstanceGroups,
} from './reference-lists';

describe('special-circumstance groups (Law on Children Art. 10)', () => {
  it('are the 14 groups, coded 01–14 in the order of the law', () => {
    expect(specialCircumstanceGroups).toHaveLength(14);
    specialCircumstanceGroups.forEach((group, i) => {
      expect(group.code).toBe(String(i + 1).padStart(2, '0'));
      expect(group.nameVi.startsWith('Trẻ em')).toBe(true);
      expect(group.name.length).toBeGreaterThan(3);
    });
    expect(new Set(specialCircumstanceGroups.map((g) => g.id)).size).toBe(14);
    expect(findSpecialCircumstanceGroup('04')?.id).toBe('disability');
    expect(findSpecialCircumstanceGroup('trafficked')?.code).toBe('12');
    expect(findSpecialCircumstanceGroup('15')).toBeUndefined();
  });
});

describe('ethnic groups (Decision 1019/QĐ-TCTK)', () => {
  it('are the 54 groups, coded 01–54', () => {
    expect(ethnicGroups).toHaveLength(54);
    ethnicGroups.forEach((group, i) => expect(group.code).toBe(String(i + 1).padStart(2, '0')));
    expect(new Set(ethnicGroups.map((g) => g.nameVi)).size).toBe(54);
  });

  it('follow the official order', () => {
    const names = (codes: string[]) => codes.map((code) => findEthnicGroup(code)?.nameVi);
    expect(names(['01', '02', '03', '04', '05', '06', '07', '08', '09', '10'])).toEqual([
      'Kinh',
      'Tày',
      'Thái',
      'Mường',
      'Khmer',
      'Hoa',
      'Nùng',
      "H'Mông",
      'Dao',
      'Gia Rai',
    ]);
    expect(names(['11', '12', '13', '14', '20', '54'])).toEqual(['Ê Đê', 'Ba Na', 'Sán Chay', 'Chăm', 'Mnông', 'Ơ Đu']);
    expect(findEthnicGroup('55')).toBeUndefined();
  });
});
