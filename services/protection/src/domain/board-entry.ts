import type { CloudEvent, ProtectionEventType, ProtectionStep, ReferralEventType, Urgency } from '@ecd/contracts';

/**
 * One line of the escalation board: an escalated referral (any sector) or a missed protection
 * step, visible to the officers of the commune it comes from and of every unit it escalated to.
 */
export interface BoardEntry {
  _id: string;
  kind: 'referral' | 'protection-step';
  referralId?: string;
  protectionCaseId?: string;
  step?: ProtectionStep;
  caseId: string;
  communeCode: string;
  sector: string;
  urgency: Urgency;
  facilityId?: string;
  /** The referral's state, or the protection case's stage. */
  state: string;
  /** NOT_ACCEPTED / NOT_COMPLETED for referrals; the missed step for protection cases. */
  reason: string;
  dueAt: string;
  level: number;
  responsibleUnitCode: string;
  topOfLadder: boolean;
  /** Unit codes whose officers see the entry: the commune, then each unit it reached. */
  visibleTo: string[];
  open: boolean;
  closedBecause?: string;
  acknowledged?: { userId: string; role: string; at: string };
  owner?: { userId: string; name?: string; at: string };
  notes?: { userId: string; at: string; text: string }[];
  resolution?: { action: string; userId: string; at: string; reason: string };
  escalatedAt: string;
  lastSeq: number;
  updatedAt: string;
}

export const boardEntryId = {
  referral: (referralId: string) => `referral-${referralId}`,
  protectionStep: (caseId: string, step: string) => `protection-${caseId}-${step}`,
};

/** The sequence number in an event id (`<subject id>:<n>`), so a redelivered or stale event is ignored. */
export function sequenceOf(eventId: string): number {
  const n = Number(eventId.slice(eventId.lastIndexOf(':') + 1));
  if (!Number.isInteger(n) || n < 1) throw new Error(`event id ${eventId} carries no sequence number`);
  return n;
}

/** Which entry an event concerns, or undefined when the board has nothing to do with it. */
export function boardEntryIdOf(event: CloudEvent<ReferralEventType | ProtectionEventType>): string | undefined {
  if (isReferralEvent(event)) return boardEntryId.referral(event.data.referralId);
  switch (event.type) {
    case 'protection.step_reminder_due.v1':
    case 'protection.step_escalated.v1':
    case 'protection.step_escalation_acknowledged.v1':
    case 'protection.step_completed.v1':
      return boardEntryId.protectionStep(event.data.protectionCaseId, event.data.step);
    default:
      return undefined;
  }
}

const closingReferralEvents: Record<string, string> = {
  'referral.accepted.v1': 'accepted',
  'referral.deadline_extended.v1': 'deadline extended',
  'referral.completed.v1': 'completed',
  'referral.declined.v1': 'declined',
  'referral.withdrawn.v1': 'withdrawn',
  'referral.redirected.v1': 'redirected',
  'referral.closed_unresolved.v1': 'closed unresolved',
};

/**
 * The fields an event sets on a board entry; null when it changes nothing. Only an escalation
 * creates an entry; later events of the same referral or step move or close it. Pure, so a replay
 * of the topics rebuilds the same board. Each case reads its own event type's data.
 */
export function projectBoardEvent(
  event: CloudEvent<ReferralEventType | ProtectionEventType>,
  current: BoardEntry | null,
): Partial<BoardEntry> | null {
  const base = { lastSeq: sequenceOf(event.id), updatedAt: event.data.at };
  const reach = (unit: string, commune: string) => [...new Set([...(current?.visibleTo ?? [commune]), unit])];

  switch (event.type) {
    case 'referral.escalated.v1': {
      const { data } = event;
      return {
        ...base,
        kind: 'referral',
        referralId: data.referralId,
        caseId: data.caseId,
        facilityId: data.facilityId,
        communeCode: data.fromUnitCode,
        sector: data.sector,
        urgency: data.urgency,
        state: data.state,
        reason: data.reason,
        dueAt: data.dueAt,
        level: data.level,
        responsibleUnitCode: data.responsibleUnitCode,
        topOfLadder: data.topOfLadder,
        visibleTo: reach(data.responsibleUnitCode, data.fromUnitCode),
        open: true,
        escalatedAt: data.at,
      };
    }
    case 'protection.step_escalated.v1': {
      const { data } = event;
      return {
        ...base,
        kind: 'protection-step',
        protectionCaseId: data.protectionCaseId,
        caseId: data.protectionCaseId,
        step: data.step,
        communeCode: data.communeCode,
        sector: 'protection',
        urgency: data.urgency,
        state: data.stage,
        reason: data.step,
        dueAt: data.dueAt,
        level: data.level,
        responsibleUnitCode: data.responsibleUnitCode,
        topOfLadder: data.topOfLadder,
        visibleTo: reach(data.responsibleUnitCode, data.communeCode),
        open: true,
        escalatedAt: data.at,
      };
    }
    default:
      break;
  }
  if (!current) return null;
  switch (event.type) {
    case 'referral.escalation_acknowledged.v1':
    case 'protection.step_escalation_acknowledged.v1': {
      const { by, at } = event.data;
      return { ...base, acknowledged: { userId: by.userId, role: by.role, at } };
    }
    case 'protection.step_completed.v1':
      return { ...base, open: false, closedBecause: event.data.late ? 'done late' : 'done' };
    case 'referral.transferred.v1': {
      // The child moved commune: the entry is the receiving commune's now, not the one it left.
      const { data } = event;
      const visibleTo = current.visibleTo.filter((unit) => unit !== data.previousUnitCode);
      return {
        ...base,
        state: data.state,
        communeCode: data.fromUnitCode,
        visibleTo: [...new Set([...visibleTo, data.fromUnitCode])],
      };
    }
    default: {
      if (!isReferralEvent(event)) return null;
      const closing = closingReferralEvents[event.type];
      return { ...base, state: event.data.state, ...(closing ? { open: false, closedBecause: closing } : {}) };
    }
  }
}

const isReferralEvent = (
  event: CloudEvent<ReferralEventType | ProtectionEventType>,
): event is CloudEvent<ReferralEventType> => event.type.startsWith('referral.');

const urgencyRank: Record<string, number> = { emergency: 0, urgent: 1, routine: 2 };

/** Most urgent first; within an urgency, the longest overdue first; then the highest level. */
export function byUrgencyAndTimeOverdue(a: BoardEntry, b: BoardEntry): number {
  return (
    (urgencyRank[a.urgency] ?? 3) - (urgencyRank[b.urgency] ?? 3) || a.dueAt.localeCompare(b.dueAt) || b.level - a.level
  );
}
