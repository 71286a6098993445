/**
 * Sectors a child can be referred to (Decision 1437/QĐ-TTg lists these service areas). Birth
 * registration is its own sector: the commune civil-status officer registers births under the Law
 * on Civil Status 2014, a duty and a clock of its own, not a welfare benefit.
 */
export const Sectors = ['health', 'nutrition', 'education', 'protection', 'welfare', 'civil-registration'] as const;
export type Sector = (typeof Sectors)[number];
export const isSector = (value: string): value is Sector => Sectors.some((sector) => sector === value);

export const Urgencies = ['routine', 'urgent', 'emergency'] as const;
export type Urgency = (typeof Urgencies)[number];

/** Referral lifecycle states; the ReferralWorkflow is their only writer. */
export const ReferralStates = [
  'REQUESTED',
  'ACCEPTED',
  'IN_SERVICE',
  'COMPLETED',
  'DECLINED',
  'WITHDRAWN',
  'REDIRECTED',
  'CLOSED_UNRESOLVED',
] as const;
export type ReferralState = (typeof ReferralStates)[number];

/**
 * Levels of the administrative ladder. Which levels exist is data (the 2025 reform removed
 * districts), so code must never assume 'district' is present.
 */
export const AdministrativeLevels = ['province', 'district', 'commune', 'village'] as const;
export type AdministrativeLevel = (typeof AdministrativeLevels)[number];

export const CaseStatuses = ['OPEN', 'SCREENED', 'REFERRED', 'CLOSED'] as const;
export type CaseStatus = (typeof CaseStatuses)[number];

/**
 * Staff roles. Facility roles act on referrals addressed to their facility; extension rights per
 * role come from the SLA policy (data), never from code.
 */
export const Roles = [
  'intake-staff',
  'health-staff',
  'education-staff',
  'facility-manager',
  'school-principal',
  /** Commune social-welfare desk (social assistance under Decree 20/2021/NĐ-CP). */
  'welfare-staff',
  /** Commune civil-status (justice) officer: registers births (Law on Civil Status 2014). */
  'civil-status-officer',
  'education-officer',
  'protection-officer',
  'commune-chairman',
  'supervisor',
  /** Manages staff accounts at the identity provider (create, disable, reset, assign role and scope). */
  'account-administrator',
  /** Administers reference data: the administrative units (imports from the statistics office's lists). */
  'reference-data-administrator',
] as const;
export type Role = (typeof Roles)[number];
