import { randomBytes } from 'node:crypto';
import { TestWorkflowEnvironment } from '@temporalio/testing';
import { bundleWorkflowCode, type WorkflowBundleWithSourceMap } from '@temporalio/worker';
import { loadProtectionConfig } from '../../services/protection/src/config';
import {
  buildProtectionService,
  workflowsPath,
  type ProtectionService,
  type ProtectionServiceOverrides,
} from '../../services/protection/src/protection-service';
import { databaseUrl, infra, testLogger, uniqueName } from './infra';
import { TEST_ISSUER, demoFacilitiesRegistered } from './stack';
import { demoFacilityIds, waitForDirectory } from './directory';

/** A fresh keyring for one test run: `<id>:<base64 of 32 random bytes>`. */
export const testEncryptionKeys = (id = 'k1') => `${id}:${randomBytes(32).toString('base64')}`;

let bundle: Promise<WorkflowBundleWithSourceMap> | undefined;
/** The real ProtectionCaseWorkflow code, bundled once per test file. */
export const protectionWorkflowBundle = () => (bundle ??= bundleWorkflowCode({ workflowsPath, logger: undefined }));

/**
 * The protection service on its own database, consumer group and task queue, trusting the test
 * identity provider at `identityUrl`; `settings` override any configuration.
 */
export async function startProtection(
  identityUrl: string,
  settings: Record<string, string> = {},
  overrides: ProtectionServiceOverrides = {},
): Promise<{ protection: ProtectionService; databaseUrl: string }> {
  const { kafkaBrokers, temporalAddress, mongoUrl } = infra();
  const url = settings.MONGO_URL ?? databaseUrl(mongoUrl, uniqueName('protection'));
  const protection = await buildProtectionService(
    loadProtectionConfig({
      MONGO_URL: url,
      KAFKA_BROKERS: kafkaBrokers,
      KAFKA_GROUP_ID: uniqueName('protection'),
      TEMPORAL_ADDRESS: temporalAddress,
      TEMPORAL_TASK_QUEUE: uniqueName('protection'),
      OIDC_ISSUER: TEST_ISSUER,
      OIDC_JWKS_URL: `${identityUrl}/jwks`,
      PROTECTION_ENCRYPTION_KEYS: testEncryptionKeys(),
      PROTECTION_ENCRYPTION_KEY_ID: 'k1',
      ...settings,
    }),
    testLogger('protection'),
    { workflowBundle: await protectionWorkflowBundle(), ...overrides },
  );
  await protection.start();
  await demoFacilitiesRegistered();
  await waitForDirectory(protection.directory, demoFacilityIds);
  return { protection, databaseUrl: url };
}

/** The real time-skipping test server (provisioned by infra/local). */
export async function timeSkippingEnvironment(): Promise<TestWorkflowEnvironment> {
  const { temporalTestServerPath } = infra();
  if (!temporalTestServerPath) {
    throw new Error(
      'the Temporal time-skipping test server is missing: set TEMPORAL_TEST_SERVER_PATH or run `npm run infra:up`',
    );
  }
  return TestWorkflowEnvironment.createTimeSkipping({
    server: { executable: { type: 'existing-path', path: temporalTestServerPath } },
  });
}
