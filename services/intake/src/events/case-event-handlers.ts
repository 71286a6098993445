import type { EventHandlers } from '@ecd/messaging';
import type { CaseRepository } from '../repositories/case-repository';

/** What intake learns from other services about its cases. Each handler is idempotent. */
export function caseEventHandlers(cases: CaseRepository): EventHandlers {
  return {
    'case.screening_scheduled.v1': async (event) => {
      await cases.recordEvent(
        event.data.caseId,
        {
          id: event.id,
          at: event.time,
          kind: 'case.screening_scheduled',
          summary: `Screening due by ${event.data.dueAt}`,
        },
        { screeningDueAt: event.data.dueAt },
      );
    },
    'case.screening_overdue.v1': async (event) => {
      await cases.recordEvent(event.data.caseId, {
        id: event.id,
        at: event.time,
        kind: 'case.screening_overdue',
        summary: `Screening overdue since ${event.data.dueAt}`,
      });
    },
  };
}
