import { describe, expect, it } from 'vitest';
import { MissingHolidayDataError, WorkingDayCalendar } from './working-day-calendar';
import type { HolidayCalendarData } from './working-day-calendar';
import { vietnamHolidayCalendars, vn2026 } from './holidays';

const calendar = new WorkingDayCalendar(vietnamHolidayCalendars);
/** An instant written in Vietnam local time. */
const vn = (local: string): Date => new Date(`${local}+07:00`);
const iso = (date: Date): string => date.toISOString();

describe('WorkingDayCalendar: weekends', () => {
  it('treats Saturday and Sunday as rest days by default', () => {
    expect(calendar.isWorkingDay('2026-03-06')).toBe(true);
    expect(calendar.isWorkingDay('2026-03-07')).toBe(false);
    expect(calendar.isWorkingDay('2026-03-08')).toBe(false);
    expect(calendar.isWorkingDay('2026-03-09')).toBe(true);
  });

  it('ends an N-working-day window at the end of the N-th working day after the day of receipt', () => {
    expect(iso(calendar.addWorkingDays(vn('2026-03-04T10:00:00'), 1))).toBe('2026-03-05T16:59:59.999Z');
    expect(iso(calendar.addWorkingDays(vn('2026-03-04T10:00:00'), 5))).toBe('2026-03-11T16:59:59.999Z');
    expect(iso(calendar.addWorkingDays(vn('2026-03-06T10:00:00'), 1))).toBe('2026-03-09T16:59:59.999Z');
  });

  it('starts counting from the next working day when received on a weekend', () => {
    expect(iso(calendar.addWorkingDays(vn('2026-03-07T09:00:00'), 1))).toBe('2026-03-09T16:59:59.999Z');
    expect(iso(calendar.addWorkingDays(vn('2026-03-08T23:00:00'), 1))).toBe('2026-03-09T16:59:59.999Z');
  });

  it('uses the Vietnam date of the start instant, not its UTC date', () => {
    // 18:00Z on Thursday 5 March is 01:00 on Friday 6 March in Vietnam.
    expect(iso(calendar.addWorkingDays(new Date('2026-03-05T18:00:00.000Z'), 1))).toBe('2026-03-09T16:59:59.999Z');
    expect(iso(calendar.addWorkingDays(new Date('2026-03-05T16:59:59.999Z'), 1))).toBe('2026-03-06T16:59:59.999Z');
  });

  it('honours a configurable weekend', () => {
    const sundayOnly = new WorkingDayCalendar([vn2026], { weekendDays: [0] });
    expect(sundayOnly.isWorkingDay('2026-03-07')).toBe(true);
    expect(iso(sundayOnly.addWorkingDays(vn('2026-03-06T10:00:00'), 1))).toBe('2026-03-07T16:59:59.999Z');
  });
});

