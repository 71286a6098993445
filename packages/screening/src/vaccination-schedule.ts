import Type from 'typebox';
import type { Static } from 'typebox';
import { findProblems } from '@ecd/contracts';
import type { FieldProblem } from '@ecd/contracts';
import { addDays, dateAtAgeMonths, daysBetween, epochDay } from './dates';
import type { LocalDate } from './dates';

/** An age or an interval: calendar months (counted like completed months of age) plus days. */
export interface AgeOffset {
  months?: number;
  days?: number;
}

/** One dose of the schedule. */
export interface ScheduledDose {
  /** Unique in the schedule, e.g. `DPT-HepB-Hib-2`. */
  id: string;
  /** Vaccine id as vaccination records name it, e.g. `DPT-HepB-Hib`. */
  vaccine: string;
  /**
   * The antigen series the dose belongs to; defaults to `vaccine`. Doses of one series are numbered
   * 1, 2, … across vaccines (the DPT booster is dose 4 of the series begun with DPT-HepB-Hib), and
   * a vaccination record counts for at most one dose of a series (but a combination vaccine can
   * count in several series, e.g. the hexavalent vaccine for DPT and for IPV).
   */
  series?: string;
  /** Dose number within the series (1-based). */
  dose: number;
  name: string;
  nameVi: string;
  /** Age at which the dose is due. */
  dueAge: AgeOffset;
  /** Minimum interval after the previous dose of the series, when that dose was given. */
  minIntervalAfterPrevious?: AgeOffset;
  /** Days past the due date before the dose is overdue; the schedule's default when absent. */
  overdueAfterDays?: number;
  /** Age in days after which the dose is no longer given: then it is 'missed', not 'overdue'. */
  maxAgeDays?: number;
  /**
   * Other vaccines whose records count for this dose (combination or replacement vaccines, e.g.
   * the hexavalent vaccine for a pentavalent dose, MR for the measles dose).
   */
  acceptedVaccines?: string[];
  /** Not in the national schedule everywhere: evaluated only where the province has adopted it. */
  provincial: boolean;
  /** Where this entry comes from, and any assumption in it. */
  note?: string;
}

/** A vaccination schedule: data, versioned, replaceable by a province's own. */
export interface VaccinationSchedule {
  id: string;
  version: number;
  /** Default days past the due date before a dose is overdue. */
  overdueAfterDays: number;
  doses: ScheduledDose[];
  source: string;
}

/** One vaccination record: what was given, which dose of its series, and when. */
export interface GivenDose {
  vaccine: string;
  dose: number;
  date: LocalDate;
}

const AgeOffsetSchema = Type.Object(
  {
    months: Type.Optional(Type.Integer({ minimum: 0, maximum: 120 })),
    days: Type.Optional(Type.Integer({ minimum: 0, maximum: 3660 })),
  },
  { additionalProperties: false },
);

const ScheduledDoseSchema = Type.Object(
  {
    id: Type.String({ minLength: 1, maxLength: 64 }),
    vaccine: Type.String({ minLength: 1, maxLength: 64 }),
    series: Type.Optional(Type.String({ minLength: 1, maxLength: 64 })),
    dose: Type.Integer({ minimum: 1, maximum: 10 }),
    name: Type.String({ minLength: 1 }),
    nameVi: Type.String({ minLength: 1 }),
    dueAge: AgeOffsetSchema,
    minIntervalAfterPrevious: Type.Optional(AgeOffsetSchema),
    overdueAfterDays: Type.Optional(Type.Integer({ minimum: 0, maximum: 3660 })),
    maxAgeDays: Type.Optional(Type.Integer({ minimum: 0, maximum: 3660 })),
    acceptedVaccines: Type.Optional(Type.Array(Type.String({ minLength: 1, maxLength: 64 }), { uniqueItems: true })),
    provincial: Type.Boolean(),
    note: Type.Optional(Type.String()),
  },
  { additionalProperties: false },
);

