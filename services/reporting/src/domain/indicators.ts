import type { ChildFormula, ProtectionCaseFormula } from './indicator-formulas';

/** How an indicator gets its figures. */
export type IndicatorSource =
  /** Computed by the reporting service from the platform's events. */
  | { kind: 'child-events'; formula: ChildFormula }
  | { kind: 'protection-events'; formula: ProtectionCaseFormula }
  /** Owned by another system or not yet in the events: entered by the responsible office, with its source. */
  | { kind: 'entered'; by: string; why: string };

export interface Target {
  /** `at-least` for coverage, `below` for a rate to push down. */
  direction: 'at-least' | 'below';
  percent: number;
}

/**
 * One indicator, as data. A change to its formula or target is a new version: a frozen report
 * names the version its figures were computed with.
 */
export interface IndicatorDefinition {
  id: string;
  version: number;
  name: { vi: string; en: string };
  numerator: string;
  denominator: string;
  /** Both reports (semi-annual and annual) carry every indicator. */
  period: 'semi-annual-and-annual';
  /** Levels it is aggregated to: the commune, then every unit above it on the ladder. */
  levels: readonly ('commune' | 'district' | 'province')[];
  leadSector: string;
  targets: { 2025: Target; 2030: Target };
  legalSource: string;
  source: IndicatorSource;
}

const seed004 = 'Chỉ thị 28-CT/TW; Kế hoạch 177-KH/TU tỉnh (seed 004)';
const levels = ['commune', 'district', 'province'] as const;

