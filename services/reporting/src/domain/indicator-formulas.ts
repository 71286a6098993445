import type { LocalDate } from '@ecd/referral-policy';
import { inPeriod, type ReportingPeriod } from './reporting-periods';

/**
 * What the reporting service knows of one child, from events alone (case.opened, case.screened,
 * referral.requested, referral.completed). No name, no findings: only dates and the commune.
 */
export interface ChildFacts {
  childId: string;
  /** The commune of the child's latest case: a child who moved is counted where they live now. */
  communeCode: string;
  /** The first day the register knew the child (first case opened). */
  registeredOn: LocalDate;
  /**
   * The latest birth date consistent with the age in whole months given at the first case
   * (events carry no birth date): a child is never taken for older than they can be.
   */
  bornOn: LocalDate;
  screenedOn: LocalDate[];
  referrals: { referralId: string; requestedOn: LocalDate; completedOn?: LocalDate }[];
}

/** What the reporting service knows of one protection case (ecd.protection.v1: stages, never details). */
export interface ProtectionCaseFacts {
  protectionCaseId: string;
  communeCode: string;
  reportedOn: LocalDate;
  planApprovedOn?: LocalDate;
}

/** Whether a subject counts in an indicator's denominator and numerator for one period. */
export interface Membership {
  denominator: boolean;
  numerator: boolean;
}

/** Whole months of age on `date` for a child born on `bornOn` (both local dates). */
export function ageInMonths(bornOn: LocalDate, date: LocalDate): number {
  const [by, bm, bd] = bornOn.split('-').map(Number) as [number, number, number];
  const [y, m, d] = date.split('-').map(Number) as [number, number, number];
  return (y - by) * 12 + (m - bm) - (d < bd ? 1 : 0);
}

/** `date` minus whole months, the day clamped to the month's length (31 March − 1 month = 28/29 Feb). */
export function monthsBefore(date: LocalDate, months: number): LocalDate {
  const [y, m, d] = date.split('-').map(Number) as [number, number, number];
  const index = y * 12 + (m - 1) - months;
  const year = Math.floor(index / 12);
  const month = (index % 12) + 1;
  const lastDay = new Date(Date.UTC(year, month, 0)).getUTCDate();
  return `${String(year).padStart(4, '0')}-${String(month).padStart(2, '0')}-${String(Math.min(d, lastDay)).padStart(2, '0')}`;
}

const UNDER_9 = 108;
const UNDER_5 = 60;

/**
 * Children who reached the services they needed: among children referred in the period (a need
 * found and acted on), those with a referral completed by the period's last day. A referral
 * completed after the period ended counts in the period it was completed by, not this one.
 */
export function reachedNeededServices(child: ChildFacts, period: ReportingPeriod): Membership {
  const referred = child.referrals.filter((r) => inPeriod(r.requestedOn, period));
  return {
    denominator: referred.length > 0,
    numerator: referred.some((r) => r.completedOn !== undefined && r.completedOn <= period.to),
  };
}

/**
 * Children up to 8 whose needs were monitored: registered by the period's end and under 9 on
 * its first day, screened at least once within the period.
 */
export function childrenScreened(child: ChildFacts, period: ReportingPeriod): Membership {
  const eligible = child.registeredOn <= period.to && ageInMonths(child.bornOn, period.from) < UNDER_9;
  return { denominator: eligible, numerator: eligible && child.screenedOn.some((on) => inPeriod(on, period)) };
}

/**
 * Under-5s screened: a child under 5 on the period's first day is in the denominator even if
 * they turn 5 within it; only a screening done while still under 5 counts in the numerator.
 */
export function underFiveScreened(child: ChildFacts, period: ReportingPeriod): Membership {
  const eligible = child.registeredOn <= period.to && ageInMonths(child.bornOn, period.from) < UNDER_5;
  const screenedUnderFive = child.screenedOn.some(
    (on) => inPeriod(on, period) && ageInMonths(child.bornOn, on) < UNDER_5,
  );
  return { denominator: eligible, numerator: eligible && screenedUnderFive };
}

/** Protection cases reported in the period whose plan the chairman approved by the period's end. */
export function protectionPlansApproved(protectionCase: ProtectionCaseFacts, period: ReportingPeriod): Membership {
  const reported = inPeriod(protectionCase.reportedOn, period);
  return {
    denominator: reported,
    numerator: reported && protectionCase.planApprovedOn !== undefined && protectionCase.planApprovedOn <= period.to,
  };
}

/** Formulas over children's facts, by the name an indicator definition gives. */
export const childFormulas = {
  'reached-needed-services': reachedNeededServices,
  'children-screened': childrenScreened,
  'under-five-screened': underFiveScreened,
} as const;
export type ChildFormula = keyof typeof childFormulas;

/** Formulas over protection cases' facts. */
export const protectionCaseFormulas = {
  'protection-plans-approved': protectionPlansApproved,
} as const;
export type ProtectionCaseFormula = keyof typeof protectionCaseFormulas;

/** An indicator's value from its counts: a share in percent, or null when nobody is in the denominator. */
export const indicatorValue = (numerator: number, denominator: number): number | null =>
  denominator === 0 ? null : Math.round((numerator / denominator) * 10_000) / 100;
