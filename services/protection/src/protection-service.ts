import { fileURLToPath } from 'node:url';
import type { Logger } from 'pino';
import { Counter } from 'prom-client';
import { Client, type Connection } from '@temporalio/client';
import {
  NativeConnection,
  Runtime,
  Worker,
  makeTelemetryFilterString,
  type LogLevel,
  type WorkflowBundleWithSourceMap,
} from '@temporalio/worker';
import { AuditLog, auditRoutes, recordAuditTrail } from '@ecd/audit-trail';
import { Topics, administrativeUnitEventTypes, facilityEventTypes } from '@ecd/contracts';
import { EventConsumerRunner, EventPublisher, connectKafka, handlersFor } from '@ecd/messaging';
import { AdministrativeUnitRegister, FacilityDirectory, ReferralCommands, connectTemporal } from '@ecd/referral-client';
import { WorkingDayCalendar, defaultSlaPolicies, vietnamHolidayCalendars } from '@ecd/referral-policy';
import {
  connectDatabase,
  createAuthenticator,
  createServiceApp,
  pingDatabase,
  type ServiceApp,
} from '@ecd/service-kit';
import { createProtectionActivities } from './activities/protection-activities';
import { ProtectionCaseCommands } from './commands/protection-case-commands';
import { ProtectionCaseRepair } from './commands/protection-case-repair';
import type { ProtectionConfig } from './config';
import { FieldCipher } from './domain/field-cipher';
import { boardEventHandlers } from './events/board-event-handlers';
import { EscalationBoardRepository } from './repositories/escalation-board-repository';
import { ProtectionCaseRepository, createProtectionCaseModel } from './repositories/protection-case-repository';
import { SpecialCircumstanceRegister } from './repositories/special-circumstance-register';
import { boardRoutes } from './routes/board-routes';
import { protectionCaseRoutes } from './routes/protection-case-routes';
import { registerRoutes } from './routes/register-routes';
import { formRoutes } from './routes/form-routes';
import { PrintoutLog } from './repositories/printout-log';

export interface ProtectionService {
  app: ServiceApp;
  /** The facility directory its referrals are checked against (from ecd.facilities.v1). */
  directory: FacilityDirectory;
  cases: ProtectionCaseRepository;
  board: EscalationBoardRepository;
  commands: ProtectionCaseCommands;
  repair: ProtectionCaseRepair;
  start(): Promise<void>;
  stop(): Promise<void>;
}

export const workflowsPath = fileURLToPath(new URL('./workflows/index.ts', import.meta.url));

/** For tests: a Temporal server of their own (e.g. the time-skipping one) and a prebuilt bundle. */
export interface ProtectionServiceOverrides {
  temporal?: { client: Client; nativeConnection: NativeConnection };
  workflowBundle?: WorkflowBundleWithSourceMap;
}

/** Bridges the Temporal SDK's logs into pino, unless another service of this process already did. */
function installTemporalRuntime(logger: Logger): void {
  const log = logger.child({ component: 'temporal' });
  try {
    Runtime.install({
      logger: {
        log: (level: LogLevel, message: string, meta?: Record<string, unknown>) => {
          const method = level === 'ERROR' ? 'error' : level === 'WARN' ? 'warn' : level === 'INFO' ? 'info' : 'debug';
          log[method](meta ?? {}, message);
        },
        trace: () => undefined,
        debug: (message, meta) => log.debug(meta ?? {}, message),
        info: (message, meta) => log.info(meta ?? {}, message),
        warn: (message, meta) => log.warn(meta ?? {}, message),
        error: (message, meta) => log.error(meta ?? {}, message),
      },
      telemetryOptions: { logging: { filter: makeTelemetryFilterString({ core: 'WARN' }), forward: {} } },
    });
  } catch {
    // Installed once per process; tests run several services in one process.
  }
}

/**
 * The protection service: Decree 56 cases (each a ProtectionCaseWorkflow on this service's own
 * worker), the escalation board fed from Kafka, and the special-circumstances register. Sensitive
 * fields are sealed with AES-256-GCM before they reach the database.
 */
