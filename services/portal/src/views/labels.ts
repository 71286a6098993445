import { CivilRegistrationRecordKinds, WelfareRecordKinds } from '@ecd/contracts';

/** The two languages of the portal; Vietnamese is the default. */
export type Lang = 'vi' | 'en';

type Pair = { vi: string; en: string };
const pick = (pair: Pair | undefined, lang: Lang, fallback: string) => (pair ? pair[lang] : fallback);

const sectors: Record<string, Pair> = {
  health: { vi: 'Y tế', en: 'Health' },
  nutrition: { vi: 'Dinh dưỡng', en: 'Nutrition' },
  education: { vi: 'Giáo dục', en: 'Education' },
  protection: { vi: 'Bảo vệ trẻ em', en: 'Child protection' },
  welfare: { vi: 'Trợ giúp xã hội', en: 'Social welfare' },
  'civil-registration': { vi: 'Đăng ký khai sinh (hộ tịch)', en: 'Birth registration (civil status)' },
};

const states: Record<string, Pair> = {
  REQUESTED: { vi: 'Chờ tiếp nhận', en: 'Awaiting acceptance' },
  ACCEPTED: { vi: 'Đã tiếp nhận', en: 'Accepted' },
  IN_SERVICE: { vi: 'Đang cung cấp dịch vụ', en: 'In service' },
  COMPLETED: { vi: 'Đã hoàn thành', en: 'Completed' },
  DECLINED: { vi: 'Từ chối', en: 'Declined' },
  WITHDRAWN: { vi: 'Đã rút lại', en: 'Withdrawn' },
  REDIRECTED: { vi: 'Đã chuyển nơi khác', en: 'Redirected' },
  CLOSED_UNRESOLVED: { vi: 'Đóng, chưa giải quyết', en: 'Closed unresolved' },
  OPEN: { vi: 'Đang mở', en: 'Open' },
  REFERRED: { vi: 'Đã chuyển tuyến', en: 'Referred' },
  SCREENED: { vi: 'Đã sàng lọc', en: 'Screened' },
  CLOSED: { vi: 'Đã đóng', en: 'Closed' },
};

const urgencies: Record<string, Pair> = {
  routine: { vi: 'Thường quy', en: 'Routine' },
  urgent: { vi: 'Khẩn', en: 'Urgent' },
  emergency: { vi: 'Cấp cứu', en: 'Emergency' },
};

const roles: Record<string, Pair> = {
  'intake-staff': { vi: 'Cán bộ tiếp nhận xã', en: 'Commune intake staff' },
  'health-staff': { vi: 'Nhân viên trạm y tế', en: 'Health station staff' },
  'education-staff': { vi: 'Giáo viên mầm non', en: 'Preschool staff' },
  'facility-manager': { vi: 'Trưởng trạm y tế', en: 'Health station manager' },
  'school-principal': { vi: 'Hiệu trưởng', en: 'School principal' },
  'welfare-staff': { vi: 'Công chức văn hoá - xã hội (trợ giúp xã hội)', en: 'Commune social-welfare officer' },
  'civil-status-officer': { vi: 'Công chức tư pháp - hộ tịch', en: 'Commune civil-status officer' },
  'education-officer': { vi: 'Chuyên viên giáo dục', en: 'Education officer' },
  'protection-officer': { vi: 'Cán bộ bảo vệ trẻ em', en: 'Child protection officer' },
  'commune-chairman': { vi: 'Chủ tịch UBND xã', en: 'Commune chairman' },
  supervisor: { vi: 'Giám sát viên tỉnh', en: 'Provincial supervisor' },
};

const timelineKinds: Record<string, Pair> = {
  'case.opened': { vi: 'Mở hồ sơ', en: 'Case opened' },
  'case.screening_scheduled': { vi: 'Lên lịch sàng lọc', en: 'Screening scheduled' },
  screening: { vi: 'Sàng lọc', en: 'Screening' },
  'case.screened': { vi: 'Đã sàng lọc', en: 'Screened' },
  'referral.requested': { vi: 'Gửi chuyển tuyến', en: 'Referral sent' },
  'referral.accepted': { vi: 'Cơ sở đã tiếp nhận', en: 'Accepted by the facility' },
  'referral.declined': { vi: 'Cơ sở từ chối', en: 'Declined by the facility' },
  'referral.started': { vi: 'Bắt đầu cung cấp dịch vụ', en: 'Service started' },
  'referral.completed': { vi: 'Hoàn thành, có hồ sơ dịch vụ', en: 'Completed with a service record' },
  'referral.withdrawn': { vi: 'Rút lại', en: 'Withdrawn' },
  'referral.redirected': { vi: 'Chuyển sang cơ sở khác', en: 'Redirected' },
  'referral.deadline_extended': { vi: 'Gia hạn', en: 'Deadline extended' },
  'referral.reminder_due': { vi: 'Nhắc hạn', en: 'Reminder' },
  'referral.escalated': { vi: 'Báo cáo lên cấp trên (quá hạn)', en: 'Escalated (overdue)' },
  'referral.escalation_acknowledged': { vi: 'Đã ghi nhận báo cáo vượt cấp', en: 'Escalation acknowledged' },
  'referral.closed_unresolved': { vi: 'Đóng, chưa giải quyết', en: 'Closed unresolved' },
  'referral.transferred': { vi: 'Chuyển theo trẻ sang xã khác', en: 'Moved with the child to another commune' },
  'case.transferred': { vi: 'Chuyển hồ sơ sang xã khác', en: 'Moved to another commune' },
};

