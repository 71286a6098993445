import type { CloudEvent, ProtectionStep, Urgency } from '@ecd/contracts';

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
export function boardEntryIdOf(event: CloudEvent): string | undefined {
  const data = event.data as { referralId?: string; protectionCaseId?: string; step?: string };
  if (event.type.startsWith('referral.') && data.referralId) return boardEntryId.referral(data.referralId);
  if (event.type.startsWith('protection.step_') && data.protectionCaseId && data.step) {
    return boardEntryId.protectionStep(data.protectionCaseId, data.step);
  }
  return undefined;
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
 * of the topics rebuilds the same board.
 */
export function projectBoardEvent(event: CloudEvent, current: BoardEntry | null): Partial<BoardEntry> | null {
  const data = event.data as Record<string, unknown> & { at: string };
  const base = { lastSeq: sequenceOf(event.id), updatedAt: data.at };
  const reach = (unit: string, commune: string) => [...new Set([...(current?.visibleTo ?? [commune]), unit])];

  if (event.type === 'referral.escalated.v1' || event.type === 'protection.step_escalated.v1') {
    const referral = event.type === 'referral.escalated.v1';
    const commune = (referral ? data.fromUnitCode : data.communeCode) as string;
    return {
      ...base,
      kind: referral ? 'referral' : 'protection-step',
      ...(referral
        ? {
            referralId: data.referralId as string,
            caseId: data.caseId as string,
            facilityId: data.facilityId as string,
          }
        : {
            protectionCaseId: data.protectionCaseId as string,
            caseId: data.protectionCaseId as string,
            step: data.step as ProtectionStep,
          }),
      communeCode: commune,
      sector: referral ? (data.sector as string) : 'protection',
      urgency: data.urgency as Urgency,
      state: (referral ? data.state : data.stage) as string,
      reason: (referral ? data.reason : data.step) as string,
      dueAt: data.dueAt as string,
      level: data.level as number,
      responsibleUnitCode: data.responsibleUnitCode as string,
      topOfLadder: data.topOfLadder as boolean,
      visibleTo: reach(data.responsibleUnitCode as string, commune),
      open: true,
      escalatedAt: data.at,
    };
  }
  if (!current) return null;
  if (
    event.type === 'referral.escalation_acknowledged.v1' ||
    event.type === 'protection.step_escalation_acknowledged.v1'
  ) {
    const by = data.by as { userId: string; role: string };
    return { ...base, acknowledged: { userId: by.userId, role: by.role, at: data.at } };
  }
  if (event.type === 'protection.step_completed.v1') {
    return { ...base, open: false, closedBecause: data.late ? 'done late' : 'done' };
  }
  if (event.type.startsWith('referral.')) {
    const closing = closingReferralEvents[event.type];
    return { ...base, state: data.state as string, ...(closing ? { open: false, closedBecause: closing } : {}) };
  }
  return null;
}

const urgencyRank: Record<string, number> = { emergency: 0, urgent: 1, routine: 2 };

/** Most urgent first; within an urgency, the longest overdue first; then the highest level. */
export function byUrgencyAndTimeOverdue(a: BoardEntry, b: BoardEntry): number {
  return (
    (urgencyRank[a.urgency] ?? 3) - (urgencyRank[b.urgency] ?? 3) || a.dueAt.localeCompare(b.dueAt) || b.level - a.level
  );
}
