import Type from 'typebox';
import type { Static } from 'typebox';
import { findProblems } from '@ecd/contracts';
import type { FieldProblem, Sector, Urgency } from '@ecd/contracts';
import { completedMonths, daysBetween, epochDay } from './dates';
import type { LocalDate } from './dates';
import { developmentWarnings, developmentWarningSigns } from './development-warning-signs';
import type {
  DevelopmentObservations,
  DevelopmentWarningSign,
  DevelopmentWarningSignSet,
} from './development-warning-signs';
import { assessGrowth, MAX_GROWTH_AGE_DAYS, whoGrowthCutoffs } from './growth';
import type {
  GrowthAssessment,
  GrowthCutoffs,
  GrowthIndicator,
  GrowthMeasurement,
  IndicatorResult,
  Sex,
} from './growth';
import { findSpecialCircumstanceGroup } from './reference-lists';
import type { SpecialCircumstanceGroup } from './reference-lists';
import { dueVaccinations, vietnamEpiSchedule } from './vaccination-schedule';
import type { DoseStatus, GivenDose, VaccinationSchedule } from './vaccination-schedule';

export type FindingDomain = 'health' | 'nutrition' | 'development' | 'education' | 'welfare' | 'protection';
export type FindingSeverity = 'info' | 'moderate' | 'severe';

export const FindingCodes = [
  'vaccination-overdue',
  'vaccination-due',
  'vaccination-missed',
  'underweight',
  'severe-underweight',
  'stunting',
  'severe-stunting',
  'wasting',
  'severe-wasting',
  'overweight',
  'bilateral-oedema',
  'implausible-measurement',
  'growth-indicator-out-of-range',
  'growth-standard-not-applicable',
  'development-warning-sign',
  'loss-of-skills',
  'not-enrolled-in-preschool',
  'preschool-enrolment-unknown',
  'disability-inclusive-education',
  'birth-not-registered',
  'special-circumstance',
] as const;
export type FindingCode = (typeof FindingCodes)[number];

/** One thing the screening found, in both languages. */
export interface Finding {
  /** Unique within one screening result and stable for the same finding, e.g. `nutrition.severe-wasting`. */
  id: string;
  code: FindingCode;
  domain: FindingDomain;
  severity: FindingSeverity;
  text: string;
  textVi: string;
  details?: Record<string, string | number | boolean>;
}

export interface SuggestedReferral {
  /** The service asked for (the rule's `service`), e.g. `catch-up-vaccination`. */
  service: string;
  sector: Sector;
  urgency: Urgency;
  reason: string;
  reasonVi: string;
  findingIds: string[];
}

/** Which findings lead to which referral: data, so a province can change urgencies or add services. */
export interface ReferralRule {
  service: string;
  findingCodes: FindingCode[];
  sector: Sector;
  urgency: Urgency;
  reason: string;
  reasonVi: string;
  /** Services this referral replaces when both are suggested; their findings move into this one. */
  absorbs?: string[];
  source: string;
}

export interface ScreeningPolicy {
  vaccinationSchedule: VaccinationSchedule;
  /** Provincial vaccines the province runs (e.g. `['rotavirus']`); see `dueVaccinations`. */
  provincialVaccines: string[];
  growthCutoffs: GrowthCutoffs;
  developmentWarningSigns: DevelopmentWarningSignSet;
  /**
   * Universal preschool. Preschool classes go by year of birth: in the school year starting in
   * `schoolYearStartMonth` of year Y, a child born in year B is in the (Y − B)-year-olds' class.
   */
  universalPreschool: { fromAgeYears: number; toAgeYears: number; schoolYearStartMonth: number; source: string };
  /** Age (completed months) from which a child with a disability is referred for inclusive education. */
  inclusiveEducation: { fromAgeMonths: number; source: string };
  /** Days after birth within which the birth must be registered. */
  birthRegistration: { registerWithinDays: number; source: string };
  referralRules: ReferralRule[];
}

