import type { HolidayCalendarData } from '../working-day-calendar';

/**
 * Vietnam 2025, for state agencies (cán bộ, công chức, viên chức) — the calendar commune offices,
 * health stations and public preschools work to. Labour Code 2019 Art. 112 gives 11 statutory days.
 *
 * - Tết Ất Tỵ (lunar new year's day = Wed 29 Jan 2025): the plan approved by the Prime Minister
 *   (announced by the Government Office on 26 Nov 2024, proposed by the then labour ministry)
 *   gives a 9-day break Sat 25 Jan – Sun 2 Feb (26th of the 12th lunar month to the 5th of the
 *   1st). Its five statutory Tết days are Mon 27 – Fri 31 Jan, with the two weekends around them.
 *   Some summaries list the five days as 28 Jan – 1 Feb instead; that reading puts a statutory day
 *   on Saturday 1 Feb and would need a substitute day, while the break actually taken was
 *   25 Jan – 2 Feb. Both give the same days off; the data below records the approved plan.
 * - Hùng Kings' Day, 10th of the 3rd lunar month = Mon 7 Apr 2025.
 * - 30/4 (Wed) and 1/5 (Thu): the government swapped Fri 2 May (day off) with Sat 26 Apr
 *   (working day), giving a 5-day break 30 Apr – 4 May.
 * - National Day: Mon 1 Sep (the adjacent day chosen for 2025) and Tue 2 Sep.
 *
 * Derived substitute days (Art. 112(3)): none — no 2025 statutory day falls on a weekend.
 */
export const vn2025: HolidayCalendarData = {
  year: 2025,
  source:
    'Labour Code 2019 Art. 112; Tết plan approved by the Prime Minister (Government Office, 26 Nov 2024); ' +
    '30/4–1/5 swap of 2 May with Saturday 26 Apr for state agencies',
  holidays: [
    { date: '2025-01-01', name: "New Year's Day", nameVi: 'Tết Dương lịch', kind: 'public' },
    {
      date: '2025-01-27',
      name: 'Lunar New Year (28th of the 12th lunar month)',
      nameVi: 'Tết Âm lịch (28 tháng Chạp)',
      kind: 'tet',
    },
    { date: '2025-01-28', name: "Lunar New Year's Eve", nameVi: 'Tết Âm lịch (29 tháng Chạp, giao thừa)', kind: 'tet' },
    { date: '2025-01-29', name: 'Lunar New Year (1st day)', nameVi: 'Tết Âm lịch (mùng 1 tháng Giêng)', kind: 'tet' },
    { date: '2025-01-30', name: 'Lunar New Year (2nd day)', nameVi: 'Tết Âm lịch (mùng 2 tháng Giêng)', kind: 'tet' },
    { date: '2025-01-31', name: 'Lunar New Year (3rd day)', nameVi: 'Tết Âm lịch (mùng 3 tháng Giêng)', kind: 'tet' },
    {
      date: '2025-04-07',
      name: "Hùng Kings' Commemoration Day",
      nameVi: 'Giỗ Tổ Hùng Vương (10/3 âm lịch)',
      kind: 'public',
    },
    { date: '2025-04-30', name: 'Reunification Day', nameVi: 'Ngày Chiến thắng (30/4)', kind: 'public' },
    { date: '2025-05-01', name: 'International Labour Day', nameVi: 'Ngày Quốc tế Lao động (1/5)', kind: 'public' },
    {
      date: '2025-05-02',
      name: 'Day off swapped with Saturday 26 April',
      nameVi: 'Nghỉ hoán đổi (làm bù thứ Bảy 26/4)',
      kind: 'substitute',
    },
    { date: '2025-09-01', name: 'National Day (adjacent day)', nameVi: 'Quốc khánh (ngày liền kề)', kind: 'public' },
    { date: '2025-09-02', name: 'National Day', nameVi: 'Quốc khánh (2/9)', kind: 'public' },
  ],
  extraWorkingDays: [{ date: '2025-04-26', reason: 'Makes up Friday 2 May 2025, swapped into the 30/4–1/5 break' }],
};
