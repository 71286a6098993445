import type { EscalationLadder } from '@ecd/referral-policy';
import { ReferralStates, Sectors } from '@ecd/contracts';
import type { CaseReferral } from '../repositories/case-referral-repository';

/**
 * Communes at or below `unitCode` (a commune is its own area), with their names, in the ladder of
 * the configured edition: the whole country's official list (the demo keeps its Lào Cai), with
 * administrators' imports applied.
 */
export function communesWithin(ladder: EscalationLadder, unitCode: string): { code: string; name: string }[] {
  const found = ladder
    .unitsWithin(unitCode)
    .filter((unit) => unit.level === 'commune')
    .map(({ code, name }) => ({ code, name }));
  // A commune missing from the data is still its own area.
  if (found.length === 0 && /^[0-9]{5}$/.test(unitCode)) found.push({ code: unitCode, name: unitCode });
  return found.sort((a, b) => a.code.localeCompare(b.code));
}

export interface Timeliness {
  /** Referrals that reached this step. */
  total: number;
  /** … by their deadline. */
  onTime: number;
}

export interface ReferralReport {
  unitCode: string;
  generatedAt: string;
  communes: { code: string; name: string }[];
  bySectorAndState: { sector: string; state: string; count: number }[];
  accepted: Timeliness;
  completed: Timeliness;
  /** Referrals by the highest escalation level they reached (level ≥ 1). */
  escalationsByLevel: { level: number; referrals: number }[];
  /** Distinct children with a completed referral, per sector (the service domain). */
  childrenReachedBySector: { sector: string; children: number }[];
  perCommune: {
    communeCode: string;
    name: string;
    referrals: number;
    completed: number;
    escalated: number;
    childrenReached: number;
  }[];
}

const onTime = (at: string | undefined, by: string | undefined) => !!at && !!by && at <= by;

/** Aggregates referrals into the supervisor's figures. Pure, so the numbers are unit-testable. */
export function buildReferralReport(
  unitCode: string,
  communes: { code: string; name: string }[],
  referrals: readonly CaseReferral[],
  now: Date,
): ReferralReport {
  const bySectorAndState = new Map<string, number>();
  const accepted: Timeliness = { total: 0, onTime: 0 };
  const completed: Timeliness = { total: 0, onTime: 0 };
  const levels = new Map<number, number>();
  const reached = new Map<string, Set<string>>();
  const perCommune = new Map(
    communes.map((c) => [
      c.code,
      { communeCode: c.code, name: c.name, referrals: 0, completed: 0, escalated: 0, children: new Set<string>() },
    ]),
  );

  for (const r of referrals) {
    bySectorAndState.set(`${r.sector}|${r.state}`, (bySectorAndState.get(`${r.sector}|${r.state}`) ?? 0) + 1);
    if (r.acceptedAt) {
      accepted.total++;
      if (onTime(r.acceptedAt, r.acceptBy)) accepted.onTime++;
    }
    if (r.state === 'COMPLETED') {
      completed.total++;
      if (onTime(r.completedAt, r.completeBy)) completed.onTime++;
    }
    const level = Math.max(r.maxEscalationLevel ?? 0, r.escalationLevel ?? 0);
    if (level > 0) levels.set(level, (levels.get(level) ?? 0) + 1);
    const child = r.childId ?? `case:${r.caseId}`;
    if (r.state === 'COMPLETED') {
      if (!reached.has(r.sector)) reached.set(r.sector, new Set());
      reached.get(r.sector)!.add(child);
    }
    const commune = perCommune.get(r.communeCode);
    if (commune) {
      commune.referrals++;
      if (r.state === 'COMPLETED') {
        commune.completed++;
        commune.children.add(child);
      }
      if (level > 0) commune.escalated++;
    }
  }

  return {
    unitCode,
    generatedAt: now.toISOString(),
    communes,
    bySectorAndState: Sectors.flatMap((sector) =>
      ReferralStates.map((state) => ({ sector, state, count: bySectorAndState.get(`${sector}|${state}`) ?? 0 })),
    ).filter((row) => row.count > 0),
    accepted,
    completed,
    escalationsByLevel: [...levels].sort(([a], [b]) => a - b).map(([level, count]) => ({ level, referrals: count })),
    childrenReachedBySector: Sectors.map((sector) => ({ sector, children: reached.get(sector)?.size ?? 0 })),
    perCommune: [...perCommune.values()].map(({ children, ...rest }) => ({ ...rest, childrenReached: children.size })),
  };
}
