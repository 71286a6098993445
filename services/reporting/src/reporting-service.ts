import { fileURLToPath } from 'node:url';
import type { Logger } from 'pino';
import { Client, type Connection } from '@temporalio/client';
import { NativeConnection, Worker, type WorkflowBundleWithSourceMap } from '@temporalio/worker';
import { AuditLog, auditRoutes, recordAuditTrail } from '@ecd/audit-trail';
import { Topics } from '@ecd/contracts';
import { EventConsumerRunner, connectKafka } from '@ecd/messaging';
import { connectTemporal } from '@ecd/referral-client';
import {
  EscalationLadder,
  WorkingDayCalendar,
  laoCaiThreeLevelUnits,
  laoCaiTwoLevelUnits,
  vietnamHolidayCalendars,
} from '@ecd/referral-policy';
import {
  connectDatabase,
  createAuthenticator,
  createServiceApp,
  pingDatabase,
  type ServiceApp,
} from '@ecd/service-kit';
import { createReportDeadlineActivities } from './activities/report-deadline-activities';
import { ReportCycleCommands } from './commands/report-cycle-commands';
import type { ReportingConfig } from './config';
import { indicatorEventHandlers } from './events/indicator-event-handlers';
import { IndicatorStore } from './repositories/indicator-store';
import { ReportRepository } from './repositories/report-repository';
import { reportRoutes } from './routes/report-routes';

export interface ReportingService {
  app: ServiceApp;
  indicators: IndicatorStore;
  reports: ReportRepository;
  commands: ReportCycleCommands;
  start(): Promise<void>;
  stop(): Promise<void>;
}

export const workflowsPath = fileURLToPath(new URL('./workflows/index.ts', import.meta.url));

/** For tests: a Temporal server of their own (the time-skipping one) and a prebuilt bundle. */
export interface ReportingServiceOverrides {
  temporal?: { client: Client; nativeConnection: NativeConnection };
  workflowBundle?: WorkflowBundleWithSourceMap;
}

/**
 * The reporting service: indicators computed from the platform's events into counts per unit ×
 * period (its own consumer group and database, docs/adr/0023), and the reporting cycle of the
 * plans — reports drafted, submitted with frozen figures, approved level by level — with a
 * ReportDeadlineWorkflow per report on this service's own worker.
 */
export async function buildReportingService(
  config: ReportingConfig,
  logger: Logger,
  overrides: ReportingServiceOverrides = {},
): Promise<ReportingService> {
  const units = config.ADMINISTRATIVE_LADDER === 'two-level' ? laoCaiTwoLevelUnits : laoCaiThreeLevelUnits;
  const ladder = new EscalationLadder(units);
  const calendar = new WorkingDayCalendar(vietnamHolidayCalendars);

  const db = await connectDatabase(config.MONGO_URL, logger);
  const { kafka, admin } = await connectKafka({ clientId: 'reporting', brokers: config.KAFKA_BROKERS, logger }).catch(
    async (error: unknown) => {
      await db.close();
      throw error;
    },
  );
  let connection: Connection | undefined;
  let nativeConnection: NativeConnection;
  let client: Client;
  try {
    if (overrides.temporal) {
      ({ client, nativeConnection } = overrides.temporal);
    } else {
      connection = await connectTemporal(config.TEMPORAL_ADDRESS);
      nativeConnection = await NativeConnection.connect({ address: config.TEMPORAL_ADDRESS });
      client = new Client({ connection, namespace: config.TEMPORAL_NAMESPACE });
    }
  } catch (error) {
    await connection?.close();
    await admin.disconnect();
    await db.close();
    throw error;
  }

  const indicators = new IndicatorStore(db, ladder);
  const reports = new ReportRepository(db);
  await Promise.all([indicators.init(), reports.init()]);
  const commands = new ReportCycleCommands(
    reports,
    indicators,
    ladder,
    units,
    calendar,
    client,
    config.TEMPORAL_TASK_QUEUE,
    logger.child({ component: 'report-cycle' }),
  );

  const worker = await Worker.create({
    connection: nativeConnection,
    namespace: config.TEMPORAL_NAMESPACE,
    taskQueue: config.TEMPORAL_TASK_QUEUE,
    ...(overrides.workflowBundle ? { workflowBundle: overrides.workflowBundle } : { workflowsPath }),
    activities: createReportDeadlineActivities(reports, logger.child({ component: 'deadlines' })),
  });
  const consumer = new EventConsumerRunner({
    kafka,
    groupId: config.KAFKA_GROUP_ID,
    topics: [Topics.cases, Topics.referrals, Topics.protection],
    logger: logger.child({ component: 'consumer' }),
    handlers: indicatorEventHandlers(indicators),
    // A new reporting database must count every event still on the topics.
    fromBeginning: true,
  });

  const app = await createServiceApp({
    name: 'reporting',
    trustedProxies: config.TRUSTED_PROXIES,
    description:
      'Indicators of the plans computed from the platform’s events per unit and period, and the reporting ' +
      'cycle: reports drafted, submitted with frozen figures, approved level by level, deadlines on Temporal.',
    logger,
    readiness: {
      mongodb: () => pingDatabase(db),
      kafka: () => admin.describeCluster(),
      temporal: () => client.workflowService.getSystemInfo({}),
    },
  });
  const authenticate = createAuthenticator({
    issuer: config.OIDC_ISSUER,
    audience: config.OIDC_AUDIENCE,
    jwksUrl: config.OIDC_JWKS_URL,
  });
  // Who read, changed, approved, un-approved or exported which report, when and from where.
  const auditLog = new AuditLog(db);
  await auditLog.init();
  recordAuditTrail(app, auditLog);
  await app.register(reportRoutes, { authenticate, commands, reports });
  await app.register(auditRoutes, { authenticate, log: auditLog });
  app.metrics.registerMetric(consumer.deadLettered);

  let workerRun: Promise<void> | undefined;
  return {
    app,
    indicators,
    reports,
    commands,
    async start() {
      workerRun = worker.run();
      workerRun.catch((error: unknown) => logger.fatal({ err: error }, 'temporal worker stopped'));
      await consumer.start();
    },
    async stop() {
      await app.close();
      await consumer.stop();
      if (workerRun) {
        if (worker.getState() === 'RUNNING') worker.shutdown();
        await workerRun.catch(() => undefined);
      }
      await admin.disconnect();
      if (connection) {
        await connection.close();
        await nativeConnection.close();
      }
      await db.close();
    },
  };
}
