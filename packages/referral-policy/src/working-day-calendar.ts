import Type from 'typebox';
import {
  MS_PER_DAY,
  MS_PER_HOUR,
  VIETNAM_UTC_OFFSET_MS,
  epochDayOfInstant,
  epochDayOfLocalDate,
  formatEpochDay,
  instantMs,
  weekdayOfEpochDay,
  yearOfEpochDay,
} from './local-time';
import type { LocalDate, Weekday } from './local-time';

/**
 * - `public`: a statutory holiday of Labour Code 2019 Art. 112(1) on its own date.
 * - `tet`: one of the five statutory Lunar New Year days, resolved to solar dates.
 * - `substitute`: a day off in place of another day: a compensatory day when a holiday falls on
 *   a weekly rest day (Art. 112(3)), or a working day the government swapped into a holiday
 *   (paired with an `extraWorkingDays` entry).
 */
export type HolidayKind = 'public' | 'substitute' | 'tet';

export interface Holiday {
  date: LocalDate;
  name: string;
  nameVi: string;
  kind: HolidayKind;
}

/**
 * A weekly rest day (usually a Saturday) made a working day to compensate a swap. On a calendar
 * whose weekend does not include that day it changes nothing.
 */
export interface ExtraWorkingDay {
  date: LocalDate;
  reason: string;
}

/** The holidays of one year; lunar dates already resolved to solar dates. */
export interface HolidayCalendarData {
  year: number;
  holidays: readonly Holiday[];
  extraWorkingDays?: readonly ExtraWorkingDay[];
  /** Where the dates come from (law, government notice). */
  source?: string;
  /** True while some dates still await the annual government notice. */
  provisional?: boolean;
}

const LocalDateSchema = Type.String({ pattern: '^[0-9]{4}-[0-9]{2}-[0-9]{2}$' });

/** Validates holiday data documents (e.g. a province's calendar loaded from configuration). */
export const HolidayCalendarDataSchema = Type.Object(
  {
    year: Type.Integer({ minimum: 1975, maximum: 2200 }),
    holidays: Type.Array(
      Type.Object(
        {
          date: LocalDateSchema,
          name: Type.String({ minLength: 1 }),
          nameVi: Type.String({ minLength: 1 }),
          kind: Type.Enum(['public', 'substitute', 'tet']),
        },
        { additionalProperties: false },
      ),
    ),
    extraWorkingDays: Type.Optional(
      Type.Array(
        Type.Object({ date: LocalDateSchema, reason: Type.String({ minLength: 1 }) }, { additionalProperties: false }),
      ),
    ),
    source: Type.Optional(Type.String({ minLength: 1 })),
    provisional: Type.Optional(Type.Boolean()),
  },
  { additionalProperties: false },
);

export interface WorkingDayCalendarOptions {
  /** Weekly rest days, 0 = Sunday … 6 = Saturday. Default: Saturday and Sunday. */
  weekendDays?: readonly Weekday[];
}

/** Thrown when a computation touches a year the calendar holds no holiday data for. */
export class MissingHolidayDataError extends Error {
  override readonly name = 'MissingHolidayDataError';
  constructor(
    readonly year: number,
    readonly coveredYears: readonly number[],
  ) {
    super(
      `No holiday data for ${year} (the calendar covers ${coveredYears.join(', ') || 'no years'}); ` +
        'add that year before computing deadlines that reach it',
    );
  }
}

/**
 * Working days in Vietnam local time (UTC+7), built from holiday data per year.
 *
 * A day is a working day when it is an extra working day, or when it is neither a holiday nor a
 * weekly rest day. Any question about a day in a year without data throws
 * {@link MissingHolidayDataError}: the calendar never assumes a year has no holidays.
 *
 * Window semantics ({@link addWorkingDays}): Civil Code 2015 Art. 147(2) — the day on which the
 * event happens (receipt of the referral or report) is not counted; counting starts on the next
 * day — and Art. 148 — the period ends at the end of its last day, and a period whose last day is
 * a holiday runs to the end of the next working day. So a window of N working days starting at
 * instant S ends at 23:59:59.999 Vietnam time on the N-th working day after S's local date.
 * Received on a weekend or holiday, the first working day after it is day 1. The deadline is
 * inclusive: work done at or before the returned instant is on time.
 */
export class WorkingDayCalendar {
  readonly #holidays = new Map<number, Holiday>();
  readonly #extraWorkingDays = new Map<number, ExtraWorkingDay>();
  readonly #years = new Map<number, HolidayCalendarData>();
  readonly #weekend: ReadonlySet<Weekday>;

