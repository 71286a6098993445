import { describe, expect, it } from 'vitest';
import { capacity, phaseVerdict, type PhaseOutcome } from './capacity';

const kept = (rate: number, changes: Partial<PhaseOutcome> = {}): PhaseOutcome => ({
  phase: `${rate}/s`,
  offeredPerSecond: rate,
  seconds: 30,
  requested: rate * 30,
  skippedAtConcurrencyLimit: 0,
  failedRequests: 0,
  healthReferrals: rate * 27,
  healthAcceptedByDrainEnd: rate * 27,
  drainSeconds: 2,
  requestToInboxP99Ms: 400,
  ...changes,
});

describe('capacity from climbing phases', () => {
  it('is the highest offered rate whose phase kept up', () => {
    expect(capacity([kept(5), kept(10), kept(20), kept(40, { skippedAtConcurrencyLimit: 300 })])).toBe(20);
  });

  it('names each reason a phase did not keep up', () => {
    const verdict = phaseVerdict(
      kept(40, { failedRequests: 3, requested: 900, healthAcceptedByDrainEnd: 1000, requestToInboxP99Ms: 4200 }),
    );
    expect(verdict.keepsUp).toBe(false);
    expect(verdict.reasons).toEqual([
      '3 failed',
      'requested 900 of 1200 offered',
      '80 not accepted 30 s after the phase',
      'request→inbox p99 4200 ms > 1000 ms',
    ]);
  });

  it('does not count a phase whose backlog took longer than 30 s to drain, or that has no latency sample', () => {
    expect(phaseVerdict(kept(10, { drainSeconds: 31 })).reasons).toEqual(['backlog drained after more than 30 s']);
    expect(phaseVerdict(kept(10, { requestToInboxP99Ms: undefined })).keepsUp).toBe(false);
    expect(capacity([kept(5, { requestToInboxP99Ms: 1001 })])).toBe(0);
  });
});
