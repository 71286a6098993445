import type { LocalDate } from '@ecd/referral-policy';

/** The two reports the plans ask of every level each year (seed 004, DOMAIN.md "Indicators and reporting"). */
export const PeriodKinds = ['S1', 'Y'] as const;
export type PeriodKind = (typeof PeriodKinds)[number];

/** A reporting period: `2026-S1` (semi-annual) or `2026-Y` (annual). */
export const PERIOD_ID_PATTERN = '^(20[0-9]{2})-(S1|Y)$';

export interface ReportingPeriod {
  id: string;
  year: number;
  kind: PeriodKind;
  /** First and last local day whose events count (inclusive). */
  from: LocalDate;
  to: LocalDate;
}

/**
 * Due dates as data, per province (`MM-DD` in the period's year). The plans say "before 15/5"
 * for the semi-annual and "before 15/11" for the annual report; some provinces say 20/11.
 */
export interface DueDateRule {
  S1: string;
  Y: string;
}
export const defaultDueDates: DueDateRule = { S1: '05-15', Y: '11-15' };
export const provinceDueDates: Readonly<Record<string, DueDateRule>> = {
  /** Lào Cai (sample data): the national dates. */
  '10': { S1: '05-15', Y: '11-15' },
};

/**
 * The data window of a period. Both reports count from 1 January; the semi-annual one closes
 * at the end of April and the annual one at the end of October, so that a commune has the first
 * half of the due month to compile and sign (the plans leave the window to the provinces).
 */
export function reportingPeriod(id: string): ReportingPeriod {
  const match = new RegExp(PERIOD_ID_PATTERN).exec(id);
  if (!match) throw new RangeError(`"${id}" is not a reporting period (YYYY-S1 or YYYY-Y)`);
  const year = Number(match[1]);
  const kind = match[2] === 'S1' ? 'S1' : 'Y';
  return { id, year, kind, from: `${year}-01-01`, to: kind === 'S1' ? `${year}-04-30` : `${year}-10-31` };
}

/** The due date of a province's reports for a period, as the province's data gives it. */
export function dueDateOf(period: ReportingPeriod, provinceCode: string): LocalDate {
  const rule = provinceDueDates[provinceCode] ?? defaultDueDates;
  return `${period.year}-${rule[period.kind]}`;
}

/** Periods whose aggregates the service keeps: every period of the years the events fall in. */
export function periodsOfYear(year: number): ReportingPeriod[] {
  return PeriodKinds.map((kind) => reportingPeriod(`${year}-${kind}`));
}

/** Whether a local date lies in the period's window. */
export const inPeriod = (date: LocalDate, period: ReportingPeriod) => date >= period.from && date <= period.to;