  constructor(data: readonly HolidayCalendarData[], options: WorkingDayCalendarOptions = {}) {
    const weekendDays = options.weekendDays ?? [6, 0];
    for (const day of weekendDays) {
      if (!Number.isInteger(day) || day < 0 || day > 6) throw new RangeError(`weekend day ${day} is not 0–6`);
    }
    this.#weekend = new Set(weekendDays);
    if (this.#weekend.size >= 7) throw new RangeError('a calendar needs at least one working weekday');

    for (const year of data) {
      if (!Number.isInteger(year.year)) throw new RangeError(`holiday data year ${year.year} is not an integer`);
      if (this.#years.has(year.year)) throw new RangeError(`holiday data for ${year.year} is given twice`);
      this.#years.set(year.year, year);
      for (const holiday of year.holidays) {
        const day = this.#dayInYear(holiday.date, year.year, `holiday "${holiday.name}"`);
        if (this.#holidays.has(day)) throw new RangeError(`${holiday.date} is listed twice as a holiday`);
        this.#holidays.set(day, holiday);
      }
      for (const extra of year.extraWorkingDays ?? []) {
        const day = this.#dayInYear(extra.date, year.year, 'extra working day');
        if (this.#holidays.has(day)) throw new RangeError(`${extra.date} is both a holiday and an extra working day`);
        if (this.#extraWorkingDays.has(day))
          throw new RangeError(`${extra.date} is listed twice as an extra working day`);
        this.#extraWorkingDays.set(day, extra);
      }
    }
  }

  /** The years this calendar holds data for, ascending. */
  get years(): readonly number[] {
    return [...this.#years.keys()].sort((a, b) => a - b);
  }

  /** Whether the calendar holds data for `year`. */
  covers(year: number): boolean {
    return this.#years.has(year);
  }

  /** Whether `year`'s data is marked provisional (awaiting the annual government notice). */
  isProvisional(year: number): boolean {
    return this.#requireYear(year).provisional === true;
  }

  /** Whether a Vietnam-local date (`YYYY-MM-DD`) is a working day. */
  isWorkingDay(localDate: LocalDate): boolean {
    return this.#isWorkingEpochDay(epochDayOfLocalDate(localDate));
  }

  /** The holiday on a local date, if any (undefined for ordinary days and weekends). */
  holidayOn(localDate: LocalDate): Holiday | undefined {
    const day = epochDayOfLocalDate(localDate);
    this.#requireYear(yearOfEpochDay(day));
    return this.#holidays.get(day);
  }

  /** The first working day strictly after `localDate`. */
  nextWorkingDay(localDate: LocalDate): LocalDate {
    let day = epochDayOfLocalDate(localDate) + 1;
    while (!this.#isWorkingEpochDay(day)) day += 1;
    return formatEpochDay(day);
  }

  /**
   * End (23:59:59.999 Vietnam time) of the `n`-th working day after the local date of `start`;
   * the day of `start` itself never counts. `n` must be a positive integer.
   */
  addWorkingDays(start: Date, n: number): Date {
    if (!Number.isInteger(n) || n < 1) throw new RangeError(`working days must be a positive integer, got ${n}`);
    let day = epochDayOfInstant(start);
    let counted = 0;
    while (counted < n) {
      day += 1;
      if (this.#isWorkingEpochDay(day)) counted += 1;
    }
    return new Date((day + 1) * MS_PER_DAY - VIETNAM_UTC_OFFSET_MS - 1);
  }

  /** `start` plus `hours` calendar hours: holidays and weekends are not skipped. */
  addHours(start: Date, hours: number): Date {
    if (!Number.isFinite(hours) || hours < 0) throw new RangeError(`hours must be a finite number ≥ 0, got ${hours}`);
    return new Date(instantMs(start, 'start') + Math.round(hours * MS_PER_HOUR));
  }

  /**
   * How many working days lie after the local date of `from`, up to and including the local date
   * of `to`: the working-day number `to` falls on when counting as {@link addWorkingDays} does.
   * Hence `workingDaysBetween(s, addWorkingDays(s, n)) === n`, and an instant `t ≥ s` is inside
   * an n-working-day window from `s` exactly when `workingDaysBetween(s, t) <= n`.
   * Negative when `to` is on an earlier local date than `from`; 0 on the same local date.
   */
  workingDaysBetween(from: Date, to: Date): number {
    const a = epochDayOfInstant(from);
    const b = epochDayOfInstant(to);
    if (a === b) return 0;
    const [low, high, sign] = a < b ? [a, b, 1] : [b, a, -1];
    let count = 0;
    for (let day = low + 1; day <= high; day += 1) {
      if (this.#isWorkingEpochDay(day)) count += 1;
    }
    return sign * count;
  }

  #isWorkingEpochDay(day: number): boolean {
    this.#requireYear(yearOfEpochDay(day));
    if (this.#extraWorkingDays.has(day)) return true;
    if (this.#holidays.has(day)) return false;
    return !this.#weekend.has(weekdayOfEpochDay(day));
  }

  #requireYear(year: number): HolidayCalendarData {
    const data = this.#years.get(year);
    if (!data) throw new MissingHolidayDataError(year, this.years);
    return data;
  }

  #dayInYear(date: LocalDate, year: number, what: string): number {
    const day = epochDayOfLocalDate(date);
    if (yearOfEpochDay(day) !== year) throw new RangeError(`${what} ${date} is not in ${year}`);
    return day;
  }
}
