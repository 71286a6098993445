import { daysBetween } from './dates';
import type { LocalDate } from './dates';
import {
  lengthHeightForAgeBoys,
  lengthHeightForAgeGirls,
  lmsAt,
  weightForAgeBoys,
  weightForAgeGirls,
  weightForHeightBoys,
  weightForHeightGirls,
  weightForLengthBoys,
  weightForLengthGirls,
} from './growth-standards';
import type { Lms, LmsTable, Sex } from './growth-standards';

export type { Lms, LmsTable, Sex };

/**
 * Anthropometric indicators of the WHO Child Growth Standards (2006), computed as WHO's anthro
 * software computes them:
 *
 * - z = ((X/M)^L − 1) / (L·S) (z = ln(X/M)/S when L = 0), with the LMS parameters of the child's
 *   sex at the age in completed days (age-based indicators, 0–1856 days) or at the length/height
 *   (weight-for-length 45–110 cm, weight-for-height 65–120 cm, interpolated between 0.1 cm rows).
 * - Weight-based indicators are "restricted" beyond ±3 SD: z = 3 + (X − SD3)/(SD3 − SD2) above +3
 *   and z = −3 + (X − SD3neg)/(SD2neg − SD3neg) below −3, where SDk = M·(1 + L·S·k)^(1/L). The
 *   standard's skewed tails otherwise stretch extreme weights (WHO 2006, Methods and development,
 *   ch. 7). Length/height-for-age has L = 1 and needs no restriction.
 * - Recumbent length is the measure below 24 months (731 days), standing height from 24 months;
 *   a child measured the other way is corrected by 0.7 cm (standing height + 0.7 = length).
 * - Weight-for-length is used below 731 days and weight-for-height from 731 days.
 * - With bilateral pitting oedema the weight-based indicators are not computed (the weight
 *   includes retained water); the child has severe acute malnutrition whatever the numbers.
 * - Results are reported rounded to 2 decimals and classified on the rounded value, like WHO's
 *   software; values beyond the WHO plausibility limits are flagged `implausible`.
 */

export type GrowthIndicator = 'weight-for-age' | 'length-height-for-age' | 'weight-for-length-height';

export type GrowthClassification =
  | 'normal'
  | 'underweight'
  | 'severely-underweight'
  | 'stunted'
  | 'severely-stunted'
  | 'wasted'
  | 'severely-wasted'
  | 'overweight';

/** Cut-offs, as data: WHO/UNICEF use the same for every country, but they are not code. */
export interface GrowthCutoffs {
  /** Below this z: underweight / stunted / wasted. */
  moderateBelow: number;
  /** Below this z: severely so. */
  severeBelow: number;
  /** Above this weight-for-length/height z: overweight. */
  overweightAbove: number;
  /** Outside these limits a z-score is flagged as probably a measuring or recording error. */
  plausible: Record<GrowthIndicator, { min: number; max: number }>;
  source: string;
}

export const whoGrowthCutoffs: GrowthCutoffs = {
  moderateBelow: -2,
  severeBelow: -3,
  overweightAbove: 2,
  plausible: {
    'weight-for-age': { min: -6, max: 5 },
    'length-height-for-age': { min: -6, max: 6 },
    'weight-for-length-height': { min: -5, max: 5 },
  },
  source:
    'WHO Child Growth Standards (2006); WHO & UNICEF, "WHO child growth standards and the identification of ' +
    'severe acute malnutrition in infants and children" (2009): below −2 SD moderate, below −3 SD severe, ' +
    'weight-for-length/height above +2 SD overweight; plausibility flags as in WHO Anthro / igrowup.',
};

/** Age in completed days up to which the age-based tables go (60 months plus a month of margin). */
export const MAX_GROWTH_AGE_DAYS = 1856;
/** From this age in days (24 months) the standards use standing height instead of recumbent length. */
export const STANDING_HEIGHT_FROM_DAYS = 731;
/** Standing height is on average 0.7 cm less than recumbent length (WHO 2006). */
export const LENGTH_HEIGHT_DIFFERENCE_CM = 0.7;

const TABLES: Record<Sex, Record<'wfa' | 'lhfa' | 'wfl' | 'wfh', LmsTable>> = {
  male: {
    wfa: weightForAgeBoys,
    lhfa: lengthHeightForAgeBoys,
    wfl: weightForLengthBoys,
    wfh: weightForHeightBoys,
  },
  female: {
    wfa: weightForAgeGirls,
    lhfa: lengthHeightForAgeGirls,
    wfl: weightForLengthGirls,
    wfh: weightForHeightGirls,
  },
};

function assertSex(sex: Sex): void {
  if (sex !== 'male' && sex !== 'female') throw new RangeError(`"${String(sex)}" is not a sex (male or female)`);
}

function assertPositive(value: number, what: string): void {
  if (typeof value !== 'number' || !Number.isFinite(value) || value <= 0) {
    throw new RangeError(`${what} must be a positive number`);
  }
}

function assertAgeDays(ageDays: number): void {
  if (!Number.isInteger(ageDays) || ageDays < 0) throw new RangeError('ageDays must be a whole number ≥ 0');
}

