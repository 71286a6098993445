import Type from 'typebox';
import { isPlainHttp, loadConfig, refuseUnsafeInProduction } from '@ecd/service-kit';

const url = (fallback: string, description: string) =>
  Type.String({ pattern: '^https?://[^/?#]+(/.*)?$', default: fallback, description });

export const PortalConfigSchema = Type.Object({
  /** `production` turns the refusals below on and the http-only allowances (a plain-http provider) off. */
  NODE_ENV: Type.Optional(Type.String()),
  HOST: Type.String({ default: '127.0.0.1' }),
  PORT: Type.Integer({ minimum: 0, maximum: 65535, default: 4000 }),
  /**
   * The address staff browsers use: the sign-in redirect URI is `<PUBLIC_URL>/auth/callback` and must
   * be registered at the identity provider for the client `ecd-portal`. https turns on Secure cookies.
   */
  PUBLIC_URL: url('http://127.0.0.1:4000', 'address of the portal as browsers reach it'),
  OIDC_ISSUER: url('http://127.0.0.1:4400', 'the identity provider (discovery at /.well-known/openid-configuration)'),
  OIDC_CLIENT_ID: Type.String({ minLength: 1, default: 'ecd-portal' }),
  /**
   * Secret that signs the session cookie and seals sign-ins in progress; the same for every portal
   * process behind one address. Unset: random at start (a restart signs everyone out; refused in
   * production).
   */
  SESSION_SECRET: Type.Optional(Type.String({ minLength: 32 })),
  /** How long a portal session lasts without use (a working day by default). */
  SESSION_IDLE_SECONDS: Type.Integer({ minimum: 60, maximum: 7 * 24 * 3600, default: 8 * 3600 }),
  /** The portal's own database: its sessions (collection portal_sessions). */
  MONGO_URL: Type.String({ minLength: 1, default: 'mongodb://127.0.0.1:27017/ecd_portal' }),
  /** Sign-ins one address may start per minute (an office behind one address shares it). */
  SIGN_IN_STARTS_PER_MINUTE: Type.Integer({ minimum: 1, maximum: 1_000_000, default: 30 }),
  /** Event-loop delay beyond which the portal answers 503 with Retry-After (saturated). */
  MAX_EVENT_LOOP_DELAY_MS: Type.Integer({ minimum: 10, maximum: 60_000, default: 1000 }),
  INTAKE_URL: url('http://127.0.0.1:4101', 'intake service'),
  HEALTH_URL: url('http://127.0.0.1:4102', 'health service'),
  EDUCATION_URL: url('http://127.0.0.1:4103', 'education service'),
  PROTECTION_URL: url('http://127.0.0.1:4104', 'protection service'),
  WELFARE_URL: url('http://127.0.0.1:4105', 'welfare service (commune welfare desks and civil-status officers)'),
  /** Live updates: referral events from Kafka become server-sent events for the browsers. */
  KAFKA_BROKERS: Type.String({ minLength: 1, default: '127.0.0.1:9092' }),
  /** Prefix of this replica's consumer group: every replica must see every event for its browsers. */
  KAFKA_GROUP_ID: Type.String({ minLength: 1, default: 'portal' }),
});
export type PortalConfig = Type.Static<typeof PortalConfigSchema>;

export function loadPortalConfig(env: Record<string, string | undefined> = process.env): PortalConfig {
  const config = loadConfig('portal', PortalConfigSchema, env);
  refuseUnsafeInProduction('portal', env, [
    {
      variable: 'SESSION_SECRET',
      unsafe: !config.SESSION_SECRET,
      problem: 'is required: a random secret signs everyone out at each restart and differs between portal processes',
    },
    {
      variable: 'PUBLIC_URL',
      unsafe: isPlainHttp(config.PUBLIC_URL),
      problem: 'must be https: (session cookies travel on it)',
    },
    {
      variable: 'OIDC_ISSUER',
      unsafe: isPlainHttp(config.OIDC_ISSUER),
      problem: 'must be https: (people sign in there)',
    },
  ]);
  return config;
}
