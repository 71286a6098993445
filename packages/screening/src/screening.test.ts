import { describe, expect, it } from 'vitest';
import { Sectors, Urgencies } from '@ecd/contracts';
import {
  defaultReferralRules,
  defaultScreeningPolicy,
  FindingCodes,
  InvalidScreeningInputError,
  preschoolClassAge,
  screenChild,
  suggestReferrals,
  validateScreeningInput,
} from './screening';
import type { Finding, ScreeningInput, ScreeningPolicy } from './screening';
import type { GivenDose } from './vaccination-schedule';

/** A boy born 2024-06-10, screened on 2025-04-20 (10 months), vaccinated on time. */
const DOB = '2024-06-10';
const TODAY = '2025-04-20';
const onTime: GivenDose[] = [
  { vaccine: 'BCG', dose: 1, date: '2024-06-10' },
  { vaccine: 'HepB', dose: 1, date: '2024-06-10' },
  ...['2024-08-10', '2024-09-10', '2024-10-10'].flatMap((date, i) => [
    { vaccine: 'OPV', dose: i + 1, date },
    { vaccine: 'DPT-HepB-Hib', dose: i + 1, date },
  ]),
  { vaccine: 'measles', dose: 1, date: '2025-03-10' },
];

function input(overrides: Partial<ScreeningInput> = {}, child: Partial<ScreeningInput['child']> = {}): ScreeningInput {
  return {
    child: { dateOfBirth: DOB, sex: 'male', birthRegistered: true, ...child },
    today: TODAY,
    measurements: { date: TODAY, weightKg: 9, lengthCm: 73 },
    vaccinations: onTime,
    developmentObservations: { 'social-smile': true, 'back-and-forth-sounds-smiles': true },
    ...overrides,
  };
}

const codes = (findings: Finding[]) => findings.map((f) => f.code);
const referralsOf = (result: ReturnType<typeof screenChild>) =>
  result.suggestedReferrals.map((r) => [r.sector, r.urgency, r.service]);