export const defaultReferralRules: readonly ReferralRule[] = [
  {
    service: 'severe-acute-malnutrition',
    findingCodes: ['severe-wasting', 'bilateral-oedema'],
    sector: 'nutrition',
    urgency: 'urgent',
    reason: 'Severe acute malnutrition: medical assessment and treatment',
    reasonVi: 'Suy dinh dưỡng cấp tính nặng: khám và điều trị',
    absorbs: ['nutrition-support'],
    source:
      'WHO (2013) guideline on the management of severe acute malnutrition: weight-for-length/height below −3 SD ' +
      'or bilateral pitting oedema; treated without delay.',
  },
  {
    service: 'specialist-developmental-assessment',
    findingCodes: ['loss-of-skills'],
    sector: 'health',
    urgency: 'urgent',
    reason: 'Loss of language or social skills: specialist developmental assessment',
    reasonVi: 'Mất kỹ năng ngôn ngữ hoặc xã hội: khám, đánh giá phát triển chuyên khoa',
    absorbs: ['developmental-assessment'],
    source: 'Decision 2254/QĐ-BYT (2021): any loss of language or social skills at any age → specialist referral.',
  },
  {
    service: 'catch-up-vaccination',
    findingCodes: ['vaccination-overdue'],
    sector: 'health',
    urgency: 'routine',
    reason: 'Catch-up vaccination at the commune health station',
    reasonVi: 'Tiêm chủng bù các mũi quá hạn tại trạm y tế xã',
    source: 'Circular 38/2017/TT-BYT (EPI schedule).',
  },
  {
    service: 'nutrition-support',
    findingCodes: ['underweight', 'severe-underweight', 'stunting', 'severe-stunting', 'wasting'],
    sector: 'nutrition',
    urgency: 'routine',
    reason: 'Malnutrition: nutrition assessment, counselling and growth monitoring',
    reasonVi: 'Suy dinh dưỡng: đánh giá dinh dưỡng, tư vấn và theo dõi tăng trưởng',
    source: 'WHO Child Growth Standards (2006): below −2 SD.',
  },
  {
    service: 'developmental-assessment',
    findingCodes: ['development-warning-sign'],
    sector: 'health',
    urgency: 'routine',
    reason: 'Developmental assessment (early signs of autism or developmental delay)',
    reasonVi: 'Khám, đánh giá phát triển (dấu hiệu sớm rối loạn phổ tự kỷ hoặc chậm phát triển)',
    source: 'Decision 2254/QĐ-BYT (2021): early warning signs → refer for specialist assessment.',
  },
  {
    service: 'preschool-enrolment',
    findingCodes: ['not-enrolled-in-preschool'],
    sector: 'education',
    urgency: 'routine',
    reason: 'Preschool enrolment (universal preschool for children aged 3–5)',
    reasonVi: 'Hỗ trợ trẻ đến trường mầm non (phổ cập giáo dục mầm non cho trẻ từ 3 đến 5 tuổi)',
    source: 'Resolution 218/2025/QH15 on universal preschool education for children aged 3 to 5.',
  },
  {
    service: 'inclusive-education',
    findingCodes: ['disability-inclusive-education'],
    sector: 'education',
    urgency: 'routine',
    reason: 'Inclusive education and an individual education plan',
    reasonVi: 'Giáo dục hòa nhập và kế hoạch giáo dục cá nhân',
    source: 'Circular 03/2018/TT-BGDĐT on inclusive education for persons with disabilities.',
  },
  {
    service: 'birth-registration',
    findingCodes: ['birth-not-registered'],
    // The commune civil-status officer's desk, not social welfare: a duty with its own clock.
    sector: 'civil-registration',
    urgency: 'routine',
    reason: 'Birth registration at the commune justice office',
    reasonVi: 'Đăng ký khai sinh tại bộ phận tư pháp - hộ tịch của Ủy ban nhân dân xã',
    source:
      'Law on Civil Status 2014 (60/2014/QH13) Arts. 13–16: birth registration at the commune People’s Committee.',
  },
  {
    service: 'special-circumstances-review',
    findingCodes: ['special-circumstance'],
    sector: 'protection',
    urgency: 'routine',
    reason: 'Review of a child in special circumstances and the support the child is entitled to',
    reasonVi: 'Rà soát, đánh giá nhu cầu hỗ trợ của trẻ em có hoàn cảnh đặc biệt',
    source:
      'Law on Children 2016 Art. 10 and Decree 56/2017/NĐ-CP. Routine: a current risk to the child goes through ' +
      'the child-protection procedure (Decree 56 Arts. 25–26), not through screening.',
  },
];

