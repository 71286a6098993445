import {
  childFormulas,
  protectionCaseFormulas,
  type ChildFacts,
  type Membership,
  type ProtectionCaseFacts,
} from './indicator-formulas';
import { computedIndicators, indicatorKey } from './indicators';
import type { ReportingPeriod } from './reporting-periods';

/** Indicator key (`id@version`) → whether the subject counts, for one period. */
export type Memberships = Record<string, Membership>;

/** A subject of the computed indicators: a child or a protection case. */
export type SubjectFacts =
  { kind: 'child'; facts: ChildFacts } | { kind: 'protection-case'; facts: ProtectionCaseFacts };

/** Where a subject counts in every computed indicator of its kind, for one period. */
export function membershipsOf(subject: SubjectFacts, period: ReportingPeriod): Memberships {
  const memberships: Memberships = {};
  for (const definition of computedIndicators) {
    const { source } = definition;
    if (source.kind === 'child-events' && subject.kind === 'child') {
      memberships[indicatorKey(definition)] = childFormulas[source.formula](subject.facts, period);
    } else if (source.kind === 'protection-events' && subject.kind === 'protection-case') {
      memberships[indicatorKey(definition)] = protectionCaseFormulas[source.formula](subject.facts, period);
    }
  }
  return memberships;
}

/** Counts per indicator: what a unit's aggregate holds. */
export type IndicatorCounts = Record<string, { numerator: number; denominator: number }>;

/**
 * The change to a unit's counts when a subject's memberships go from `before` to `after`:
 * the incremental step the aggregates are built by (docs/adr/0023).
 */
export function countChange(before: Memberships, after: Memberships): IndicatorCounts {
  const change: IndicatorCounts = {};
  for (const key of new Set([...Object.keys(before), ...Object.keys(after)])) {
    const was = before[key] ?? { numerator: false, denominator: false };
    const is = after[key] ?? { numerator: false, denominator: false };
    const numerator = Number(is.numerator) - Number(was.numerator);
    const denominator = Number(is.denominator) - Number(was.denominator);
    if (numerator !== 0 || denominator !== 0) change[key] = { numerator, denominator };
  }
  return change;
}

/** Sums subjects' memberships: the counts a unit × period must show (the reference the increments are tested against). */
export function countAll(memberships: readonly Memberships[]): IndicatorCounts {
  const counts: IndicatorCounts = {};
  for (const m of memberships) {
    for (const [key, value] of Object.entries(m)) {
      const count = (counts[key] ??= { numerator: 0, denominator: 0 });
      count.numerator += Number(value.numerator);
      count.denominator += Number(value.denominator);
    }
  }
  return counts;
}
