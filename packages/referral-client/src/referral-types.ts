import type { ReferralState, Sector, Urgency } from '@ecd/contracts';

/** Who acts on a referral, as the gateway vouches for them (from the verified token). */
export interface Actor {
  userId: string;
  role: string;
  unitCode?: string;
  facilityId?: string;
}

export interface ReferralRequest {
  referralId: string;
  caseId: string;
  childId: string;
  sector: Sector;
  urgency: Urgency;
  facilityId: string;
  /** Commune code the referral comes from: the bottom of its escalation ladder. */
  fromUnitCode: string;
  reason: string;
  requestedBy: Actor;
  requestedAt: string;
  correlationId?: string;
  redirectedFrom?: string;
}

export type DeadlineKind = 'ACCEPT' | 'COMPLETE';

export interface ReferralHistoryEntry {
  at: string;
  action: string;
  state: ReferralState;
  by?: Actor;
  /** The unit that became responsible (escalations) or the unit of the actor. */
  unitCode?: string;
  details?: Record<string, unknown>;
}

export interface ReferralView {
  referralId: string;
  caseId: string;
  state: ReferralState;
  sector: Sector;
  urgency: Urgency;
  facilityId: string;
  fromUnitCode: string;
  policy?: { id: string; version: number };
  acceptBy?: string;
  completeBy?: string;
  escalation: { level: number; reason?: 'NOT_ACCEPTED' | 'NOT_COMPLETED'; unitCode?: string; acknowledged: boolean };
  redirectedTo?: string;
  outcome?: { text: string; serviceRecordId: string };
}

/** Failure types the HTTP layer maps to status codes (409, 403, 400). */
export const ReferralFailure = {
  invalidTransition: 'InvalidTransition',
  notPermitted: 'NotPermitted',
  invalidArgument: 'InvalidArgument',
} as const;

export const terminalStates: readonly ReferralState[] = [
  'COMPLETED',
  'DECLINED',
  'WITHDRAWN',
  'REDIRECTED',
  'CLOSED_UNRESOLVED',
];

/** Roles that own escalations: they may acknowledge, redirect or close an escalated referral. */
export const escalationOwnerRoles: readonly string[] = ['protection-officer', 'supervisor'];

/** Roles of facility staff who act on referrals addressed to their facility. */
export const facilityRoles: readonly string[] = [
  'health-staff',
  'education-staff',
  'facility-manager',
  'school-principal',
];
