import { endOfLocalDay, startOfLocalDay, type LocalDate, type WorkingDayCalendar } from '@ecd/referral-policy';

/** Reminders go to the unit this many working days before its report is due. */
export const REMINDER_WORKING_DAYS_BEFORE = [7, 2] as const;

/** Local hour at which a reminder is sent on its day (offices open). */
const REMINDER_LOCAL_HOUR = 8;

export interface ReportDeadlinePlan {
  /** The due date as the province's data gives it. */
  dueDate: LocalDate;
  /** The working day the report is really due: a due date on a day off runs to the next working day (Civil Code Art. 148). */
  dueOn: LocalDate;
  /** End of `dueOn`, Vietnam time: a report not submitted by then is late and escalates. */
  dueAt: string;
  reminders: { workingDaysBefore: number; on: LocalDate; at: string }[];
}

/** The `n`-th working day before `date` (the day itself never counts). */
export function workingDayBefore(calendar: WorkingDayCalendar, date: LocalDate, n: number): LocalDate {
  let day = Date.parse(`${date}T00:00:00Z`);
  let counted = 0;
  while (counted < n) {
    day -= 86_400_000;
    if (calendar.isWorkingDay(new Date(day).toISOString().slice(0, 10))) counted += 1;
  }
  return new Date(day).toISOString().slice(0, 10);
}

/** 08:00 Vietnam time on a local date, as an instant. */
const morningOf = (date: LocalDate) =>
  new Date(startOfLocalDay(date).getTime() + REMINDER_LOCAL_HOUR * 3_600_000).toISOString();

/**
 * When a report is due and when its unit is reminded, from the working-day calendar. Pure and
 * deterministic: the ReportDeadlineWorkflow plans its timers with it.
 */
export function reportDeadlinePlan(calendar: WorkingDayCalendar, dueDate: LocalDate): ReportDeadlinePlan {
  const dueOn = calendar.isWorkingDay(dueDate) ? dueDate : calendar.nextWorkingDay(dueDate);
  const dueAt = endOfLocalDay(dueOn).toISOString();
  return {
    dueDate,
    dueOn,
    dueAt,
    reminders: REMINDER_WORKING_DAYS_BEFORE.map((n) => {
      const on = workingDayBefore(calendar, dueOn, n);
      return { workingDaysBefore: n, on, at: morningOf(on) };
    }),
  };
}

/** Whether an instant falls after the report's due moment. */
export const isLate = (plan: Pick<ReportDeadlinePlan, 'dueAt'>, at: Date) => at.getTime() > Date.parse(plan.dueAt);
