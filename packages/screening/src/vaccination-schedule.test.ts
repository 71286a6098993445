import { describe, expect, it } from 'vitest';
import {
  dueVaccinations,
  fullyImmunisedUnder1,
  fullyImmunisedUnder1Definition,
  validateVaccinationSchedule,
  vietnamEpiSchedule,
} from './vaccination-schedule';
import type { DoseStatus, GivenDose, VaccinationSchedule } from './vaccination-schedule';

const DOB = '2025-01-15';

const statusOf = (statuses: DoseStatus[], doseId: string) => statuses.find((s) => s.doseId === doseId);
const statuses = (today: string, given: GivenDose[] = [], provincialVaccines: string[] = []) =>
  dueVaccinations({ dateOfBirth: DOB, today, given, provincialVaccines });
const byId = (list: DoseStatus[]) => Object.fromEntries(list.map((s) => [s.doseId, s.status]));

const atBirth: GivenDose[] = [
  { vaccine: 'BCG', dose: 1, date: DOB },
  { vaccine: 'HepB', dose: 1, date: DOB },
];
const primary = (dates: [string, string, string]): GivenDose[] =>
  dates.flatMap((date, i) => [
    { vaccine: 'OPV', dose: i + 1, date },
    { vaccine: 'DPT-HepB-Hib', dose: i + 1, date },
  ]);

describe('Vietnam EPI schedule (Circular 38/2017/TT-BYT)', () => {
  it('is a valid schedule with a source', () => {
    expect(validateVaccinationSchedule(vietnamEpiSchedule)).toEqual([]);
    expect(vietnamEpiSchedule.source).toMatch(/38\/2017\/TT-BYT/);
    expect(vietnamEpiSchedule.overdueAfterDays).toBe(30);
  });

  it('has the national doses at the ages of the Circular', () => {
    const national = vietnamEpiSchedule.doses.filter((d) => !d.provincial).map((d) => [d.id, d.dueAge]);
    expect(national).toEqual([
      ['BCG-1', { days: 0 }],
      ['HepB-birth', { days: 0 }],
      ['OPV-1', { months: 2 }],
      ['OPV-2', { months: 3 }],
      ['OPV-3', { months: 4 }],
      ['DPT-HepB-Hib-1', { months: 2 }],
      ['DPT-HepB-Hib-2', { months: 3 }],
      ['DPT-HepB-Hib-3', { months: 4 }],
      ['measles-1', { months: 9 }],
      ['DPT-4', { months: 18 }],
      ['MR-1', { months: 18 }],
    ]);
    const provincial = new Set(vietnamEpiSchedule.doses.filter((d) => d.provincial).map((d) => d.vaccine));
    expect(provincial).toEqual(new Set(['IPV', 'rotavirus', 'JE']));
    for (const dose of vietnamEpiSchedule.doses) expect(dose.nameVi.length).toBeGreaterThan(5);
  });

  it('validation finds repeated ids and a dose without its predecessor', () => {
    const broken: VaccinationSchedule = {
      ...vietnamEpiSchedule,
      doses: [vietnamEpiSchedule.doses[0]!, vietnamEpiSchedule.doses[0]!, { ...vietnamEpiSchedule.doses[3]!, id: 'x' }],
    };
    expect(validateVaccinationSchedule(broken).map((p) => p.field)).toEqual([
      'doses.1.id',
      'doses.1.dose',
      'doses.2.dose',
    ]);
    expect(validateVaccinationSchedule({ id: 'x' }).length).toBeGreaterThan(0);
  });
});

