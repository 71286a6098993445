import { describe, expect, it } from 'vitest';
import type { CloudEvent, ReferralEventType } from '@ecd/contracts';
import { projectReferralEvent, sequenceOf } from './inbox-projection';

const base = {
  referralId: 'r1',
  caseId: 'c1',
  sector: 'health',
  urgency: 'routine',
  facilityId: 'TYT-02704',
  fromUnitCode: '02704',
};
const event = (n: number, type: string, data: Record<string, unknown>) =>
  ({ id: `r1:${n}`, type, subject: 'c1', data: { ...base, ...data } }) as unknown as CloudEvent<ReferralEventType>;

describe('inbox projection', () => {
  it('reads the per-referral sequence from the event id', () => {
    expect(sequenceOf('0f0e-uuid-r1:12')).toBe(12);
    expect(() => sequenceOf('r1')).toThrow(/no sequence/);
  });

  it('runs the accept deadline while requested, the completion deadline once accepted, none when closed', () => {
    const requested = projectReferralEvent(
      event(1, 'referral.requested.v1', {
        state: 'REQUESTED',
        at: '2026-03-02T02:00:00.000Z',
        acceptBy: '2026-03-04T16:59:59.999Z',
        childId: 'k1',
        reason: 'vaccination',
      }),
      null,
    );
    expect(requested).toMatchObject({ state: 'REQUESTED', dueAt: '2026-03-04T16:59:59.999Z', lastSeq: 1 });
    const accepted = projectReferralEvent(
      event(2, 'referral.accepted.v1', {
        state: 'ACCEPTED',
        at: '2026-03-03T02:00:00.000Z',
        completeBy: '2026-03-17T16:59:59.999Z',
      }),
      requested,
    );
    expect(accepted).toMatchObject({ dueAt: '2026-03-17T16:59:59.999Z', lastSeq: 2 });
    const completed = projectReferralEvent(
      event(3, 'referral.completed.v1', { state: 'COMPLETED', at: '2026-03-05T02:00:00.000Z', serviceRecordId: 's1' }),
      { ...requested, ...accepted },
    );
    expect(completed).toMatchObject({ state: 'COMPLETED', serviceRecordId: 's1' });
    expect(completed.dueAt).toBeUndefined();
  });

  it('carries the escalation level, reset by an extension', () => {
    const escalated = projectReferralEvent(
      event(4, 'referral.escalated.v1', { state: 'REQUESTED', at: 'x', level: 2 }),
      null,
    );
    expect(escalated.escalationLevel).toBe(2);
    const extended = projectReferralEvent(
      event(5, 'referral.deadline_extended.v1', {
        state: 'REQUESTED',
        at: 'y',
        deadline: 'ACCEPT',
        extendedTo: '2026-03-10T16:59:59.999Z',
      }),
      escalated,
    );
    expect(extended).toMatchObject({ escalationLevel: 0, acceptBy: '2026-03-10T16:59:59.999Z' });
  });
});