/** The measurement at which the LMS curve of `lms` crosses `z` (the "SDk" value). */
function valueAtZ(lms: Lms, z: number): number {
  return Math.abs(lms.L) < 1e-12 ? lms.M * Math.exp(lms.S * z) : lms.M * Math.pow(1 + lms.L * lms.S * z, 1 / lms.L);
}

/**
 * The z-score of `value` under `lms`. With `restricted` (weight-based indicators), values beyond
 * ±3 SD are scored by the distance between the 2 SD and 3 SD curves, as WHO prescribes.
 */
export function lmsZScore(value: number, lms: Lms, restricted: boolean): number {
  assertPositive(value, 'value');
  const { L, M, S } = lms;
  const z = Math.abs(L) < 1e-12 ? Math.log(value / M) / S : (Math.pow(value / M, L) - 1) / (L * S);
  if (!restricted || Math.abs(z) <= 3) return z;
  if (z > 3) {
    const sd3 = valueAtZ(lms, 3);
    return 3 + (value - sd3) / (sd3 - valueAtZ(lms, 2));
  }
  const sd3neg = valueAtZ(lms, -3);
  return -3 + (value - sd3neg) / (valueAtZ(lms, -2) - sd3neg);
}

/** Rounds half away from zero to 2 decimals, as WHO reports z-scores. */
export function roundZ(z: number): number {
  const rounded = (Math.sign(z) * Math.round(Math.abs(z) * 100 + 1e-9)) / 100;
  return rounded === 0 ? 0 : rounded;
}

/** Weight-for-age z (unrounded), or undefined when the age is beyond the tables (1856 days). */
export function weightForAgeZ(input: { sex: Sex; ageDays: number; weightKg: number }): number | undefined {
  assertSex(input.sex);
  assertAgeDays(input.ageDays);
  assertPositive(input.weightKg, 'weightKg');
  const lms = lmsAt(TABLES[input.sex].wfa, input.ageDays);
  return lms && lmsZScore(input.weightKg, lms, true);
}

/**
 * Length/height-for-age z (unrounded) of a length (below 731 days) or height (from 731 days)
 * already corrected to the measure the age calls for ({@link lengthOrHeightForTables}).
 */
export function lengthHeightForAgeZ(input: {
  sex: Sex;
  ageDays: number;
  lengthOrHeightCm: number;
}): number | undefined {
  assertSex(input.sex);
  assertAgeDays(input.ageDays);
  assertPositive(input.lengthOrHeightCm, 'lengthOrHeightCm');
  const lms = lmsAt(TABLES[input.sex].lhfa, input.ageDays);
  return lms && lmsZScore(input.lengthOrHeightCm, lms, false);
}

/**
 * Weight-for-length z below 731 days, weight-for-height z from 731 days (unrounded); undefined
 * when the corrected length/height is outside the table (45–110 cm, 65–120 cm) or the age is
 * beyond 1856 days.
 */
export function weightForLengthHeightZ(input: {
  sex: Sex;
  ageDays: number;
  weightKg: number;
  lengthOrHeightCm: number;
}): number | undefined {
  assertSex(input.sex);
  assertAgeDays(input.ageDays);
  assertPositive(input.weightKg, 'weightKg');
  assertPositive(input.lengthOrHeightCm, 'lengthOrHeightCm');
  if (input.ageDays > MAX_GROWTH_AGE_DAYS) return undefined;
  const table = input.ageDays < STANDING_HEIGHT_FROM_DAYS ? TABLES[input.sex].wfl : TABLES[input.sex].wfh;
  const lms = lmsAt(table, input.lengthOrHeightCm);
  return lms && lmsZScore(input.weightKg, lms, true);
}

/**
 * The length (below 731 days) or height (from 731 days) to look up, from what was measured:
 * a standing height below 24 months gains 0.7 cm, a recumbent length from 24 months loses 0.7 cm.
 * When both are given, the one the age calls for is used as it is.
 */
export function lengthOrHeightForTables(input: {
  ageDays: number;
  lengthCm?: number;
  heightCm?: number;
}): { valueCm: number; measuredAs: 'length' | 'height'; correctedCm: number } | undefined {
  const wantsLength = input.ageDays < STANDING_HEIGHT_FROM_DAYS;
  const { lengthCm, heightCm } = input;
  if (lengthCm !== undefined) assertPositive(lengthCm, 'lengthCm');
  if (heightCm !== undefined) assertPositive(heightCm, 'heightCm');
  if (wantsLength && lengthCm !== undefined) return { valueCm: lengthCm, measuredAs: 'length', correctedCm: 0 };
  if (!wantsLength && heightCm !== undefined) return { valueCm: heightCm, measuredAs: 'height', correctedCm: 0 };
  const d = LENGTH_HEIGHT_DIFFERENCE_CM;
  if (wantsLength && heightCm !== undefined) return { valueCm: heightCm + d, measuredAs: 'height', correctedCm: d };
  if (!wantsLength && lengthCm !== undefined) return { valueCm: lengthCm - d, measuredAs: 'length', correctedCm: -d };
  return undefined;
}

