import Type from 'typebox';
import { TrustedProxiesSetting, loadConfig } from '@ecd/service-kit';

export const WelfareConfigSchema = Type.Object({
  HOST: Type.String({ default: '127.0.0.1' }),
  PORT: Type.Integer({ minimum: 0, maximum: 65535, default: 4105 }),
  MONGO_URL: Type.String({ pattern: '^mongodb(\\+srv)?://', default: 'mongodb://127.0.0.1:27017/ecd_welfare' }),
  KAFKA_BROKERS: Type.String({ minLength: 1, default: '127.0.0.1:9092' }),
  KAFKA_GROUP_ID: Type.String({ default: 'welfare' }),
  TEMPORAL_ADDRESS: Type.String({ minLength: 1, default: '127.0.0.1:7233' }),
  TEMPORAL_NAMESPACE: Type.String({ minLength: 1, default: 'default' }),
  TEMPORAL_TASK_QUEUE: Type.String({ minLength: 1, default: 'referrals' }),
  OIDC_ISSUER: Type.String({ minLength: 1, default: 'http://127.0.0.1:4400' }),
  OIDC_AUDIENCE: Type.String({ minLength: 1, default: 'ecd-api' }),
  OIDC_JWKS_URL: Type.String({ minLength: 1, default: 'http://127.0.0.1:4400/jwks' }),
  ...TrustedProxiesSetting,
});
export type WelfareConfig = Type.Static<typeof WelfareConfigSchema>;

export const loadWelfareConfig = (env?: Record<string, string | undefined>) =>
  loadConfig('welfare', WelfareConfigSchema, env);
