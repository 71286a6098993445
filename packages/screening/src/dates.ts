/**
 * Calendar-date arithmetic for screening. Dates are Vietnam-local calendar dates, `YYYY-MM-DD`;
 * there is no clock here: "today" is always a parameter.
 */

/** A calendar date, `YYYY-MM-DD`. */
export type LocalDate = string;

const MS_PER_DAY = 86_400_000;
const LOCAL_DATE_PATTERN = /^(\d{4})-(\d{2})-(\d{2})$/;

/** Days since 1970-01-01; throws on anything that is not a real calendar date (e.g. `2026-02-30`). */
export function epochDay(date: LocalDate): number {
  const match = typeof date === 'string' ? LOCAL_DATE_PATTERN.exec(date) : null;
  if (!match) throw new RangeError(`"${String(date)}" is not a date in YYYY-MM-DD form`);
  const ms = Date.UTC(Number(match[1]), Number(match[2]) - 1, Number(match[3]));
  if (formatEpochDay(ms / MS_PER_DAY) !== date) throw new RangeError(`"${date}" is not a calendar date`);
  return ms / MS_PER_DAY;
}

/** The date of an epoch day. */
export function formatEpochDay(day: number): LocalDate {
  return new Date(day * MS_PER_DAY).toISOString().slice(0, 10);
}

/** `date` plus `days` (may be negative). */
export function addDays(date: LocalDate, days: number): LocalDate {
  return formatEpochDay(epochDay(date) + days);
}

/** Whole days from `from` to `to` (negative when `to` is earlier). */
export function daysBetween(from: LocalDate, to: LocalDate): number {
  return epochDay(to) - epochDay(from);
}

/**
 * Completed months from `dateOfBirth` to `on`, counted as the intake service counts them
 * (services/intake `ageInMonths`): a month is complete on the same day of the month as the birth,
 * so a child born on the 31st completes a month on the 1st of the month after a shorter one.
 */
export function completedMonths(dateOfBirth: LocalDate, on: LocalDate): number {
  epochDay(dateOfBirth);
  epochDay(on);
  const [y1, m1, d1] = dateOfBirth.split('-').map(Number) as [number, number, number];
  const [y2, m2, d2] = on.split('-').map(Number) as [number, number, number];
  let months = (y2 - y1) * 12 + (m2 - m1);
  if (d2 < d1) months -= 1;
  return months;
}

/**
 * The first date on which a child born on `dateOfBirth` has completed `months` months
 * ({@link completedMonths}): the same day of the month, or the 1st of the next month when the
 * target month is too short.
 */
export function dateAtAgeMonths(dateOfBirth: LocalDate, months: number): LocalDate {
  epochDay(dateOfBirth);
  if (!Number.isInteger(months) || months < 0) throw new RangeError(`${months} is not a whole number of months`);
  const [y, m, d] = dateOfBirth.split('-').map(Number) as [number, number, number];
  const monthIndex = m - 1 + months;
  const year = y + Math.floor(monthIndex / 12);
  const month = monthIndex % 12;
  const daysInMonth = new Date(Date.UTC(year, month + 1, 0)).getUTCDate();
  if (d <= daysInMonth) return formatEpochDay(Date.UTC(year, month, d) / MS_PER_DAY);
  return formatEpochDay(Date.UTC(year, month + 1, 1) / MS_PER_DAY);
}