/** Validates schedule documents (e.g. a province's schedule loaded from configuration). */
export const VaccinationScheduleSchema = Type.Object(
  {
    id: Type.String({ minLength: 1, maxLength: 64 }),
    version: Type.Integer({ minimum: 1 }),
    overdueAfterDays: Type.Integer({ minimum: 0, maximum: 3660 }),
    doses: Type.Array(ScheduledDoseSchema, { minItems: 1 }),
    source: Type.String({ minLength: 1 }),
  },
  { additionalProperties: false },
);

// The hand-written interface and the schema must describe the same documents.
type SchemaSchedule = Static<typeof VaccinationScheduleSchema>;
type Same<A, B> = [A] extends [B] ? ([B] extends [A] ? true : false) : false;
const _scheduleMatchesSchema: Same<SchemaSchedule, VaccinationSchedule> = true;

function seriesOf(dose: ScheduledDose): string {
  return dose.series ?? dose.vaccine;
}

function positionKey(series: string, dose: number): string {
  return `${series}#${dose}`;
}

/**
 * Problems with a schedule document; empty when it is a valid {@link VaccinationSchedule}
 * (including unique dose ids, and each dose's previous dose present in the schedule).
 */
export function validateVaccinationSchedule(document: unknown): FieldProblem[] {
  const problems = findProblems(VaccinationScheduleSchema, document);
  if (problems.length > 0) return problems;
  const schedule = document as VaccinationSchedule;
  const ids = new Set<string>();
  const positions = new Set<string>();
  schedule.doses.forEach((dose, index) => {
    if (ids.has(dose.id)) problems.push({ field: `doses.${index}.id`, problem: `repeats "${dose.id}"` });
    ids.add(dose.id);
    const key = positionKey(seriesOf(dose), dose.dose);
    if (positions.has(key)) {
      problems.push({ field: `doses.${index}.dose`, problem: `repeats dose ${dose.dose} of series ${seriesOf(dose)}` });
    }
    positions.add(key);
  });
  schedule.doses.forEach((dose, index) => {
    if (dose.dose > 1 && !positions.has(positionKey(seriesOf(dose), dose.dose - 1))) {
      problems.push({
        field: `doses.${index}.dose`,
        problem: `has no dose ${dose.dose - 1} of series ${seriesOf(dose)} before it`,
      });
    }
  });
  return problems;
}

const NOTE_LATE_BIRTH_DOSE =
  'Circular 38/2017/TT-BYT: within 24 hours of birth (hence overdue after 1 day). The 7-day limit after ' +
  'which a missing birth dose is recorded as missed (the series continues with the pentavalent doses) is a ' +
  'product assumption, to be confirmed with the provincial EPI.';

const HEXAVALENT = 'DTaP-IPV-HepB-Hib';

function doseSeries(
  vaccine: string,
  doses: number,
  firstDueMonths: number,
  name: (dose: number) => string,
  nameVi: (dose: number) => string,
  extra: Partial<ScheduledDose> = {},
): ScheduledDose[] {
  return Array.from({ length: doses }, (_, i) => ({
    id: `${vaccine}-${i + 1}`,
    vaccine,
    dose: i + 1,
    name: name(i + 1),
    nameVi: nameVi(i + 1),
    dueAge: { months: firstDueMonths + i },
    ...(i > 0 ? { minIntervalAfterPrevious: { months: 1 } } : {}),
    provincial: false,
    ...extra,
  }));
}

