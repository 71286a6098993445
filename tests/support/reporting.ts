import { bundleWorkflowCode, type WorkflowBundleWithSourceMap } from '@temporalio/worker';
import { loadReportingConfig } from '../../services/reporting/src/config';
import {
  buildReportingService,
  workflowsPath,
  type ReportingService,
  type ReportingServiceOverrides,
} from '../../services/reporting/src/reporting-service';
import { databaseUrl, infra, testLogger, uniqueName } from './infra';
import { TEST_ISSUER } from './stack';

let bundle: Promise<WorkflowBundleWithSourceMap> | undefined;
/** The real ReportDeadlineWorkflow code, bundled once per test file (and by the replay test). */
export const reportingWorkflowBundle = () => (bundle ??= bundleWorkflowCode({ workflowsPath, logger: undefined }));

/** The reporting service on its own database, consumer group and task queue, trusting the test identity provider. */
export async function startReporting(
  identityUrl: string,
  overrides: ReportingServiceOverrides = {},
): Promise<ReportingService> {
  const { kafkaBrokers, temporalAddress, mongoUrl } = infra();
  const reporting = await buildReportingService(
    loadReportingConfig({
      MONGO_URL: databaseUrl(mongoUrl, uniqueName('reporting')),
      KAFKA_BROKERS: kafkaBrokers,
      KAFKA_GROUP_ID: uniqueName('reporting'),
      TEMPORAL_ADDRESS: temporalAddress,
      TEMPORAL_TASK_QUEUE: uniqueName('reporting'),
      OIDC_ISSUER: TEST_ISSUER,
      OIDC_JWKS_URL: `${identityUrl}/jwks`,
    }),
    testLogger('reporting'),
    { workflowBundle: await reportingWorkflowBundle(), ...overrides },
  );
  await reporting.start();
  return reporting;
}
