import { condition, defineSignal, proxyActivities, setHandler } from '@temporalio/workflow';
import type { CaseScreeningActivities, CaseScreeningInput } from '../activities/case-screening-activities';

const { scheduleCaseScreening, announceScreeningOverdue } = proxyActivities<CaseScreeningActivities>({
  startToCloseTimeout: '30 seconds',
  retry: { initialInterval: '1 second', backoffCoefficient: 2, maximumInterval: '1 minute' },
});

export const screeningRecordedSignal = defineSignal<[{ screeningId: string }]>('screeningRecorded');

/**
 * Every opened case must be screened within the policy's window; if it is not, the commune is told.
 * Workflow id is derived from the case id, so a second start for the same case is refused.
 */
export async function CaseScreeningWorkflow(input: CaseScreeningInput): Promise<'SCREENED' | 'OVERDUE'> {
  let screened = false;
  setHandler(screeningRecordedSignal, () => {
    screened = true;
  });
  const { dueAt } = await scheduleCaseScreening(input);
  const remaining = Math.max(0, Date.parse(dueAt) - Date.now());
  if (await condition(() => screened, remaining)) return 'SCREENED';
  await announceScreeningOverdue({ ...input, dueAt });
  return 'OVERDUE';
}