const severities: Record<string, Pair> = {
  info: { vi: 'Thông tin', en: 'Information' },
  moderate: { vi: 'Cần lưu ý', en: 'Moderate' },
  severe: { vi: 'Nghiêm trọng', en: 'Severe' },
};

const recordKinds: Record<string, Pair> = {
  vaccination: { vi: 'Tiêm chủng', en: 'Vaccination' },
  'nutrition-counselling': { vi: 'Tư vấn dinh dưỡng', en: 'Nutrition counselling' },
  'growth-monitoring': { vi: 'Theo dõi tăng trưởng', en: 'Growth monitoring' },
  'developmental-assessment': { vi: 'Đánh giá phát triển', en: 'Developmental assessment' },
  treatment: { vi: 'Điều trị', en: 'Treatment' },
  'onward-referral': { vi: 'Chuyển tuyến tiếp', en: 'Onward referral' },
  enrolment: { vi: 'Nhập học', en: 'Enrolment' },
  'inclusive-education-plan': { vi: 'Kế hoạch giáo dục hòa nhập', en: 'Inclusive education plan' },
  'early-intervention': { vi: 'Can thiệp sớm', en: 'Early intervention' },
  'social-allowance': { vi: 'Trợ cấp xã hội hằng tháng', en: 'Monthly social allowance' },
  'health-insurance-card': { vi: 'Cấp thẻ bảo hiểm y tế', en: 'Health-insurance card' },
  'emergency-relief': { vi: 'Trợ giúp khẩn cấp', en: 'Emergency relief' },
  'community-care': { vi: 'Chăm sóc, nuôi dưỡng tại cộng đồng', en: 'Care in the community' },
  'birth-registered': { vi: 'Đã đăng ký khai sinh', en: 'Birth registered' },
};

/**
 * What a completion can record, per facility service and, for the welfare service's desks, per
 * referral sector: the kinds each service accepts (its `completeBody` schema refuses any other, so
 * a drift shows as a clear 400). The desks' kinds come from @ecd/contracts, where they are defined.
 */
export const recordKindsBySector = {
  welfare: WelfareRecordKinds,
  'civil-registration': CivilRegistrationRecordKinds,
  health: [
    'vaccination',
    'nutrition-counselling',
    'growth-monitoring',
    'developmental-assessment',
    'treatment',
    'onward-referral',
  ],
  education: ['enrolment', 'early-intervention', 'inclusive-education-plan'],
} as const;

export const sectorLabel = (code: string, lang: Lang) => pick(sectors[code], lang, code);
export const stateLabel = (code: string, lang: Lang) => pick(states[code], lang, code);
export const urgencyLabel = (code: string, lang: Lang) => pick(urgencies[code], lang, code);
export const roleLabel = (code: string, lang: Lang) => pick(roles[code], lang, code);
export const timelineLabel = (kind: string, lang: Lang) => pick(timelineKinds[kind], lang, kind);
export const severityLabel = (code: string, lang: Lang) => pick(severities[code], lang, code);
export const recordKindLabel = (code: string, lang: Lang) => pick(recordKinds[code], lang, code);

/** The services that keep facility inboxes. */
export type FacilityServiceName = 'health' | 'education' | 'welfare';

/** Roles and the service whose inbox they work in (the welfare service hosts both commune desks). */
export const facilityRoles: Record<string, FacilityServiceName> = {
  'health-staff': 'health',
  'facility-manager': 'health',
  'education-staff': 'education',
  'school-principal': 'education',
  'welfare-staff': 'welfare',
  'civil-status-officer': 'welfare',
};

/** The kinds a completion of a referral of `sector` can record at a facility of `service`. */
export function recordKindsFor(service: FacilityServiceName, sector: string): readonly string[] {
  if (service !== 'welfare') return recordKindsBySector[service];
  return sector === 'civil-registration' ? recordKindsBySector['civil-registration'] : recordKindsBySector.welfare;
}

/** Where a role lands after signing in. */
export function homeFor(role: string): string {
  if (role === 'intake-staff') return '/children';
  if (facilityRoles[role]) return '/inbox';
  if (role === 'protection-officer') return '/board';
  return '/dashboard';
}