/**
 * Vietnam's Expanded Programme on Immunisation for children, as Circular 38/2017/TT-BYT (17 Oct 2017,
 * Annex on the vaccines and schedules of compulsory vaccination) sets it:
 *
 * | age | vaccine |
 * |---|---|
 * | birth | BCG (within the first month); hepatitis B birth dose (within 24 hours) |
 * | 2, 3, 4 months | oral polio (OPV) 1–3; DPT-HepB-Hib (pentavalent) 1–3, each ≥ 1 month after the last |
 * | 9 months | measles |
 * | 18 months | DPT booster (dose 4); measles-rubella (MR) |
 *
 * Entries flagged `provincial` are run in some provinces only, or are being introduced in stages;
 * they are evaluated only where the province says it has adopted them (see `dueVaccinations`).
 * A province with a different schedule replaces this object (validate it with
 * {@link validateVaccinationSchedule}).
 */
export const vietnamEpiSchedule: VaccinationSchedule = {
  id: 'vn-epi',
  version: 1,
  overdueAfterDays: 30,
  source:
    'Circular 38/2017/TT-BYT (Ministry of Health, 17 Oct 2017) on compulsory vaccination, Annex: vaccines and ' +
    'schedules of the Expanded Programme on Immunisation. Overdue 30 days after the due date: product default.',
  doses: [
    {
      id: 'BCG-1',
      vaccine: 'BCG',
      dose: 1,
      name: 'BCG (tuberculosis)',
      nameVi: 'Vắc xin phòng lao (BCG)',
      dueAge: { days: 0 },
      maxAgeDays: 364,
      provincial: false,
      note: 'Circular 38/2017/TT-BYT: one dose within the first month after birth, for children under 1 year.',
    },
    {
      id: 'HepB-birth',
      vaccine: 'HepB',
      dose: 1,
      name: 'Hepatitis B birth dose (within 24 hours)',
      nameVi: 'Vắc xin viêm gan B sơ sinh (trong 24 giờ đầu sau sinh)',
      dueAge: { days: 0 },
      overdueAfterDays: 1,
      maxAgeDays: 7,
      provincial: false,
      note: NOTE_LATE_BIRTH_DOSE,
    },
    ...doseSeries(
      'OPV',
      3,
      2,
      (n) => `Oral polio vaccine (OPV) dose ${n}`,
      (n) => `Vắc xin bại liệt uống (OPV) lần ${n}`,
    ),
    ...doseSeries(
      'DPT-HepB-Hib',
      3,
      2,
      (n) => `DPT-HepB-Hib (pentavalent) dose ${n}`,
      (n) => `Vắc xin 5 trong 1 (bạch hầu, ho gà, uốn ván, viêm gan B, Hib) mũi ${n}`,
      { series: 'DPT', acceptedVaccines: [HEXAVALENT] },
    ),
    {
      id: 'measles-1',
      vaccine: 'measles',
      series: 'measles',
      dose: 1,
      name: 'Measles, 9 months',
      nameVi: 'Vắc xin sởi mũi 1 (9 tháng tuổi)',
      dueAge: { months: 9 },
      acceptedVaccines: ['MR', 'MMR'],
      provincial: false,
      note: 'Circular 38/2017/TT-BYT: measles at 9 months; an MR or MMR record counts for it.',
    },
    {
      id: 'DPT-4',
      vaccine: 'DPT',
      series: 'DPT',
      dose: 4,
      name: 'DPT booster (dose 4), 18 months',
      nameVi: 'Vắc xin bạch hầu - ho gà - uốn ván (DPT) mũi 4 (18 tháng tuổi)',
      dueAge: { months: 18 },
      acceptedVaccines: ['DPT-HepB-Hib', HEXAVALENT, 'DTaP'],
      provincial: false,
      note: 'Dose 4 of the diphtheria-pertussis-tetanus series, whose doses 1–3 are the DPT-HepB-Hib doses.',
    },
    {
      id: 'MR-1',
      vaccine: 'MR',
      series: 'measles',
      dose: 2,
      name: 'Measles-rubella (MR), 18 months',
      nameVi: 'Vắc xin sởi - rubella (MR) (18 tháng tuổi)',
      dueAge: { months: 18 },
      acceptedVaccines: ['MMR'],
      provincial: false,
      note:
        'Circular 38/2017/TT-BYT: measles-rubella at 18 months, the second measles-containing dose (so dose 2 ' +
        'of the measles series; a record of MR dose 1 counts for it).',
    },
    {
      id: 'IPV-1',
      vaccine: 'IPV',
      dose: 1,
      name: 'Inactivated polio vaccine (IPV) dose 1',
      nameVi: 'Vắc xin bại liệt tiêm (IPV) mũi 1',
      dueAge: { months: 5 },
      acceptedVaccines: [HEXAVALENT],
      provincial: true,
      note:
        'IPV was added to the EPI in stages (one dose at 5 months, later a second at 9 months); flagged ' +
        'provincial until the province confirms it runs them.',
    },
    {
      id: 'IPV-2',
      vaccine: 'IPV',
      dose: 2,
      name: 'Inactivated polio vaccine (IPV) dose 2',
      nameVi: 'Vắc xin bại liệt tiêm (IPV) mũi 2',
      dueAge: { months: 9 },
      minIntervalAfterPrevious: { months: 1 },
      acceptedVaccines: [HEXAVALENT],
      provincial: true,
      note: 'See IPV-1.',
    },
    ...doseSeries(
      'rotavirus',
      2,
      2,
      (n) => `Rotavirus (oral) dose ${n}`,
      (n) => `Vắc xin phòng tiêu chảy do rota (uống) lần ${n}`,
      {
        maxAgeDays: 182,
        provincial: true,
        note:
          'Rotavirus vaccine (Rotavin-M1) has entered the EPI from 2024 in some provinces only: two oral doses ' +
          'at 2 and 3 months. The course must be finished before 6 months of age (product label), so a dose ' +
          'not given by then is missed.',
      },
    ),
    {
      id: 'JE-1',
      vaccine: 'JE',
      dose: 1,
      name: 'Japanese encephalitis dose 1',
      nameVi: 'Vắc xin viêm não Nhật Bản mũi 1',
      dueAge: { months: 12 },
      provincial: true,
      note:
        'Circular 38/2017/TT-BYT lists Japanese encephalitis (children 1–5 years: dose 1 at 1 year, dose 2 ' +
        '1–2 weeks later, dose 3 one year after dose 2); it is run by area, so flagged provincial.',
    },
    {
      id: 'JE-2',
      vaccine: 'JE',
      dose: 2,
      name: 'Japanese encephalitis dose 2',
      nameVi: 'Vắc xin viêm não Nhật Bản mũi 2',
      dueAge: { months: 12, days: 7 },
      minIntervalAfterPrevious: { days: 7 },
      provincial: true,
      note: 'See JE-1.',
    },
    {
      id: 'JE-3',
      vaccine: 'JE',
      dose: 3,
      name: 'Japanese encephalitis dose 3',
      nameVi: 'Vắc xin viêm não Nhật Bản mũi 3',
      dueAge: { months: 24, days: 7 },
      minIntervalAfterPrevious: { months: 12 },
      provincial: true,
      note: 'See JE-1.',
    },
  ],
};

