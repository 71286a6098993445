import { describe, expect, it } from 'vitest';
import { addDays, completedMonths, dateAtAgeMonths, daysBetween, epochDay } from './dates';

describe('dates', () => {
  it('reject anything that is not a real YYYY-MM-DD date', () => {
    expect(() => epochDay('2026-02-30')).toThrow(RangeError);
    expect(() => epochDay('2026-2-3')).toThrow(RangeError);
    expect(() => epochDay('')).toThrow(RangeError);
    expect(epochDay('1970-01-02')).toBe(1);
  });

  it('count days across months and leap years', () => {
    expect(daysBetween('2024-02-28', '2024-03-01')).toBe(2);
    expect(daysBetween('2025-02-28', '2025-03-01')).toBe(1);
    expect(addDays('2024-12-31', 1)).toBe('2025-01-01');
    expect(addDays('2025-01-01', -1)).toBe('2024-12-31');
  });

  it('count completed months as the intake service does', () => {
    expect(completedMonths('2024-01-15', '2024-02-14')).toBe(0);
    expect(completedMonths('2024-01-15', '2024-02-15')).toBe(1);
    expect(completedMonths('2024-01-31', '2024-02-29')).toBe(0);
    expect(completedMonths('2024-01-31', '2024-03-01')).toBe(1);
    expect(completedMonths('2020-05-10', '2025-05-09')).toBe(59);
    expect(completedMonths('2020-05-10', '2025-05-10')).toBe(60);
  });

  it('give the first date at which an age in months is completed', () => {
    expect(dateAtAgeMonths('2025-01-15', 2)).toBe('2025-03-15');
    expect(dateAtAgeMonths('2024-12-31', 2)).toBe('2025-03-01');
    expect(dateAtAgeMonths('2024-02-29', 12)).toBe('2025-03-01');
    expect(dateAtAgeMonths('2025-05-20', 18)).toBe('2026-11-20');
    for (const [dob, months] of [
      ['2024-12-31', 2],
      ['2024-01-30', 1],
      ['2023-08-31', 18],
    ] as const) {
      const date = dateAtAgeMonths(dob, months);
      expect(completedMonths(dob, date)).toBe(months);
      expect(completedMonths(dob, addDays(date, -1))).toBe(months - 1);
    }
    expect(() => dateAtAgeMonths('2025-01-01', -1)).toThrow(RangeError);
  });
});