export const defaultScreeningPolicy: ScreeningPolicy = {
  vaccinationSchedule: vietnamEpiSchedule,
  provincialVaccines: [],
  growthCutoffs: whoGrowthCutoffs,
  developmentWarningSigns,
  universalPreschool: {
    fromAgeYears: 3,
    toAgeYears: 5,
    schoolYearStartMonth: 9,
    source:
      'Resolution 218/2025/QH15 (universal preschool education for children aged 3 to 5); school year from ' +
      'September, classes by year of birth (Ministry of Education and Training preschool regulations).',
  },
  inclusiveEducation: {
    fromAgeMonths: 36,
    source:
      'Circular 03/2018/TT-BGDĐT (inclusive education). From 36 months, the preschool-class age: product default; ' +
      'nursery groups take children from 3 months, so a province may lower it.',
  },
  birthRegistration: {
    registerWithinDays: 60,
    source: 'Law on Civil Status 2014 (60/2014/QH13) Art. 15: parents register the birth within 60 days.',
  },
  referralRules: [...defaultReferralRules],
};

/** Input of {@link screenChild}: what the intake form records. */
export interface ScreeningInput {
  child: {
    dateOfBirth: LocalDate;
    sex: Sex;
    birthRegistered: boolean;
    enrolledInPreschool?: boolean;
    /** Codes (`'04'`) or ids (`'disability'`) of Law on Children Art. 10 groups. */
    specialCircumstances?: string[];
    disability?: boolean;
  };
  /** The screening date (Vietnam local), `YYYY-MM-DD`. */
  today: LocalDate;
  measurements?: GrowthMeasurement;
  vaccinations?: GivenDose[];
  developmentObservations?: DevelopmentObservations;
}

const DateSchema = Type.String({ pattern: '^\\d{4}-\\d{2}-\\d{2}$', description: 'YYYY-MM-DD' });

/** Validates screening input documents (the intake service's request bodies). */
export const ScreeningInputSchema = Type.Object(
  {
    child: Type.Object(
      {
        dateOfBirth: DateSchema,
        sex: Type.Enum(['female', 'male']),
        birthRegistered: Type.Boolean(),
        enrolledInPreschool: Type.Optional(Type.Boolean()),
        specialCircumstances: Type.Optional(
          Type.Array(Type.String({ minLength: 1, maxLength: 64 }), { uniqueItems: true, maxItems: 14 }),
        ),
        disability: Type.Optional(Type.Boolean()),
      },
      { additionalProperties: false },
    ),
    today: DateSchema,
    measurements: Type.Optional(
      Type.Object(
        {
          date: DateSchema,
          weightKg: Type.Number({ exclusiveMinimum: 0, maximum: 100 }),
          lengthCm: Type.Optional(Type.Number({ exclusiveMinimum: 0, maximum: 200 })),
          heightCm: Type.Optional(Type.Number({ exclusiveMinimum: 0, maximum: 200 })),
          oedema: Type.Optional(Type.Boolean()),
        },
        { additionalProperties: false },
      ),
    ),
    vaccinations: Type.Optional(
      Type.Array(
        Type.Object(
          {
            vaccine: Type.String({ minLength: 1, maxLength: 64 }),
            dose: Type.Integer({ minimum: 1, maximum: 10 }),
            date: DateSchema,
          },
          { additionalProperties: false },
        ),
        { maxItems: 200 },
      ),
    ),
    developmentObservations: Type.Optional(Type.Record(Type.String({ maxLength: 64 }), Type.Boolean())),
  },
  { additionalProperties: false },
);

// The hand-written interface and the schema must describe the same documents.
type SchemaInput = Static<typeof ScreeningInputSchema>;
type Same<A, B> = [A] extends [B] ? ([B] extends [A] ? true : false) : false;
const _inputMatchesSchema: Same<SchemaInput, ScreeningInput> = true;

function isCalendarDate(date: string): boolean {
  try {
    epochDay(date);
    return true;
  } catch {
    return false;
  }
}

/**
 * Problems with a screening input; empty when {@link screenChild} accepts it. Beyond the schema:
 * real calendar dates, nothing dated before the birth or after `today`, known special-circumstance
 * groups.
 */
