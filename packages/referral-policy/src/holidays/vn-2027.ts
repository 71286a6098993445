import type { HolidayCalendarData } from '../working-day-calendar';

/**
 * Vietnam 2027 — PROVISIONAL: to be confirmed by the annual government notice (usually issued in
 * the last quarter of 2026), which may also swap working days to join breaks to weekends. The
 * dates below apply only Labour Code 2019 Art. 112 and its usual pattern; replace them when the
 * notice is out.
 *
 * - New Year: Fri 1 Jan.
 * - Tết Đinh Mùi (lunar new year's day = Sat 6 Feb 2027). Chosen: the last day of the lunar year
 *   plus the 1st–4th of the 1st lunar month, Fri 5 – Tue 9 Feb — the "one day before, four after"
 *   pattern of the 2026 notice. The 1st and 2nd (Sat 6, Sun 7 Feb) fall on weekly rest days, so
 *   DERIVED substitute days Wed 10 and Thu 11 Feb (Art. 112(3)), as in the 2021 plan when two Tết
 *   days fell on a weekend. Break: Fri 5 – Thu 11 Feb; Fri 12 Feb is a working day unless the
 *   notice swaps it.
 * - Hùng Kings' Day, 10th of the 3rd lunar month = Fri 16 Apr 2027.
 * - 30/4 is a Friday; 1/5 is a Saturday, so DERIVED substitute day Mon 3 May.
 * - National Day: 2/9 is a Thursday. Chosen adjacent day: Fri 3 Sep, which joins the break to the
 *   weekend (2–5 Sep); the notice may choose Wed 1 Sep instead.
 */
export const vn2027: HolidayCalendarData = {
  year: 2027,
  provisional: true,
  source:
    'Labour Code 2019 Art. 112 applied by the project (Tết 5–9 Feb, adjacent National Day 3 Sep, substitutes ' +
    '10–11 Feb and 3 May derived by Art. 112(3)); to be confirmed by the annual government notice',
  holidays: [
    { date: '2027-01-01', name: "New Year's Day", nameVi: 'Tết Dương lịch', kind: 'public' },
    { date: '2027-02-05', name: "Lunar New Year's Eve", nameVi: 'Tết Âm lịch (ngày cuối năm, giao thừa)', kind: 'tet' },
    { date: '2027-02-06', name: 'Lunar New Year (1st day)', nameVi: 'Tết Âm lịch (mùng 1 tháng Giêng)', kind: 'tet' },
    { date: '2027-02-07', name: 'Lunar New Year (2nd day)', nameVi: 'Tết Âm lịch (mùng 2 tháng Giêng)', kind: 'tet' },
    { date: '2027-02-08', name: 'Lunar New Year (3rd day)', nameVi: 'Tết Âm lịch (mùng 3 tháng Giêng)', kind: 'tet' },
    { date: '2027-02-09', name: 'Lunar New Year (4th day)', nameVi: 'Tết Âm lịch (mùng 4 tháng Giêng)', kind: 'tet' },
    {
      date: '2027-02-10',
      name: 'Substitute day for Lunar New Year (1st day, Saturday)',
      nameVi: 'Nghỉ bù Tết Âm lịch (mùng 1 trùng thứ Bảy)',
      kind: 'substitute',
    },
    {
      date: '2027-02-11',
      name: 'Substitute day for Lunar New Year (2nd day, Sunday)',
      nameVi: 'Nghỉ bù Tết Âm lịch (mùng 2 trùng Chủ nhật)',
      kind: 'substitute',
    },
    {
      date: '2027-04-16',
      name: "Hùng Kings' Commemoration Day",
      nameVi: 'Giỗ Tổ Hùng Vương (10/3 âm lịch)',
      kind: 'public',
    },
    { date: '2027-04-30', name: 'Reunification Day', nameVi: 'Ngày Chiến thắng (30/4)', kind: 'public' },
    { date: '2027-05-01', name: 'International Labour Day', nameVi: 'Ngày Quốc tế Lao động (1/5)', kind: 'public' },
    {
      date: '2027-05-03',
      name: 'Substitute day for International Labour Day (Saturday)',
      nameVi: 'Nghỉ bù Ngày Quốc tế Lao động',
      kind: 'substitute',
    },
    { date: '2027-09-02', name: 'National Day', nameVi: 'Quốc khánh (2/9)', kind: 'public' },
    { date: '2027-09-03', name: 'National Day (adjacent day)', nameVi: 'Quốc khánh (ngày liền kề)', kind: 'public' },
  ],
  extraWorkingDays: [],
};
