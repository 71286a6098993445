/**
 * Capacity of the referral loop from climbing phases (issue 12): the highest offered rate at which
 * the stack keeps up. A phase keeps up when every referral offered was requested (none skipped at
 * the concurrency limit, none failed), every health referral of the phase was accepted within
 * `drainLimitSeconds` after the phase ended, and request→inbox p99 stayed within `inboxP99LimitMs`.
 */
export interface PhaseOutcome {
  phase: string;
  offeredPerSecond: number;
  seconds: number;
  requested: number;
  skippedAtConcurrencyLimit: number;
  failedRequests: number;
  healthReferrals: number;
  /** Health referrals of this phase accepted by the end of its drain window. */
  healthAcceptedByDrainEnd: number;
  /** Seconds from the phase's end until its last health referral was accepted (undefined: never). */
  drainSeconds: number | undefined;
  requestToInboxP99Ms: number | undefined;
}

export interface CapacityRules {
  drainLimitSeconds: number;
  inboxP99LimitMs: number;
  /** Share of the offered referrals that must have been requested (a little slack for the clock). */
  requestedShare: number;
}

export const capacityRules: CapacityRules = { drainLimitSeconds: 30, inboxP99LimitMs: 1000, requestedShare: 0.95 };

export interface PhaseVerdict {
  phase: string;
  offeredPerSecond: number;
  keepsUp: boolean;
  /** Why not, in words, for the report. */
  reasons: string[];
}

export function phaseVerdict(outcome: PhaseOutcome, rules: CapacityRules = capacityRules): PhaseVerdict {
  const reasons: string[] = [];
  const offered = outcome.offeredPerSecond * outcome.seconds;
  if (outcome.skippedAtConcurrencyLimit > 0) reasons.push(`${outcome.skippedAtConcurrencyLimit} skipped`);
  if (outcome.failedRequests > 0) reasons.push(`${outcome.failedRequests} failed`);
  if (outcome.requested < Math.floor(offered * rules.requestedShare))
    reasons.push(`requested ${outcome.requested} of ${Math.round(offered)} offered`);
  if (outcome.healthAcceptedByDrainEnd < outcome.healthReferrals)
    reasons.push(
      `${outcome.healthReferrals - outcome.healthAcceptedByDrainEnd} not accepted ${rules.drainLimitSeconds} s after the phase`,
    );
  else if (outcome.drainSeconds === undefined || outcome.drainSeconds > rules.drainLimitSeconds)
    reasons.push(`backlog drained after more than ${rules.drainLimitSeconds} s`);
  if (outcome.requestToInboxP99Ms === undefined) reasons.push('no request→inbox measurement');
  else if (outcome.requestToInboxP99Ms > rules.inboxP99LimitMs)
    reasons.push(`request→inbox p99 ${Math.round(outcome.requestToInboxP99Ms)} ms > ${rules.inboxP99LimitMs} ms`);
  return { phase: outcome.phase, offeredPerSecond: outcome.offeredPerSecond, keepsUp: reasons.length === 0, reasons };
}

/** The highest offered rate whose phase kept up; 0 when none did. */
export function capacity(outcomes: PhaseOutcome[], rules: CapacityRules = capacityRules): number {
  return Math.max(
    0,
    ...outcomes
      .map((o) => phaseVerdict(o, rules))
      .filter((v) => v.keepsUp)
      .map((v) => v.offeredPerSecond),
  );
}
