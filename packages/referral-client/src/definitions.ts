// Pure definitions shared by the ReferralWorkflow and its callers. Workflow code imports this
// entry point only, so it must stay free of Node built-ins and SDK client code.
import { defineQuery, defineUpdate } from '@temporalio/workflow';
import type { Actor, DeadlineKind, ReferralHistoryEntry, ReferralView } from './referral-types';

export * from './referral-types';

export const acceptUpdate = defineUpdate<ReferralView, [{ by: Actor }]>('accept');
export const declineUpdate = defineUpdate<ReferralView, [{ by: Actor; reason: string }]>('decline');
export const startServiceUpdate = defineUpdate<ReferralView, [{ by: Actor }]>('start');
export const completeUpdate = defineUpdate<ReferralView, [{ by: Actor; outcome: string; serviceRecordId: string }]>(
  'complete',
);
export const withdrawUpdate = defineUpdate<ReferralView, [{ by: Actor; reason: string }]>('withdraw');
export const redirectUpdate = defineUpdate<ReferralView, [{ by: Actor; toFacilityId: string; reason: string }]>(
  'redirect',
);
export const extendDeadlineUpdate = defineUpdate<ReferralView, [{ by: Actor; reason: string; newDeadline: string }]>(
  'extendDeadline',
);
export const acknowledgeEscalationUpdate = defineUpdate<ReferralView, [{ by: Actor; note?: string }]>(
  'acknowledgeEscalation',
);
export const closeUnresolvedUpdate = defineUpdate<ReferralView, [{ by: Actor; reason: string }]>('closeUnresolved');
/**
 * The child moved to another commune (its intake staff accepted the transfer): the referral
 * follows, and escalation from then on climbs the receiving commune's ladder.
 */
export const transferCommuneUpdate = defineUpdate<
  ReferralView,
  [{ by: Actor; transferId: string; fromUnitCode: string; toUnitCode: string }]
>('transferCommune');

export interface NextDeadline {
  kind: DeadlineKind;
  at: string;
  /** Milliseconds left at the workflow's current time; negative when overdue. */
  msLeft: number;
}
export const referralStateQuery = defineQuery<ReferralView>('state');
export const referralHistoryQuery = defineQuery<ReferralHistoryEntry[]>('history');
export const nextDeadlineQuery = defineQuery<NextDeadline | null>('nextDeadline');

/** The workflow type name, so clients start it without importing workflow code. */
export const referralWorkflowType = 'ReferralWorkflow';
