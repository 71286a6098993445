import Type from 'typebox';
import { AdministrativeEditions } from '@ecd/referral-policy';
import { TrustedProxiesSetting, loadConfig } from '@ecd/service-kit';

export const IntakeConfigSchema = Type.Object({
  HOST: Type.String({ default: '127.0.0.1' }),
  PORT: Type.Integer({ minimum: 0, maximum: 65535, default: 4101 }),
  MONGO_URL: Type.String({ pattern: '^mongodb(\\+srv)?://', default: 'mongodb://127.0.0.1:27017/ecd_intake' }),
  KAFKA_BROKERS: Type.String({ minLength: 1, default: '127.0.0.1:9092' }),
  KAFKA_GROUP_ID: Type.String({ default: 'intake' }),
  TEMPORAL_ADDRESS: Type.String({ minLength: 1, default: '127.0.0.1:7233' }),
  TEMPORAL_NAMESPACE: Type.String({ minLength: 1, default: 'default' }),
  TEMPORAL_TASK_QUEUE: Type.String({ minLength: 1, default: 'referrals' }),
  OIDC_ISSUER: Type.String({ minLength: 1, default: 'http://127.0.0.1:4400' }),
  OIDC_AUDIENCE: Type.String({ minLength: 1, default: 'ecd-api' }),
  OIDC_JWKS_URL: Type.String({ minLength: 1, default: 'http://127.0.0.1:4400/jwks' }),
  /** Which administrative units reports are scoped by (`@ecd/referral-policy` editions; docs/adr/0022). */
  ADMINISTRATIVE_LADDER: Type.Enum(AdministrativeEditions, { default: 'two-level' }),
  ...TrustedProxiesSetting,
});
export type IntakeConfig = Type.Static<typeof IntakeConfigSchema>;

export const loadIntakeConfig = (env?: Record<string, string | undefined>) =>
  loadConfig('intake', IntakeConfigSchema, env);
