import Type from 'typebox';
import { AdministrativeEditions } from '@ecd/referral-policy';
import { TrustedProxiesSetting, isPlainHttp, loadConfig, refuseUnsafeInProduction } from '@ecd/service-kit';

export const ProtectionConfigSchema = Type.Object({
  HOST: Type.String({ default: '127.0.0.1' }),
  PORT: Type.Integer({ minimum: 0, maximum: 65535, default: 4104 }),
  MONGO_URL: Type.String({ pattern: '^mongodb(\\+srv)?://', default: 'mongodb://127.0.0.1:27017/ecd_protection' }),
  KAFKA_BROKERS: Type.String({ minLength: 1, default: '127.0.0.1:9092' }),
  KAFKA_GROUP_ID: Type.String({ default: 'protection' }),
  TEMPORAL_ADDRESS: Type.String({ minLength: 1, default: '127.0.0.1:7233' }),
  TEMPORAL_NAMESPACE: Type.String({ minLength: 1, default: 'default' }),
  /** The protection worker's own queue: ProtectionCaseWorkflow runs here (docs/adr/0007). */
  TEMPORAL_TASK_QUEUE: Type.String({ minLength: 1, default: 'protection' }),
  /** Where ReferralWorkflows run: referrals made from a plan and board actions go there. */
  TEMPORAL_REFERRALS_TASK_QUEUE: Type.String({ minLength: 1, default: 'referrals' }),
  OIDC_ISSUER: Type.String({ minLength: 1, default: 'http://127.0.0.1:4400' }),
  OIDC_AUDIENCE: Type.String({ minLength: 1, default: 'ecd-api' }),
  OIDC_JWKS_URL: Type.String({ minLength: 1, default: 'http://127.0.0.1:4400/jwks' }),
  ...TrustedProxiesSetting,
  /**
   * Keyring for field-level encryption: `<key id>:<base64 of 32 random bytes>`, comma-separated.
   * No default: a deployment supplies its own keys (rotation: docs/adr/0007).
   */
  PROTECTION_ENCRYPTION_KEYS: Type.String({ minLength: 1 }),
  /** The key id that seals new values; the others only open what they sealed. */
  PROTECTION_ENCRYPTION_KEY_ID: Type.String({ pattern: '^[A-Za-z0-9_-]{1,32}$' }),
  /** Which administrative units protection steps escalate up and the register is scoped by (docs/adr/0022). */
  ADMINISTRATIVE_LADDER: Type.Enum(AdministrativeEditions, { default: 'two-level' }),
});
export type ProtectionConfig = Type.Static<typeof ProtectionConfigSchema>;

export function loadProtectionConfig(env: Record<string, string | undefined> = process.env): ProtectionConfig {
  const config = loadConfig('protection', ProtectionConfigSchema, env);
  const keyIds = config.PROTECTION_ENCRYPTION_KEYS.split(',').map((entry) => entry.trim().split(':')[0] ?? '');
  refuseUnsafeInProduction('protection', env, [
    {
      // The development stack makes `dev1` (infra/local/stack/service-processes.ts) and tests make
      // throw-away keys: neither may seal a real child's record.
      variable: 'PROTECTION_ENCRYPTION_KEYS',
      unsafe: keyIds.some((id) => /^(dev|test|demo)/i.test(id)),
      problem: 'holds a development key (id dev…/test…/demo…): give keys made for this deployment',
    },
    { variable: 'OIDC_ISSUER', unsafe: isPlainHttp(config.OIDC_ISSUER), problem: 'must be https:' },
  ]);
  return config;
}
