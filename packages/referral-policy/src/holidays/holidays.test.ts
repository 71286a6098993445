import { describe, expect, it } from 'vitest';
import { findProblems } from '@ecd/contracts';
import { HolidayCalendarDataSchema, WorkingDayCalendar } from '../working-day-calendar';
import { vietnamHolidayCalendars, vn2025, vn2026, vn2027 } from './index';
import { epochDayOfLocalDate, weekdayOfEpochDay } from '../local-time';

const weekday = (date: string) => weekdayOfEpochDay(epochDayOfLocalDate(date));
const calendar = new WorkingDayCalendar(vietnamHolidayCalendars);

describe('Vietnamese holiday data', () => {
  it('validates against the holiday data schema', () => {
    for (const year of vietnamHolidayCalendars) expect(findProblems(HolidayCalendarDataSchema, year)).toEqual([]);
  });

  it('has the 11 statutory days of Labour Code Art. 112 each year, in date order', () => {
    for (const year of vietnamHolidayCalendars) {
      const statutory = year.holidays.filter((h) => h.kind !== 'substitute');
      expect(statutory).toHaveLength(11);
      expect(year.holidays.filter((h) => h.kind === 'tet')).toHaveLength(5);
      const dates = year.holidays.map((h) => h.date);
      expect([...dates].sort()).toEqual(dates);
    }
  });

  it('puts the lunar new year’s day and Hùng Kings’ Day on the right solar dates', () => {
    const on = (data: typeof vn2025, date: string) => data.holidays.find((h) => h.date === date);
    expect(on(vn2025, '2025-01-29')?.kind).toBe('tet');
    expect(on(vn2026, '2026-02-17')?.kind).toBe('tet');
    expect(on(vn2027, '2027-02-06')?.kind).toBe('tet');
    expect(on(vn2025, '2025-04-07')?.nameVi).toMatch(/Hùng Vương/);
    expect(on(vn2026, '2026-04-26')?.nameVi).toMatch(/Hùng Vương/);
    expect(on(vn2027, '2027-04-16')?.nameVi).toMatch(/Hùng Vương/);
  });

  it('places substitute days on weekdays and extra working days on Saturdays', () => {
    const substitutes = vietnamHolidayCalendars.flatMap((y) => y.holidays.filter((h) => h.kind === 'substitute'));
    expect(substitutes.map((h) => h.date)).toEqual([
      '2025-05-02',
      '2026-01-02',
      '2026-04-27',
      '2026-08-31',
      '2027-02-10',
      '2027-02-11',
      '2027-05-03',
    ]);
    for (const h of substitutes) expect([1, 2, 3, 4, 5]).toContain(weekday(h.date));
    const extras = vietnamHolidayCalendars.flatMap((y) => y.extraWorkingDays ?? []);
    expect(extras.map((e) => e.date)).toEqual(['2025-04-26', '2026-01-10', '2026-08-22']);
    for (const e of extras) expect(weekday(e.date)).toBe(6);
  });

  it('gives the breaks the government announced', () => {
    const offDays = (from: string, to: string) => {
      const days: string[] = [];
      for (let d = epochDayOfLocalDate(from); d <= epochDayOfLocalDate(to); d += 1) {
        const date = new Date(d * 86_400_000).toISOString().slice(0, 10);
        if (!calendar.isWorkingDay(date)) days.push(date);
      }
      return days.length;
    };
    // Tết 2025: Sat 25 Jan – Sun 2 Feb; Tết 2026: Sat 14 – Sun 22 Feb; both 9 days.
    expect(offDays('2025-01-24', '2025-02-03')).toBe(9);
    expect(calendar.isWorkingDay('2025-01-24') && calendar.isWorkingDay('2025-02-03')).toBe(true);
    expect(offDays('2026-02-13', '2026-02-23')).toBe(9);
    // 30/4 2025: Wed 30 Apr – Sun 4 May; 2/9 2026: Sat 29 Aug – Wed 2 Sep.
    expect(offDays('2025-04-29', '2025-05-05')).toBe(5);
    expect(offDays('2026-08-28', '2026-09-03')).toBe(5);
    // The press count for 2025: 22 days off over the five breaks (11 statutory + 11 weekend or swapped).
    const breaks2025 = [
      ['2025-01-01', '2025-01-01'],
      ['2025-01-25', '2025-02-02'],
      ['2025-04-05', '2025-04-07'],
      ['2025-04-30', '2025-05-04'],
      ['2025-08-30', '2025-09-02'],
    ] as const;
    expect(breaks2025.reduce((sum, [from, to]) => sum + offDays(from, to), 0)).toBe(22);
    // Tết 2027 (provisional): Fri 5 – Thu 11 Feb.
    expect(offDays('2027-02-04', '2027-02-12')).toBe(7);
  });
});
