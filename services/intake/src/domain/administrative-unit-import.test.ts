import { describe, expect, it } from 'vitest';
import { escalationLadderOf } from '@ecd/referral-policy';
import { checkUnitImport } from './administrative-unit-import';

const ladder = escalationLadderOf('official');
const csv = (...rows: string[]) => ['code,name,level,parent_code', ...rows].join('\n');

describe('importing administrative units from a CSV', () => {
  it('accepts new and changed units, a parent on an earlier row included, quoted names with commas', () => {
    const check = checkUnitImport(
      csv('00004,Phường Ba Đình,commune,01', '00004-1,"Tổ dân phố 1, Ba Đình",village,00004'),
      ladder,
      '01',
    );
    expect(check.ok).toBe(true);
    if (check.ok) expect(check.next.stepsAbove('00004-1').map((u) => u.code)).toEqual(['00004', '01']);
  });

  it('names the row and the column of every problem, and applies nothing', () => {
    const check = checkUnitImport(
      csv('00004-1,Tổ 1,village,00004', '00004-2,Tổ 2,village,77777', '123,X,commune,01', '00007,,commune,01'),
      ladder,
    );
    expect(check.ok).toBe(false);
    if (check.ok) return;
    expect(check.problems.map((p) => `${p.row}:${p.column}`)).toEqual(['3:parent_code', '4:code', '5:name']);
  });

  it('refuses a wrong header, a level above its parent, and a unit outside the administrator’s area', () => {
    const header = checkUnitImport('code,name,kind\n01,Hà Nội,province', ladder);
    expect(header.ok === false && header.problems.map((p) => p.column)).toEqual(['level', 'parent_code', 'kind']);
    const upside = checkUnitImport(csv('00004-1,Tổ 1,village,00004', '00009,X,commune,00004-1'), ladder);
    expect(upside.ok === false && upside.problems[0]).toMatchObject({ row: 3, column: 'parent_code' });
    const outside = checkUnitImport(csv('26734,Phường Sài Gòn,commune,79'), ladder, '01');
    expect(outside.ok === false && outside.problems).toEqual([
      { row: 2, column: 'code', problem: '26734 lies outside your unit 01' },
    ]);
  });
});