/**
 * The national "fully immunised with 8 vaccines" indicator for children under 1 year: protection
 * against tuberculosis, diphtheria, pertussis, tetanus, polio, hepatitis B, Hib and measles, i.e.
 * BCG, OPV ×3, DPT-HepB-Hib ×3 and measles, all given before the first birthday. The hepatitis B
 * birth dose has its own indicator and is not part of this one.
 */
export const fullyImmunisedUnder1Definition = {
  doseIds: [
    'BCG-1',
    'OPV-1',
    'OPV-2',
    'OPV-3',
    'DPT-HepB-Hib-1',
    'DPT-HepB-Hib-2',
    'DPT-HepB-Hib-3',
    'measles-1',
  ] as readonly string[],
  source:
    'EPI indicator "trẻ em dưới 1 tuổi được tiêm chủng đầy đủ 8 loại vắc xin" (Ministry of Health, National ' +
    'EPI); target 97% in the national programme (Decision 1437/QĐ-TTg indicators).',
};

export type DoseStatusValue = 'given' | 'due' | 'overdue' | 'not-yet-due' | 'missed';

export interface DoseStatus {
  doseId: string;
  vaccine: string;
  dose: number;
  name: string;
  nameVi: string;
  provincial: boolean;
  /**
   * - given: a record counts for the dose;
   * - not-yet-due: before the due date;
   * - due: from the due date to the end of the grace period;
   * - overdue: more than the grace period past the due date;
   * - missed: not given and past the dose's maximum age (no longer given).
   */
  status: DoseStatusValue;
  dueDate: LocalDate;
  /** First day on which the dose counts as overdue. */
  overdueFrom: LocalDate;
  /** Last day on which the dose can still be given, when it has a maximum age. */
  lastDate?: LocalDate;
  givenDate?: LocalDate;
  /** The vaccine named in the record that counted (differs from `vaccine` for an accepted one). */
  givenAs?: string;
}