export async function buildProtectionService(
  config: ProtectionConfig,
  logger: Logger,
  overrides: ProtectionServiceOverrides = {},
): Promise<ProtectionService> {
  const cipher = FieldCipher.fromConfig(config.PROTECTION_ENCRYPTION_KEYS, config.PROTECTION_ENCRYPTION_KEY_ID);
  installTemporalRuntime(logger);
  const calendar = new WorkingDayCalendar(vietnamHolidayCalendars);

  const db = await connectDatabase(config.MONGO_URL, logger);
  const { kafka, admin } = await connectKafka({ clientId: 'protection', brokers: config.KAFKA_BROKERS, logger }).catch(
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

  const caseModel = createProtectionCaseModel(db);
  const board = new EscalationBoardRepository(db);
  const register = new SpecialCircumstanceRegister(db, cipher);
  const directory = new FacilityDirectory(db);
  // Escalation and the register's scope: the configured edition plus administrators' imports.
  const units = new AdministrativeUnitRegister(db, config.ADMINISTRATIVE_LADDER);
  const printouts = new PrintoutLog(db);
  const cases = new ProtectionCaseRepository(caseModel, cipher);
  await Promise.all([
    caseModel.init(),
    cases.pendingSteps.init(),
    board.model.init(),
    register.model.init(),
    directory.model.init(),
    units.model.init(),
    printouts.init(),
  ]);
  const commands = new ProtectionCaseCommands(client, config.TEMPORAL_TASK_QUEUE);
  const repair = new ProtectionCaseRepair(cases, commands, logger.child({ component: 'repair' }));
  const referrals = new ReferralCommands(client, config.TEMPORAL_REFERRALS_TASK_QUEUE);
  const publisher = new EventPublisher(kafka);
  const effectFailures = new Counter({
    name: 'protection_effect_failures_total',
    help: 'Protection case events that failed for good (their schema refuses them), by event type',
    labelNames: ['effect'],
    registers: [],
  });

  const worker = await Worker.create({
    connection: nativeConnection,
    namespace: config.TEMPORAL_NAMESPACE,
    taskQueue: config.TEMPORAL_TASK_QUEUE,
    ...(overrides.workflowBundle ? { workflowBundle: overrides.workflowBundle } : { workflowsPath }),
    activities: createProtectionActivities({
      publisher,
      policies: defaultSlaPolicies,
      calendar,
      ladder: () => units.ladder(),
      effectFailures,
    }),
  });
  const consumer = new EventConsumerRunner({
    kafka,
    groupId: config.KAFKA_GROUP_ID,
    topics: [Topics.referrals, Topics.protection, Topics.facilities, Topics.administrativeUnits],
    logger: logger.child({ component: 'consumer' }),
    handlers: {
      ...boardEventHandlers(board),
      ...handlersFor(facilityEventTypes, async (event) => {
        await directory.apply(event);
      }),
      ...handlersFor(administrativeUnitEventTypes, async (event) => {
        await units.apply(event);
      }),
    },
  });

  const app = await createServiceApp({
    name: 'protection',
    trustedProxies: config.TRUSTED_PROXIES,
    description:
      'Child-protection cases under Decree 56/2017 (deadlines on Temporal), the escalation board of overdue ' +
      'referrals and protection steps, and the special-circumstances register.',
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
  const communesIn = async (unitCode: string) =>
    (await units.ladder())
      .unitsWithin(unitCode)
      .filter((u) => u.level === 'commune')
      .map((u) => u.code);
  // Every read and change of a child's records is recorded (who, what, when, from where).
  const auditLog = new AuditLog(db);
  await auditLog.init();
  recordAuditTrail(app, auditLog);
  await app.register(protectionCaseRoutes, { authenticate, cases, commands, referrals, directory });
  await app.register(auditRoutes, { authenticate, log: auditLog });
  await app.register(boardRoutes, { authenticate, board, referrals, protectionCases: commands, directory });
  app.metrics.registerMetric(consumer.deadLettered);
  app.metrics.registerMetric(effectFailures);
  await app.register(registerRoutes, { authenticate, register, communesIn });
  await app.register(formRoutes, {
    authenticate,
    cases,
    printouts,
    unitName: async (code) => {
      const ladder = await units.ladder();
      return ladder.has(code) ? ladder.unit(code).name : `Xã ${code}`;
    },
  });

  let workerRun: Promise<void> | undefined;
  return {
    app,
    directory,
    cases,
    board,
    commands,
    repair,
    async start() {
      await publisher.connect();
      workerRun = worker.run();
      workerRun.catch((error: unknown) => logger.fatal({ err: error }, 'temporal worker stopped'));
      await consumer.start();
      repair.start();
    },
    async stop() {
      await app.close();
      await repair.stop();
      await consumer.stop();
      if (workerRun) {
        // The SDK's own SIGTERM handler may have begun the shutdown already.
        if (worker.getState() === 'RUNNING') worker.shutdown();
        await workerRun.catch(() => undefined);
      }
      await publisher.disconnect();
      await admin.disconnect();
      if (connection) {
        await connection.close();
        await nativeConnection.close();
      }
      await db.close();
    },
  };
}
