import { describe, expect, it } from 'vitest';
import { endOfLocalDay, epochDayOfLocalDate, startOfLocalDay, toLocalDate, weekdayOfEpochDay } from './local-time';

describe('Vietnam local time (UTC+7, no DST)', () => {
  it('puts an instant on its Vietnam date, not its UTC date', () => {
    expect(toLocalDate(new Date('2026-03-05T16:59:59.999Z'))).toBe('2026-03-05');
    expect(toLocalDate(new Date('2026-03-05T17:00:00.000Z'))).toBe('2026-03-06');
    expect(toLocalDate(new Date('2025-12-31T17:30:00.000Z'))).toBe('2026-01-01');
  });

  it('gives the first and last instant of a local day', () => {
    expect(startOfLocalDay('2026-02-17').toISOString()).toBe('2026-02-16T17:00:00.000Z');
    expect(endOfLocalDay('2026-02-17').toISOString()).toBe('2026-02-17T16:59:59.999Z');
  });

  it('rejects strings that are not calendar dates', () => {
    expect(() => epochDayOfLocalDate('2026-02-30')).toThrow(/not a calendar date/);
    expect(() => epochDayOfLocalDate('17/02/2026')).toThrow(/YYYY-MM-DD/);
    expect(() => toLocalDate(new Date('not a date'))).toThrow(/not a valid instant/);
  });

  it('knows the weekday', () => {
    expect(weekdayOfEpochDay(epochDayOfLocalDate('2026-02-17'))).toBe(2); // Tuesday
    expect(weekdayOfEpochDay(epochDayOfLocalDate('2027-02-06'))).toBe(6); // Saturday
  });
});
