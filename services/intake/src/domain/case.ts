import { randomUUID } from 'node:crypto';
import { createEvent, type CloudEvent, type Sector } from '@ecd/contracts';
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
