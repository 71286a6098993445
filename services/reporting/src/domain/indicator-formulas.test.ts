import { describe, expect, it } from 'vitest';
import {
  ageInMonths,
  indicatorValue,
  monthsBefore,
  type ChildFacts,
  type ProtectionCaseFacts,
} from './indicator-formulas';
import { countAll, countChange, membershipsOf, type Memberships } from './indicator-memberships';
import { reportingPeriod } from './reporting-periods';

/**
 * A fixture cohort of one commune whose expected figures were counted by hand (see each child's
 * comment). 2026-S1 counts 1 January – 30 April 2026; 2026-Y counts 1 January – 31 October 2026.
 */
const child = (facts: Partial<ChildFacts> & Pick<ChildFacts, 'childId' | 'bornOn' | 'registeredOn'>): ChildFacts => ({
  communeCode: '02704',
  screenedOn: [],
  referrals: [],
  ...facts,
});

const cohort: ChildFacts[] = [
  // 33 months on 1 Jan; screened and referred in February, completed in March: counts everywhere.
  child({
    childId: 'c1',
    bornOn: '2023-03-10',
    registeredOn: '2025-11-02',
    screenedOn: ['2026-02-01'],
    referrals: [{ referralId: 'r1', requestedOn: '2026-02-01', completedOn: '2026-03-15' }],
  }),
  // Turns 5 on 20 March 2026 (57 months on 1 Jan): an under-5 of the period, but screened on
  // 2 April at 60 months, so not an under-5 screening. Referred 10 April, completed 3 May: after
  // the semi-annual period ended (not reached in 2026-S1), within the year (reached in 2026-Y).
  child({
    childId: 'c2',
    bornOn: '2021-03-20',
    registeredOn: '2025-06-01',
    screenedOn: ['2026-04-02'],
    referrals: [{ referralId: 'r2', requestedOn: '2026-04-10', completedOn: '2026-05-03' }],
  }),
  // Turns 5 on 15 January 2026, screened on 10 January at 59 months: counts as an under-5 screened.
  child({ childId: 'c3', bornOn: '2021-01-15', registeredOn: '2025-12-01', screenedOn: ['2026-01-10'] }),
  // 107 months on 1 Jan (still under 9), never screened: in the denominator of children screened only.
  child({ childId: 'c4', bornOn: '2017-02-01', registeredOn: '2025-01-01' }),
  // 109 months on 1 Jan: 9 years old, outside "children up to 8" although screened.
  child({ childId: 'c5', bornOn: '2016-12-01', registeredOn: '2025-01-01', screenedOn: ['2026-02-10'] }),
  // Registered in June, after the semi-annual period: in none of its denominators.
  child({ childId: 'c6', bornOn: '2025-01-01', registeredOn: '2026-06-01', screenedOn: ['2026-06-01'] }),
  // Referred in December 2025 (the previous year's period), completed in January: not referred in 2026.
  child({
    childId: 'c7',
    bornOn: '2024-01-01',
    registeredOn: '2025-12-01',
    referrals: [{ referralId: 'r7', requestedOn: '2025-12-20', completedOn: '2026-01-05' }],
  }),
  // Two referrals in the period, one never completed, one completed on the period's last day.
  child({
    childId: 'c8',
    bornOn: '2022-05-05',
    registeredOn: '2026-02-20',
    referrals: [
      { referralId: 'r8a', requestedOn: '2026-03-01' },
      { referralId: 'r8b', requestedOn: '2026-03-02', completedOn: '2026-04-30' },
    ],
  }),
];

const protectionCases: ProtectionCaseFacts[] = [
  { protectionCaseId: 'p1', communeCode: '02704', reportedOn: '2026-02-01', planApprovedOn: '2026-02-10' },
  // Plan approved after the semi-annual period ended.
  { protectionCaseId: 'p2', communeCode: '02704', reportedOn: '2026-04-20', planApprovedOn: '2026-05-02' },
  // Reported in the previous year.
  { protectionCaseId: 'p3', communeCode: '02704', reportedOn: '2025-12-30', planApprovedOn: '2026-01-05' },
];

const countsFor = (periodId: string) => {
  const period = reportingPeriod(periodId);
  return countAll([
    ...cohort.map((facts) => membershipsOf({ kind: 'child', facts }, period)),
    ...protectionCases.map((facts) => membershipsOf({ kind: 'protection-case', facts }, period)),
  ]);
};

