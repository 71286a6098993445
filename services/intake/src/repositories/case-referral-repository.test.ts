import { describe, expect, it } from 'vitest';
import type { CloudEvent, ReferralEventType } from '@ecd/contracts';
import { referralEventFields, sequenceOf } from './case-referral-repository';

const base = {
  referralId: 'r1',
  caseId: 'c1',
  sector: 'health',
  urgency: 'routine',
  facilityId: 'TYT-02704',
  fromUnitCode: '02704',
};
const event = (n: number, type: string, data: Record<string, unknown>) =>
  ({
    id: `r1:${n}`,
    type,
    subject: 'c1',
    data: { ...base, at: `2026-03-0${n}T02:00:00.000Z`, ...data },
  }) as unknown as CloudEvent<ReferralEventType>;

describe('case referral read model', () => {
  it('reads the per-referral sequence from the event id', () => {
    expect(sequenceOf('0f0e-r1:12')).toBe(12);
    expect(() => sequenceOf('r1')).toThrow(/no sequence/);
  });

  it('keeps the commune, deadlines, escalation level and service record from each event', () => {
    expect(
      referralEventFields(
        event(1, 'referral.requested.v1', { state: 'REQUESTED', acceptBy: '2026-03-04T16:59:59.999Z' }),
      ),
    ).toEqual({
      caseId: 'c1',
      communeCode: '02704',
      sector: 'health',
      urgency: 'routine',
      facilityId: 'TYT-02704',
      state: 'REQUESTED',
      lastSeq: 1,
      updatedAt: '2026-03-01T02:00:00.000Z',
      requestedAt: '2026-03-01T02:00:00.000Z',
      acceptBy: '2026-03-04T16:59:59.999Z',
      escalationLevel: 0,
    });
    expect(referralEventFields(event(2, 'referral.escalated.v1', { state: 'REQUESTED', level: 2 }))).toMatchObject({
      escalationLevel: 2,
      lastSeq: 2,
    });
    expect(
      referralEventFields(
        event(3, 'referral.deadline_extended.v1', {
          state: 'REQUESTED',
          deadline: 'ACCEPT',
          extendedTo: '2026-03-09T16:59:59.999Z',
        }),
      ),
    ).toMatchObject({ acceptBy: '2026-03-09T16:59:59.999Z', escalationLevel: 0 });
    expect(
      referralEventFields(
        event(4, 'referral.accepted.v1', { state: 'ACCEPTED', completeBy: '2026-03-20T16:59:59.999Z' }),
      ),
    ).toMatchObject({ state: 'ACCEPTED', completeBy: '2026-03-20T16:59:59.999Z', escalationLevel: 0 });
    expect(
      referralEventFields(event(5, 'referral.completed.v1', { state: 'COMPLETED', serviceRecordId: 'r1-record' })),
    ).toMatchObject({ state: 'COMPLETED', serviceRecordId: 'r1-record' });
  });
});
