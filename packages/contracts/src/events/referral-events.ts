import Type from 'typebox';
import { ReferralStates, Sectors, Urgencies } from '../enums';
import { Actor, EscalationNote, FacilityId, ReferralActionReason, ReferralReason, ServiceOutcome } from '../fields';

const Id = Type.String({ minLength: 1, maxLength: 100 });
const Instant = Type.String({ format: 'date-time' });
const UnitCode = Type.String({ pattern: '^[0-9]{2,5}$' });

export { Actor };

/** Fields every referral event carries (also the transfer event of referral-transfer-events.ts), so each sector can route and scope it without a lookup. */
const ReferralRef = {
  referralId: Id,
  caseId: Id,
  sector: Type.Enum(Sectors),
  urgency: Type.Enum(Urgencies),
  facilityId: FacilityId,
  /** The commune the referral was made from: the bottom of its escalation ladder. */
  fromUnitCode: UnitCode,
  state: Type.Enum(ReferralStates),
  at: Instant,
};

export const referralEvent = <P extends Record<string, Type.TSchema>>(properties: P) =>
  Type.Object({ ...ReferralRef, ...properties }, { additionalProperties: false });

export const ReferralRequestedV1 = referralEvent({
  childId: Id,
  reason: ReferralReason,
  requestedBy: Actor,
  acceptBy: Instant,
  policyId: Id,
  policyVersion: Type.Integer({ minimum: 1 }),
  redirectedFrom: Type.Optional(Id),
});
export const ReferralAcceptedV1 = referralEvent({ by: Actor, completeBy: Instant });
export const ReferralDeclinedV1 = referralEvent({ by: Actor, reason: ReferralActionReason });
export const ReferralStartedV1 = referralEvent({ by: Actor });
export const ReferralCompletedV1 = referralEvent({
  by: Actor,
  outcome: ServiceOutcome,
  serviceRecordId: Id,
});
export const ReferralWithdrawnV1 = referralEvent({ by: Actor, reason: ReferralActionReason });
export const ReferralRedirectedV1 = referralEvent({
  by: Actor,
  reason: ReferralActionReason,
  toFacilityId: FacilityId,
  newReferralId: Id,
});
export const ReferralDeadlineExtendedV1 = referralEvent({
  by: Actor,
  reason: ReferralActionReason,
  deadline: Type.Enum(['ACCEPT', 'COMPLETE']),
  previous: Instant,
  extendedTo: Instant,
});
export const ReferralReminderDueV1 = referralEvent({
  deadline: Type.Enum(['ACCEPT', 'COMPLETE']),
  dueAt: Instant,
  /** 0 before the deadline; the escalation level reached for reminders after the top of the ladder. */
  level: Type.Integer({ minimum: 0 }),
  /** When the timer was processed; `at` is the instant the policy gives. */
  firedAt: Instant,
});
export const ReferralEscalatedV1 = referralEvent({
  level: Type.Integer({ minimum: 1 }),
  reason: Type.Enum(['NOT_ACCEPTED', 'NOT_COMPLETED']),
  dueAt: Instant,
  responsibleUnitCode: UnitCode,
  responsibleUnitLevel: Type.String(),
  topOfLadder: Type.Boolean(),
  firedAt: Instant,
});
export const ReferralEscalationAcknowledgedV1 = referralEvent({
  by: Actor,
  level: Type.Integer({ minimum: 1 }),
  note: Type.Optional(EscalationNote),
});
export const ReferralClosedUnresolvedV1 = referralEvent({
  by: Actor,
  reason: ReferralActionReason,
});

/**
 * One of the referral's effects failed for good (an event its schema refuses, a bug): it is
 * recorded, skipped so later effects still leave, and shown to the referring commune and the
 * supervisors until someone acts (withdraw, refer again). Names the failed event, never its data.
 */
export const ReferralNeedsAttentionV1 = referralEvent({
  failedEventId: Type.String({ minLength: 1, maxLength: 200 }),
  failedEffect: Type.String({ minLength: 1, maxLength: 80 }),
  problem: Type.String({ minLength: 1, maxLength: 1000 }),
});
