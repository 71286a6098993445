import {
  WorkflowExecutionAlreadyStartedError,
  WorkflowNotFoundError,
  WorkflowUpdateFailedError,
  type Client,
} from '@temporalio/client';
import { ApplicationFailure, type UpdateDefinition } from '@temporalio/common';
import type { ProtectionStep } from '@ecd/contracts';
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
  if (error instanceof WorkflowUpdateFailedError && error.cause instanceof ApplicationFailure) {
    throw new ProtectionStepRefused(
      (error.cause.type as ProtectionStepRefused['type'] | undefined) ?? 'InvalidTransition',
      error.cause.message,
    );
  }
  if (error instanceof WorkflowNotFoundError) {
    throw new ProtectionStepRefused('InvalidTransition', 'the case is closed or its workflow is gone');
  }
  throw error;
}

/** Every step of a protection case, as Temporal updates and queries on its workflow. */
export class ProtectionCaseCommands {
  constructor(
    private readonly client: Client,
    private readonly taskQueue: string,
  ) {}

  /** Starts the case's workflow; the workflow id comes from the case id, so a retry is the same case. */
  async open(start: ProtectionCaseStart): Promise<{ created: boolean }> {
    try {
      await this.client.workflow.start(protectionCaseWorkflowType, {
        workflowId: protectionCaseWorkflowId(start.protectionCaseId),
        taskQueue: this.taskQueue,
        args: [start],
      });
      return { created: true };
    } catch (error) {
      if (error instanceof WorkflowExecutionAlreadyStartedError) return { created: false };
      throw error;
    }
  }

  private handle(id: string) {
    return this.client.workflow.getHandle(protectionCaseWorkflowId(id));
  }

  private async update<A>(id: string, update: UpdateDefinition<ProtectionCaseView, [A]>, args: A) {
    try {
      return await this.handle(id).executeUpdate(update, { args: [args] });
    } catch (error) {
      return refusal(error);
    }
  }

  assessRisk = (id: string, by: Actor, seriousRisk: boolean) => this.update(id, assessRiskUpdate, { by, seriousRisk });
  recordEmergencyMeasure = (id: string, by: Actor) => this.update(id, recordEmergencyMeasureUpdate, { by });
  holdCaseMeeting = (id: string, by: Actor) => this.update(id, holdCaseMeetingUpdate, { by });
  draftPlan = (id: string, by: Actor, reviewBy: string) => this.update(id, draftPlanUpdate, { by, reviewBy });
  approvePlan = (id: string, by: Actor) => this.update(id, approvePlanUpdate, { by });
  startImplementation = (id: string, by: Actor) => this.update(id, startImplementationUpdate, { by });
  recordReview = (id: string, by: Actor) => this.update(id, recordReviewUpdate, { by });
  close = (id: string, by: Actor, riskAtClosure: 'high' | 'medium' | 'low') =>
    this.update(id, closeCaseUpdate, { by, riskAtClosure });
  acknowledgeEscalation = (id: string, by: Actor, step: ProtectionStep) =>
    this.update(id, acknowledgeStepEscalationUpdate, { by, step });

  async view(id: string): Promise<{ view: ProtectionCaseView; history: ProtectionHistoryEntry[] }> {
    try {
      const handle = this.handle(id);
      const [view, history] = await Promise.all([
        handle.query(protectionCaseQuery),
        handle.query(protectionHistoryQuery),
      ]);
      return { view, history };
    } catch (error) {
      return refusal(error);
    }
  }
}