describe('WorkingDayCalendar: holidays', () => {
  it('carries a 2-working-day window started the day before the Tết 2026 break past the break', () => {
    // Break: Sat 14 – Sun 22 Feb 2026 (Tết days 16–20 Feb).
    expect(iso(calendar.addWorkingDays(vn('2026-02-13T10:00:00'), 1))).toBe('2026-02-23T16:59:59.999Z');
    expect(iso(calendar.addWorkingDays(vn('2026-02-13T10:00:00'), 2))).toBe('2026-02-24T16:59:59.999Z');
    expect(calendar.holidayOn('2026-02-17')).toMatchObject({ kind: 'tet', name: 'Lunar New Year (1st day)' });
    expect(calendar.nextWorkingDay('2026-02-13')).toBe('2026-02-23');
  });

  it('counts from the next working day when received on a holiday', () => {
    // Lunar New Year's Eve 2026 (a Tết day).
    expect(iso(calendar.addWorkingDays(vn('2026-02-16T09:00:00'), 2))).toBe('2026-02-24T16:59:59.999Z');
    // Hùng Kings' Day 2026 is Sunday 26 April; Monday 27 April is its substitute day.
    expect(calendar.holidayOn('2026-04-27')?.kind).toBe('substitute');
    expect(iso(calendar.addWorkingDays(vn('2026-04-26T08:00:00'), 1))).toBe('2026-04-28T16:59:59.999Z');
    expect(iso(calendar.addWorkingDays(vn('2026-04-27T08:00:00'), 1))).toBe('2026-04-28T16:59:59.999Z');
  });

  it('skips 30/4 and 1/5, and the day swapped into that break in 2025', () => {
    expect(iso(calendar.addWorkingDays(vn('2025-04-29T09:00:00'), 1))).toBe('2025-05-05T16:59:59.999Z');
    expect(iso(calendar.addWorkingDays(vn('2026-04-29T09:00:00'), 2))).toBe('2026-05-05T16:59:59.999Z');
  });

  it('counts a Saturday made a working day', () => {
    expect(calendar.isWorkingDay('2025-04-26')).toBe(true);
    expect(iso(calendar.addWorkingDays(vn('2025-04-25T10:00:00'), 1))).toBe('2025-04-26T16:59:59.999Z');
    expect(iso(calendar.addWorkingDays(vn('2026-08-21T10:00:00'), 1))).toBe('2026-08-22T16:59:59.999Z');
  });

  it('skips National Day and its adjacent day', () => {
    // 2025: Mon 1 + Tue 2 Sep.
    expect(iso(calendar.addWorkingDays(vn('2025-08-29T15:00:00'), 1))).toBe('2025-09-03T16:59:59.999Z');
    // 2026: Tue 1 + Wed 2 Sep, and Mon 31 Aug swapped in.
    expect(iso(calendar.addWorkingDays(vn('2026-08-28T15:00:00'), 1))).toBe('2026-09-03T16:59:59.999Z');
    // 2027 (provisional): Thu 2 + Fri 3 Sep.
    expect(iso(calendar.addWorkingDays(vn('2027-09-01T15:00:00'), 1))).toBe('2027-09-06T16:59:59.999Z');
  });

  it('crosses the year boundary using the next year’s data', () => {
    // 1 Jan 2026 holiday, 2 Jan swapped in, then the weekend.
    expect(iso(calendar.addWorkingDays(vn('2025-12-31T10:00:00'), 2))).toBe('2026-01-06T16:59:59.999Z');
    // 17:30Z on 31 Dec is already 1 Jan in Vietnam.
    expect(iso(calendar.addWorkingDays(new Date('2025-12-31T17:30:00.000Z'), 1))).toBe('2026-01-05T16:59:59.999Z');
    expect(iso(calendar.addWorkingDays(vn('2026-12-31T10:00:00'), 1))).toBe('2027-01-04T16:59:59.999Z');
    // Saturday 10 Jan 2026 makes up the swapped 2 Jan.
    expect(iso(calendar.addWorkingDays(vn('2026-01-09T10:00:00'), 1))).toBe('2026-01-10T16:59:59.999Z');
  });
});

