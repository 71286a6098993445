import type { Static, TSchema } from 'typebox';
import { Topics, type Topic } from '../topics';
import {
  CaseClosedV1,
  CaseOpenedV1,
  CaseScreenedV1,
  CaseScreeningOverdueV1,
  CaseScreeningScheduledV1,
} from './case-events';
import {
  ReferralAcceptedV1,
  ReferralClosedUnresolvedV1,
  ReferralCompletedV1,
  ReferralDeadlineExtendedV1,
  ReferralDeclinedV1,
  ReferralEscalatedV1,
  ReferralEscalationAcknowledgedV1,
  ReferralRedirectedV1,
  ReferralReminderDueV1,
  ReferralRequestedV1,
  ReferralStartedV1,
  ReferralNeedsAttentionV1,
  ReferralWithdrawnV1,
} from './referral-events';
import { FacilityRegisteredV1, FacilityUpdatedV1 } from './facility-events';
import { ChildCorrectedV1, ChildTransferredV1 } from './child-events';
import { ReferralTransferredV1 } from './referral-transfer-events';
import {
  ProtectionCaseClosedV1,
  ProtectionCaseMeetingHeldV1,
  ProtectionCaseReportedV1,
  ProtectionCaseReviewedV1,
  ProtectionEmergencyMeasureTakenV1,
  ProtectionImplementationStartedV1,
  ProtectionPlanApprovedV1,
  ProtectionPlanDraftedV1,
  ProtectionRiskAssessedV1,
  ProtectionStepCompletedV1,
  ProtectionStepEscalatedV1,
  ProtectionStepEscalationAcknowledgedV1,
  ProtectionStepReminderDueV1,
} from './protection-events';

export * from './case-events';
export * from './referral-events';
export * from './protection-events';
export * from './facility-events';
export * from './child-events';
export * from './referral-transfer-events';

/**
 * Every event type the platform knows: its schema and its topic. The type string carries the
 * schema version (`.v1`), so a breaking change is a new type, published side by side.
 */
export const EventCatalog = {
  'case.opened.v1': { schema: CaseOpenedV1, topic: Topics.cases },
  'case.screening_scheduled.v1': { schema: CaseScreeningScheduledV1, topic: Topics.cases },
  'case.screening_overdue.v1': { schema: CaseScreeningOverdueV1, topic: Topics.cases },
  'case.screened.v1': { schema: CaseScreenedV1, topic: Topics.cases },
  'case.closed.v1': { schema: CaseClosedV1, topic: Topics.cases },
  'referral.requested.v1': { schema: ReferralRequestedV1, topic: Topics.referrals },
  'referral.accepted.v1': { schema: ReferralAcceptedV1, topic: Topics.referrals },
  'referral.declined.v1': { schema: ReferralDeclinedV1, topic: Topics.referrals },
  'referral.started.v1': { schema: ReferralStartedV1, topic: Topics.referrals },
  'referral.completed.v1': { schema: ReferralCompletedV1, topic: Topics.referrals },
  'referral.withdrawn.v1': { schema: ReferralWithdrawnV1, topic: Topics.referrals },
  'referral.redirected.v1': { schema: ReferralRedirectedV1, topic: Topics.referrals },
  'referral.deadline_extended.v1': { schema: ReferralDeadlineExtendedV1, topic: Topics.referrals },
  'referral.reminder_due.v1': { schema: ReferralReminderDueV1, topic: Topics.referrals },
  'referral.escalated.v1': { schema: ReferralEscalatedV1, topic: Topics.referrals },
  'referral.escalation_acknowledged.v1': { schema: ReferralEscalationAcknowledgedV1, topic: Topics.referrals },
  'referral.closed_unresolved.v1': { schema: ReferralClosedUnresolvedV1, topic: Topics.referrals },
  'referral.needs_attention.v1': { schema: ReferralNeedsAttentionV1, topic: Topics.referrals },
  'referral.transferred.v1': { schema: ReferralTransferredV1, topic: Topics.referrals },
  'protection.case_reported.v1': { schema: ProtectionCaseReportedV1, topic: Topics.protection },
  'protection.risk_assessed.v1': { schema: ProtectionRiskAssessedV1, topic: Topics.protection },
  'protection.emergency_measure_taken.v1': { schema: ProtectionEmergencyMeasureTakenV1, topic: Topics.protection },
  'protection.case_meeting_held.v1': { schema: ProtectionCaseMeetingHeldV1, topic: Topics.protection },
  'protection.plan_drafted.v1': { schema: ProtectionPlanDraftedV1, topic: Topics.protection },
  'protection.plan_approved.v1': { schema: ProtectionPlanApprovedV1, topic: Topics.protection },
  'protection.implementation_started.v1': { schema: ProtectionImplementationStartedV1, topic: Topics.protection },
  'protection.case_reviewed.v1': { schema: ProtectionCaseReviewedV1, topic: Topics.protection },
  'protection.case_closed.v1': { schema: ProtectionCaseClosedV1, topic: Topics.protection },
  'protection.step_reminder_due.v1': { schema: ProtectionStepReminderDueV1, topic: Topics.protection },
  'protection.step_escalated.v1': { schema: ProtectionStepEscalatedV1, topic: Topics.protection },
  'protection.step_escalation_acknowledged.v1': {
    schema: ProtectionStepEscalationAcknowledgedV1,
    topic: Topics.protection,
  },
  'protection.step_completed.v1': { schema: ProtectionStepCompletedV1, topic: Topics.protection },
  'facility.registered.v1': { schema: FacilityRegisteredV1, topic: Topics.facilities },
  'facility.updated.v1': { schema: FacilityUpdatedV1, topic: Topics.facilities },
  'child.corrected.v1': { schema: ChildCorrectedV1, topic: Topics.children },
  'child.transferred.v1': { schema: ChildTransferredV1, topic: Topics.children },
} as const satisfies Record<string, { schema: TSchema; topic: Topic }>;

export type EventType = keyof typeof EventCatalog;
export type EventData<T extends EventType> = Static<(typeof EventCatalog)[T]['schema']>;

export function isKnownEventType(type: string): type is EventType {
  return Object.hasOwn(EventCatalog, type);
}

export type ReferralEventType = Extract<EventType, `referral.${string}`>;
export type ProtectionEventType = Extract<EventType, `protection.${string}`>;
export type FacilityEventType = Extract<EventType, `facility.${string}`>;

const isReferralEventType = (type: string): type is ReferralEventType => type.startsWith('referral.');
const isProtectionEventType = (type: string): type is ProtectionEventType => type.startsWith('protection.');
const isFacilityEventType = (type: string): type is FacilityEventType => type.startsWith('facility.');
const eventTypes: string[] = Object.keys(EventCatalog);

/** Every referral event type (the inputs of any referral read model). */
export const referralEventTypes: ReferralEventType[] = eventTypes.filter(isReferralEventType);

/** Every protection event type (the inputs of the escalation board's protection entries). */
export const protectionEventTypes: ProtectionEventType[] = eventTypes.filter(isProtectionEventType);

/** Every facility directory event type (the inputs of a directory read model). */
export const facilityEventTypes: FacilityEventType[] = eventTypes.filter(isFacilityEventType);
