import { randomUUID } from 'node:crypto';
import { createEvent, type CaseClosureReasons, type CloudEvent, type Sector } from '@ecd/contracts';
import type { Finding, SuggestedReferral } from '@ecd/screening';
import { checkDateOfBirth } from './child';

export interface OpenCaseCommand {
  child: { fullName: string; dateOfBirth: string; sex: 'female' | 'male'; communeCode: string };
  concerns: Sector[];
  note?: string;
}

export interface TimelineEntry {
  id: string;
  at: string;
  kind: string;
  summary: string;
}

export interface CaseRecord {
  _id: string;
  childId: string;
  child: OpenCaseCommand['child'];
  concerns: Sector[];
  note?: string;
  status: 'OPEN' | 'SCREENED' | 'REFERRED' | 'CLOSED';
  openedAt: string;
  screeningDueAt?: string;
  timeline: TimelineEntry[];
  idempotencyKey: string;
  openedBy?: string;
  screenings?: ScreeningRecord[];
  closure?: CaseClosure;
}

export interface ScreeningRecord {
  screeningId: string;
  at: string;
  /** The screening date, Vietnam local. */
  today: string;
  by: string;
  ageMonths: number;
  findings: Finding[];
  suggestedReferrals: SuggestedReferral[];
}

/** Opening a case: the record and the `case.opened` event that other sectors act on. */
export function openCase(
  command: OpenCaseCommand,
  options: { now: Date; idempotencyKey?: string; correlationId?: string; childId?: string; openedBy?: string },
): { record: CaseRecord; events: CloudEvent[] } {
  const months = checkDateOfBirth(command.child.dateOfBirth, options.now, 'child.dateOfBirth');
  const caseId = randomUUID();
  const childId = options.childId ?? randomUUID();
  const openedAt = options.now.toISOString();
  const event = createEvent({
    id: `${caseId}:opened`,
    type: 'case.opened.v1',
    source: '/services/intake',
    subject: caseId,
    time: openedAt,
    correlationid: options.correlationId,
    data: {
      caseId,
      childId,
      communeCode: command.child.communeCode,
      childAgeMonths: months,
      concerns: command.concerns,
      openedAt,
    },
  });
  const record: CaseRecord = {
    _id: caseId,
    childId,
    child: command.child,
    concerns: command.concerns,
    ...(command.note ? { note: command.note } : {}),
    status: 'OPEN',
    openedAt,
    ...(options.openedBy ? { openedBy: options.openedBy } : {}),
    timeline: [{ id: event.id, at: openedAt, kind: 'case.opened', summary: 'Case opened' }],
    idempotencyKey: options.idempotencyKey ?? caseId,
  };
  return { record, events: [event] };
}

/** The event that tells other services the case was screened (ids and sectors, never findings). */
export function caseScreenedEvent(found: CaseRecord, screening: ScreeningRecord, correlationId?: string): CloudEvent {
  return createEvent({
    id: `${found._id}:screened:${screening.screeningId}`,
    type: 'case.screened.v1',
    source: '/services/intake',
    subject: found._id,
    time: screening.at,
    correlationid: correlationId,
    data: {
      caseId: found._id,
      screeningId: screening.screeningId,
      communeCode: found.child.communeCode,
      screenedAt: screening.at,
      suggestedSectors: [...new Set(screening.suggestedReferrals.map((r) => r.sector as Sector))],
    },
  });
}

export type CaseClosureReason = (typeof CaseClosureReasons)[number];

export interface CaseClosure {
  reason: CaseClosureReason;
  note?: string;
  closedAt: string;
  closedBy: string;
}

/** Closing a case: the closure, its timeline entry and the `case.closed` event. */
export function closeCase(
  found: CaseRecord,
  command: { reason: CaseClosureReason; note?: string },
  options: { now: Date; closedBy: string; correlationId?: string },
): { closure: CaseClosure; entry: TimelineEntry; event: CloudEvent } {
  const closedAt = options.now.toISOString();
  const event = createEvent({
    id: `${found._id}:closed`,
    type: 'case.closed.v1',
    source: '/services/intake',
    subject: found._id,
    time: closedAt,
    correlationid: options.correlationId,
    data: { caseId: found._id, communeCode: found.child.communeCode, reason: command.reason, closedAt },
  });
  return {
    closure: {
      reason: command.reason,
      ...(command.note ? { note: command.note } : {}),
      closedAt,
      closedBy: options.closedBy,
    },
    entry: { id: event.id, at: closedAt, kind: 'case.closed', summary: `Case closed: ${command.reason}` },
    event,
  };
}
