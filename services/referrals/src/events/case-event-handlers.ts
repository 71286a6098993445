import { WorkflowExecutionAlreadyStartedError, type Client } from '@temporalio/client';
import type { EventHandlers } from '@ecd/messaging';
import { CaseScreeningWorkflow } from '../workflows/case-screening-workflow';
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
  };
}
