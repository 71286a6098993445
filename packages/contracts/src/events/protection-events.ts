import Type from 'typebox';
import { Urgencies } from '../enums';
import { Actor } from './referral-events';

const Id = Type.String({ minLength: 1, maxLength: 100 });
const Instant = Type.String({ format: 'date-time' });
const UnitCode = Type.String({ pattern: '^[0-9]{2,5}$' });

/** Stages of a protection case (Decree 56/2017 Chapter III, Arts. 25–30). */
export const ProtectionStages = [
  'REPORTED',
  'ASSESSED',
  'MEETING_HELD',
  'PLAN_DRAFTED',
  'PLAN_APPROVED',
  'IN_IMPLEMENTATION',
  'REVIEWED',
  'CLOSED',
] as const;
export type ProtectionStage = (typeof ProtectionStages)[number];

/** Steps with a statutory or policy deadline, each run by a durable timer in the case's workflow. */
export const ProtectionSteps = ['EMERGENCY_MEASURE', 'INITIAL_ASSESSMENT', 'PLAN', 'APPROVAL', 'REVIEW'] as const;
export type ProtectionStep = (typeof ProtectionSteps)[number];

export const ReportSources = ['person', 'school', 'health-station', 'police', 'hotline-111', 'other'] as const;
export const RiskLevels = ['high', 'medium', 'low'] as const;

/**
 * Fields every protection event carries: ids, the commune, the public stage and the urgency.
 * Never a name, an address or what happened (abuse and violence details stay, encrypted, in the
 * protection service: Law on Children Art. 33, Decree 56).
 */
const ProtectionRef = {
  protectionCaseId: Id,
  communeCode: UnitCode,
  stage: Type.Enum(ProtectionStages),
  urgency: Type.Enum(Urgencies),
  at: Instant,
};

const protectionEvent = <P extends Record<string, Type.TSchema>>(properties: P) =>
  Type.Object({ ...ProtectionRef, ...properties }, { additionalProperties: false });

export const ProtectionCaseReportedV1 = protectionEvent({
  source: Type.Enum(ReportSources),
  receivedAt: Instant,
  seriousRisk: Type.Boolean(),
  /** The child's id in intake's register when known, so intake can show that a case exists. */
  childId: Type.Optional(Id),
  by: Actor,
});
export const ProtectionRiskAssessedV1 = protectionEvent({ by: Actor, seriousRisk: Type.Boolean() });
export const ProtectionEmergencyMeasureTakenV1 = protectionEvent({ by: Actor, dueAt: Type.Optional(Instant) });
export const ProtectionCaseMeetingHeldV1 = protectionEvent({ by: Actor });
export const ProtectionPlanDraftedV1 = protectionEvent({ by: Actor, reviewBy: Instant });
export const ProtectionPlanApprovedV1 = protectionEvent({ by: Actor });
export const ProtectionImplementationStartedV1 = protectionEvent({ by: Actor });
export const ProtectionCaseReviewedV1 = protectionEvent({ by: Actor });
export const ProtectionCaseClosedV1 = protectionEvent({ by: Actor, riskAtClosure: Type.Enum(RiskLevels) });
export const ProtectionStepReminderDueV1 = protectionEvent({
  step: Type.Enum(ProtectionSteps),
  dueAt: Instant,
  firedAt: Instant,
});
export const ProtectionStepEscalatedV1 = protectionEvent({
  step: Type.Enum(ProtectionSteps),
  level: Type.Integer({ minimum: 1 }),
  dueAt: Instant,
  responsibleUnitCode: UnitCode,
  responsibleUnitLevel: Type.String(),
  topOfLadder: Type.Boolean(),
  firedAt: Instant,
});
export const ProtectionStepEscalationAcknowledgedV1 = protectionEvent({
  step: Type.Enum(ProtectionSteps),
  level: Type.Integer({ minimum: 1 }),
  by: Actor,
});
/** A step done, whether in time or late: the board closes its entry. */
export const ProtectionStepCompletedV1 = protectionEvent({
  step: Type.Enum(ProtectionSteps),
  dueAt: Instant,
  late: Type.Boolean(),
});
