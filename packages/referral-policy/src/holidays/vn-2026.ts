import type { HolidayCalendarData } from '../working-day-calendar';

/**
 * Vietnam 2026, for state agencies (cán bộ, công chức, viên chức).
 *
 * - New Year: Thu 1 Jan; Fri 2 Jan swapped into a day off and made up on Sat 10 Jan
 *   (Government Office dispatch 12729/VPCP-KGVX, 25 Dec 2025): break 1–4 Jan.
 * - Tết Bính Ngọ (lunar new year's day = Tue 17 Feb 2026): Ministry of Home Affairs notice
 *   9441/TB-BNV (16 Oct 2025) — five statutory days Mon 16 Feb (29th of the 12th lunar month)
 *   to Fri 20 Feb (4th of the 1st); with the weekends, a 9-day break Sat 14 – Sun 22 Feb.
 * - Hùng Kings' Day, 10th of the 3rd lunar month = Sun 26 Apr 2026. DERIVED: it falls on a
 *   weekly rest day, so Mon 27 Apr is the substitute day (Labour Code Art. 112(3)).
 * - 30/4 (Thu) and 1/5 (Fri): no substitute needed.
 * - National Day: notice 9441/TB-BNV chose the preceding day — Tue 1 Sep and Wed 2 Sep — and
 *   swapped Mon 31 Aug into a day off, made up on Sat 22 Aug: break Sat 29 Aug – Wed 2 Sep.
 *
 * Not included: 24/11 "Vietnam Culture Day" — the Politburo agreed (Resolution 80-NQ/TW) that it
 * should become a paid day off, but it is not in the Labour Code yet. Add it here once enacted.
 */
export const vn2026: HolidayCalendarData = {
  year: 2026,
  source:
    'Labour Code 2019 Art. 112; Ministry of Home Affairs notice 9441/TB-BNV (16 Oct 2025) for Tết and 2/9; ' +
    'Government Office dispatch 12729/VPCP-KGVX (25 Dec 2025) for New Year; Hùng Kings substitute derived by Art. 112(3)',
  holidays: [
    { date: '2026-01-01', name: "New Year's Day", nameVi: 'Tết Dương lịch', kind: 'public' },
    {
      date: '2026-01-02',
      name: 'Day off swapped with Saturday 10 January',
      nameVi: 'Nghỉ hoán đổi (làm bù thứ Bảy 10/1)',
      kind: 'substitute',
    },
    { date: '2026-02-16', name: "Lunar New Year's Eve", nameVi: 'Tết Âm lịch (29 tháng Chạp, giao thừa)', kind: 'tet' },
    { date: '2026-02-17', name: 'Lunar New Year (1st day)', nameVi: 'Tết Âm lịch (mùng 1 tháng Giêng)', kind: 'tet' },
    { date: '2026-02-18', name: 'Lunar New Year (2nd day)', nameVi: 'Tết Âm lịch (mùng 2 tháng Giêng)', kind: 'tet' },
    { date: '2026-02-19', name: 'Lunar New Year (3rd day)', nameVi: 'Tết Âm lịch (mùng 3 tháng Giêng)', kind: 'tet' },
    { date: '2026-02-20', name: 'Lunar New Year (4th day)', nameVi: 'Tết Âm lịch (mùng 4 tháng Giêng)', kind: 'tet' },
    {
      date: '2026-04-26',
      name: "Hùng Kings' Commemoration Day",
      nameVi: 'Giỗ Tổ Hùng Vương (10/3 âm lịch)',
      kind: 'public',
    },
    {
      date: '2026-04-27',
      name: "Substitute day for Hùng Kings' Day (Sunday)",
      nameVi: 'Nghỉ bù Giỗ Tổ Hùng Vương',
      kind: 'substitute',
    },
    { date: '2026-04-30', name: 'Reunification Day', nameVi: 'Ngày Chiến thắng (30/4)', kind: 'public' },
    { date: '2026-05-01', name: 'International Labour Day', nameVi: 'Ngày Quốc tế Lao động (1/5)', kind: 'public' },
    {
      date: '2026-08-31',
      name: 'Day off swapped with Saturday 22 August',
      nameVi: 'Nghỉ hoán đổi (làm bù thứ Bảy 22/8)',
      kind: 'substitute',
    },
    { date: '2026-09-01', name: 'National Day (adjacent day)', nameVi: 'Quốc khánh (ngày liền kề)', kind: 'public' },
    { date: '2026-09-02', name: 'National Day', nameVi: 'Quốc khánh (2/9)', kind: 'public' },
  ],
  extraWorkingDays: [
    { date: '2026-01-10', reason: 'Makes up Friday 2 January 2026, swapped into the New Year break' },
    { date: '2026-08-22', reason: 'Makes up Monday 31 August 2026, swapped into the National Day break' },
  ],
};
