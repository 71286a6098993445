import Type, { type Static, type TObject } from 'typebox';
import { Value } from 'typebox/value';
import { findProblems, describeProblems } from '@ecd/contracts';

export class ConfigError extends Error {
  override name = 'ConfigError';
}

/**
 * Reads a service's configuration from the environment and validates it at start, so a missing or
 * malformed variable stops the process with a message naming it instead of failing later.
 */
export function loadConfig<T extends TObject>(
  service: string,
  schema: T,
  env: Record<string, string | undefined> = process.env,
): Static<T> {
  const raw: Record<string, unknown> = {};
  for (const key of Object.keys(schema.properties)) {
    if (env[key] !== undefined && env[key] !== '') raw[key] = env[key];
  }
  const withDefaults = Value.Default(schema, Value.Convert(schema, raw));
  const problems = findProblems(schema, withDefaults);
  if (problems.length > 0) {
    throw new ConfigError(`${service}: invalid configuration: ${describeProblems(problems)}`);
  }
  return withDefaults as Static<T>;
}

/**
 * Addresses of the reverse proxies (the portal) whose `X-Forwarded-For` a service believes, so
 * the audit trail names the staff member's own address; a request from anywhere else is taken at
 * its socket address, whatever it claims. Comma-separated addresses or CIDR ranges.
 */
export const TrustedProxiesSetting = {
  TRUSTED_PROXIES: Type.String({ default: '127.0.0.1,::1' }),
};

/** One setting that must not reach production: the variable, and why, in words for the operator. */
export interface ProductionRule {
  variable: string;
  /** True when the setting is unsafe in production. */
  unsafe: boolean;
  problem: string;
}

/**
 * With NODE_ENV=production, a service refuses to start on a development convenience (a random or
 * default secret, demo accounts, a test client, an http: public address): one line naming the
 * first variable to fix. Outside production the same settings are allowed, so `npm start` and
 * the tests need no secrets.
 */
export function refuseUnsafeInProduction(
  service: string,
  env: Record<string, string | undefined>,
  rules: readonly ProductionRule[],
): void {
  if (env.NODE_ENV !== 'production') return;
  const broken = rules.find((rule) => rule.unsafe);
  if (broken) throw new ConfigError(`${service}: ${broken.variable} ${broken.problem} (NODE_ENV=production)`);
}

/** Whether a configured address is plain http (production addresses people or tokens use are https). */
export const isPlainHttp = (value: string | undefined) => !!value && /^http:/i.test(value.trim());
