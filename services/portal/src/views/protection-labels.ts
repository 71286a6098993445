import { escalationLadderOf } from '@ecd/referral-policy';
import { specialCircumstanceGroups } from '@ecd/screening';
import type { Lang } from './labels';

/**
 * Every code of the protection service (Decree 56 stages and steps, report sources, risk levels,
 * emergency measures, board reasons, care status, units) as words in both languages: no code is
 * ever shown raw in the interface.
 */
type Pair = { vi: string; en: string };
const word = (table: Record<string, Pair>, code: string, lang: Lang) => table[code]?.[lang] ?? code;

const stages: Record<string, Pair> = {
  REPORTED: { vi: 'Đã tiếp nhận tin báo (Mẫu 01)', en: 'Report received (form 01)' },
  ASSESSED: { vi: 'Đã đánh giá nguy cơ ban đầu (Mẫu 02)', en: 'Initial risk assessed (form 02)' },
  MEETING_HELD: { vi: 'Đã họp, đánh giá chi tiết (Mẫu 03)', en: 'Case meeting held (form 03)' },
  PLAN_DRAFTED: { vi: 'Đã lập kế hoạch, chờ phê duyệt (Mẫu 04)', en: 'Plan drafted, awaiting approval (form 04)' },
  PLAN_APPROVED: { vi: 'Kế hoạch đã được phê duyệt (Mẫu 05)', en: 'Plan approved (form 05)' },
  IN_IMPLEMENTATION: { vi: 'Đang thực hiện kế hoạch', en: 'Plan being carried out' },
  REVIEWED: { vi: 'Đã rà soát, đánh giá', en: 'Reviewed' },
  CLOSED: { vi: 'Đã đóng hồ sơ (Mẫu 06)', en: 'Closed (form 06)' },
};

/** What the procedure asks for next, per stage. */
const nextSteps: Record<string, Pair> = {
  REPORTED: { vi: 'Đánh giá ban đầu nguy cơ (Mẫu 02)', en: 'Initial risk assessment (form 02)' },
  ASSESSED: {
    vi: 'Xác minh, đánh giá chi tiết và họp (Mẫu 03) — hoặc đóng hồ sơ nếu không có nguy cơ',
    en: 'Detailed assessment and case meeting (form 03) — or close the case if there is no risk',
  },
  MEETING_HELD: {
    vi: 'Lập kế hoạch hỗ trợ, can thiệp (Mẫu 04)',
    en: 'Draft the support and intervention plan (form 04)',
  },
  PLAN_DRAFTED: {
    vi: 'Chủ tịch UBND xã phê duyệt kế hoạch (Mẫu 05)',
    en: "The commune chairman's approval of the plan (form 05)",
  },
  PLAN_APPROVED: {
    vi: 'Thực hiện kế hoạch, chuyển tuyến đến dịch vụ',
    en: 'Carry out the plan and refer to services',
  },
  IN_IMPLEMENTATION: { vi: 'Rà soát, đánh giá kế hoạch', en: 'Review the plan' },
  REVIEWED: { vi: 'Đóng hồ sơ (Mẫu 06)', en: 'Close the case (form 06)' },
  CLOSED: { vi: 'Không còn bước nào', en: 'No step left' },
};

const steps: Record<string, Pair> = {
  INITIAL_ASSESSMENT: { vi: 'Đánh giá ban đầu nguy cơ (Mẫu 02)', en: 'Initial risk assessment (form 02)' },
  EMERGENCY_MEASURE: {
    vi: 'Biện pháp khẩn cấp hoặc tạm thời cách ly, trong 12 giờ',
    en: 'Emergency measure or temporary separation, within 12 hours',
  },
  PLAN: {
    vi: 'Kế hoạch hỗ trợ, can thiệp (Mẫu 04), trong 5 ngày làm việc',
    en: 'Support plan (form 04), within 5 working days',
  },
  APPROVAL: { vi: 'Chủ tịch UBND xã phê duyệt kế hoạch (Mẫu 05)', en: "Chairman's approval of the plan (form 05)" },
  REVIEW: { vi: 'Rà soát, đánh giá kế hoạch (ngày kế hoạch đặt)', en: 'Review of the plan (the date the plan set)' },
};

const clockStates: Record<string, Pair> = {
  RUNNING: { vi: 'Đang tính giờ', en: 'Running' },
  DONE: { vi: 'Đã xong', en: 'Done' },
  CANCELLED: { vi: 'Không cần (không có nguy cơ nghiêm trọng)', en: 'Not needed (no serious risk)' },
};

export const ReportSourceCodes = ['hotline-111', 'person', 'school', 'health-station', 'police', 'other'] as const;
const sources: Record<string, Pair> = {
  'hotline-111': { vi: 'Tổng đài 111 (điện thoại)', en: 'Hotline 111 (phone)' },
  person: { vi: 'Người dân báo trực tiếp hoặc qua điện thoại', en: 'A person, in person or by phone' },
  school: { vi: 'Nhà trường', en: 'A school' },
  'health-station': { vi: 'Cơ sở y tế', en: 'A health facility' },
  police: { vi: 'Công an', en: 'The police' },
  other: { vi: 'Nguồn khác', en: 'Other' },
};

export const RiskLevelCodes = ['high', 'medium', 'low'] as const;
const risks: Record<string, Pair> = {
  high: { vi: 'Cao', en: 'High' },
  medium: { vi: 'Trung bình', en: 'Medium' },
  low: { vi: 'Thấp', en: 'Low' },
};

