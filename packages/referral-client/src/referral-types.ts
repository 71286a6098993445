// Workflow code imports this module: only the pure subpaths of @ecd/contracts, never its validators.
import Type, { type Static } from 'typebox';
import type { ReferralState, Sector, Urgency } from '@ecd/contracts';
import { Sectors, Urgencies } from '@ecd/contracts/enums';
import {
  Actor as ActorSchema,
  EscalationNote,
  FacilityId,
  ReferralActionReason,
  ReferralId,
  ReferralReason,
  ServiceOutcome,
  textLimits,
} from '@ecd/contracts/fields';

/** Who acts on a referral, as the gateway vouches for them (from the verified token). */
export type Actor = Static<typeof ActorSchema>;

const CaseId = Type.String({ minLength: 1, maxLength: 100 });

/** What starts a ReferralWorkflow; checked against this before the start, with the event's limits. */
export const ReferralRequestSchema = Type.Object(
  {
    referralId: ReferralId,
    caseId: CaseId,
    childId: CaseId,
    sector: Type.Enum(Sectors),
    urgency: Type.Enum(Urgencies),
    facilityId: FacilityId,
    /** Commune code the referral comes from: the bottom of its escalation ladder. */
    fromUnitCode: Type.String({ pattern: '^[0-9]{2,5}$' }),
    reason: ReferralReason,
    requestedBy: ActorSchema,
    requestedAt: Type.String({ format: 'date-time' }),
    correlationId: Type.Optional(Type.String({ maxLength: 200 })),
    redirectedFrom: Type.Optional(ReferralId),
  },
  { additionalProperties: false },
);
export type ReferralRequest = Static<typeof ReferralRequestSchema>;

/** The limits the workflow's update validators apply: the same as the events' and the routes'. */
export const referralTextLimits = {
  reason: textLimits(ReferralReason),
  actionReason: textLimits(ReferralActionReason),
  outcome: textLimits(ServiceOutcome),
  note: textLimits(EscalationNote),
  facilityId: textLimits(FacilityId),
} as const;

/** Sector and urgency as the workflow's view carries them. */
export type { Sector, Urgency };

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
  /** Set when one of the referral's effects failed for good (e.g. an event its schema refused). */
  needsAttention?: { at: string; failedEventId: string; failedEffect: string; problem: string };
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

/**
 * Roles of facility staff who act on referrals addressed to their facility. Adding a role only
 * lets more people act from now on: an update the validator refused is never in a workflow's
 * history, so replays of running referrals are unchanged and no `patched()` guard is needed.
 */
export const facilityRoles: readonly string[] = [
  'health-staff',
  'education-staff',
  'facility-manager',
  'school-principal',
  'welfare-staff',
  'civil-status-officer',
];
