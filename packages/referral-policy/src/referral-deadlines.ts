import type { AdministrativeLevel } from '@ecd/contracts';
import { instantMs } from './local-time';
import type { Window } from './sla-policy';
import type { WorkingDayCalendar } from './working-day-calendar';

/** The part of the working-day calendar deadline arithmetic needs. */
export type DeadlineCalendar = Pick<WorkingDayCalendar, 'addWorkingDays' | 'addHours'>;

/**
 * When a window that opens at `from` closes: `from` plus the hours, or the end (23:59:59.999
 * Vietnam time) of the N-th working day after `from`'s local date. The deadline is inclusive.
 */
export function computeDeadline(window: Window, from: Date, calendar: DeadlineCalendar): Date {
  switch (window.unit) {
    case 'hours':
      return calendar.addHours(from, window.amount);
    case 'workingDays':
      return calendar.addWorkingDays(from, window.amount);
    default: {
      const unit: never = window.unit;
      throw new RangeError(`unknown window unit ${String(unit)}`);
    }
  }
}

/**
 * Reminder instants at the given fractions (0 < f < 1) of the elapsed time between `windowStart`
 * and `deadline`, ascending, rounded to the millisecond. Fractions are of calendar time, so for a
 * working-day window over a holiday a reminder can fall on the holiday (it then reaches the
 * facility's queue for the next working day).
 */
export function reminderInstants(windowStart: Date, deadline: Date, fractions: readonly number[]): Date[] {
  const start = instantMs(windowStart, 'windowStart');
  const end = instantMs(deadline, 'deadline');
  if (end <= start) throw new RangeError('the deadline must be after the start of the window');
  for (const fraction of fractions) {
    if (!(fraction > 0 && fraction < 1)) throw new RangeError(`reminder fraction ${fraction} is not between 0 and 1`);
  }
  const instants = [...new Set(fractions)].sort((a, b) => a - b).map((f) => start + Math.round(f * (end - start)));
  return instants.map((ms) => new Date(ms));
}

/** One administrative unit; `parentCode` is the unit one level up (absent at the top). */
export interface AdministrativeUnit {
  code: string;
  name: string;
  level: AdministrativeLevel;
  parentCode?: string;
}

const LEVEL_RANK: Record<AdministrativeLevel, number> = { province: 0, district: 1, commune: 2, village: 3 };

/**
 * The administrative hierarchy as data. Escalation goes "one level up" along `parentCode`,
 * whatever levels exist: commune → district → province in the three-level data used until
 * June 2025, commune → province in the two-level government since 1 July 2025.
 *
 * Indexed by code and by parent, so the whole country (3,355 units after the reform, 10,806
 * before) answers every question without scanning the list.
 */
export class EscalationLadder {
  readonly #units = new Map<string, AdministrativeUnit>();
  readonly #children = new Map<string, AdministrativeUnit[]>();