export const MeasureCodes = [
  'temporary-separation',
  'medical-care',
  'safe-place',
  'police-protection',
  'other',
] as const;
const measures: Record<string, Pair> = {
  'temporary-separation': { vi: 'Tạm thời cách ly khỏi môi trường nguy hiểm', en: 'Temporary separation' },
  'medical-care': { vi: 'Chăm sóc y tế khẩn cấp', en: 'Emergency medical care' },
  'safe-place': { vi: 'Bố trí nơi tạm trú an toàn', en: 'A safe place to stay' },
  'police-protection': { vi: 'Đề nghị công an bảo vệ', en: 'Police protection' },
  other: { vi: 'Biện pháp khác', en: 'Other measure' },
};

const history: Record<string, Pair> = {
  REPORTED: { vi: 'Tiếp nhận tin báo', en: 'Report received' },
  RISK_ASSESSED: { vi: 'Đánh giá ban đầu nguy cơ', en: 'Initial risk assessed' },
  EMERGENCY_MEASURE_TAKEN: { vi: 'Thực hiện biện pháp khẩn cấp', en: 'Emergency measure taken' },
  CASE_MEETING_HELD: { vi: 'Họp, đánh giá chi tiết', en: 'Case meeting held' },
  PLAN_DRAFTED: { vi: 'Lập kế hoạch hỗ trợ, can thiệp', en: 'Plan drafted' },
  PLAN_APPROVED: { vi: 'Chủ tịch UBND xã phê duyệt kế hoạch', en: 'Plan approved by the chairman' },
  IMPLEMENTATION_STARTED: { vi: 'Bắt đầu thực hiện kế hoạch', en: 'Implementation started' },
  CASE_REVIEWED: { vi: 'Rà soát, đánh giá', en: 'Reviewed' },
  CASE_CLOSED: { vi: 'Đóng hồ sơ', en: 'Case closed' },
  STEP_DONE: { vi: 'Bước đã hoàn thành', en: 'Step done' },
  STEP_CANCELLED: { vi: 'Bước không còn cần', en: 'Step no longer needed' },
  STEP_REMINDER_DUE: { vi: 'Nhắc hạn', en: 'Reminder' },
  STEP_ESCALATED: { vi: 'Báo cáo lên cấp trên (quá hạn)', en: 'Escalated (overdue)' },
  ESCALATION_ACKNOWLEDGED: { vi: 'Đã ghi nhận báo cáo vượt cấp', en: 'Escalation acknowledged' },
};

const boardReasons: Record<string, Pair> = {
  NOT_ACCEPTED: { vi: 'Cơ sở chưa tiếp nhận quá hạn', en: 'Not accepted in time' },
  NOT_COMPLETED: { vi: 'Cơ sở chưa hoàn thành quá hạn', en: 'Not completed in time' },
  STEP_MISSED: { vi: 'Bước bảo vệ trẻ em quá hạn', en: 'Protection step overdue' },
};
const boardKinds: Record<string, Pair> = {
  referral: { vi: 'Chuyển tuyến', en: 'Referral' },
  'protection-step': { vi: 'Bước bảo vệ trẻ em', en: 'Protection step' },
};
const resolutions: Record<string, Pair> = {
  redirect: { vi: 'Chuyển sang cơ sở khác', en: 'Redirected to another facility' },
  extend: { vi: 'Gia hạn', en: 'Deadline extended' },
  'close-unresolved': { vi: 'Đóng, chưa giải quyết', en: 'Closed unresolved' },
};

export const CareStatusCodes = ['receiving-care', 'not-receiving-care'] as const;
const careStatuses: Record<string, Pair> = {
  'receiving-care': { vi: 'Đang được chăm sóc, hỗ trợ', en: 'Receiving care' },
  'not-receiving-care': { vi: 'Chưa được chăm sóc, hỗ trợ', en: 'Not receiving care' },
};

/**
 * Unit names of the whole country (the default edition: the official list with the demo's Lào Cai),
 * then the pre-reform list for units only it has (history). The services scope every view; the
 * portal only names what they send.
 */
const unitName = (code: string): string | undefined => {
  for (const edition of ['two-level', 'three-level'] as const) {
    const ladder = escalationLadderOf(edition);
    if (ladder.has(code)) return ladder.unit(code).name;
  }
  return undefined;
};

export const stageLabel = (code: string, lang: Lang) => word(stages, code, lang);
export const nextStepLabel = (code: string, lang: Lang) => word(nextSteps, code, lang);
export const stepLabel = (code: string, lang: Lang) => word(steps, code, lang);
export const clockStateLabel = (code: string, lang: Lang) => word(clockStates, code, lang);
export const sourceLabel = (code: string, lang: Lang) => word(sources, code, lang);
export const riskLabel = (code: string, lang: Lang) => word(risks, code, lang);
export const measureLabel = (code: string, lang: Lang) => word(measures, code, lang);
export const historyLabel = (code: string, lang: Lang) => word(history, code, lang);
export const boardReasonLabel = (code: string, lang: Lang) => word(boardReasons, code, lang);
export const boardKindLabel = (code: string, lang: Lang) => word(boardKinds, code, lang);
export const resolutionLabel = (code: string, lang: Lang) => word(resolutions, code, lang);
export const careStatusLabel = (code: string, lang: Lang) => word(careStatuses, code, lang);
/** "Xã Y Tý" for 02704; the code itself only for a unit the data does not know. */
export const unitLabel = (code: string) => unitName(code) ?? code;
export const groupLabel = (code: string, lang: Lang) => {
  const group = specialCircumstanceGroups.find((g) => g.code === code);
  return group ? (lang === 'en' ? group.name : group.nameVi) : code;
};
