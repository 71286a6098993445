import { fileURLToPath } from 'node:url';
import type { Logger } from 'pino';
import { Client, type Connection } from '@temporalio/client';
import {
  NativeConnection,
  Runtime,
  Worker,
  makeTelemetryFilterString,
  type LogLevel,
  type WorkflowBundleWithSourceMap,
} from '@temporalio/worker';
import { Topics, facilityEventTypes } from '@ecd/contracts';
import { EventConsumerRunner, EventPublisher, connectKafka, handlersFor } from '@ecd/messaging';
import { FacilityDirectory, ReferralCommands, connectTemporal } from '@ecd/referral-client';
import {
  EscalationLadder,
  WorkingDayCalendar,
  defaultSlaPolicies,
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
import { createProtectionActivities } from './activities/protection-activities';
import { ProtectionCaseCommands } from './commands/protection-case-commands';
import type { ProtectionConfig } from './config';
import { FieldCipher } from './domain/field-cipher';
import { boardEventHandlers } from './events/board-event-handlers';
import { EscalationBoardRepository } from './repositories/escalation-board-repository';
import { ProtectionCaseRepository, createProtectionCaseModel } from './repositories/protection-case-repository';
import { SpecialCircumstanceRegister } from './repositories/special-circumstance-register';
import { boardRoutes } from './routes/board-routes';
import { protectionCaseRoutes } from './routes/protection-case-routes';
import { registerRoutes } from './routes/register-routes';

export interface ProtectionService {
  app: ServiceApp;
  /** The facility directory its referrals are checked against (from ecd.facilities.v1). */
  directory: FacilityDirectory;
  cases: ProtectionCaseRepository;
  board: EscalationBoardRepository;
  commands: ProtectionCaseCommands;
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
  const units = config.ADMINISTRATIVE_LADDER === 'two-level' ? laoCaiTwoLevelUnits : laoCaiThreeLevelUnits;
  const ladder = new EscalationLadder(units);
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
  await Promise.all([caseModel.init(), board.model.init(), register.model.init(), directory.model.init()]);
  const cases = new ProtectionCaseRepository(caseModel, cipher);
  const commands = new ProtectionCaseCommands(client, config.TEMPORAL_TASK_QUEUE);
  const referrals = new ReferralCommands(client, config.TEMPORAL_REFERRALS_TASK_QUEUE);
  const publisher = new EventPublisher(kafka);

  const worker = await Worker.create({
    connection: nativeConnection,
    namespace: config.TEMPORAL_NAMESPACE,
    taskQueue: config.TEMPORAL_TASK_QUEUE,
    ...(overrides.workflowBundle ? { workflowBundle: overrides.workflowBundle } : { workflowsPath }),
    activities: createProtectionActivities({ publisher, policies: defaultSlaPolicies, calendar, ladder }),
  });
  const consumer = new EventConsumerRunner({
    kafka,
    groupId: config.KAFKA_GROUP_ID,
    topics: [Topics.referrals, Topics.protection, Topics.facilities],
    logger: logger.child({ component: 'consumer' }),
    handlers: {
      ...boardEventHandlers(board),
      ...handlersFor(facilityEventTypes, async (event) => {
        await directory.apply(event);
      }),
    },
  });

  const app = await createServiceApp({
    name: 'protection',
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
  const communesIn = (unitCode: string) =>
    units
      .filter((u) => u.level === 'commune')
      .filter((u) => u.code === unitCode || ladder.stepsAbove(u.code).some((above) => above.code === unitCode))
      .map((u) => u.code);
  await app.register(protectionCaseRoutes, { authenticate, cases, commands, referrals, directory });
  await app.register(boardRoutes, { authenticate, board, referrals, protectionCases: commands, directory });
  app.metrics.registerMetric(consumer.deadLettered);
  await app.register(registerRoutes, { authenticate, register, communesIn });

  let workerRun: Promise<void> | undefined;
  return {
    app,
    directory,
    cases,
    board,
    commands,
    async start() {
      await publisher.connect();
      workerRun = worker.run();
      workerRun.catch((error: unknown) => logger.fatal({ err: error }, 'temporal worker stopped'));
      await consumer.start();
    },
    async stop() {
      await app.close();
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
