export interface LoginThrottleLimits {
  /** Wrong passwords in a row before the account (or address) is locked. */
  maxFailures: number;
  /** The first lockout; each further wrong password after a lockout doubles it (to at most an hour). */
  lockoutSeconds: number;
}

interface Record {
  failures: number;
  lockedUntil: number;
  lastFailureAt: number;
}

/** Failures older than this are forgotten (a person who mistyped yesterday starts afresh). */
const FORGET_AFTER_MS = 60 * 60_000;
const MAX_LOCKOUT_MS = 60 * 60_000;
/** Keys kept at most (oldest forgotten first), so a flood of made-up usernames cannot grow memory. */
const MAX_KEYS = 100_000;

/**
 * Wrong passwords, counted per key (an account's username, an address): after `maxFailures` in a
 * row the key is locked for `lockoutSeconds`, and every further wrong password after a lockout
 * doubles the wait (growing delays), up to an hour. While locked, even the right password is
 * answered 429 with the time to wait; after it, the right password works and clears the count.
 * Held in this process's memory, bounded (one identity process per province; ADR 0016).
 */
export class LoginThrottle {
  private readonly records = new Map<string, Record>();

  constructor(private readonly limits: LoginThrottleLimits) {}

  /** Seconds to wait before this key may try again; 0 when it may try now. */
  waitSeconds(key: string, now = Date.now()): number {
    const record = this.fresh(key, now);
    return record && record.lockedUntil > now ? Math.ceil((record.lockedUntil - now) / 1000) : 0;
  }

  /** A wrong password for this key: returns the seconds it must now wait (0: not locked yet). */
  failed(key: string, now = Date.now()): number {
    const record = this.fresh(key, now) ?? { failures: 0, lockedUntil: 0, lastFailureAt: now };
    record.failures += 1;
    record.lastFailureAt = now;
    if (record.failures >= this.limits.maxFailures) {
      const doublings = record.failures - this.limits.maxFailures;
      const lockMs = Math.min(this.limits.lockoutSeconds * 1000 * 2 ** Math.min(doublings, 20), MAX_LOCKOUT_MS);
      record.lockedUntil = now + lockMs;
    }
    this.records.delete(key);
    this.records.set(key, record);
    if (this.records.size > MAX_KEYS) this.records.delete(this.records.keys().next().value!);
    return this.waitSeconds(key, now);
  }

  /** The right password (not while locked): the count starts again. */
  succeeded(key: string): void {
    this.records.delete(key);
  }

  private fresh(key: string, now: number): Record | undefined {
    const record = this.records.get(key);
    if (record && now - record.lastFailureAt > FORGET_AFTER_MS && record.lockedUntil <= now) {
      this.records.delete(key);
      return undefined;
    }
    return record;
  }
}
