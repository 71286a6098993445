import { describe, expect, it } from 'vitest';
import { BOARD_PAGE_SIZE, boardView, filterQuery, passes, type BoardEntry, type BoardFilter } from './board-views';
import { dueSoon, type ProtectionCaseSummary } from './protection-views';
import { vietnamInstant } from '../routes/protection-routes';

const entry = (i: number, over: Partial<BoardEntry> = {}): BoardEntry => ({
  _id: `referral-00000000-0000-4000-8000-${String(i).padStart(12, '0')}`,
  kind: 'referral',
  caseId: `case-${i}`,
  communeCode: i % 2 ? '02704' : '02701',
  sector: 'education',
  urgency: i % 3 ? 'routine' : 'urgent',
  facilityId: 'MN-02704',
  state: 'REQUESTED',
  reason: 'NOT_ACCEPTED',
  dueAt: '2026-12-01T00:00:00.000Z',
  overdueMinutes: 10,
  level: 1,
  responsibleUnitCode: '02704',
  topOfLadder: false,
  open: true,
  escalatedAt: '2026-12-01T00:00:00.000Z',
  ...over,
});
const ctx = {
  lang: 'vi' as const,
  path: '/board',
  staff: { userId: 'staff-0009', name: 'Sùng Thị Mai', role: 'protection-officer', unitCode: '02704' },
  csrfToken: 't',
};

describe('escalation board', () => {
  const entries = Array.from({ length: 23 }, (_, i) =>
    entry(i, i === 4 ? { owner: { userId: 'staff-0009', at: '2026-12-01T00:00:00.000Z' } } : {}),
  );

  it('filters by urgency, kind, level, owner, commune and "mine", and counts each option with the others applied', () => {
    const urgent: BoardFilter = { urgency: 'urgent', page: 1 };
    expect(entries.filter((e) => passes(e, urgent, 'staff-0009'))).toHaveLength(8);
    // Counting the commune options keeps the urgency filter but not a commune one.
    const both: BoardFilter = { urgency: 'urgent', commune: '02704', page: 1 };
    expect(entries.filter((e) => passes(e, both, 'staff-0009', 'commune'))).toHaveLength(8);
    expect(entries.filter((e) => passes(e, both, 'staff-0009'))).toHaveLength(4);
    expect(entries.filter((e) => passes(e, { mine: true, page: 1 }, 'staff-0009'))).toHaveLength(1);
    expect(entries.filter((e) => passes(e, { owner: 'unowned', page: 1 }, 'x'))).toHaveLength(22);
    expect(entries.filter((e) => passes(e, { kind: 'protection-step', page: 1 }, 'x'))).toHaveLength(0);
    expect(filterQuery({ urgency: 'urgent', mine: true, page: 1 }, 2)).toBe('?urgency=urgent&mine=1&page=2');
  });

  it('pages by ten and shows every code as words', () => {
    const last = boardView(ctx, entries, { page: 3 }, []).value;
    expect(last.match(/data-entry=/g)).toHaveLength(23 - 2 * BOARD_PAGE_SIZE);
    expect(last).toContain('Trang 3 / 3');
    expect(last).toContain('href="/board?page=2"');
    expect(last).toContain('Cơ sở chưa tiếp nhận quá hạn');
    expect(last).toContain('Xã Y Tý');
    expect(last).not.toMatch(/>[^<]*NOT_ACCEPTED/);
  });

  it('tells the steps due within two hours, and reads form times as Vietnam time', () => {
    const now = Date.parse('2026-12-01T00:00:00.000Z');
    const kase = (dueInMinutes: number, state = 'RUNNING'): ProtectionCaseSummary => ({
      _id: `c${dueInMinutes}`,
      communeCode: '02704',
      stage: 'REPORTED',
      urgency: 'emergency',
      seriousRisk: true,
      source: 'hotline-111',
      receivedAt: '2026-11-30T12:00:00.000Z',
      openedAt: '2026-11-30T12:00:00.000Z',
      clocks: [
        {
          step: 'EMERGENCY_MEASURE',
          dueAt: new Date(now + dueInMinutes * 60_000).toISOString(),
          state,
          escalation: { level: 0, acknowledged: false },
        },
      ],
    });
    const soon = dueSoon([kase(90), kase(150), kase(-5), kase(30, 'DONE')], now);
    expect(soon.map((s) => s.kase._id)).toEqual(['c90', 'c-5']);
    expect(vietnamInstant('2026-12-01T07:30')).toBe('2026-12-01T00:30:00.000Z');
  });
});
