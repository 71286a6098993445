import { referralEventTypes } from '@ecd/contracts';
import type { EventHandler, EventHandlers } from '@ecd/messaging';
import type { CaseReferralRepository } from '../repositories/case-referral-repository';
import type { CaseRepository } from '../repositories/case-repository';

/**
 * Referral events about intake's own cases: the case's referral list (state, deadlines,
 * escalation) and a timeline entry per event. Idempotent: the referral's sequence and the
 * timeline entry's id (the event id) make a redelivery change nothing.
 */
export function referralEventHandlers(cases: CaseRepository, referrals: CaseReferralRepository): EventHandlers {
  const handle: EventHandler = async (event) => {
    const data = event.data as { caseId: string; state: string; referralId: string; sector: string };
    if (!(await cases.model.exists({ _id: data.caseId }))) return; // not a case of this service
    await cases.recordEvent(
      data.caseId,
      {
        id: event.id,
        at: event.time,
        kind: event.type.replace(/\.v\d+$/, ''),
        summary: `Referral ${data.referralId} (${data.sector}): ${data.state}`,
      },
      event.type === 'referral.requested.v1' ? { status: 'REFERRED' } : {},
    );
    await referrals.apply(event);
  };
  return Object.fromEntries(referralEventTypes.map((type) => [type, handle]));
}