function dateAfter(date: LocalDate, offset: AgeOffset): LocalDate {
  return addDays(dateAtAgeMonths(date, offset.months ?? 0), offset.days ?? 0);
}

function laterOf(a: LocalDate, b: LocalDate): LocalDate {
  return a >= b ? a : b;
}

function validateGiven(dateOfBirth: LocalDate, given: readonly GivenDose[], today?: LocalDate): void {
  for (const record of given) {
    epochDay(record.date);
    if (record.date < dateOfBirth) {
      throw new RangeError(`${record.vaccine} dose ${record.dose} is dated ${record.date}, before the birth`);
    }
    if (today !== undefined && record.date > today) {
      throw new RangeError(`${record.vaccine} dose ${record.dose} is dated ${record.date}, after today`);
    }
  }
}

/**
 * Which record counts for which dose. Doses are taken in order of due age; each takes, in this order
 * of preference, a record of its own vaccine and dose number, any other record of its own vaccine,
 * then a record of an accepted vaccine (earliest first). A record counts once in a series.
 */
function matchRecords(
  dateOfBirth: LocalDate,
  doses: readonly ScheduledDose[],
  given: readonly GivenDose[],
): Map<string, GivenDose> {
  const records = [...given].sort((a, b) => (a.date < b.date ? -1 : a.date > b.date ? 1 : 0));
  const used = new Set<string>();
  const matched = new Map<string, GivenDose>();
  const ordered = doses
    .map((dose, index) => ({ dose, index, due: dateAfter(dateOfBirth, dose.dueAge) }))
    .sort((a, b) => (a.due < b.due ? -1 : a.due > b.due ? 1 : a.index - b.index));
  const take = (dose: ScheduledDose, test: (record: GivenDose) => boolean): boolean => {
    const series = seriesOf(dose);
    const index = records.findIndex((r, i) => !used.has(`${i}|${series}`) && test(r));
    const record = records[index];
    if (!record) return false;
    used.add(`${index}|${series}`);
    matched.set(dose.id, record);
    return true;
  };
  for (const { dose } of ordered) {
    const accepted = dose.acceptedVaccines ?? [];
    void (
      take(dose, (r) => r.vaccine === dose.vaccine && r.dose === dose.dose) ||
      take(dose, (r) => r.vaccine === dose.vaccine) ||
      take(dose, (r) => accepted.includes(r.vaccine))
    );
  }
  return matched;
}

function applicableDoses(schedule: VaccinationSchedule, provincialVaccines: readonly string[]): ScheduledDose[] {
  return schedule.doses.filter((dose) => !dose.provincial || provincialVaccines.includes(dose.vaccine));
}

