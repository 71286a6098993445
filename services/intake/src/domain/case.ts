import { randomUUID } from 'node:crypto';
import { createEvent, type CloudEvent, type Sector } from '@ecd/contracts';
import { HttpProblem } from '@ecd/service-kit';
import { ageInMonths, MAX_AGE_MONTHS } from './child-age';

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
}

/** Opening a case: the record and the `case.opened` event that other sectors act on. */
export function openCase(
  command: OpenCaseCommand,
  options: { now: Date; idempotencyKey?: string; correlationId?: string },
): { record: CaseRecord; events: CloudEvent[] } {
  const dob = new Date(`${command.child.dateOfBirth}T00:00:00Z`);
  if (Number.isNaN(dob.getTime()) || dob.toISOString().slice(0, 10) !== command.child.dateOfBirth) {
    throw new HttpProblem(400, 'child.dateOfBirth is not a real calendar date', [
      { field: 'child.dateOfBirth', problem: 'is not a real calendar date' },
    ]);
  }
  const months = ageInMonths(command.child.dateOfBirth, options.now);
  if (months < 0) {
    throw new HttpProblem(400, 'child.dateOfBirth is in the future', [
      { field: 'child.dateOfBirth', problem: 'is in the future' },
    ]);
  }
  if (months > MAX_AGE_MONTHS) {
    throw new HttpProblem(422, 'the child is older than 8 years; this programme serves children up to 8', [
      { field: 'child.dateOfBirth', problem: 'makes the child older than 8 years' },
    ]);
  }
  const caseId = randomUUID();
  const childId = randomUUID();
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
    timeline: [{ id: event.id, at: openedAt, kind: 'case.opened', summary: 'Case opened' }],
    idempotencyKey: options.idempotencyKey ?? caseId,
  };
  return { record, events: [event] };
}
