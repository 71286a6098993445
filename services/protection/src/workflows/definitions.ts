// Pure definitions shared by the ProtectionCaseWorkflow and its callers (the protection routes).
// No Node built-ins and no client code: the workflow bundle imports this file.
import { defineQuery, defineUpdate } from '@temporalio/workflow';
import type { ProtectionStage, ProtectionStep, Urgency } from '@ecd/contracts';
import type { Actor } from '@ecd/referral-client/definitions';

export type { Actor };

/**
 * What starts a case's workflow. Only ids, dates and flags: the report's details never enter
 * workflow history (Temporal stores it in plaintext), they stay encrypted in the database.
 */
export interface ProtectionCaseStart {
  protectionCaseId: string;
  communeCode: string;
  source: 'person' | 'school' | 'health-station' | 'police' | 'hotline-111' | 'other';
  /** When the information was received: every statutory clock counts from here (Decree 56 Art. 26). */
  receivedAt: string;
  /** The report says the child's life, health or dignity is at serious risk. */
  seriousRisk: boolean;
  childId?: string;
  reportedBy: Actor;
  correlationId?: string;
}

export type ClockState = 'RUNNING' | 'DONE' | 'CANCELLED';

/** One step's deadline as the workflow runs it. */
export interface StepClock {
  step: ProtectionStep;
  dueAt: string;
  state: ClockState;
  doneAt?: string;
  late?: boolean;
  escalation: { level: number; unitCode?: string; acknowledged: boolean };
}

export interface ProtectionCaseView {
  protectionCaseId: string;
  communeCode: string;
  stage: ProtectionStage;
  urgency: Urgency;
  seriousRisk: boolean;
  receivedAt: string;
  reviewBy?: string;
  policy?: { id: string; version: number };
  clocks: StepClock[];
}

export interface ProtectionHistoryEntry {
  at: string;
  action: string;
  stage: ProtectionStage;
  step?: ProtectionStep;
  by?: Actor;
  unitCode?: string;
  details?: Record<string, unknown>;
}

export const ProtectionFailure = {
  invalidTransition: 'InvalidTransition',
  notPermitted: 'NotPermitted',
  invalidArgument: 'InvalidArgument',
} as const;

/** Roles that may record the procedure's steps (Decree 56: the commune child-protection worker). */
export const caseWorkerRoles: readonly string[] = ['protection-officer'];
/** Roles that own escalations of protection steps. */
export const escalationOwnerRoles: readonly string[] = ['protection-officer', 'supervisor'];

export const assessRiskUpdate = defineUpdate<ProtectionCaseView, [{ by: Actor; seriousRisk: boolean }]>('assessRisk');
export const recordEmergencyMeasureUpdate = defineUpdate<ProtectionCaseView, [{ by: Actor }]>('recordEmergencyMeasure');
export const holdCaseMeetingUpdate = defineUpdate<ProtectionCaseView, [{ by: Actor }]>('holdCaseMeeting');
export const draftPlanUpdate = defineUpdate<ProtectionCaseView, [{ by: Actor; reviewBy: string }]>('draftPlan');
export const approvePlanUpdate = defineUpdate<ProtectionCaseView, [{ by: Actor }]>('approvePlan');
export const startImplementationUpdate = defineUpdate<ProtectionCaseView, [{ by: Actor }]>('startImplementation');
export const recordReviewUpdate = defineUpdate<ProtectionCaseView, [{ by: Actor }]>('recordReview');
export const closeCaseUpdate = defineUpdate<
  ProtectionCaseView,
  [{ by: Actor; riskAtClosure: 'high' | 'medium' | 'low' }]
>('closeCase');
export const acknowledgeStepEscalationUpdate = defineUpdate<ProtectionCaseView, [{ by: Actor; step: ProtectionStep }]>(
  'acknowledgeStepEscalation',
);

export const protectionCaseQuery = defineQuery<ProtectionCaseView>('state');
export const protectionHistoryQuery = defineQuery<ProtectionHistoryEntry[]>('history');

export const protectionCaseWorkflowType = 'ProtectionCaseWorkflow';
/** Workflow id from the case id: a repeated start is the same case. */
export const protectionCaseWorkflowId = (protectionCaseId: string) => `protection-case:${protectionCaseId}`;
