import Type from 'typebox';
import { TrustedProxiesSetting, loadConfig } from '@ecd/service-kit';

export const ReportingConfigSchema = Type.Object({
  HOST: Type.String({ default: '127.0.0.1' }),
  PORT: Type.Integer({ minimum: 0, maximum: 65535, default: 4106 }),
  MONGO_URL: Type.String({ pattern: '^mongodb(\\+srv)?://', default: 'mongodb://127.0.0.1:27017/ecd_reporting' }),
  KAFKA_BROKERS: Type.String({ minLength: 1, default: '127.0.0.1:9092' }),
  /** Its own consumer group: the indicators read every case, referral and protection event. */
  KAFKA_GROUP_ID: Type.String({ default: 'reporting' }),
  TEMPORAL_ADDRESS: Type.String({ minLength: 1, default: '127.0.0.1:7233' }),
  TEMPORAL_NAMESPACE: Type.String({ minLength: 1, default: 'default' }),
  /** The reporting worker's own queue: ReportDeadlineWorkflow runs here. */
  TEMPORAL_TASK_QUEUE: Type.String({ minLength: 1, default: 'reporting' }),
  OIDC_ISSUER: Type.String({ minLength: 1, default: 'http://127.0.0.1:4400' }),
  OIDC_AUDIENCE: Type.String({ minLength: 1, default: 'ecd-api' }),
  OIDC_JWKS_URL: Type.String({ minLength: 1, default: 'http://127.0.0.1:4400/jwks' }),
  ...TrustedProxiesSetting,
  /** Which administrative ladder reports climb (sample data of Lào Cai). */
  ADMINISTRATIVE_LADDER: Type.Enum(['two-level', 'three-level'], { default: 'two-level' }),
});
export type ReportingConfig = Type.Static<typeof ReportingConfigSchema>;

export const loadReportingConfig = (env?: Record<string, string | undefined>) =>
  loadConfig('reporting', ReportingConfigSchema, env);