describe('screenChild', () => {
  it('finds nothing for a healthy, registered, vaccinated 10-month-old', () => {
    const result = screenChild(input());
    expect(result.ageMonths).toBe(10);
    expect(result.ageDays).toBe(314);
    expect(result.findings).toEqual([]);
    expect(result.suggestedReferrals).toEqual([]);
    expect(result.growth?.weightForLengthHeight?.classification).toBe('normal');
    expect(result.vaccinations?.filter((v) => v.status === 'given')).toHaveLength(9);
  });

  it('refers overdue vaccinations to health, routine, in one referral', () => {
    const result = screenChild(input({ vaccinations: onTime.filter((r) => r.vaccine !== 'OPV') }));
    const overdue = result.findings.filter((f) => f.code === 'vaccination-overdue');
    expect(overdue.map((f) => f.id)).toEqual([
      'health.vaccination-overdue.OPV-1',
      'health.vaccination-overdue.OPV-2',
      'health.vaccination-overdue.OPV-3',
    ]);
    expect(result.suggestedReferrals).toEqual([
      {
        service: 'catch-up-vaccination',
        sector: 'health',
        urgency: 'routine',
        reason: 'Catch-up vaccination at the commune health station',
        reasonVi: 'Tiêm chủng bù các mũi quá hạn tại trạm y tế xã',
        findingIds: overdue.map((f) => f.id),
      },
    ]);
    expect(overdue[0]?.textVi).toBe('Quá hạn tiêm chủng: Vắc xin bại liệt uống (OPV) lần 1 (đến hạn 10/08/2024)');
  });

  it('notes a vaccination that is due but not yet overdue, without a referral', () => {
    // Measles is due at 9 months (2025-03-10) and overdue from 2025-04-10.
    const result = screenChild(
      input({
        today: '2025-03-20',
        measurements: undefined,
        vaccinations: onTime.filter((r) => r.vaccine !== 'measles'),
      }),
    );
    expect(result.findings).toEqual([
      expect.objectContaining({ id: 'health.vaccination-due.measles-1', code: 'vaccination-due', severity: 'info' }),
    ]);
    expect(result.suggestedReferrals).toEqual([]);
  });

  it('refers severe wasting to nutrition, urgent, with the other growth findings in the same referral', () => {
    // Boy, 75.0 cm: −3 SD weight-for-length is 7.486 kg (WHO).
    const result = screenChild(input({ measurements: { date: TODAY, weightKg: 7.2, lengthCm: 75 } }));
    expect(codes(result.findings)).toEqual(['underweight', 'severe-wasting']);
    const wasting = result.findings.find((f) => f.code === 'severe-wasting')!;
    expect(wasting).toMatchObject({ id: 'nutrition.severe-wasting', domain: 'nutrition', severity: 'severe' });
    expect(wasting.text).toMatch(/^Weight-for-length\/height −3\.\d\d SD: severely wasted/);
    expect(wasting.textVi).toMatch(/^Cân nặng theo chiều dài\/chiều cao −3,\d\d SD: suy dinh dưỡng thể gầy còm/);
    expect(result.suggestedReferrals).toEqual([
      expect.objectContaining({
        service: 'severe-acute-malnutrition',
        sector: 'nutrition',
        urgency: 'urgent',
        findingIds: ['nutrition.severe-wasting', 'nutrition.underweight'],
      }),
    ]);
  });

  it('treats bilateral oedema as severe acute malnutrition', () => {
    const result = screenChild(input({ measurements: { date: TODAY, weightKg: 9, lengthCm: 73, oedema: true } }));
    expect(codes(result.findings)).toEqual(['bilateral-oedema']);
    expect(referralsOf(result)).toEqual([['nutrition', 'urgent', 'severe-acute-malnutrition']]);
    expect(result.growth?.weightForAge).toBeUndefined();
  });

  it('refers underweight and stunting to nutrition, routine', () => {
    const result = screenChild(input({ measurements: { date: TODAY, weightKg: 7.2, lengthCm: 66 } }));
    expect(codes(result.findings)).toEqual(['underweight', 'severe-stunting']);
    expect(referralsOf(result)).toEqual([['nutrition', 'routine', 'nutrition-support']]);
  });

  it('notes overweight without a referral, and flags implausible measurements', () => {
    const heavy = screenChild(input({ measurements: { date: TODAY, weightKg: 11.8, lengthCm: 73 } }));
    expect(codes(heavy.findings)).toEqual(['overweight']);
    expect(heavy.suggestedReferrals).toEqual([]);
    const typo = screenChild(input({ measurements: { date: TODAY, weightKg: 90, lengthCm: 73 } }));
    expect(codes(typo.findings)).toContain('implausible-measurement');
  });

  it('uses the age at the measurement date', () => {
    const result = screenChild(input({ measurements: { date: '2024-06-10', weightKg: 3.3, lengthCm: 50 } }));
    expect(result.growth?.ageDays).toBe(0);
    expect(result.findings).toEqual([]);
  });

  it('does not assess growth with the WHO 2006 standards after 5 years', () => {
    const result = screenChild(
      input(
        {
          today: '2025-09-01',
          measurements: { date: '2025-09-01', weightKg: 20, heightCm: 115 },
          vaccinations: undefined,
        },
        { dateOfBirth: '2019-06-01', enrolledInPreschool: true },
      ),
    );
    expect(codes(result.findings)).toEqual(['growth-standard-not-applicable']);
  });

  it('refers developmental warning signs for assessment, and a loss of skills urgently', () => {
    const signs = screenChild(input({ developmentObservations: { 'back-and-forth-sounds-smiles': false } }));
    expect(signs.findings).toEqual([
      expect.objectContaining({
        id: 'development.no-back-and-forth-9m',
        code: 'development-warning-sign',
        domain: 'development',
        severity: 'moderate',
      }),
    ]);
    expect(referralsOf(signs)).toEqual([['health', 'routine', 'developmental-assessment']]);

    const loss = screenChild(
      input({
        developmentObservations: { 'back-and-forth-sounds-smiles': false, 'loss-of-language-or-social-skills': true },
      }),
    );
    expect(referralsOf(loss)).toEqual([['health', 'urgent', 'specialist-developmental-assessment']]);
    expect(loss.suggestedReferrals[0]?.findingIds).toEqual([
      'development.loss-of-skills',
      'development.no-back-and-forth-9m',
    ]);
  });

  it('refers a preschool-age child who is not enrolled to education', () => {
    const child = { dateOfBirth: '2021-03-01' };
    const base = {
      today: '2025-10-01',
      measurements: undefined,
      vaccinations: undefined,
      developmentObservations: undefined,
    };
    const notEnrolled = screenChild(input(base, { ...child, enrolledInPreschool: false }));
    expect(notEnrolled.findings).toEqual([
      expect.objectContaining({ id: 'education.not-enrolled-in-preschool', details: { classAge: 4 } }),
    ]);
    expect(referralsOf(notEnrolled)).toEqual([['education', 'routine', 'preschool-enrolment']]);
    expect(screenChild(input(base, { ...child, enrolledInPreschool: true })).findings).toEqual([]);
    const unknown = screenChild(input(base, child));
    expect(codes(unknown.findings)).toEqual(['preschool-enrolment-unknown']);
    expect(unknown.suggestedReferrals).toEqual([]);
  });

  it('counts preschool age by year of birth and school year', () => {
    expect(preschoolClassAge('2022-10-01', '2025-08-31', 9)).toBe(2);
    expect(preschoolClassAge('2022-10-01', '2025-09-01', 9)).toBe(3);
    expect(preschoolClassAge('2020-01-01', '2026-05-01', 9)).toBe(5);
    const twoYearsOld = screenChild(
      input({ today: '2025-08-31', measurements: undefined, vaccinations: undefined }, { dateOfBirth: '2022-10-01' }),
    );
    expect(codes(twoYearsOld.findings)).toEqual([]);
  });

  it('refers a child with a disability to inclusive education and to a protection review', () => {
    const result = screenChild(
      input(
        { today: '2025-10-01', measurements: undefined, vaccinations: undefined, developmentObservations: undefined },
        { dateOfBirth: '2021-03-01', enrolledInPreschool: true, disability: true },
      ),
    );
    expect(result.findings.map((f) => f.id)).toEqual([
      'education.inclusive-education',
      'protection.special-circumstance.04',
    ]);
    expect(referralsOf(result)).toEqual([
      ['education', 'routine', 'inclusive-education'],
      ['protection', 'routine', 'special-circumstances-review'],
    ]);
    // Under 36 months: the protection review only.
    expect(referralsOf(screenChild(input({}, { disability: true })))).toEqual([
      ['protection', 'routine', 'special-circumstances-review'],
    ]);
  });

  it('refers an unregistered birth to the commune justice office', () => {
    const result = screenChild(input({}, { birthRegistered: false }));
    expect(result.findings).toEqual([
      expect.objectContaining({ id: 'welfare.birth-not-registered', severity: 'moderate' }),
    ]);
    expect(result.suggestedReferrals).toEqual([
      expect.objectContaining({
        sector: 'civil-registration',
        urgency: 'routine',
        reason: 'Birth registration at the commune justice office',
        findingIds: ['welfare.birth-not-registered'],
      }),
    ]);
    const newborn = screenChild(
      input({ today: '2024-07-01', measurements: undefined, vaccinations: undefined }, { birthRegistered: false }),
    );
    expect(newborn.findings[0]?.severity).toBe('info');
    expect(referralsOf(newborn)).toEqual([['civil-registration', 'routine', 'birth-registration']]);
  });

  it('refers children in special circumstances for a protection review, one finding per group', () => {
    const result = screenChild(input({}, { specialCircumstances: ['abandoned', '01', '02'.padStart(2, '0')] }));
    expect(result.findings.map((f) => f.id)).toEqual([
      'protection.special-circumstance.01',
      'protection.special-circumstance.02',
    ]);
    expect(result.findings[1]?.textVi).toBe('Trẻ em có hoàn cảnh đặc biệt (Điều 10 Luật Trẻ em): Trẻ em bị bỏ rơi');
    expect(referralsOf(result)).toEqual([['protection', 'routine', 'special-circumstances-review']]);
  });

  it('orders referrals most urgent first and gives every finding a unique id and both languages', () => {
    const result = screenChild(
      input(
        {
          measurements: { date: TODAY, weightKg: 6.9, lengthCm: 75 },
          vaccinations: [],
          developmentObservations: { 'social-smile': false },
        },
        { birthRegistered: false, specialCircumstances: ['trafficked'] },
      ),
    );
    expect(referralsOf(result)).toEqual([
      ['nutrition', 'urgent', 'severe-acute-malnutrition'],
      ['health', 'routine', 'catch-up-vaccination'],
      ['health', 'routine', 'developmental-assessment'],
      ['civil-registration', 'routine', 'birth-registration'],
      ['protection', 'routine', 'special-circumstances-review'],
    ]);
    expect(new Set(result.findings.map((f) => f.id)).size).toBe(result.findings.length);
    for (const finding of result.findings) {
      expect(finding.text.length).toBeGreaterThan(5);
      expect(finding.textVi.length).toBeGreaterThan(5);
    }
    const ids = new Set(result.findings.map((f) => f.id));
    for (const referral of result.suggestedReferrals)
      for (const id of referral.findingIds) expect(ids.has(id)).toBe(true);
  });

  it('is deterministic', () => {
    const value = input({ vaccinations: [], measurements: { date: TODAY, weightKg: 7, lengthCm: 70 } });
    expect(screenChild(value)).toEqual(screenChild(structuredClone(value)));
  });

  it('follows the policy it is given', () => {
    const policy: ScreeningPolicy = {
      ...defaultScreeningPolicy,
      provincialVaccines: ['IPV', 'rotavirus'],
      referralRules: [
        ...defaultScreeningPolicy.referralRules,
        {
          service: 'overweight-counselling',
          findingCodes: ['overweight'],
          sector: 'nutrition',
          urgency: 'routine',
          reason: 'Overweight: nutrition counselling',
          reasonVi: 'Thừa cân: tư vấn dinh dưỡng',
          source: 'Province rule (test)',
        },
      ],
    };
    const result = screenChild(input({ measurements: { date: TODAY, weightKg: 11.8, lengthCm: 73 } }), policy);
    expect(referralsOf(result)).toEqual([
      ['health', 'routine', 'catch-up-vaccination'],
      ['nutrition', 'routine', 'overweight-counselling'],
    ]);
    expect(result.findings.filter((f) => f.code.startsWith('vaccination')).map((f) => f.id)).toEqual([
      'health.vaccination-overdue.IPV-1',
      'health.vaccination-overdue.IPV-2',
      'health.vaccination-missed.rotavirus-1',
      'health.vaccination-missed.rotavirus-2',
    ]);
  });
});