describe('indicator formulas on the fixture cohort', () => {
  it('2026-S1: the counts computed by hand', () => {
    expect(countsFor('2026-S1')).toEqual({
      // c1, c2, c8 referred; c1 and c8 completed by 30 April.
      'reached-needed-services@1': { numerator: 2, denominator: 3 },
      // c1, c2, c3, c4, c7, c8 eligible; c1, c2, c3 screened.
      'children-screened@1': { numerator: 3, denominator: 6 },
      // c1, c2, c3, c7, c8 under 5 on 1 January; c1 and c3 screened while under 5.
      'under-five-screened@1': { numerator: 2, denominator: 5 },
      // p1, p2 reported; p1's plan approved in the period.
      'protection-plans-approved@1': { numerator: 1, denominator: 2 },
    });
  });

  it('2026-Y: a referral completed after the semi-annual period counts in the annual one', () => {
    const counts = countsFor('2026-Y');
    expect(counts['reached-needed-services@1']).toEqual({ numerator: 3, denominator: 3 });
    // c6, registered in June, is now eligible and screened.
    expect(counts['children-screened@1']).toEqual({ numerator: 4, denominator: 7 });
    expect(counts['protection-plans-approved@1']).toEqual({ numerator: 2, denominator: 2 });
  });

  it('values are shares in percent, null without a denominator', () => {
    expect(indicatorValue(2, 3)).toBe(66.67);
    expect(indicatorValue(0, 0)).toBeNull();
  });
});

describe('ages from dates', () => {
  it('counts whole months, the birthday included', () => {
    expect(ageInMonths('2021-03-20', '2026-03-19')).toBe(59);
    expect(ageInMonths('2021-03-20', '2026-03-20')).toBe(60);
    expect(ageInMonths('2016-12-01', '2026-01-01')).toBe(109);
  });
  it('goes back whole months with the day clamped to the month', () => {
    expect(monthsBefore('2026-03-31', 1)).toBe('2026-02-28');
    expect(monthsBefore('2026-01-15', 13)).toBe('2024-12-15');
  });
});

describe('incremental counts', () => {
  it('a subject moving between memberships changes the counts by the difference only', () => {
    const before: Memberships = { 'a@1': { denominator: true, numerator: false } };
    const after: Memberships = { 'a@1': { denominator: true, numerator: true } };
    expect(countChange(before, after)).toEqual({ 'a@1': { numerator: 1, denominator: 0 } });
    expect(countChange(after, after)).toEqual({});
    expect(countChange(after, {})).toEqual({ 'a@1': { numerator: -1, denominator: -1 } });
  });

  it('applying each event’s change in turn gives the same counts as counting from scratch', () => {
    const period = reportingPeriod('2026-S1');
    const facts: ChildFacts = child({ childId: 'c', bornOn: '2023-01-01', registeredOn: '2026-01-05' });
    const steps: ChildFacts[] = [
      facts,
      { ...facts, referrals: [{ referralId: 'r', requestedOn: '2026-02-01' }] },
      { ...facts, referrals: [{ referralId: 'r', requestedOn: '2026-02-01', completedOn: '2026-02-09' }] },
      // A redelivered event: nothing changes.
      { ...facts, referrals: [{ referralId: 'r', requestedOn: '2026-02-01', completedOn: '2026-02-09' }] },
    ];
    const total: Record<string, { numerator: number; denominator: number }> = {};
    let previous: Memberships = {};
    for (const step of steps) {
      const next = membershipsOf({ kind: 'child', facts: step }, period);
      for (const [key, change] of Object.entries(countChange(previous, next))) {
        const t = (total[key] ??= { numerator: 0, denominator: 0 });
        t.numerator += change.numerator;
        t.denominator += change.denominator;
      }
      previous = next;
    }
    const fromScratch = countAll([membershipsOf({ kind: 'child', facts: steps.at(-1)! }, period)]);
    for (const [key, count] of Object.entries(fromScratch)) {
      expect(total[key] ?? { numerator: 0, denominator: 0 }).toEqual(count);
    }
    expect(total['reached-needed-services@1']).toEqual({ numerator: 1, denominator: 1 });
  });
});
