import type { CloudEvent, ReferralEventType, ReferralState } from '@ecd/contracts';

/** A referral as a facility's queue shows it: a read model built from referral events. */
export interface InboxItem {
  _id: string; // referral id
  facilityId: string;
  caseId: string;
  childId?: string;
  sector: string;
  urgency: string;
  state: ReferralState;
  fromUnitCode: string;
  reason?: string;
  requestedAt?: string;
  acceptBy?: string;
  completeBy?: string;
  /** The deadline that runs now: accept-by while requested, complete-by while accepted. */
  dueAt?: string;
  escalationLevel: number;
  serviceRecordId?: string;
  /** Sequence of the last event applied (event ids are `<referralId>:<n>`). */
  lastSeq: number;
  updatedAt: string;
}

/** The sequence number in a referral event id, so a redelivered or stale event is ignored. */
export function sequenceOf(eventId: string): number {
  const n = Number(eventId.slice(eventId.lastIndexOf(':') + 1));
  if (!Number.isInteger(n) || n < 1) throw new Error(`event id ${eventId} carries no sequence number`);
  return n;
}

const dueFor = (item: Pick<InboxItem, 'state' | 'acceptBy' | 'completeBy'>) =>
  item.state === 'REQUESTED'
    ? item.acceptBy
    : item.state === 'ACCEPTED' || item.state === 'IN_SERVICE'
      ? item.completeBy
      : undefined;

/**
 * The fields a referral event sets on the inbox item. Pure, so the projection is testable and a
 * replay of the topic rebuilds the same read model.
 */
export function projectReferralEvent(
  event: CloudEvent<ReferralEventType>,
  current: Partial<InboxItem> | null,
): Partial<InboxItem> {
  const { data } = event;
  const base: Partial<InboxItem> = {
    _id: data.referralId,
    facilityId: data.facilityId,
    caseId: data.caseId,
    sector: data.sector,
    urgency: data.urgency,
    fromUnitCode: data.fromUnitCode,
    state: data.state,
    lastSeq: sequenceOf(event.id),
    updatedAt: data.at,
  };
  switch (event.type) {
    case 'referral.requested.v1':
      Object.assign(base, {
        childId: event.data.childId,
        reason: event.data.reason,
        requestedAt: event.data.at,
        acceptBy: event.data.acceptBy,
        escalationLevel: 0,
      });
      break;
    case 'referral.accepted.v1':
      Object.assign(base, { completeBy: event.data.completeBy, escalationLevel: 0 });
      break;
    case 'referral.deadline_extended.v1':
      Object.assign(
        base,
        event.data.deadline === 'ACCEPT' ? { acceptBy: event.data.extendedTo } : { completeBy: event.data.extendedTo },
      );
      base.escalationLevel = 0;
      break;
    case 'referral.escalated.v1':
      base.escalationLevel = event.data.level;
      break;
    case 'referral.completed.v1':
      base.serviceRecordId = event.data.serviceRecordId;
      break;
    default:
      break;
  }
  base.dueAt = dueFor({ state: data.state, ...pickDeadlines(current), ...pickDeadlines(base) });
  return base;
}

const pickDeadlines = (item: Partial<InboxItem> | null) => ({
  ...(item?.acceptBy ? { acceptBy: item.acceptBy } : {}),
  ...(item?.completeBy ? { completeBy: item.completeBy } : {}),
});
