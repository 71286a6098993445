import { WorkflowExecutionAlreadyStartedError, WorkflowNotFoundError, type Client } from '@temporalio/client';
import type { Logger } from 'pino';
import type { EventHandlers } from '@ecd/messaging';
import { CaseScreeningWorkflow, caseClosedSignal, screeningRecordedSignal } from '../workflows/case-screening-workflow';
import { caseScreeningWorkflowId } from '../workflows/workflow-ids';

/** Starts the workflows that follow a case; redelivered events find them started and do nothing. */
export function caseEventHandlers(client: Client, taskQueue: string): EventHandlers {
  return {
    'case.opened.v1': async (event, { logger }) => {
      const workflowId = caseScreeningWorkflowId(event.data.caseId);
      try {
        await client.workflow.start(CaseScreeningWorkflow, {
          workflowId,
          taskQueue,
          // A redelivered case.opened after the workflow finished must not start it again.
          workflowIdReusePolicy: 'REJECT_DUPLICATE',
          args: [
            {
              caseId: event.data.caseId,
              communeCode: event.data.communeCode,
              openedAt: event.data.openedAt,
              correlationId: event.correlationid,
            },
          ],
        });
        logger.info({ workflowId }, 'case screening workflow started');
      } catch (error) {
        if (!(error instanceof WorkflowExecutionAlreadyStartedError)) throw error;
        logger.info({ workflowId }, 'case screening workflow already running');
      }
    },
    // Signals to a finished workflow (already screened, or overdue) are refused and change nothing.
    'case.screened.v1': async (event, { logger }) => {
      await signalScreening(event.data.caseId, logger, (handle) =>
        handle.signal(screeningRecordedSignal, { screeningId: event.data.screeningId }),
      );
    },
    'case.closed.v1': async (event, { logger }) => {
      await signalScreening(event.data.caseId, logger, (handle) =>
        handle.signal(caseClosedSignal, { reason: event.data.reason }),
      );
    },
  };

  async function signalScreening(
    caseId: string,
    logger: Logger,
    send: (handle: ReturnType<Client['workflow']['getHandle']>) => Promise<void>,
  ): Promise<void> {
    const workflowId = caseScreeningWorkflowId(caseId);
    try {
      await send(client.workflow.getHandle(workflowId));
    } catch (error) {
      if (!(error instanceof WorkflowNotFoundError)) throw error;
      logger.info({ workflowId }, 'case screening workflow already finished');
    }
  }
}
