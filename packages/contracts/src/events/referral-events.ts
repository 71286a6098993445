import Type from 'typebox';
import { ReferralStates, Sectors, Urgencies } from '../enums';

const Id = Type.String({ minLength: 1, maxLength: 100 });
const Instant = Type.String({ format: 'date-time' });
const UnitCode = Type.String({ pattern: '^[0-9]{2,5}$' });

/** Who did something: a user id and role, never a name (names stay in the owning service). */
export const Actor = Type.Object(
  {
    userId: Id,
    role: Type.String({ minLength: 1, maxLength: 40 }),
    unitCode: Type.Optional(UnitCode),
    facilityId: Type.Optional(Id),
  },
  { additionalProperties: false },
);

/** Fields every referral event carries, so each sector can route and scope it without a lookup. */
const ReferralRef = {
  referralId: Id,
  caseId: Id,
  sector: Type.Enum(Sectors),
  urgency: Type.Enum(Urgencies),
  facilityId: Id,
  /** The commune the referral was made from: the bottom of its escalation ladder. */
  fromUnitCode: UnitCode,
  state: Type.Enum(ReferralStates),
  at: Instant,
};

const referralEvent = <P extends Record<string, Type.TSchema>>(properties: P) =>
  Type.Object({ ...ReferralRef, ...properties }, { additionalProperties: false });

export const ReferralRequestedV1 = referralEvent({
  childId: Id,
  reason: Type.String({ maxLength: 500 }),
  requestedBy: Actor,
  acceptBy: Instant,
  policyId: Id,
  policyVersion: Type.Integer({ minimum: 1 }),
  redirectedFrom: Type.Optional(Id),
});
export const ReferralAcceptedV1 = referralEvent({ by: Actor, completeBy: Instant });
export const ReferralDeclinedV1 = referralEvent({ by: Actor, reason: Type.String({ minLength: 1, maxLength: 500 }) });
export const ReferralStartedV1 = referralEvent({ by: Actor });
export const ReferralCompletedV1 = referralEvent({
  by: Actor,
  outcome: Type.String({ minLength: 1, maxLength: 500 }),
  serviceRecordId: Id,
});
export const ReferralWithdrawnV1 = referralEvent({ by: Actor, reason: Type.String({ minLength: 1, maxLength: 500 }) });
export const ReferralRedirectedV1 = referralEvent({
  by: Actor,
  reason: Type.String({ minLength: 1, maxLength: 500 }),
  toFacilityId: Id,
  newReferralId: Id,
});
export const ReferralDeadlineExtendedV1 = referralEvent({
  by: Actor,
  reason: Type.String({ minLength: 1, maxLength: 500 }),
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
  note: Type.Optional(Type.String({ maxLength: 1000 })),
});
export const ReferralClosedUnresolvedV1 = referralEvent({
  by: Actor,
  reason: Type.String({ minLength: 1, maxLength: 500 }),
});
