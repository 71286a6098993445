import { createEvent } from '@ecd/contracts';
import type { EventPublisher } from '@ecd/messaging';

export interface CaseScreeningInput {
  caseId: string;
  communeCode: string;
  openedAt: string;
  correlationId?: string;
}

export interface CaseScreeningActivityDeps {
  publisher: EventPublisher;
  screeningWindowHours: number;
}

const SOURCE = '/services/referrals';

/**
 * Activities publish with ids derived from the case and the step, so a retried activity or a
 * replayed workflow publishes the same event id and consumers apply it once.
 */
export function createCaseScreeningActivities(deps: CaseScreeningActivityDeps) {
  return {
    async scheduleCaseScreening(input: CaseScreeningInput): Promise<{ dueAt: string }> {
      const dueAt = new Date(Date.parse(input.openedAt) + deps.screeningWindowHours * 3_600_000).toISOString();
      await deps.publisher.publish([
        createEvent({
          id: `${input.caseId}:screening_scheduled`,
          type: 'case.screening_scheduled.v1',
          source: SOURCE,
          subject: input.caseId,
          correlationid: input.correlationId,
          data: {
            caseId: input.caseId,
            dueAt,
            policy: `screening within ${deps.screeningWindowHours} hours of opening`,
          },
        }),
      ]);
      return { dueAt };
    },

    async announceScreeningOverdue(input: CaseScreeningInput & { dueAt: string }): Promise<void> {
      await deps.publisher.publish([
        createEvent({
          id: `${input.caseId}:screening_overdue`,
          type: 'case.screening_overdue.v1',
          source: SOURCE,
          subject: input.caseId,
          correlationid: input.correlationId,
          data: { caseId: input.caseId, dueAt: input.dueAt, communeCode: input.communeCode },
        }),
      ]);
    },
  };
}

export type CaseScreeningActivities = ReturnType<typeof createCaseScreeningActivities>;
