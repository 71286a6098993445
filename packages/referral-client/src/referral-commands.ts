import { randomUUID } from 'node:crypto';
import {
  Connection,
  WorkflowExecutionAlreadyStartedError,
  WorkflowNotFoundError,
  WorkflowUpdateFailedError,
  type Client,
} from '@temporalio/client';
import { ApplicationFailure, type UpdateDefinition } from '@temporalio/common';
import { describeProblems, findProblems, type FieldProblem } from '@ecd/contracts';
import {
  ReferralRequestSchema,
  type Actor,
  type ReferralHistoryEntry,
  type ReferralRequest,
  type ReferralView,
} from './referral-types';
import { TemporalUnavailable, withinDeadline } from './temporal-deadline';
import {
  referralWorkflowType,
  acceptUpdate,
  acknowledgeEscalationUpdate,
  closeUnresolvedUpdate,
  completeUpdate,
  declineUpdate,
  extendDeadlineUpdate,
  nextDeadlineQuery,
  redirectUpdate,
  referralHistoryQuery,
  referralStateQuery,
  startServiceUpdate,
  transferCommuneUpdate,
  withdrawUpdate,
  type NextDeadline,
} from './definitions';

const refusalStatus = { InvalidTransition: 409, NotPermitted: 403, InvalidArgument: 400, NotFound: 404 } as const;

/** A refused action, with the workflow's own reason; `type` says which HTTP status fits. */
export class ReferralActionRefused extends Error {
  constructor(
    readonly type: 'InvalidTransition' | 'NotPermitted' | 'InvalidArgument' | 'NotFound',
    message: string,
    /** The fields at fault, when the refusal is about the input. */
    readonly problems?: FieldProblem[],
  ) {
    super(message);
    this.name = 'ReferralActionRefused';
  }

  /** The HTTP status that says this refusal to the person who asked. */
  get httpStatus(): 400 | 403 | 404 | 409 {
    return refusalStatus[this.type];
  }
}

function refusal(error: unknown): never {
  if (error instanceof TemporalUnavailable) throw error;
  if (error instanceof WorkflowUpdateFailedError && error.cause instanceof ApplicationFailure) {
    throw new ReferralActionRefused(
      (error.cause.type as ReferralActionRefused['type'] | undefined) ?? 'InvalidTransition',
      error.cause.message,
    );
  }
  if (error instanceof WorkflowNotFoundError) throw new ReferralActionRefused('NotFound', 'referral not found');
  if (error instanceof Error && /workflow execution already completed/i.test(error.message)) {
    throw new ReferralActionRefused('InvalidTransition', 'the referral is closed');
  }
  throw error;
}

/** Everything a person can do to a referral, as Temporal updates and queries. */
export class ReferralCommands {
  constructor(
    private readonly client: Client,
    private readonly taskQueue: string,
  ) {}

  /** Starts the referral's workflow; the id is the referral id, so a repeated request is one referral. */
  async request(
    input: Omit<ReferralRequest, 'referralId'> & { referralId?: string },
  ): Promise<{ referralId: string; created: boolean }> {
    const referralId = input.referralId ?? randomUUID();
    // Checked with the limits its events carry: a workflow never starts with data it cannot publish.
    const problems = findProblems(ReferralRequestSchema, { ...input, referralId });
    if (problems.length > 0) {
      throw new ReferralActionRefused('InvalidArgument', `invalid referral: ${describeProblems(problems)}`, problems);
    }
    try {
      await withinDeadline(this.client, 'the referral workflow', () =>
        this.client.workflow.start(referralWorkflowType, {
          workflowId: referralId,
          taskQueue: this.taskQueue,
          args: [{ ...input, referralId }],
          // A retry after the referral finished must not start it again (the default reuses closed
          // ids); docs/adr/0013-workflow-id-reuse-replays-and-deadlines.md.
          workflowIdReusePolicy: 'REJECT_DUPLICATE',
        }),
      );
      return { referralId, created: true };
    } catch (error) {
      if (error instanceof WorkflowExecutionAlreadyStartedError) return { referralId, created: false };
      throw error;
    }
  }

  private handle(referralId: string) {
    return this.client.workflow.getHandle(referralId);
  }

