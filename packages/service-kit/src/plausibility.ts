import { HttpProblem } from './errors';

const MINUTE = 60_000;
const DAY = 86_400_000;

/** How far from now an instant may lie for one field, and the domain rule that says so. */
export interface InstantWindow {
  /** At most this many days before now (absent: any past instant is refused). */
  pastDays?: number;
  /** At most this many days after now (absent: only clock skew, five minutes, is allowed). */
  futureDays?: number;
  /** The rule, as the refusal names it (e.g. "Decree 56 clocks count from the receipt"). */
  rule: string;
}

/**
 * Refuses an instant outside what the domain allows (e.g. a report received centuries ago, which
 * would show on the board as hundreds of thousands of days overdue), naming the field and the rule.
 * Dates (YYYY-MM-DD) are read as the start of that day in Vietnam.
 */
export function requirePlausibleInstant(value: string, field: string, window: InstantWindow, now = new Date()): Date {
  const at = new Date(/^\d{4}-\d{2}-\d{2}$/.test(value) ? `${value}T00:00:00+07:00` : value);
  if (Number.isNaN(at.getTime())) {
    throw new HttpProblem(400, `${field} is not a date`, [{ field, problem: 'is not a date' }]);
  }
  const earliest = window.pastDays === undefined ? now.getTime() - 5 * MINUTE : now.getTime() - window.pastDays * DAY;
  const latest = window.futureDays === undefined ? now.getTime() + 5 * MINUTE : now.getTime() + window.futureDays * DAY;
  if (at.getTime() < earliest || at.getTime() > latest) {
    const allowed =
      window.pastDays !== undefined && window.futureDays !== undefined
        ? `between ${window.pastDays} days ago and ${window.futureDays} days ahead`
        : window.pastDays !== undefined
          ? `at most ${window.pastDays} days ago and not in the future`
          : `in the future, at most ${window.futureDays ?? 0} days ahead`;
    const problem = `must be ${allowed} (${window.rule})`;
    throw new HttpProblem(400, `${field} ${problem}`, [{ field, problem }]);
  }
  return at;
}