export function validateScreeningInput(document: unknown): FieldProblem[] {
  const problems = findProblems(ScreeningInputSchema, document);
  if (problems.length > 0) return problems;
  const input = document as ScreeningInput;
  const dated: [string, string][] = [
    ['child.dateOfBirth', input.child.dateOfBirth],
    ['today', input.today],
  ];
  if (input.measurements) dated.push(['measurements.date', input.measurements.date]);
  input.vaccinations?.forEach((record, i) => dated.push([`vaccinations.${i}.date`, record.date]));
  for (const [field, date] of dated) {
    if (!isCalendarDate(date)) problems.push({ field, problem: 'is not a real calendar date' });
  }
  if (problems.length > 0) return problems;
  for (const [field, date] of dated.slice(1)) {
    if (date < input.child.dateOfBirth) problems.push({ field, problem: 'is before the date of birth' });
  }
  for (const [field, date] of dated.slice(2)) {
    if (date > input.today) problems.push({ field, problem: 'is after the screening date' });
  }
  input.child.specialCircumstances?.forEach((code, i) => {
    if (!findSpecialCircumstanceGroup(code)) {
      problems.push({
        field: `child.specialCircumstances.${i}`,
        problem: `"${code}" is not a Law on Children Art. 10 group`,
      });
    }
  });
  return problems;
}

/** Thrown by {@link screenChild} for input that {@link validateScreeningInput} rejects. */
export class InvalidScreeningInputError extends RangeError {
  constructor(readonly problems: FieldProblem[]) {
    super(`Invalid screening input: ${problems.map((p) => `${p.field} ${p.problem}`).join('; ')}`);
    this.name = 'InvalidScreeningInputError';
  }
}

export interface ScreeningResult {
  /** Completed months on `today`. */
  ageMonths: number;
  /** Days since birth on `today`. */
  ageDays: number;
  findings: Finding[];
  /** Most urgent first. */
  suggestedReferrals: SuggestedReferral[];
  /** The details behind the findings, for the form to show. */
  growth?: GrowthAssessment;
  vaccinations?: DoseStatus[];
  developmentWarnings?: DevelopmentWarningSign[];
}

const viDate = (date: LocalDate) => `${date.slice(8, 10)}/${date.slice(5, 7)}/${date.slice(0, 4)}`;
const fmtZ = (z: number) => (z > 0 ? `+${z.toFixed(2)}` : z.toFixed(2)).replace('-', '−');
const fmtZVi = (z: number) => fmtZ(z).replace('.', ',');

function vaccinationFindings(statuses: readonly DoseStatus[]): Finding[] {
  const findings: Finding[] = [];
  for (const s of statuses) {
    const details = { doseId: s.doseId, dueDate: s.dueDate };
    if (s.status === 'overdue') {
      findings.push({
        id: `health.vaccination-overdue.${s.doseId}`,
        code: 'vaccination-overdue',
        domain: 'health',
        severity: 'moderate',
        text: `Vaccination overdue: ${s.name} (due ${s.dueDate})`,
        textVi: `Quá hạn tiêm chủng: ${s.nameVi} (đến hạn ${viDate(s.dueDate)})`,
        details,
      });
    } else if (s.status === 'due') {
      findings.push({
        id: `health.vaccination-due.${s.doseId}`,
        code: 'vaccination-due',
        domain: 'health',
        severity: 'info',
        text: `Vaccination due now: ${s.name} (overdue from ${s.overdueFrom})`,
        textVi: `Đến lịch tiêm: ${s.nameVi} (quá hạn từ ${viDate(s.overdueFrom)})`,
        details,
      });
    } else if (s.status === 'missed') {
      findings.push({
        id: `health.vaccination-missed.${s.doseId}`,
        code: 'vaccination-missed',
        domain: 'health',
        severity: 'info',
        text: `Vaccination missed and no longer given at this age: ${s.name}`,
        textVi: `Đã bỏ lỡ, không còn tiêm ở độ tuổi này: ${s.nameVi}`,
        details,
      });
    }
  }
  return findings;
}

const GROWTH_TEXT: Record<
  Exclude<IndicatorResult['classification'], 'normal'>,
  { code: FindingCode; severity: FindingSeverity; text: string; textVi: string }