/** The indicators of the plans this platform reports (seed 004 numbering), current versions. */
export const indicatorDefinitions: readonly IndicatorDefinition[] = [
  {
    id: 'reached-needed-services',
    version: 1,
    name: {
      vi: 'Trẻ em được tiếp cận dịch vụ cần thiết (chuyển tuyến hoàn thành)',
      en: 'Children who reached the services they needed (referral completed)',
    },
    numerator: 'children referred in the period with a referral completed by the period end',
    denominator: 'children referred in the period',
    period: 'semi-annual-and-annual',
    levels,
    leadSector: 'social affairs (Sở Y tế / Phòng Văn hóa – Xã hội)',
    targets: { 2025: { direction: 'at-least', percent: 98 }, 2030: { direction: 'at-least', percent: 98 } },
    legalSource: `${seed004}, chỉ tiêu 2; Quyết định 1437/QĐ-TTg`,
    source: { kind: 'child-events', formula: 'reached-needed-services' },
  },
  {
    id: 'children-screened',
    version: 1,
    name: { vi: 'Trẻ em đến 8 tuổi được theo dõi, đánh giá nhu cầu', en: 'Children up to 8 screened in the period' },
    numerator: 'children under 9 at the period start screened in the period',
    denominator: 'children in the register by the period end, under 9 at the period start',
    period: 'semi-annual-and-annual',
    levels,
    leadSector: 'health',
    targets: { 2025: { direction: 'at-least', percent: 98 }, 2030: { direction: 'at-least', percent: 98 } },
    legalSource: 'Quyết định 1437/QĐ-TTg (xã theo dõi, đánh giá nhu cầu của trẻ em)',
    source: { kind: 'child-events', formula: 'children-screened' },
  },
  {
    id: 'under-five-screened',
    version: 1,
    name: { vi: 'Trẻ em dưới 5 tuổi được khám sàng lọc', en: 'Under-5s screened in the period' },
    numerator: 'children under 5 at the period start screened while still under 5',
    denominator: 'children in the register by the period end, under 5 at the period start',
    period: 'semi-annual-and-annual',
    levels,
    leadSector: 'health',
    targets: { 2025: { direction: 'at-least', percent: 99 }, 2030: { direction: 'at-least', percent: 99 } },
    legalSource: `${seed004}, chỉ tiêu 15`,
    source: { kind: 'child-events', formula: 'under-five-screened' },
  },
  {
    id: 'protection-plans-approved',
    version: 1,
    name: {
      vi: 'Trẻ em cần bảo vệ được phê duyệt kế hoạch hỗ trợ',
      en: 'Protection cases with an approved support plan',
    },
    numerator: 'protection cases reported in the period with the plan approved by the period end',
    denominator: 'protection cases reported in the period',
    period: 'semi-annual-and-annual',
    levels,
    leadSector: 'child protection',
    targets: { 2025: { direction: 'at-least', percent: 100 }, 2030: { direction: 'at-least', percent: 100 } },
    legalSource: `${seed004}, chỉ tiêu 8; Nghị định 56/2017/NĐ-CP Điều 28–29`,
    source: { kind: 'protection-events', formula: 'protection-plans-approved' },
  },
  {
    id: 'under-five-underweight',
    version: 1,
    name: { vi: 'Tỷ lệ suy dinh dưỡng thể nhẹ cân (dưới 5 tuổi)', en: 'Under-5 underweight (WAZ < −2)' },
    numerator: 'under-5s measured whose latest weight-for-age z-score is below −2',
    denominator: 'under-5s measured in the period',
    period: 'semi-annual-and-annual',
    levels,
    leadSector: 'health (nutrition)',
    targets: { 2025: { direction: 'below', percent: 9 }, 2030: { direction: 'below', percent: 6 } },
    legalSource: `${seed004}, chỉ tiêu 4`,
    source: {
      kind: 'entered',
      by: 'commune health station',
      why: 'case.screened.v1 carries no z-scores (findings stay in intake); a screening event with the latest WAZ/HAZ would make it computable',
    },
  },
  {
    id: 'under-five-stunted',
    version: 1,
    name: { vi: 'Tỷ lệ suy dinh dưỡng thể thấp còi (dưới 5 tuổi)', en: 'Under-5 stunting (HAZ < −2)' },
    numerator: 'under-5s measured whose latest height-for-age z-score is below −2',
    denominator: 'under-5s measured in the period',
    period: 'semi-annual-and-annual',
    levels,
    leadSector: 'health (nutrition)',
    targets: { 2025: { direction: 'below', percent: 17 }, 2030: { direction: 'below', percent: 15 } },
    legalSource: `${seed004}, chỉ tiêu 4`,
    source: {
      kind: 'entered',
      by: 'commune health station',
      why: 'case.screened.v1 carries no z-scores (findings stay in intake)',
    },
  },
  {
    id: 'special-circumstances-cared-for',
    version: 1,
    name: {
      vi: 'Trẻ em có hoàn cảnh đặc biệt được chăm sóc, nuôi dưỡng, trợ giúp',
      en: 'Children in special circumstances cared for',
    },
    numerator: 'children in the special-circumstances register receiving care',
    denominator: 'children in the special-circumstances register',
    period: 'semi-annual-and-annual',
    levels,
    leadSector: 'child protection',
    targets: { 2025: { direction: 'at-least', percent: 100 }, 2030: { direction: 'at-least', percent: 100 } },
    legalSource: `${seed004}, chỉ tiêu 8; Luật Trẻ em 2016 Điều 10`,
    source: {
      kind: 'entered',
      by: 'commune protection officer',
      why: 'the special-circumstances register stays in the protection service and publishes no events',
    },
  },
  {
    id: 'under-one-fully-immunised',
    version: 1,
    name: { vi: 'Trẻ em dưới 1 tuổi được tiêm chủng đầy đủ', en: 'Under-1s fully immunised' },
    numerator: 'children under 1 with every EPI dose due',
    denominator: 'children under 1',
    period: 'semi-annual-and-annual',
    levels,
    leadSector: 'health (EPI)',
    targets: { 2025: { direction: 'at-least', percent: 97 }, 2030: { direction: 'at-least', percent: 98 } },
    legalSource: `${seed004}, chỉ tiêu 5`,
    source: { kind: 'entered', by: 'commune health station', why: 'owned by the national immunisation system' },
  },
  {
    id: 'under-five-birth-registered',
    version: 1,
    name: { vi: 'Trẻ em dưới 5 tuổi được đăng ký khai sinh', en: 'Under-5s birth-registered' },
    numerator: 'children under 5 with a birth registration',
    denominator: 'children under 5',
    period: 'semi-annual-and-annual',
    levels,
    leadSector: 'justice',
    targets: { 2025: { direction: 'at-least', percent: 100 }, 2030: { direction: 'at-least', percent: 100 } },
    legalSource: `${seed004}, chỉ tiêu 14`,
    source: { kind: 'entered', by: 'commune justice officer', why: 'owned by the civil-status register' },
  },
  {
    id: 'five-year-olds-in-preschool',
    version: 1,
    name: { vi: 'Trẻ em 5 tuổi đi học mẫu giáo', en: '5-year-olds in preschool' },
    numerator: 'children aged 5 enrolled in preschool',
    denominator: 'children aged 5',
    period: 'semi-annual-and-annual',
    levels,
    leadSector: 'education',
    targets: { 2025: { direction: 'at-least', percent: 99.9 }, 2030: { direction: 'at-least', percent: 99.9 } },
    legalSource: `${seed004}, chỉ tiêu 16`,
    source: { kind: 'entered', by: 'education office', why: 'enrolment lives in the education information system' },
  },
];

/** The definitions whose figures come from events. */
export const computedIndicators = indicatorDefinitions.filter((d) => d.source.kind !== 'entered');

export const indicatorKey = (definition: Pick<IndicatorDefinition, 'id' | 'version'>) =>
  `${definition.id}@${definition.version}`;
