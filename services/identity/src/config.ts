import Type from 'typebox';
import { isPlainHttp, loadConfig, refuseUnsafeInProduction } from '@ecd/service-kit';

const seconds = (fallback: number, description: string) =>
  Type.Integer({ minimum: 1, maximum: 30 * 24 * 3600, default: fallback, description });

export const IdentityConfigSchema = Type.Object({
  HOST: Type.String({ default: '127.0.0.1' }),
  PORT: Type.Integer({ minimum: 0, maximum: 65535, default: 4400 }),
  /**
   * The issuer identifier: the `iss` of every token, and the address relying parties discover the
   * provider at. Services must be configured with exactly this value.
   */
  ISSUER: Type.String({ pattern: '^https?://[^/?#]+$', default: 'http://127.0.0.1:4400' }),
  /**
   * Private signing key as a JSON Web Key (RSA → RS256, EC P-256 → ES256). Unset: an ES256 key is
   * generated at start and kept in memory only, so tokens die with the process.
   */
  OIDC_SIGNING_JWK: Type.Optional(Type.String({ minLength: 2 })),
  /** Comma-separated secrets that sign the provider's cookies; unset: random at start. */
  COOKIE_KEYS: Type.Optional(Type.String({ minLength: 16 })),
  /** The `aud` of access tokens, which every service's authenticator expects. */
  API_AUDIENCE: Type.String({ minLength: 1, default: 'ecd-api' }),
  ACCESS_TOKEN_TTL_SECONDS: seconds(900, 'lifetime of access tokens'),
  ID_TOKEN_TTL_SECONDS: seconds(3600, 'lifetime of ID tokens'),
  SESSION_TTL_SECONDS: seconds(8 * 3600, 'how long a sign-in lasts at the provider (one working day)'),
  LOGIN_FORM_TTL_SECONDS: seconds(600, 'how long a login form can be submitted'),
  /** Comma-separated redirect URIs of the portal (public client `ecd-portal`). */
  PORTAL_REDIRECT_URIS: Type.String({ minLength: 1, default: 'http://127.0.0.1:4000/auth/callback' }),
  PORTAL_POST_LOGOUT_REDIRECT_URIS: Type.String({ minLength: 1, default: 'http://127.0.0.1:4000/' }),
  /**
   * Secret of the confidential client `ecd-tests` (tests and tools). Unset: the demo value
   * `ecd-tests-local-secret` outside production; in production the client does not exist, and
   * setting this is refused.
   */
  TESTS_CLIENT_SECRET: Type.Optional(Type.String({ minLength: 16 })),
  /** The provider's own database: staff accounts (scrypt-hashed passwords) and their audit trail. */
  MONGO_URL: Type.String({ minLength: 1, default: 'mongodb://127.0.0.1:27017/ecd_identity' }),
  /** `seed` adds the demo staff of src/demo-users.ts when missing (development and tests); `none` adds nobody. */
  DEMO_STAFF: Type.Enum(['seed', 'none'], { default: 'seed' }),
  /** Wrong passwords in a row before an account is locked; further ones after a lockout double it. */
  LOGIN_MAX_FAILURES: Type.Integer({ minimum: 1, maximum: 100, default: 5 }),
  /** Wrong passwords in a row from one address (any accounts) before the address is locked. */
  LOGIN_MAX_FAILURES_PER_ADDRESS: Type.Integer({ minimum: 1, maximum: 10_000, default: 30 }),
  /** The first lockout, in seconds (then doubling, to at most an hour). */
  LOGIN_LOCKOUT_SECONDS: Type.Integer({ minimum: 1, maximum: 3600, default: 300 }),
});
export type IdentityConfig = Type.Static<typeof IdentityConfigSchema>;

/** The tests client's secret outside production when none is given (public: tests/support/sign-in.ts). */
export const DEMO_TESTS_CLIENT_SECRET = 'ecd-tests-local-secret';

export interface LoadedIdentityConfig extends IdentityConfig {
  /** Whether the `ecd-tests` client exists (never in production). */
  testsClientSecret?: string;
}

export function loadIdentityConfig(env: Record<string, string | undefined> = process.env): LoadedIdentityConfig {
  const config = loadConfig('identity', IdentityConfigSchema, env);
  const uris = [...splitList(config.PORTAL_REDIRECT_URIS), ...splitList(config.PORTAL_POST_LOGOUT_REDIRECT_URIS)];
  refuseUnsafeInProduction('identity', env, [
    {
      variable: 'OIDC_SIGNING_JWK',
      unsafe: !config.OIDC_SIGNING_JWK,
      problem: 'is required: a key generated at start invalidates every token at each restart',
    },
    {
      variable: 'COOKIE_KEYS',
      unsafe: !config.COOKIE_KEYS,
      problem: 'is required: random cookie keys end every sign-in at each restart',
    },
    {
      variable: 'DEMO_STAFF',
      unsafe: config.DEMO_STAFF === 'seed',
      problem: 'must be none: the demo staff and their passwords are public',
    },
    {
      variable: 'TESTS_CLIENT_SECRET',
      unsafe: config.TESTS_CLIENT_SECRET !== undefined,
      problem: 'must be unset: the test client ecd-tests has no place in production',
    },
    { variable: 'ISSUER', unsafe: isPlainHttp(config.ISSUER), problem: 'must be https: (people sign in there)' },
    {
      variable: 'PORTAL_REDIRECT_URIS',
      unsafe: uris.some(isPlainHttp),
      problem: 'and PORTAL_POST_LOGOUT_REDIRECT_URIS must be https: (codes and sessions travel on them)',
    },
  ]);
  const testsClientSecret =
    env.NODE_ENV === 'production' ? undefined : (config.TESTS_CLIENT_SECRET ?? DEMO_TESTS_CLIENT_SECRET);
  return { ...config, ...(testsClientSecret ? { testsClientSecret } : {}) };
}

export const splitList = (value: string): string[] =>
  value
    .split(',')
    .map((item) => item.trim())
    .filter(Boolean);