/**
 * The status of every dose of `schedule` for a child on `today`. Provincial doses are included only
 * for the vaccines listed in `provincialVaccines` (the province's adopted ones, e.g. `['rotavirus']`).
 * A dose after the first of its series is due at its age or at the minimum interval after the
 * previous dose, whichever is later. Throws on invalid dates and on records dated before the birth
 * or after today.
 */
export function dueVaccinations(input: {
  dateOfBirth: LocalDate;
  today: LocalDate;
  given: readonly GivenDose[];
  schedule?: VaccinationSchedule;
  provincialVaccines?: readonly string[];
}): DoseStatus[] {
  const { dateOfBirth, today, given } = input;
  const schedule = input.schedule ?? vietnamEpiSchedule;
  if (daysBetween(dateOfBirth, today) < 0) throw new RangeError('today is before the date of birth');
  validateGiven(dateOfBirth, given, today);
  const doses = applicableDoses(schedule, input.provincialVaccines ?? []);
  const matched = matchRecords(dateOfBirth, doses, given);
  const byPosition = new Map(doses.map((dose) => [positionKey(seriesOf(dose), dose.dose), dose]));

  return doses.map((dose): DoseStatus => {
    let dueDate = dateAfter(dateOfBirth, dose.dueAge);
    const previous = byPosition.get(positionKey(seriesOf(dose), dose.dose - 1));
    const previousRecord = previous && matched.get(previous.id);
    if (previousRecord && dose.minIntervalAfterPrevious) {
      dueDate = laterOf(dueDate, dateAfter(previousRecord.date, dose.minIntervalAfterPrevious));
    }
    const grace = dose.overdueAfterDays ?? schedule.overdueAfterDays;
    const overdueFrom = addDays(dueDate, grace + 1);
    const lastDate = dose.maxAgeDays === undefined ? undefined : addDays(dateOfBirth, dose.maxAgeDays);
    const record = matched.get(dose.id);
    let status: DoseStatusValue;
    if (record) status = 'given';
    else if (lastDate !== undefined && today > lastDate) status = 'missed';
    else if (today < dueDate) status = 'not-yet-due';
    else if (today < overdueFrom) status = 'due';
    else status = 'overdue';
    return {
      doseId: dose.id,
      vaccine: dose.vaccine,
      dose: dose.dose,
      name: dose.name,
      nameVi: dose.nameVi,
      provincial: dose.provincial,
      status,
      dueDate,
      overdueFrom,
      ...(lastDate !== undefined ? { lastDate } : {}),
      ...(record ? { givenDate: record.date, givenAs: record.vaccine } : {}),
    };
  });
}

/**
 * The "fully immunised with 8 vaccines under 1 year" indicator for one child: every dose of the
 * definition given before the first birthday. `missing` lists the doses that were not (so a child
 * under 1 year who is not yet complete has them listed too; reports count children who have turned 1).
 */
export function fullyImmunisedUnder1(input: {
  dateOfBirth: LocalDate;
  given: readonly GivenDose[];
  schedule?: VaccinationSchedule;
  definition?: { doseIds: readonly string[] };
}): { fullyImmunised: boolean; missing: string[]; firstBirthday: LocalDate } {
  const schedule = input.schedule ?? vietnamEpiSchedule;
  const definition = input.definition ?? fullyImmunisedUnder1Definition;
  validateGiven(input.dateOfBirth, input.given);
  const firstBirthday = dateAtAgeMonths(input.dateOfBirth, 12);
  const doses = definition.doseIds.map((id) => {
    const dose = schedule.doses.find((d) => d.id === id);
    if (!dose) throw new RangeError(`The schedule has no dose "${id}"`);
    return dose;
  });
  const beforeBirthday = input.given.filter((record) => record.date < firstBirthday);
  const matched = matchRecords(input.dateOfBirth, doses, beforeBirthday);
  const missing = doses.filter((dose) => !matched.has(dose.id)).map((dose) => dose.id);
  return { fullyImmunised: missing.length === 0, missing, firstBirthday };
}