describe('dueVaccinations', () => {
  it('a newborn: birth doses due, everything else not yet due', () => {
    expect(byId(statuses(DOB))).toEqual({
      'BCG-1': 'due',
      'HepB-birth': 'due',
      'OPV-1': 'not-yet-due',
      'OPV-2': 'not-yet-due',
      'OPV-3': 'not-yet-due',
      'DPT-HepB-Hib-1': 'not-yet-due',
      'DPT-HepB-Hib-2': 'not-yet-due',
      'DPT-HepB-Hib-3': 'not-yet-due',
      'measles-1': 'not-yet-due',
      'DPT-4': 'not-yet-due',
      'MR-1': 'not-yet-due',
    });
  });

  it('the hepatitis B birth dose is overdue after 24 hours and missed after 7 days', () => {
    expect(statusOf(statuses('2025-01-16'), 'HepB-birth')?.status).toBe('due');
    expect(statusOf(statuses('2025-01-17'), 'HepB-birth')?.status).toBe('overdue');
    expect(statusOf(statuses('2025-01-22'), 'HepB-birth')?.status).toBe('overdue');
    expect(statusOf(statuses('2025-01-23'), 'HepB-birth')?.status).toBe('missed');
    expect(statusOf(statuses('2025-01-23'), 'HepB-birth')?.lastDate).toBe('2025-01-22');
  });

  it('a dose is due from its age, and overdue more than 30 days after', () => {
    const at = (today: string) => statusOf(statuses(today, atBirth), 'OPV-1')!;
    expect(at('2025-03-14').status).toBe('not-yet-due');
    expect(at('2025-03-15')).toMatchObject({ status: 'due', dueDate: '2025-03-15', overdueFrom: '2025-04-15' });
    expect(at('2025-04-14').status).toBe('due');
    expect(at('2025-04-15').status).toBe('overdue');
    expect(statusOf(statuses('2025-04-15', atBirth), 'BCG-1')).toMatchObject({ status: 'given', givenDate: DOB });
  });

  it('keeps the minimum interval of one month after the previous dose', () => {
    const given = [...atBirth, { vaccine: 'OPV', dose: 1, date: '2025-04-01' }];
    const opv2 = statusOf(statuses('2025-04-20', given), 'OPV-2')!;
    expect(opv2).toMatchObject({ status: 'not-yet-due', dueDate: '2025-05-01' });
    // The pentavalent series has no dose 1 yet: its dose 2 is due by age alone.
    expect(statusOf(statuses('2025-04-20', given), 'DPT-HepB-Hib-2')).toMatchObject({
      status: 'due',
      dueDate: '2025-04-15',
    });
  });

  it('a fully vaccinated 2-year-old has everything given', () => {
    const given: GivenDose[] = [
      ...atBirth,
      ...primary(['2025-03-15', '2025-04-15', '2025-05-15']),
      { vaccine: 'measles', dose: 1, date: '2025-10-15' },
      { vaccine: 'DPT', dose: 4, date: '2026-07-15' },
      { vaccine: 'MR', dose: 1, date: '2026-07-15' },
    ];
    const list = statuses('2027-01-15', given);
    expect(list.every((s) => s.status === 'given')).toBe(true);
    expect(statusOf(list, 'MR-1')?.givenAs).toBe('MR');
  });

  it('counts an MR dose at 9 months for measles, not also for the 18-month MR dose', () => {
    const given = [{ vaccine: 'MR', dose: 1, date: '2025-10-15' }];
    const list = statuses('2026-09-01', given);
    expect(statusOf(list, 'measles-1')).toMatchObject({ status: 'given', givenAs: 'MR' });
    expect(statusOf(list, 'MR-1')?.status).toBe('overdue');
    const both = statuses('2026-09-01', [...given, { vaccine: 'MR', dose: 2, date: '2026-07-20' }]);
    expect(statusOf(both, 'MR-1')).toMatchObject({ status: 'given', givenDate: '2026-07-20' });
  });

  it('counts a hexavalent record in every series it covers, once per series', () => {
    const hexa = ['2025-03-15', '2025-04-15', '2025-05-15', '2026-07-15'].map((date, i) => ({
      vaccine: 'DTaP-IPV-HepB-Hib',
      dose: i + 1,
      date,
    }));
    const list = statuses('2026-08-01', hexa, ['IPV']);
    expect(byId(list)).toMatchObject({
      'DPT-HepB-Hib-1': 'given',
      'DPT-HepB-Hib-2': 'given',
      'DPT-HepB-Hib-3': 'given',
      'DPT-4': 'given',
      'IPV-1': 'given',
      'IPV-2': 'given',
      'OPV-1': 'overdue',
    });
    expect(statusOf(list, 'DPT-4')?.givenDate).toBe('2026-07-15');
  });

  it('evaluates provincial vaccines only where the province runs them', () => {
    expect(statusOf(statuses('2025-04-15'), 'rotavirus-1')).toBeUndefined();
    const withRota = statuses('2025-04-15', [], ['rotavirus']);
    expect(statusOf(withRota, 'rotavirus-1')).toMatchObject({ status: 'overdue', provincial: true });
    // The course ends at 6 months: afterwards a missing dose is missed, not overdue.
    expect(statusOf(statuses('2025-07-17', [], ['rotavirus']), 'rotavirus-2')?.status).toBe('missed');
  });

  it('rejects records dated before the birth or after today', () => {
    expect(() => statuses('2025-03-01', [{ vaccine: 'BCG', dose: 1, date: '2025-01-14' }])).toThrow(RangeError);
    expect(() => statuses('2025-03-01', [{ vaccine: 'BCG', dose: 1, date: '2025-03-02' }])).toThrow(RangeError);
    expect(() => statuses('2025-01-14')).toThrow(RangeError);
  });
});

describe('fullyImmunisedUnder1 ("8 vaccines")', () => {
  const complete: GivenDose[] = [
    ...atBirth,
    ...primary(['2025-03-15', '2025-04-15', '2025-05-15']),
    { vaccine: 'measles', dose: 1, date: '2025-10-15' },
  ];

  it('covers BCG, OPV ×3, DPT-HepB-Hib ×3 and measles', () => {
    expect(fullyImmunisedUnder1Definition.doseIds).toHaveLength(8);
    expect(fullyImmunisedUnder1({ dateOfBirth: DOB, given: complete })).toEqual({
      fullyImmunised: true,
      missing: [],
      firstBirthday: '2026-01-15',
    });
  });

  it('counts only doses given before the first birthday', () => {
    const late = complete.map((r) => (r.vaccine === 'measles' ? { ...r, date: '2026-01-15' } : r));
    expect(fullyImmunisedUnder1({ dateOfBirth: DOB, given: late })).toMatchObject({
      fullyImmunised: false,
      missing: ['measles-1'],
    });
  });

  it('does not need the hepatitis B birth dose', () => {
    const noBirthDose = complete.filter((r) => r.vaccine !== 'HepB');
    expect(fullyImmunisedUnder1({ dateOfBirth: DOB, given: noBirthDose }).fullyImmunised).toBe(true);
    const noBcg = complete.filter((r) => r.vaccine !== 'BCG');
    expect(fullyImmunisedUnder1({ dateOfBirth: DOB, given: noBcg }).missing).toEqual(['BCG-1']);
  });
});