  /**
   * Runs an update with a deadline. `updateId` makes a retried request the same update: Temporal
   * answers it with the first outcome instead of running it twice.
   */
  private async update<A>(
    referralId: string,
    update: UpdateDefinition<ReferralView, [A]>,
    args: A,
    updateId?: string,
  ): Promise<ReferralView> {
    try {
      return await withinDeadline(this.client, 'the referral workflow', () =>
        this.handle(referralId).executeUpdate(update, { args: [args], ...(updateId ? { updateId } : {}) }),
      );
    } catch (error) {
      if (error instanceof WorkflowNotFoundError) {
        // A closed (or closing) referral answers updates as "not found"; say what it became
        // instead. Right after it closes a query can fail for a moment, hence the retries; an id
        // Temporal has never seen (describe fails too) needs none.
        const known = await withinDeadline(this.client, 'the referral workflow', () =>
          this.handle(referralId).describe(),
        ).then(
          () => true,
          (describeError: unknown) => !(describeError instanceof WorkflowNotFoundError),
        );
        for (let attempt = 0; known && attempt < 5; attempt++) {
          if (attempt > 0) await new Promise((resolve) => setTimeout(resolve, 200 * attempt));
          const closed = await withinDeadline(this.client, 'the referral workflow', () =>
            this.handle(referralId).query(referralStateQuery),
          ).catch(() => undefined);
          if (closed) {
            throw new ReferralActionRefused(
              'InvalidTransition',
              `cannot ${update.name}: the referral is ${closed.state.toLowerCase().replace('_', ' ')}`,
            );
          }
        }
      }
      return refusal(error);
    }
  }

  accept = (id: string, by: Actor) => this.update(id, acceptUpdate, { by });
  decline = (id: string, by: Actor, reason: string) => this.update(id, declineUpdate, { by, reason });
  startService = (id: string, by: Actor) => this.update(id, startServiceUpdate, { by });
  /** The update id is the service record's: a repeated completion is the same completion. */
  complete = (id: string, by: Actor, outcome: string, serviceRecordId: string) =>
    this.update(id, completeUpdate, { by, outcome, serviceRecordId }, `complete:${serviceRecordId}`);
  withdraw = (id: string, by: Actor, reason: string) => this.update(id, withdrawUpdate, { by, reason });
  redirect = (id: string, by: Actor, toFacilityId: string, reason: string) =>
    this.update(id, redirectUpdate, { by, toFacilityId, reason });
  extendDeadline = (id: string, by: Actor, reason: string, newDeadline: string) =>
    this.update(id, extendDeadlineUpdate, { by, reason, newDeadline });
  acknowledgeEscalation = (id: string, by: Actor, note?: string) =>
    this.update(id, acknowledgeEscalationUpdate, { by, ...(note ? { note } : {}) });
  closeUnresolved = (id: string, by: Actor, reason: string) => this.update(id, closeUnresolvedUpdate, { by, reason });
  /** The update id is the transfer's: accepting a transfer again moves each referral once. */
  transferCommune = (
    id: string,
    by: Actor,
    transfer: { transferId: string; fromUnitCode: string; toUnitCode: string },
  ) => this.update(id, transferCommuneUpdate, { by, ...transfer }, `transfer:${transfer.transferId}`);

  async view(
    referralId: string,
  ): Promise<{ referral: ReferralView; history: ReferralHistoryEntry[]; nextDeadline: NextDeadline | null }> {
    try {
      const handle = this.handle(referralId);
      const [referral, history, nextDeadline] = await withinDeadline(this.client, 'the referral workflow', () =>
        Promise.all([
          handle.query(referralStateQuery),
          handle.query(referralHistoryQuery),
          handle.query(nextDeadlineQuery),
        ]),
      );
      return { referral, history, nextDeadline };
    } catch (error) {
      return refusal(error);
    }
  }
}

/** A Temporal client connection; a server that does not answer is named in the error. */
export async function connectTemporal(address: string): Promise<Connection> {
  try {
    return await Connection.connect({ address, connectTimeout: '5 seconds' });
  } catch (error) {
    throw new Error(`cannot reach Temporal at ${address}: ${(error as Error).message}`, { cause: error });
  }
}