export interface IndicatorResult {
  indicator: GrowthIndicator;
  /** Rounded to 2 decimals, as WHO reports it; the classification uses this value. */
  z: number;
  zUnrounded: number;
  classification: GrowthClassification;
  /** Outside the WHO plausibility limits: check the measurement before acting on it. */
  implausible: boolean;
}

export type UnavailableReason = 'no-measurement' | 'oedema' | 'out-of-range';

export interface GrowthAssessment {
  ageDays: number;
  sex: Sex;
  /** The length/height looked up (after the 0.7 cm correction), when one was measured. */
  lengthOrHeightCm?: number;
  /** Which table weight-for-length/height used: length below 24 months, height from 24 months. */
  lengthOrHeightTable: 'length' | 'height';
  oedema: boolean;
  weightForAge?: IndicatorResult;
  lengthHeightForAge?: IndicatorResult;
  weightForLengthHeight?: IndicatorResult;
  /** Indicators that could not be computed, and why. */
  unavailable: { indicator: GrowthIndicator; reason: UnavailableReason }[];
}

export interface GrowthMeasurement {
  /** Date of the measurement, `YYYY-MM-DD`. */
  date: LocalDate;
  weightKg: number;
  /** Recumbent length (lying down). */
  lengthCm?: number;
  /** Standing height. */
  heightCm?: number;
  /** Bilateral pitting oedema. */
  oedema?: boolean;
}

function classify(indicator: GrowthIndicator, z: number, cutoffs: GrowthCutoffs): GrowthClassification {
  const [moderate, severe] =
    indicator === 'weight-for-age'
      ? (['underweight', 'severely-underweight'] as const)
      : indicator === 'length-height-for-age'
        ? (['stunted', 'severely-stunted'] as const)
        : (['wasted', 'severely-wasted'] as const);
  if (z < cutoffs.severeBelow) return severe;
  if (z < cutoffs.moderateBelow) return moderate;
  if (indicator === 'weight-for-length-height' && z > cutoffs.overweightAbove) return 'overweight';
  return 'normal';
}

function result(indicator: GrowthIndicator, zUnrounded: number, cutoffs: GrowthCutoffs): IndicatorResult {
  const z = roundZ(zUnrounded);
  const { min, max } = cutoffs.plausible[indicator];
  return { indicator, z, zUnrounded, classification: classify(indicator, z, cutoffs), implausible: z < min || z > max };
}

/**
 * Weight-for-age, length/height-for-age and weight-for-length/height of one measurement.
 * Throws on invalid input (dates, a measurement before birth, non-positive numbers).
 */
export function assessGrowth(input: {
  sex: Sex;
  dateOfBirth: LocalDate;
  measurement: GrowthMeasurement;
  cutoffs?: GrowthCutoffs;
}): GrowthAssessment {
  const { sex, dateOfBirth, measurement } = input;
  const cutoffs = input.cutoffs ?? whoGrowthCutoffs;
  assertSex(sex);
  const ageDays = daysBetween(dateOfBirth, measurement.date);
  if (ageDays < 0) throw new RangeError('The measurement date is before the date of birth');
  assertPositive(measurement.weightKg, 'weightKg');
  const oedema = measurement.oedema === true;
  const lengthOrHeight = lengthOrHeightForTables({
    ageDays,
    lengthCm: measurement.lengthCm,
    heightCm: measurement.heightCm,
  });
  const assessment: GrowthAssessment = {
    ageDays,
    sex,
    lengthOrHeightTable: ageDays < STANDING_HEIGHT_FROM_DAYS ? 'length' : 'height',
    oedema,
    unavailable: [],
  };
  if (lengthOrHeight) assessment.lengthOrHeightCm = lengthOrHeight.valueCm;
  const unavailable = (indicator: GrowthIndicator, reason: UnavailableReason) =>
    assessment.unavailable.push({ indicator, reason });

  if (oedema) unavailable('weight-for-age', 'oedema');
  else {
    const z = weightForAgeZ({ sex, ageDays, weightKg: measurement.weightKg });
    if (z === undefined) unavailable('weight-for-age', 'out-of-range');
    else assessment.weightForAge = result('weight-for-age', z, cutoffs);
  }

  if (!lengthOrHeight) unavailable('length-height-for-age', 'no-measurement');
  else {
    const z = lengthHeightForAgeZ({ sex, ageDays, lengthOrHeightCm: lengthOrHeight.valueCm });
    if (z === undefined) unavailable('length-height-for-age', 'out-of-range');
    else assessment.lengthHeightForAge = result('length-height-for-age', z, cutoffs);
  }

  if (oedema) unavailable('weight-for-length-height', 'oedema');
  else if (!lengthOrHeight) unavailable('weight-for-length-height', 'no-measurement');
  else {
    const z = weightForLengthHeightZ({
      sex,
      ageDays,
      weightKg: measurement.weightKg,
      lengthOrHeightCm: lengthOrHeight.valueCm,
    });
    if (z === undefined) unavailable('weight-for-length-height', 'out-of-range');
    else assessment.weightForLengthHeight = result('weight-for-length-height', z, cutoffs);
  }
  return assessment;
}
