import { condition, defineSignal, proxyActivities, setHandler } from '@temporalio/workflow';
import type { CaseScreeningActivities, CaseScreeningInput } from '../activities/case-screening-activities';

const { scheduleCaseScreening, announceScreeningOverdue } = proxyActivities<CaseScreeningActivities>({
  startToCloseTimeout: '30 seconds',
  retry: { initialInterval: '1 second', backoffCoefficient: 2, maximumInterval: '1 minute' },
});

export const screeningRecordedSignal = defineSignal<[{ screeningId: string }]>('screeningRecorded');
/** The case was closed before it was screened: nothing is overdue any more. */
export const caseClosedSignal = defineSignal<[{ reason: string }]>('caseClosed');

/**
 * Every opened case must be screened within the policy's window; if it is not, the commune is told.
 * Workflow id is derived from the case id, so a second start for the same case is refused.
 */
export async function CaseScreeningWorkflow(input: CaseScreeningInput): Promise<'SCREENED' | 'CLOSED' | 'OVERDUE'> {
  let screened = false;
  let closed = false;
  setHandler(screeningRecordedSignal, () => {
    screened = true;
  });
  // A new handler adds no command to the history, so running workflows replay unchanged.
  setHandler(caseClosedSignal, () => {
    closed = true;
  });
  const { dueAt } = await scheduleCaseScreening(input);
  const remaining = Math.max(0, Date.parse(dueAt) - Date.now());
  if (await condition(() => screened || closed, remaining)) return screened ? 'SCREENED' : 'CLOSED';
  await announceScreeningOverdue({ ...input, dueAt });
  return 'OVERDUE';
}
