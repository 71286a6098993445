import { condition, proxyActivities, setHandler } from '@temporalio/workflow';
import { WorkingDayCalendar, vietnamHolidayCalendars } from '@ecd/referral-policy';
import type { ReportDeadlineActivities } from '../activities/report-deadline-activities';
import { reportDeadlinePlan } from '../domain/report-deadlines';
import {
  reportDeadlineQuery,
  reportSubmittedSignal,
  type ReportDeadlineStart,
  type ReportDeadlineView,
} from './definitions';

const activities = proxyActivities<ReportDeadlineActivities>({
  startToCloseTimeout: '30 seconds',
  // No attempt limit: a reminder must not be lost because the database was down for a while.
  retry: { initialInterval: '1 second', backoffCoefficient: 2, maximumInterval: '1 minute' },
});

// Holiday data is code shipped with the bundle: the same calendar on every replay.
const calendar = new WorkingDayCalendar(vietnamHolidayCalendars);

/**
 * The deadline of one unit's report for one period: reminders 7 and 2 working days before the
 * due date (a due date on a day off runs to the next working day), and at the due moment, if
 * still not submitted, escalation one level up the administrative ladder. Ends at submission.
 */
export async function ReportDeadlineWorkflow(start: ReportDeadlineStart): Promise<ReportDeadlineView> {
  const plan = reportDeadlinePlan(calendar, start.dueDate);
  const view: ReportDeadlineView = { dueAt: plan.dueAt, submitted: false, remindersSent: [] };
  setHandler(reportSubmittedSignal, () => {
    view.submitted = true;
  });
  setHandler(reportDeadlineQuery, () => view);

  const untilOrSubmitted = (instant: string) =>
    condition(() => view.submitted, Math.max(Date.parse(instant) - Date.now(), 1));

  for (const reminder of plan.reminders) {
    // A period opened late skips reminders whose day has passed.
    if (Date.parse(reminder.at) <= Date.now()) continue;
    if (await untilOrSubmitted(reminder.at)) return view;
    await activities.remindUnit({
      reportId: start.reportId,
      unitCode: start.unitCode,
      workingDaysBefore: reminder.workingDaysBefore,
      dueAt: plan.dueAt,
      at: new Date(Date.now()).toISOString(),
    });
    view.remindersSent.push(reminder.workingDaysBefore);
  }
  if (Date.parse(plan.dueAt) > Date.now() && (await untilOrSubmitted(plan.dueAt))) return view;
  if (view.submitted) return view;
  if (start.escalateToUnitCode) {
    await activities.escalateLateReport({
      reportId: start.reportId,
      unitCode: start.unitCode,
      toUnitCode: start.escalateToUnitCode,
      dueAt: plan.dueAt,
      at: new Date(Date.now()).toISOString(),
    });
    view.escalatedTo = start.escalateToUnitCode;
  }
  // The report is still owed: the workflow stays until it arrives, so the history shows when.
  await condition(() => view.submitted);
  return view;
}
