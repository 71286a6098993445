import { describe, expect, it } from 'vitest';
import { createEvent } from '@ecd/contracts';
import { byUrgencyAndTimeOverdue, projectBoardEvent, type BoardEntry } from './board-entry';

const referral = {
  referralId: 'r1',
  caseId: 'c1',
  sector: 'health' as const,
  urgency: 'routine' as const,
  facilityId: 'TYT-02704',
  fromUnitCode: '02704',
  state: 'REQUESTED' as const,
};
const escalated = (n: number, level: number, unit: string) =>
  createEvent({
    id: `r1:${n}`,
    type: 'referral.escalated.v1',
    source: '/test',
    subject: 'c1',
    data: {
      ...referral,
      at: '2026-11-20T10:00:00.000Z',
      level,
      reason: 'NOT_ACCEPTED',
      dueAt: '2026-11-20T10:00:00.000Z',
      responsibleUnitCode: unit,
      responsibleUnitLevel: 'commune',
      topOfLadder: false,
      firedAt: '2026-11-20T10:00:01.000Z',
    },
  });

describe('escalation board projection', () => {
  it('opens an entry on an escalation, visible to the commune and to each unit reached', () => {
    const first = projectBoardEvent(escalated(3, 1, '02704'), null) as BoardEntry;
    expect(first).toMatchObject({ open: true, level: 1, visibleTo: ['02704'], lastSeq: 3 });
    const second = projectBoardEvent(escalated(4, 2, '10'), first)!;
    expect(second.visibleTo).toEqual(['02704', '10']);
  });

  it('ignores events of referrals that never escalated', () => {
    const accepted = createEvent({
      id: 'r1:2',
      type: 'referral.accepted.v1',
      source: '/test',
      subject: 'c1',
      data: {
        ...referral,
        state: 'ACCEPTED',
        at: '2026-11-20T10:00:00.000Z',
        by: { userId: 'n', role: 'health-staff' },
        completeBy: '2026-11-30T10:00:00.000Z',
      },
    });
    expect(projectBoardEvent(accepted, null)).toBeNull();
  });

  it('moves an entry to the commune a transferred child went to, out of sight of the one it left', () => {
    const first = projectBoardEvent(escalated(3, 1, '02704'), null) as BoardEntry;
    const second = { ...first, ...projectBoardEvent(escalated(4, 2, '10'), first) } as BoardEntry;
    const transferred = createEvent({
      id: 'r1:5',
      type: 'referral.transferred.v1',
      source: '/test',
      subject: 'c1',
      data: {
        ...referral,
        fromUnitCode: '02701',
        at: '2026-11-21T10:00:00.000Z',
        by: { userId: 'canbo.batxat', role: 'intake-staff', unitCode: '02701' },
        transferId: 't1',
        previousUnitCode: '02704',
      },
    });
    expect(projectBoardEvent(transferred, second)).toMatchObject({
      communeCode: '02701',
      visibleTo: ['10', '02701'],
      lastSeq: 5,
    });
  });

  it('sorts emergencies first, then the longest overdue', () => {
    const entry = (urgency: BoardEntry['urgency'], dueAt: string) => ({ urgency, dueAt, level: 1 }) as BoardEntry;
    const sorted = [
      entry('routine', '2026-11-01T00:00:00Z'),
      entry('emergency', '2026-11-20T00:00:00Z'),
      entry('routine', '2026-10-01T00:00:00Z'),
    ].sort(byUrgencyAndTimeOverdue);
    expect(sorted.map((e) => `${e.urgency} ${e.dueAt.slice(0, 10)}`)).toEqual([
      'emergency 2026-11-20',
      'routine 2026-10-01',
      'routine 2026-11-01',
    ]);
  });
});
