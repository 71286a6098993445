import { describe, expect, it } from 'vitest';
import type { CaseReferral } from '../repositories/case-referral-repository';
import { escalationLadderOf } from '@ecd/referral-policy';
import { buildReferralReport, communesWithin } from './referral-report';

const referral = (id: string, fields: Partial<CaseReferral>): CaseReferral => ({
  _id: id,
  caseId: `case-${id}`,
  communeCode: '02704',
  sector: 'health',
  urgency: 'routine',
  facilityId: 'TYT-02704',
  state: 'REQUESTED',
  escalationLevel: 0,
  lastSeq: 1,
  updatedAt: '2026-03-02T00:00:00.000Z',
  ...fields,
});

describe('referral report', () => {
  it('scopes a province to its communes and a commune to itself', () => {
    const ladder = escalationLadderOf('two-level');
    expect(communesWithin(ladder, '10').map((c) => c.code)).toEqual(
      expect.arrayContaining(['02701', '02704', '02713']),
    );
    expect(communesWithin(ladder, '02704')).toEqual([{ code: '02704', name: 'Xã Y Tý' }]);
    // Any province of the country, with no code change: Hà Nội and its Phường Ba Đình.
    expect(communesWithin(ladder, '01')).toContainEqual({ code: '00004', name: 'Phường Ba Đình' });
    expect(communesWithin(ladder, '01')).toHaveLength(126);
  });

  it('counts by sector and state, timeliness, escalation levels reached, children reached per sector and commune', () => {
    const report = buildReferralReport(
      '10',
      [
        { code: '02701', name: 'Xã Bát Xát' },
        { code: '02704', name: 'Xã Y Tý' },
      ],
      [
        referral('a', {
          childId: 'child-1',
          state: 'COMPLETED',
          acceptBy: '2026-03-03T00:00:00.000Z',
          acceptedAt: '2026-03-02T00:00:00.000Z',
          completeBy: '2026-03-05T00:00:00.000Z',
          completedAt: '2026-03-06T00:00:00.000Z',
        }),
        referral('b', { childId: 'child-1', state: 'REQUESTED', escalationLevel: 2, maxEscalationLevel: 2 }),
        referral('c', {
          childId: 'child-2',
          communeCode: '02701',
          sector: 'education',
          state: 'COMPLETED',
          acceptBy: '2026-03-03T00:00:00.000Z',
          acceptedAt: '2026-03-04T00:00:00.000Z',
          completeBy: '2026-03-09T00:00:00.000Z',
          completedAt: '2026-03-08T00:00:00.000Z',
          maxEscalationLevel: 1,
        }),
      ],
      new Date('2026-03-10T00:00:00.000Z'),
    );
    expect(report.bySectorAndState).toEqual([
      { sector: 'health', state: 'REQUESTED', count: 1 },
      { sector: 'health', state: 'COMPLETED', count: 1 },
      { sector: 'education', state: 'COMPLETED', count: 1 },
    ]);
    expect(report.accepted).toEqual({ total: 2, onTime: 1 });
    expect(report.completed).toEqual({ total: 2, onTime: 1 });
    expect(report.escalationsByLevel).toEqual([
      { level: 1, referrals: 1 },
      { level: 2, referrals: 1 },
    ]);
    expect(report.childrenReachedBySector).toContainEqual({ sector: 'health', children: 1 });
    expect(report.childrenReachedBySector).toContainEqual({ sector: 'education', children: 1 });
    expect(report.perCommune).toEqual([
      { communeCode: '02701', name: 'Xã Bát Xát', referrals: 1, completed: 1, escalated: 1, childrenReached: 1 },
      { communeCode: '02704', name: 'Xã Y Tý', referrals: 2, completed: 1, escalated: 1, childrenReached: 1 },
    ]);
  });
});