> = {
  underweight: {
    code: 'underweight',
    severity: 'moderate',
    text: 'underweight',
    textVi: 'suy dinh dưỡng thể nhẹ cân',
  },
  'severely-underweight': {
    code: 'severe-underweight',
    severity: 'severe',
    text: 'severely underweight',
    textVi: 'suy dinh dưỡng thể nhẹ cân mức độ nặng',
  },
  stunted: { code: 'stunting', severity: 'moderate', text: 'stunted', textVi: 'suy dinh dưỡng thể thấp còi' },
  'severely-stunted': {
    code: 'severe-stunting',
    severity: 'severe',
    text: 'severely stunted',
    textVi: 'suy dinh dưỡng thể thấp còi mức độ nặng',
  },
  wasted: { code: 'wasting', severity: 'moderate', text: 'wasted', textVi: 'suy dinh dưỡng thể gầy còm' },
  'severely-wasted': {
    code: 'severe-wasting',
    severity: 'severe',
    text: 'severely wasted (severe acute malnutrition)',
    textVi: 'suy dinh dưỡng thể gầy còm mức độ nặng (suy dinh dưỡng cấp tính nặng)',
  },
  overweight: { code: 'overweight', severity: 'moderate', text: 'overweight', textVi: 'thừa cân' },
};

const INDICATOR_TEXT: Record<GrowthIndicator, { text: string; textVi: string }> = {
  'weight-for-age': { text: 'Weight-for-age', textVi: 'Cân nặng theo tuổi' },
  'length-height-for-age': { text: 'Length/height-for-age', textVi: 'Chiều dài/chiều cao theo tuổi' },
  'weight-for-length-height': {
    text: 'Weight-for-length/height',
    textVi: 'Cân nặng theo chiều dài/chiều cao',
  },
};

function growthFindings(growth: GrowthAssessment): Finding[] {
  const findings: Finding[] = [];
  if (growth.oedema) {
    findings.push({
      id: 'nutrition.bilateral-oedema',
      code: 'bilateral-oedema',
      domain: 'nutrition',
      severity: 'severe',
      text: 'Bilateral pitting oedema: severe acute malnutrition',
      textVi: 'Phù ấn lõm hai bên: suy dinh dưỡng cấp tính nặng',
    });
  }
  if (growth.ageDays > MAX_GROWTH_AGE_DAYS) {
    findings.push({
      id: 'nutrition.growth-standard-not-applicable',
      code: 'growth-standard-not-applicable',
      domain: 'nutrition',
      severity: 'info',
      text: 'The WHO 2006 growth standards cover children up to 5 years; growth was not assessed',
      textVi: 'Chuẩn tăng trưởng WHO 2006 áp dụng cho trẻ đến 5 tuổi; chưa đánh giá tăng trưởng',
    });
    return findings;
  }
  for (const result of [growth.weightForAge, growth.lengthHeightForAge, growth.weightForLengthHeight]) {
    if (!result) continue;
    const label = INDICATOR_TEXT[result.indicator];
    const details = { indicator: result.indicator, z: result.z };
    if (result.classification !== 'normal') {
      const t = GROWTH_TEXT[result.classification];
      findings.push({
        id: `nutrition.${t.code}`,
        code: t.code,
        domain: 'nutrition',
        severity: t.severity,
        text: `${label.text} ${fmtZ(result.z)} SD: ${t.text}`,
        textVi: `${label.textVi} ${fmtZVi(result.z)} SD: ${t.textVi}`,
        details,
      });
    }
    if (result.implausible) {
      findings.push({
        id: `nutrition.implausible-measurement.${result.indicator}`,
        code: 'implausible-measurement',
        domain: 'nutrition',
        severity: 'info',
        text: `${label.text} ${fmtZ(result.z)} SD is outside the plausible range: check the measurement`,
        textVi: `${label.textVi} ${fmtZVi(result.z)} SD nằm ngoài khoảng hợp lý: kiểm tra lại số đo`,
        details,
      });
    }
  }
  for (const { indicator, reason } of growth.unavailable) {
    if (reason !== 'out-of-range') continue;
    const label = INDICATOR_TEXT[indicator];
    findings.push({
      id: `nutrition.growth-indicator-out-of-range.${indicator}`,
      code: 'growth-indicator-out-of-range',
      domain: 'nutrition',
      severity: 'info',
      text: `${label.text} not computed: the measurement is outside the WHO tables`,
      textVi: `Chưa tính ${label.textVi.toLowerCase()}: số đo nằm ngoài bảng chuẩn WHO`,
      details: { indicator },
    });
  }
  return findings;
}

