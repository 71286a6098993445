import type { EventHandlers } from '@ecd/messaging';
import type { IndicatorStore } from '../repositories/indicator-store';

/**
 * The events the computed indicators are built from. Each changes one child or protection case
 * and, through it, the counts of its units (docs/adr/0023). Redelivered events change nothing.
 */
export function indicatorEventHandlers(store: IndicatorStore): EventHandlers {
  return {
    'case.opened.v1': async ({ data }) => {
      await store.caseOpened(data);
    },
    'case.screened.v1': async ({ data }, { logger }) => {
      // case.opened comes first on the same partition (same key), unless it predates this consumer group.
      if (!(await store.caseScreened(data)))
        logger.warn({ caseId: data.caseId }, 'screening of an unknown case skipped');
    },
    'referral.requested.v1': async ({ data }) => {
      await store.referralRequested(data);
    },
    'referral.completed.v1': async ({ data }, { logger }) => {
      if (!(await store.referralCompleted(data))) {
        logger.warn({ referralId: data.referralId }, 'completion of an unknown referral skipped');
      }
    },
    'protection.case_reported.v1': async ({ data }) => {
      await store.protectionCaseReported(data);
    },
    'protection.plan_approved.v1': async ({ data }) => {
      await store.protectionPlanApproved(data);
    },
  };
}