  constructor(units: readonly AdministrativeUnit[]) {
    for (const unit of units) {
      if (this.#units.has(unit.code)) throw new RangeError(`unit code ${unit.code} is listed twice`);
      if (!(unit.level in LEVEL_RANK)) throw new RangeError(`unit ${unit.code} has unknown level ${unit.level}`);
      this.#units.set(unit.code, unit);
    }
    for (const unit of units) {
      if (unit.parentCode === undefined) continue;
      const parent = this.#units.get(unit.parentCode);
      if (!parent) throw new RangeError(`unit ${unit.code} names parent ${unit.parentCode}, which is not listed`);
      // Parents are strictly higher, so the chain always ends (no cycles).
      if (LEVEL_RANK[parent.level] >= LEVEL_RANK[unit.level]) {
        throw new RangeError(`unit ${unit.code} (${unit.level}) cannot sit under ${parent.code} (${parent.level})`);
      }
      const siblings = this.#children.get(parent.code);
      if (siblings) siblings.push(unit);
      else this.#children.set(parent.code, [unit]);
    }
  }

  /** Whether `code` is a unit of this ladder. */
  has(code: string): boolean {
    return this.#units.has(code);
  }

  /** Every unit, in the order given. */
  units(): AdministrativeUnit[] {
    return [...this.#units.values()];
  }

  /** The unit with `code`; throws when it is not in the data. */
  unit(code: string): AdministrativeUnit {
    const unit = this.#units.get(code);
    if (!unit) throw new RangeError(`unknown administrative unit ${code}`);
    return unit;
  }

  /** The units above `code`, nearest first, ending at the top of the ladder (empty at the top). */
  stepsAbove(code: string): AdministrativeUnit[] {
    const steps: AdministrativeUnit[] = [];
    let current = this.unit(code);
    while (current.parentCode !== undefined) {
      current = this.unit(current.parentCode);
      steps.push(current);
    }
    return steps;
  }

  /**
   * Whether `code` is `ancestorCode` itself or lies below it (a commune is within its own area).
   * False when either code is unknown.
   */
  isWithin(code: string, ancestorCode: string): boolean {
    if (!this.#units.has(ancestorCode)) return false;
    for (let current = this.#units.get(code); current;) {
      if (current.code === ancestorCode) return true;
      current = current.parentCode === undefined ? undefined : this.#units.get(current.parentCode);
    }
    return false;
  }

  /** `ancestorCode`'s unit and every unit below it, the unit first, then level by level; empty when unknown. */
  unitsWithin(ancestorCode: string): AdministrativeUnit[] {
    const top = this.#units.get(ancestorCode);
    if (!top) return [];
    const found = [top];
    for (let i = 0; i < found.length; i++) found.push(...(this.#children.get(found[i]!.code) ?? []));
    return found;
  }

  /**
   * A new ladder with `changes` applied: a unit with a known code replaces it, a new code is added.
   * The result is checked as a whole (parents exist and sit higher), so a bad change throws and
   * leaves this ladder as it was.
   */
  withUnits(changes: readonly AdministrativeUnit[]): EscalationLadder {
    const next = new Map(this.#units);
    for (const unit of changes) next.set(unit.code, unit);
    return new EscalationLadder([...next.values()]);
  }
}

export interface EscalationStep {
  /** 1 for the unit one level up, 2 for the next, … */
  level: number;
  unit: AdministrativeUnit;
  at: Date;
}

export interface EscalationScheduleInput {
  /** The missed deadline. */
  missedAt: Date;
  /** Time between levels, usually the policy's `escalationInterval`. */
  interval: Window;
  calendar: DeadlineCalendar;
  ladder: EscalationLadder;
  /** The unit responsible for the missed deadline (the commune, or the facility's commune). */
  fromUnit: string;
  /**
   * `above` (default): level 1 is the unit one level above `fromUnit`. `self`: level 1 is
   * `fromUnit` itself — used for referrals, where a facility's missed deadline goes first to its
   * commune's leadership and protection officer, then up the ladder.
   */
  firstLevel?: 'above' | 'self';
}

/**
 * When, and to whom, a missed deadline escalates: level 1 goes to the unit one level above
 * `fromUnit` at the missed deadline itself; each further level goes one unit higher, one
 * `interval` after the previous level, until the top of the ladder. The schedule ends there:
 * after the last step the caller keeps reminding the top unit once a day until the referral
 * moves. Empty when `fromUnit` is already at the top.
 */
export function escalationSchedule(input: EscalationScheduleInput): EscalationStep[] {
  const { missedAt, interval, calendar, ladder, fromUnit } = input;
  instantMs(missedAt, 'missedAt');
  const steps: EscalationStep[] = [];
  let at = missedAt;
  const chain =
    input.firstLevel === 'self' ? [ladder.unit(fromUnit), ...ladder.stepsAbove(fromUnit)] : ladder.stepsAbove(fromUnit);
  for (const [index, unit] of chain.entries()) {
    if (index > 0) at = computeDeadline(interval, at, calendar);
    steps.push({ level: index + 1, unit, at });
  }
  return steps;
}