describe('WorkingDayCalendar: hours and differences', () => {
  it('adds calendar hours through holidays and weekends', () => {
    expect(iso(calendar.addHours(vn('2026-02-16T20:00:00'), 12))).toBe('2026-02-17T01:00:00.000Z');
    expect(iso(calendar.addHours(new Date('2026-02-14T00:00:00.000Z'), 48))).toBe('2026-02-16T00:00:00.000Z');
    expect(iso(calendar.addHours(new Date('2026-02-14T00:00:00.000Z'), 1.5))).toBe('2026-02-14T01:30:00.000Z');
  });

  it('counts working days between two instants as addWorkingDays does', () => {
    const start = vn('2026-02-13T10:00:00');
    expect(calendar.workingDaysBetween(start, new Date('2026-02-24T16:59:59.999Z'))).toBe(2);
    expect(calendar.workingDaysBetween(start, vn('2026-02-23T09:00:00'))).toBe(1);
    expect(calendar.workingDaysBetween(start, vn('2026-02-22T23:00:00'))).toBe(0);
    expect(calendar.workingDaysBetween(start, vn('2026-02-13T23:00:00'))).toBe(0);
    expect(calendar.workingDaysBetween(new Date('2026-02-24T16:59:59.999Z'), start)).toBe(-2);
    for (const n of [1, 3, 7, 20, 60]) {
      expect(calendar.workingDaysBetween(start, calendar.addWorkingDays(start, n))).toBe(n);
    }
  });

  it('rejects windows that are not a positive whole number of working days, and negative hours', () => {
    expect(() => calendar.addWorkingDays(vn('2026-03-04T10:00:00'), 0)).toThrow(RangeError);
    expect(() => calendar.addWorkingDays(vn('2026-03-04T10:00:00'), 1.5)).toThrow(RangeError);
    expect(() => calendar.addHours(vn('2026-03-04T10:00:00'), -1)).toThrow(RangeError);
  });
});

describe('WorkingDayCalendar: missing data and bad data', () => {
  it('throws for a date in a year it has no data for', () => {
    expect(() => calendar.isWorkingDay('2024-12-31')).toThrow(MissingHolidayDataError);
    expect(() => calendar.isWorkingDay('2028-01-03')).toThrow(/No holiday data for 2028/);
    expect(() => calendar.addWorkingDays(vn('2027-12-30T10:00:00'), 2)).toThrow(/No holiday data for 2028/);
    const only2026 = new WorkingDayCalendar([vn2026]);
    expect(() => only2026.addWorkingDays(vn('2026-12-31T10:00:00'), 1)).toThrow(MissingHolidayDataError);
    expect(() => only2026.workingDaysBetween(vn('2026-12-30T10:00:00'), vn('2027-01-05T10:00:00'))).toThrow(
      /covers 2026/,
    );
  });

  it('reports its years and which are provisional', () => {
    expect(calendar.years).toEqual([2025, 2026, 2027]);
    expect(calendar.isProvisional(2026)).toBe(false);
    expect(calendar.isProvisional(2027)).toBe(true);
  });

  it('rejects inconsistent data', () => {
    const year = (data: Partial<HolidayCalendarData>): HolidayCalendarData => ({ year: 2026, holidays: [], ...data });
    const holiday = { name: 'x', nameVi: 'x', kind: 'public' as const };
    expect(() => new WorkingDayCalendar([year({}), year({})])).toThrow(/given twice/);
    expect(() => new WorkingDayCalendar([year({ holidays: [{ date: '2027-01-01', ...holiday }] })])).toThrow(
      /not in 2026/,
    );
    expect(() => new WorkingDayCalendar([year({ holidays: [{ date: '2026-02-30', ...holiday }] })])).toThrow(
      /not a calendar date/,
    );
    expect(
      () =>
        new WorkingDayCalendar([
          year({
            holidays: [
              { date: '2026-03-06', ...holiday },
              { date: '2026-03-06', ...holiday },
            ],
          }),
        ]),
    ).toThrow(/listed twice/);
    expect(
      () =>
        new WorkingDayCalendar([
          year({
            extraWorkingDays: [
              { date: '2026-03-07', reason: 'x' },
              { date: '2026-03-07', reason: 'y' },
            ],
          }),
        ]),
    ).toThrow(/listed twice as an extra working day/);
    expect(
      () =>
        new WorkingDayCalendar([
          year({
            holidays: [{ date: '2026-03-07', ...holiday }],
            extraWorkingDays: [{ date: '2026-03-07', reason: 'x' }],
          }),
        ]),
    ).toThrow(/both a holiday and an extra working day/);
    expect(() => new WorkingDayCalendar([year({})], { weekendDays: [0, 1, 2, 3, 4, 5, 6] })).toThrow(
      /at least one working weekday/,
    );
  });
});
