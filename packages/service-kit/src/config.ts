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