describe('input validation', () => {
  it('accepts the example input', () => {
    expect(validateScreeningInput(input())).toEqual([]);
  });

  it('reports schema, date and code problems by field', () => {
    expect(validateScreeningInput({ ...input(), extra: 1 })).toEqual([
      { field: 'extra', problem: 'is not an allowed field' },
    ]);
    expect(validateScreeningInput(input({}, { dateOfBirth: '2024-02-30' }))).toEqual([
      { field: 'child.dateOfBirth', problem: 'is not a real calendar date' },
    ]);
    expect(
      validateScreeningInput(
        input(
          {
            measurements: { date: '2025-05-01', weightKg: 9 },
            vaccinations: [{ vaccine: 'BCG', dose: 1, date: '2024-06-01' }],
          },
          { specialCircumstances: ['99'] },
        ),
      ),
    ).toEqual([
      { field: 'vaccinations.0.date', problem: 'is before the date of birth' },
      { field: 'measurements.date', problem: 'is after the screening date' },
      { field: 'child.specialCircumstances.0', problem: '"99" is not a Law on Children Art. 10 group' },
    ]);
    expect(validateScreeningInput(input({ today: '2024-06-01' }))[0]).toEqual({
      field: 'today',
      problem: 'is before the date of birth',
    });
  });

  it('makes screenChild throw with the problems', () => {
    const bad = input({}, { sex: 'boy' as 'male' });
    expect(() => screenChild(bad)).toThrow(InvalidScreeningInputError);
    try {
      screenChild(bad);
    } catch (error) {
      expect((error as InvalidScreeningInputError).problems[0]?.field).toBe('child.sex');
    }
  });
});

describe('default referral rules', () => {
  it('use known sectors, urgencies and finding codes, cite a source, and name each service once', () => {
    for (const rule of defaultReferralRules) {
      expect(Sectors).toContain(rule.sector);
      expect(Urgencies).toContain(rule.urgency);
      for (const code of rule.findingCodes) expect(FindingCodes).toContain(code);
      expect(rule.source.length).toBeGreaterThan(10);
    }
    expect(new Set(defaultReferralRules.map((r) => r.service)).size).toBe(defaultReferralRules.length);
  });

  it('merge an absorbed referral into the one that absorbs it', () => {
    const finding = (id: string, code: Finding['code']): Finding => ({
      id,
      code,
      domain: 'nutrition',
      severity: 'moderate',
      text: id,
      textVi: id,
    });
    const referrals = suggestReferrals(
      [finding('a', 'stunting'), finding('b', 'bilateral-oedema'), finding('c', 'wasting')],
      defaultReferralRules,
    );
    expect(referrals).toEqual([
      expect.objectContaining({ service: 'severe-acute-malnutrition', findingIds: ['b', 'a', 'c'] }),
    ]);
  });
});
