import { referralEventTypes, type ReferralEventType } from '@ecd/contracts';
import { handlersFor, type EventHandler, type EventHandlers } from '@ecd/messaging';
import type { CaseReferralRepository } from '../repositories/case-referral-repository';
import type { CaseRepository } from '../repositories/case-repository';

/**
 * Referral events about intake's own cases: the case's referral list (state, deadlines,
 * escalation) and a timeline entry per event. Idempotent: the referral's sequence and the
 * timeline entry's id (the event id) make a redelivery change nothing.
 */
export function referralEventHandlers(cases: CaseRepository, referrals: CaseReferralRepository): EventHandlers {
  const handle: EventHandler<ReferralEventType> = async (event) => {
    const { data } = event;
    if (!(await cases.model.exists({ _id: data.caseId }))) return; // not a case of this service
    await cases.recordEvent(
      data.caseId,
      {
        id: event.id,
        at: event.time,
        kind: event.type.replace(/\.v\d+$/, ''),
        summary:
          event.type === 'referral.needs_attention.v1'
            ? `Referral ${data.referralId} (${data.sector}) needs attention: ${event.data.failedEffect} failed`
            : `Referral ${data.referralId} (${data.sector}): ${data.state}`,
      },
      event.type === 'referral.requested.v1' ? { status: 'REFERRED' } : {},
    );
    await referrals.apply(event);
  };
  return handlersFor(referralEventTypes, handle);
}
