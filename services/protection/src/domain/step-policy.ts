import type { Urgency } from '@ecd/contracts';
import { requirePolicy, type SlaPolicy, type Window } from '@ecd/referral-policy';

/** The deadlines of one protection case's steps, as a workflow records them at its start. */
export interface StepPolicy {
  id: string;
  version: number;
  initialAssessmentWithin: Window;
  emergencyMeasureWithin: Window;
  planWithin: Window;
  approvalWithin: Window;
  escalationInterval: Window;
  reminderAt: number[];
  source: string;
}

/**
 * Product default for the chairman's approval (Art. 28 sets no separate deadline); provincial
 * procedure pages give 7 working days from the report to approval, which is the plan's 5 plus 2.
 */
export const APPROVAL_WINDOW: Window = { amount: 2, unit: 'workingDays' };

/**
 * Protection steps reuse the protection SLA policies (data, with their legal source): the emergency
 * policy's 12 hours for emergency measures (Decree 56 Art. 26), the case urgency's accept window
 * for the initial assessment and its complete window (5 working days) for the plan (Art. 28).
 */
export function stepPolicyFor(policies: readonly SlaPolicy[], urgency: Urgency): StepPolicy {
  const emergency = requirePolicy(policies, 'protection', 'emergency');
  const policy = requirePolicy(policies, 'protection', urgency);
  return {
    id: policy.id,
    version: policy.version,
    initialAssessmentWithin: policy.acceptWithin,
    emergencyMeasureWithin: emergency.acceptWithin,
    planWithin: policy.completeWithin,
    approvalWithin: APPROVAL_WINDOW,
    escalationInterval: policy.escalationInterval,
    reminderAt: [...policy.reminderAt],
    source: policy.source,
  };
}
