import { buildIdentityService, type IdentityService } from '../../services/identity/src/identity-service';
import { loadIdentityConfig } from '../../services/identity/src/config';
import { buildReferralsService, type ReferralsService } from '../../services/referrals/src/referrals-service';
import { loadReferralsConfig } from '../../services/referrals/src/config';
import { databaseUrl, infra, testLogger, uniqueName } from './infra';

/** The issuer test identity providers announce (endpoints follow the address actually used). */
export const TEST_ISSUER = 'http://identity.test';

/** A real OpenID provider on a free port, for tests that sign staff in. */
export async function startIdentity(): Promise<{ identity: IdentityService; url: string }> {
  const identity = await buildIdentityService(
    loadIdentityConfig({ PORT: '0', ISSUER: TEST_ISSUER }),
    testLogger('identity'),
  );
  await identity.start();
  const url = await identity.app.listen({ host: '127.0.0.1', port: 0 });
  return { identity, url };
}

/** The referrals service (worker, consumer, database) on its own task queue and database. */
export async function startReferrals(taskQueue = uniqueName('referrals')): Promise<ReferralsService> {
  const { kafkaBrokers, temporalAddress, mongoUrl } = infra();
  const referrals = await buildReferralsService(
    loadReferralsConfig({
      MONGO_URL: databaseUrl(mongoUrl, uniqueName('referrals')),
      KAFKA_BROKERS: kafkaBrokers,
      TEMPORAL_ADDRESS: temporalAddress,
      TEMPORAL_TASK_QUEUE: taskQueue,
      KAFKA_GROUP_ID: uniqueName('referrals'),
    }),
    testLogger('referrals'),
  );
  await referrals.start();
  return referrals;
}
