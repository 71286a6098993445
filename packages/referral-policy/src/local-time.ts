/**
 * Vietnam local time without Intl or time-zone databases.
 *
 * Asia/Ho_Chi_Minh is UTC+7 all year (no daylight saving since 1975), so local time is the UTC
 * instant shifted by a fixed seven hours. Everything here is pure arithmetic on epoch
 * milliseconds: safe inside Temporal workflow code (no Date.now(), no argument-less `new Date()`).
 */

/** A calendar date in Vietnam local time, `YYYY-MM-DD`. */
export type LocalDate = string;

/** Day of the week as `Date.prototype.getUTCDay` numbers it: 0 = Sunday … 6 = Saturday. */
export type Weekday = 0 | 1 | 2 | 3 | 4 | 5 | 6;

export const VIETNAM_UTC_OFFSET_MINUTES = 7 * 60;
export const VIETNAM_UTC_OFFSET_MS = VIETNAM_UTC_OFFSET_MINUTES * 60_000;
export const MS_PER_HOUR = 3_600_000;
export const MS_PER_DAY = 86_400_000;

const LOCAL_DATE_PATTERN = /^(\d{4})-(\d{2})-(\d{2})$/;

function assertValidInstant(instant: Date, what: string): number {
  const ms = instant instanceof Date ? instant.getTime() : Number.NaN;
  if (!Number.isFinite(ms)) throw new TypeError(`${what} is not a valid instant`);
  return ms;
}

/**
 * Days since 1970-01-01 of a local date (the "epoch day"); throws on anything that is not a real
 * calendar date in `YYYY-MM-DD` form (e.g. `2026-02-30`).
 */
export function epochDayOfLocalDate(date: LocalDate): number {
  const match = LOCAL_DATE_PATTERN.exec(date);
  if (!match) throw new RangeError(`"${date}" is not a date in YYYY-MM-DD form`);
  const year = Number(match[1]);
  const month = Number(match[2]);
  const day = Number(match[3]);
  const ms = Date.UTC(year, month - 1, day);
  if (formatEpochDay(ms / MS_PER_DAY) !== date) throw new RangeError(`"${date}" is not a calendar date`);
  return ms / MS_PER_DAY;
}

/** The local date of an epoch day. */
export function formatEpochDay(epochDay: number): LocalDate {
  return new Date(epochDay * MS_PER_DAY).toISOString().slice(0, 10);
}

/** The Vietnam-local epoch day an instant falls on. */
export function epochDayOfInstant(instant: Date): number {
  const ms = assertValidInstant(instant, 'instant');
  return Math.floor((ms + VIETNAM_UTC_OFFSET_MS) / MS_PER_DAY);
}

/** The Vietnam-local calendar date an instant falls on. */
export function toLocalDate(instant: Date): LocalDate {
  return formatEpochDay(epochDayOfInstant(instant));
}

/** The Gregorian year of an epoch day. */
export function yearOfEpochDay(epochDay: number): number {
  return new Date(epochDay * MS_PER_DAY).getUTCFullYear();
}

/** The weekday of an epoch day (0 = Sunday … 6 = Saturday). */
export function weekdayOfEpochDay(epochDay: number): Weekday {
  return new Date(epochDay * MS_PER_DAY).getUTCDay() as Weekday;
}

/** 00:00:00.000 Vietnam time on `date`, as an instant. */
export function startOfLocalDay(date: LocalDate): Date {
  return new Date(epochDayOfLocalDate(date) * MS_PER_DAY - VIETNAM_UTC_OFFSET_MS);
}

/** 23:59:59.999 Vietnam time on `date`, as an instant: the last moment that is still "on" that day. */
export function endOfLocalDay(date: LocalDate): Date {
  return new Date((epochDayOfLocalDate(date) + 1) * MS_PER_DAY - VIETNAM_UTC_OFFSET_MS - 1);
}

/** @internal validated millisecond value of an instant. */
export function instantMs(instant: Date, what: string): number {
  return assertValidInstant(instant, what);
}
