import { buildIdentityService, type IdentityService } from '../../services/identity/src/identity-service';
import { loadIdentityConfig } from '../../services/identity/src/config';
import { buildReferralsService, type ReferralsService } from '../../services/referrals/src/referrals-service';
import { loadReferralsConfig } from '../../services/referrals/src/config';
import { buildIntakeService, type IntakeService } from '../../services/intake/src/intake-service';
import { loadIntakeConfig } from '../../services/intake/src/config';
import { databaseUrl, identityDatabase, infra, testLogger, uniqueName } from './infra';
import { demoFacilityIds, registerDemoFacilities, waitForDirectory } from './directory';

let demoDirectory: Promise<void> | undefined;
/** The demo facilities' directory events on Kafka, once per test file. */
export const demoFacilitiesRegistered = () => (demoDirectory ??= registerDemoFacilities());

/** The issuer test identity providers announce (endpoints follow the address actually used). */
export const TEST_ISSUER = 'http://identity.test';

/** A real OpenID provider on a free port, for tests that sign staff in. */
export async function startIdentity(): Promise<{ identity: IdentityService; url: string }> {
  const identity = await buildIdentityService(
    loadIdentityConfig({ PORT: '0', ISSUER: TEST_ISSUER, MONGO_URL: identityDatabase() }),
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

/**
 * The intake service on its own database and consumer group, trusting the test identity
 * provider at `identityUrl`; `settings` override any configuration (e.g. the task queue).
 */
export async function startIntake(
  identityUrl: string,
  settings: Record<string, string> = {},
): Promise<{ intake: IntakeService; databaseUrl: string }> {
  const { kafkaBrokers, temporalAddress, mongoUrl } = infra();
  const url = settings.MONGO_URL ?? databaseUrl(mongoUrl, uniqueName('intake'));
  const intake = await buildIntakeService(
    loadIntakeConfig({
      MONGO_URL: url,
      KAFKA_BROKERS: kafkaBrokers,
      KAFKA_GROUP_ID: uniqueName('intake'),
      TEMPORAL_ADDRESS: temporalAddress,
      OIDC_ISSUER: TEST_ISSUER,
      OIDC_JWKS_URL: `${identityUrl}/jwks`,
      ...settings,
    }),
    testLogger('intake'),
  );
  await intake.start();
  // As at a real start: referrals wait until the directory knows the facilities.
  await demoFacilitiesRegistered();
  await waitForDirectory(intake.directory, demoFacilityIds);
  return { intake, databaseUrl: url };
}

/** Calls a service in-process as a signed-in staff member (JSON body, optional Idempotency-Key). */
export function staffCalls(app: { inject: IntakeService['app']['inject'] }) {
  return (method: 'GET' | 'POST' | 'PUT', url: string, token: string, body?: unknown, key?: string) =>
    app.inject({
      method,
      url,
      headers: {
        authorization: `Bearer ${token}`,
        ...(body !== undefined ? { 'content-type': 'application/json' } : {}),
        ...(key ? { 'idempotency-key': key } : {}),
      },
      ...(body !== undefined ? { payload: JSON.stringify(body) } : {}),
    });
}
