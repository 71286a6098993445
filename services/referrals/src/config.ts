import Type from 'typebox';
import { AdministrativeEditions } from '@ecd/referral-policy';
import { loadConfig } from '@ecd/service-kit';

export const ReferralsConfigSchema = Type.Object({
  HOST: Type.String({ default: '127.0.0.1' }),
  PORT: Type.Integer({ minimum: 0, maximum: 65535, default: 4100 }),
  MONGO_URL: Type.String({ pattern: '^mongodb(\\+srv)?://', default: 'mongodb://127.0.0.1:27017/ecd_referrals' }),
  KAFKA_BROKERS: Type.String({ minLength: 1, default: '127.0.0.1:9092' }),
  KAFKA_GROUP_ID: Type.String({ default: 'referrals' }),
  TEMPORAL_ADDRESS: Type.String({ minLength: 1, default: '127.0.0.1:7233' }),
  TEMPORAL_NAMESPACE: Type.String({ minLength: 1, default: 'default' }),
  TEMPORAL_TASK_QUEUE: Type.String({ minLength: 1, default: 'referrals' }),
  /**
   * Which administrative units escalation climbs (`@ecd/referral-policy` editions): `two-level`,
   * the official list since 1 July 2025 with the demo's Lào Cai; `official`, the list as published;
   * `three-level`, the list before the reform. Administrators' imports apply on top (docs/adr/0022).
   */
  ADMINISTRATIVE_LADDER: Type.Enum(AdministrativeEditions, { default: 'two-level' }),
  /** Hours within which a newly opened case must be screened (rationale: docs/adr/0003). */
  CASE_SCREENING_WINDOW_HOURS: Type.Integer({ minimum: 1, maximum: 24 * 60, default: 120 }),
});
export type ReferralsConfig = Type.Static<typeof ReferralsConfigSchema>;

export const loadReferralsConfig = (env?: Record<string, string | undefined>) =>
  loadConfig('referrals', ReferralsConfigSchema, env);
