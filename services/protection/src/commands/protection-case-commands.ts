import {
  WorkflowExecutionAlreadyStartedError,
  WorkflowNotFoundError,
  WorkflowUpdateFailedError,
  type Client,
} from '@temporalio/client';
import { ApplicationFailure, type UpdateDefinition } from '@temporalio/common';
import type { ProtectionStep } from '@ecd/contracts';
import { TemporalUnavailable, withinDeadline } from '@ecd/referral-client';
import {
  acknowledgeStepEscalationUpdate,
  approvePlanUpdate,
  assessRiskUpdate,
  closeCaseUpdate,
  draftPlanUpdate,
  holdCaseMeetingUpdate,
  protectionCaseQuery,
  protectionCaseWorkflowId,
  protectionCaseWorkflowType,
  protectionHistoryQuery,
  recordEmergencyMeasureUpdate,
  recordReviewUpdate,
  startImplementationUpdate,
  type Actor,
  type ProtectionCaseStart,
  type ProtectionCaseView,
  type ProtectionHistoryEntry,
} from '../workflows/definitions';

/** A step the workflow refused, with its reason; `type` says which HTTP status fits. */
export class ProtectionStepRefused extends Error {
  constructor(
    readonly type: 'InvalidTransition' | 'NotPermitted' | 'InvalidArgument' | 'NotFound',
    message: string,
  ) {
    super(message);
    this.name = 'ProtectionStepRefused';
  }
}

function refusal(error: unknown): never {
  if (error instanceof TemporalUnavailable) throw error;
  if (error instanceof WorkflowUpdateFailedError && error.cause instanceof ApplicationFailure) {
    throw new ProtectionStepRefused(
      (error.cause.type as ProtectionStepRefused['type'] | undefined) ?? 'InvalidTransition',
      error.cause.message,
    );
  }
  if (error instanceof WorkflowNotFoundError) {
    throw new ProtectionStepRefused('InvalidTransition', 'the case is closed or its workflow is gone');
  }
  if (error instanceof Error && /workflow execution already completed/i.test(error.message)) {
    throw new ProtectionStepRefused('InvalidTransition', 'the case is closed');
  }
  throw error;
}

/**
 * One procedure step with a form, as the workflow update it becomes. Stored (without the form's
 * contents) beside the sealed form until the update is confirmed, so a crash between the two is
 * repaired by sending the same update again (same update id: Temporal runs it at most once).
 */
export type ProtectionStepCommand =
  | { form: 'riskAssessment'; args: { by: Actor; seriousRisk: boolean } }
  | { form: 'emergencyMeasure'; args: { by: Actor } }
  | { form: 'caseMeeting'; args: { by: Actor } }
  | { form: 'plan'; args: { by: Actor; reviewBy: string } }
  | { form: 'approval'; args: { by: Actor } }
  | { form: 'implementation'; args: { by: Actor } }
  | { form: 'review'; args: { by: Actor } }
  | { form: 'closure'; args: { by: Actor; riskAtClosure: 'high' | 'medium' | 'low' } };

/** Every step of a protection case, as Temporal updates and queries on its workflow. */
export class ProtectionCaseCommands {
  constructor(
    private readonly client: Client,
    private readonly taskQueue: string,
  ) {}

  /**
   * Starts the case's workflow; the workflow id comes from the case id, so a retry is the same
   * case. REJECT_DUPLICATE: a case's workflow runs once; a retry after the case closed must not
   * start it again (docs/adr/0013-workflow-id-reuse-replays-and-deadlines.md).
   */
  async open(start: ProtectionCaseStart): Promise<{ created: boolean }> {
    try {
      await withinDeadline(this.client, 'the protection case workflow', () =>
        this.client.workflow.start(protectionCaseWorkflowType, {
          workflowId: protectionCaseWorkflowId(start.protectionCaseId),
          taskQueue: this.taskQueue,
          args: [start],
          workflowIdReusePolicy: 'REJECT_DUPLICATE',
        }),
      );
      return { created: true };
    } catch (error) {
      if (error instanceof WorkflowExecutionAlreadyStartedError) return { created: false };
      throw error;
    }
  }

  private handle(id: string) {
    return this.client.workflow.getHandle(protectionCaseWorkflowId(id));
  }

  private async update<A>(id: string, update: UpdateDefinition<ProtectionCaseView, [A]>, args: A, updateId?: string) {
    try {
      return await withinDeadline(this.client, 'the protection case workflow', () =>
        this.handle(id).executeUpdate(update, { args: [args], ...(updateId ? { updateId } : {}) }),
      );
    } catch (error) {
      return refusal(error);
    }
  }

  /** A step with a form; `updateId` makes a repeated or repaired step the same update. */
  step(id: string, command: ProtectionStepCommand, updateId: string): Promise<ProtectionCaseView> {
    switch (command.form) {
      case 'riskAssessment':
        return this.update(id, assessRiskUpdate, command.args, updateId);
      case 'emergencyMeasure':
        return this.update(id, recordEmergencyMeasureUpdate, command.args, updateId);
      case 'caseMeeting':
        return this.update(id, holdCaseMeetingUpdate, command.args, updateId);
      case 'plan':
        return this.update(id, draftPlanUpdate, command.args, updateId);
      case 'approval':
        return this.update(id, approvePlanUpdate, command.args, updateId);
      case 'implementation':
        return this.update(id, startImplementationUpdate, command.args, updateId);
      case 'review':
        return this.update(id, recordReviewUpdate, command.args, updateId);
      case 'closure':
        return this.update(id, closeCaseUpdate, command.args, updateId);
    }
  }

  acknowledgeEscalation = (id: string, by: Actor, step: ProtectionStep) =>
    this.update(id, acknowledgeStepEscalationUpdate, { by, step });

  async view(id: string): Promise<{ view: ProtectionCaseView; history: ProtectionHistoryEntry[] }> {
    try {
      const handle = this.handle(id);
      const [view, history] = await withinDeadline(this.client, 'the protection case workflow', () =>
        Promise.all([handle.query(protectionCaseQuery), handle.query(protectionHistoryQuery)]),
      );
      return { view, history };
    } catch (error) {
      return refusal(error);
    }
  }
}