function developmentFindings(signs: readonly DevelopmentWarningSign[]): Finding[] {
  return signs.map((sign) => ({
    id: `development.${sign.id}`,
    code: sign.kind === 'loss-of-skills' ? 'loss-of-skills' : 'development-warning-sign',
    domain: 'development',
    severity: sign.kind === 'loss-of-skills' ? 'severe' : 'moderate',
    text: `Developmental warning sign: ${sign.text}`,
    textVi: `Dấu hiệu cảnh báo phát triển: ${sign.textVi}`,
    details: { signId: sign.id },
  }));
}

/** Age of a child born on `dateOfBirth` as preschool classes count it, in the school year of `today`. */
export function preschoolClassAge(dateOfBirth: LocalDate, today: LocalDate, schoolYearStartMonth: number): number {
  const year = Number(today.slice(0, 4));
  const month = Number(today.slice(5, 7));
  const schoolYear = month >= schoolYearStartMonth ? year : year - 1;
  return schoolYear - Number(dateOfBirth.slice(0, 4));
}

function educationFindings(
  input: ScreeningInput,
  ageMonths: number,
  disability: boolean,
  policy: ScreeningPolicy,
): Finding[] {
  const findings: Finding[] = [];
  const { universalPreschool: preschool, inclusiveEducation } = policy;
  const classAge = preschoolClassAge(input.child.dateOfBirth, input.today, preschool.schoolYearStartMonth);
  if (classAge >= preschool.fromAgeYears && classAge <= preschool.toAgeYears) {
    if (input.child.enrolledInPreschool === false) {
      findings.push({
        id: 'education.not-enrolled-in-preschool',
        code: 'not-enrolled-in-preschool',
        domain: 'education',
        severity: 'moderate',
        text: `Not enrolled in preschool (${classAge}-year-olds' class this school year)`,
        textVi: `Chưa đi học mầm non (độ tuổi lớp ${classAge} tuổi năm học này)`,
        details: { classAge },
      });
    } else if (input.child.enrolledInPreschool === undefined) {
      findings.push({
        id: 'education.preschool-enrolment-unknown',
        code: 'preschool-enrolment-unknown',
        domain: 'education',
        severity: 'info',
        text: 'Preschool age: ask whether the child goes to preschool',
        textVi: 'Trẻ trong độ tuổi mầm non: cần hỏi trẻ đã đi học mầm non chưa',
        details: { classAge },
      });
    }
  }
  if (disability && ageMonths >= inclusiveEducation.fromAgeMonths) {
    findings.push({
      id: 'education.inclusive-education',
      code: 'disability-inclusive-education',
      domain: 'education',
      severity: 'moderate',
      text: 'Child with a disability: inclusive education and an individual education plan',
      textVi: 'Trẻ khuyết tật: cần giáo dục hòa nhập và kế hoạch giáo dục cá nhân',
    });
  }
  return findings;
}

function welfareFindings(input: ScreeningInput, ageDays: number, policy: ScreeningPolicy): Finding[] {
  if (input.child.birthRegistered) return [];
  const late = ageDays > policy.birthRegistration.registerWithinDays;
  return [
    {
      id: 'welfare.birth-not-registered',
      code: 'birth-not-registered',
      domain: 'welfare',
      severity: late ? 'moderate' : 'info',
      text: late
        ? `Birth not registered (more than ${policy.birthRegistration.registerWithinDays} days after birth)`
        : 'Birth not yet registered',
      textVi: late
        ? `Chưa đăng ký khai sinh (đã quá ${policy.birthRegistration.registerWithinDays} ngày kể từ ngày sinh)`
        : 'Chưa đăng ký khai sinh',
      details: { ageDays },
    },
  ];
}

function protectionFindings(groups: readonly SpecialCircumstanceGroup[]): Finding[] {
  return groups.map((group) => ({
    id: `protection.special-circumstance.${group.code}`,
    code: 'special-circumstance',
    domain: 'protection',
    severity: 'moderate',
    text: `Child in special circumstances (Law on Children Art. 10): ${group.name}`,
    textVi: `Trẻ em có hoàn cảnh đặc biệt (Điều 10 Luật Trẻ em): ${group.nameVi}`,
    details: { groupCode: group.code, groupId: group.id },
  }));
}

