import { describe, expect, it } from 'vitest';
import { EscalationLadder } from '../referral-deadlines';
import { administrativeUnitsOf, escalationLadderOf, officialThreeLevelUnits, officialTwoLevelUnits } from './editions';

const count = (units: readonly { level: string }[], level: string) => units.filter((u) => u.level === level).length;

describe('the official administrative units shipped with the product', () => {
  it('after 1 July 2025: 34 provinces and 3,321 communes (Decision 19/2025/QĐ-TTg)', () => {
    const units = officialTwoLevelUnits();
    expect(count(units, 'province')).toBe(34);
    expect(count(units, 'commune')).toBe(3321);
    expect(count(units, 'district')).toBe(0);
    expect(units).toHaveLength(34 + 3321);
  });

  it('until 30 June 2025: 63 provinces, 696 districts and 10,047 communes', () => {
    const units = officialThreeLevelUnits();
    expect(count(units, 'province')).toBe(63);
    expect(count(units, 'district')).toBe(696);
    expect(count(units, 'commune')).toBe(10047);
    const ladder = new EscalationLadder(units);
    expect(ladder.stepsAbove('00001').map((u) => u.name)).toEqual(['Quận Ba Đình', 'Thành phố Hà Nội']);
  });

  it('has Phường Ba Đình (00004) in Hà Nội (01), one step below its province', () => {
    for (const edition of ['official', 'two-level'] as const) {
      const ladder = escalationLadderOf(edition);
      expect(ladder.unit('00004')).toEqual({
        code: '00004',
        name: 'Phường Ba Đình',
        level: 'commune',
        parentCode: '01',
      });
      expect(ladder.unit('01').name).toBe('Thành phố Hà Nội');
      expect(ladder.stepsAbove('00004').map((u) => u.code)).toEqual(['01']);
    }
  });

  it('the default edition keeps the demo Lào Cai sample (province 10) instead of the official Lào Cai (15)', () => {
    const ladder = escalationLadderOf();
    expect(ladder.unit('02704').name).toBe('Xã Y Tý');
    expect(ladder.unit('02701').name).toBe('Xã Bát Xát');
    expect(ladder.stepsAbove('02704-01').map((u) => u.code)).toEqual(['02704', '10']);
    expect(ladder.has('15')).toBe(false);
    expect(count(administrativeUnitsOf('two-level'), 'province')).toBe(34);
    // Officially 02701 is Y Tý, in Lào Cai 15.
    expect(escalationLadderOf('official').unit('02701')).toMatchObject({ name: 'Xã Y Tý', parentCode: '15' });
  });

  it('the three-level edition keeps the demo three-level sample and the rest of the country', () => {
    const ladder = escalationLadderOf('three-level');
    expect(ladder.stepsAbove('02686').map((u) => u.code)).toEqual(['082', '10']);
    expect(ladder.unit('02686').name).toBe('Xã Y Tý');
    expect(ladder.stepsAbove('00004').map((u) => u.code)).toEqual(['001', '01']);
  });
});

describe('EscalationLadder over the whole country', () => {
  const ladder = escalationLadderOf('official');

  it('answers has, units, isWithin and unitsWithin', () => {
    expect(ladder.has('00004')).toBe(true);
    expect(ladder.has('99999')).toBe(false);
    expect(ladder.units()).toHaveLength(3355);
    expect(ladder.isWithin('00004', '01')).toBe(true);
    expect(ladder.isWithin('00004', '00004')).toBe(true);
    expect(ladder.isWithin('00004', '79')).toBe(false);
    expect(ladder.isWithin('01', '00004')).toBe(false);
    expect(ladder.isWithin('99999', '01')).toBe(false);
    const hanoi = ladder.unitsWithin('01');
    expect(hanoi[0]!.code).toBe('01');
    expect(hanoi.filter((u) => u.level === 'commune').map((u) => u.code)).toContain('00004');
    expect(hanoi.every((u) => ladder.isWithin(u.code, '01'))).toBe(true);
    expect(ladder.unitsWithin('00004').map((u) => u.code)).toEqual(['00004']);
    expect(ladder.unitsWithin('nowhere')).toEqual([]);
  });

  it('stays fast: every commune of the three-level country within its province in well under a second', () => {
    const big = escalationLadderOf('three-level');
    const started = performance.now();
    let within = 0;
    for (const unit of big.units()) if (big.isWithin(unit.code, '01')) within++;
    for (const province of big.units().filter((u) => u.level === 'province')) big.unitsWithin(province.code);
    expect(within).toBeGreaterThan(500);
    expect(performance.now() - started).toBeLessThan(500);
  });

  it('applies changes into a new ladder and refuses a change that breaks the tree', () => {
    const renamed = ladder.withUnits([
      { code: '00004', name: 'Phường Ba Đình (mới)', level: 'commune', parentCode: '01' },
    ]);
    expect(renamed.unit('00004').name).toBe('Phường Ba Đình (mới)');
    expect(ladder.unit('00004').name).toBe('Phường Ba Đình');
    expect(() => ladder.withUnits([{ code: '00004', name: 'x', level: 'commune', parentCode: '77' }])).toThrow(
      /not listed/,
    );
  });
});
