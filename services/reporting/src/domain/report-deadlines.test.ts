import { describe, expect, it } from 'vitest';
import { WorkingDayCalendar, vietnamHolidayCalendars } from '@ecd/referral-policy';
import { reportDeadlinePlan } from './report-deadlines';
import { dueDateOf, reportingPeriod } from './reporting-periods';

const calendar = new WorkingDayCalendar(vietnamHolidayCalendars);

describe('report deadlines from the working-day calendar', () => {
  it('2026-S1 in Lào Cai: due Friday 15 May 2026; reminders 7 and 2 working days before', () => {
    const plan = reportDeadlinePlan(calendar, dueDateOf(reportingPeriod('2026-S1'), '10'));
    expect(plan.dueOn).toBe('2026-05-15');
    expect(plan.dueAt).toBe('2026-05-15T16:59:59.999Z');
    // 14, 13, 12, 11, 8, 7, 6 May: the 7th working day before is Wednesday 6 May.
    expect(plan.reminders).toEqual([
      { workingDaysBefore: 7, on: '2026-05-06', at: '2026-05-06T01:00:00.000Z' },
      { workingDaysBefore: 2, on: '2026-05-13', at: '2026-05-13T01:00:00.000Z' },
    ]);
  });

  it('2026-Y: 15 November 2026 is a Sunday, so the report is due on Monday 16 November', () => {
    const plan = reportDeadlinePlan(calendar, dueDateOf(reportingPeriod('2026-Y'), '10'));
    expect(plan.dueOn).toBe('2026-11-16');
    expect(plan.dueAt).toBe('2026-11-16T16:59:59.999Z');
  });

  it('2027-S1: 15 May 2027 is a Saturday (due Monday 17 May); counting back skips the 1/5 substitute day', () => {
    const plan = reportDeadlinePlan(calendar, '2027-05-15');
    expect(plan.dueOn).toBe('2027-05-17');
    // 14, 13, 12, 11, 10, 7, 6 May → 6 May; 3 May (substitute for 1/5) is a day off.
    expect(plan.reminders.map((r) => r.on)).toEqual(['2027-05-06', '2027-05-13']);
  });
});