const URGENCY_ORDER: Record<Urgency, number> = { emergency: 0, urgent: 1, routine: 2 };

/** Referrals for `findings` under `rules`, most urgent first (rule order within an urgency). */
export function suggestReferrals(findings: readonly Finding[], rules: readonly ReferralRule[]): SuggestedReferral[] {
  const referrals: (SuggestedReferral & { order: number; absorbs: string[] })[] = [];
  rules.forEach((rule, order) => {
    const matched = findings.filter((f) => rule.findingCodes.includes(f.code)).map((f) => f.id);
    if (matched.length === 0) return;
    referrals.push({
      service: rule.service,
      sector: rule.sector,
      urgency: rule.urgency,
      reason: rule.reason,
      reasonVi: rule.reasonVi,
      findingIds: matched,
      order,
      absorbs: rule.absorbs ?? [],
    });
  });
  const absorbed = new Set<string>();
  for (const referral of referrals) {
    for (const other of referrals) {
      if (other === referral || !referral.absorbs.includes(other.service) || absorbed.has(other.service)) continue;
      referral.findingIds.push(...other.findingIds.filter((id) => !referral.findingIds.includes(id)));
      absorbed.add(other.service);
    }
  }
  return referrals
    .filter((r) => !absorbed.has(r.service))
    .sort((a, b) => URGENCY_ORDER[a.urgency] - URGENCY_ORDER[b.urgency] || a.order - b.order)
    .map(({ service, sector, urgency, reason, reasonVi, findingIds }) => ({
      service,
      sector,
      urgency,
      reason,
      reasonVi,
      findingIds,
    }));
}

/**
 * Screens one child on `today`: immunisation, growth, development, education, birth registration
 * and special circumstances, each by the rules of `policy`, and suggests referrals. Pure: the same
 * input and policy always give the same result. Throws {@link InvalidScreeningInputError} on input
 * that {@link validateScreeningInput} rejects.
 */
export function screenChild(input: ScreeningInput, policy: ScreeningPolicy = defaultScreeningPolicy): ScreeningResult {
  const problems = validateScreeningInput(input);
  if (problems.length > 0) throw new InvalidScreeningInputError(problems);
  const { child, today } = input;
  const ageDays = daysBetween(child.dateOfBirth, today);
  const ageMonths = completedMonths(child.dateOfBirth, today);

  const groups = (child.specialCircumstances ?? []).map((code) => findSpecialCircumstanceGroup(code)!);
  const disabilityGroup = findSpecialCircumstanceGroup('disability')!;
  if (child.disability === true && !groups.includes(disabilityGroup)) groups.push(disabilityGroup);
  const unique = [...new Set(groups)].sort((a, b) => a.code.localeCompare(b.code));
  const disability = unique.includes(disabilityGroup);

  const result: ScreeningResult = { ageMonths, ageDays, findings: [], suggestedReferrals: [] };
  const findings: Finding[] = [];

  if (input.vaccinations) {
    result.vaccinations = dueVaccinations({
      dateOfBirth: child.dateOfBirth,
      today,
      given: input.vaccinations,
      schedule: policy.vaccinationSchedule,
      provincialVaccines: policy.provincialVaccines,
    });
    findings.push(...vaccinationFindings(result.vaccinations));
  }
  if (input.measurements) {
    result.growth = assessGrowth({
      sex: child.sex,
      dateOfBirth: child.dateOfBirth,
      measurement: input.measurements,
      cutoffs: policy.growthCutoffs,
    });
    findings.push(...growthFindings(result.growth));
  }
  if (input.developmentObservations) {
    result.developmentWarnings = developmentWarnings({
      ageMonths,
      observations: input.developmentObservations,
      signs: policy.developmentWarningSigns,
    });
    findings.push(...developmentFindings(result.developmentWarnings));
  }
  findings.push(...educationFindings(input, ageMonths, disability, policy));
  findings.push(...welfareFindings(input, ageDays, policy));
  findings.push(...protectionFindings(unique));

  result.findings = findings;
  result.suggestedReferrals = suggestReferrals(findings, policy.referralRules);
  return result;
}
