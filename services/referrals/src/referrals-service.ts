import { fileURLToPath } from 'node:url';
import { Counter } from 'prom-client';
import type { Logger } from 'pino';
import { Client, Connection } from '@temporalio/client';
import { NativeConnection, Worker, Runtime, makeTelemetryFilterString, type LogLevel } from '@temporalio/worker';
import { Topics, administrativeUnitEventTypes } from '@ecd/contracts';
import { EventConsumerRunner, EventPublisher, connectKafka, handlersFor } from '@ecd/messaging';
import { connectDatabase, createServiceApp, pingDatabase, type ServiceApp } from '@ecd/service-kit';
import { defaultSlaPolicies, vietnamHolidayCalendars } from '@ecd/referral-policy';
import { createCaseScreeningActivities } from './activities/case-screening-activities';
import { createReferralActivities } from './activities/referral-activities';
import { ReferralCommands } from '@ecd/referral-client';
import { InAppNotificationChannel } from './repositories/in-app-notification-channel';
import { ReferenceDataRepository } from './repositories/reference-data-repository';
import type { ReferralsConfig } from './config';
import { caseEventHandlers } from './events/case-event-handlers';

export interface ReferralsService {
  app: ServiceApp;
  commands: ReferralCommands;
  reference: ReferenceDataRepository;
  notifications: InAppNotificationChannel;
  start(): Promise<void>;
  stop(): Promise<void>;
}

export const workflowsPath = fileURLToPath(new URL('./workflows/index.ts', import.meta.url));

let runtimeInstalled = false;
/** Bridges the Temporal SDK's own logs into pino (once per process, as the SDK requires). */
function installTemporalRuntime(logger: Logger): void {
  if (runtimeInstalled) return;
  runtimeInstalled = true;
  const log = logger.child({ component: 'temporal' });
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
}

async function connectTemporal(config: ReferralsConfig) {
  try {
    const connection = await Connection.connect({ address: config.TEMPORAL_ADDRESS, connectTimeout: '5 seconds' });
    const nativeConnection = await NativeConnection.connect({ address: config.TEMPORAL_ADDRESS });
    return { connection, nativeConnection };
  } catch (error) {
    throw new Error(`cannot reach Temporal at ${config.TEMPORAL_ADDRESS}: ${(error as Error).message}`, {
      cause: error,
    });
  }
}

/**
 * The referrals service runs the Temporal worker (the single writer of referral state) and the
 * Kafka consumer that starts workflows from other services' events.
 */
export async function buildReferralsService(config: ReferralsConfig, logger: Logger): Promise<ReferralsService> {
  installTemporalRuntime(logger);
  const db = await connectDatabase(config.MONGO_URL, logger);
  const reference = new ReferenceDataRepository(db, { edition: config.ADMINISTRATIVE_LADDER });
  await reference.init();
  await reference.seed({ policies: defaultSlaPolicies, calendars: vietnamHolidayCalendars });
  const notifications = new InAppNotificationChannel(db);
  await notifications.model.init();
  const { connection, nativeConnection } = await connectTemporal(config).catch(async (error: unknown) => {
    await db.close();
    throw error;
  });
  const client = new Client({ connection, namespace: config.TEMPORAL_NAMESPACE });

  const { kafka, admin } = await connectKafka({ clientId: 'referrals', brokers: config.KAFKA_BROKERS, logger }).catch(
    async (error: unknown) => {
      await connection.close();
      await nativeConnection.close();
      await db.close();
      throw error;
    },
  );
  const publisher = new EventPublisher(kafka);
  const effectFailures = new Counter({
    name: 'referral_effect_failures_total',
    help: 'Referral effects that failed for good (an event its schema refuses, a bug), by effect',
    labelNames: ['effect'],
    registers: [],
  });
  const referralsNeedingAttention = new Counter({
    name: 'referrals_needing_attention_total',
    help: 'Referrals announced as needing attention after a failed effect',
    registers: [],
  });

  const worker = await Worker.create({
    connection: nativeConnection,
    namespace: config.TEMPORAL_NAMESPACE,
    taskQueue: config.TEMPORAL_TASK_QUEUE,
    workflowsPath,
    activities: {
      ...createCaseScreeningActivities({ publisher, screeningWindowHours: config.CASE_SCREENING_WINDOW_HOURS }),
      ...createReferralActivities({
        publisher,
        reference,
        notifications,
        effectFailures,
        referralsNeedingAttention,
      }),
    },
  });
  const consumer = new EventConsumerRunner({
    kafka,
    groupId: config.KAFKA_GROUP_ID,
    topics: [Topics.cases, Topics.administrativeUnits],
    logger: logger.child({ component: 'consumer' }),
    handlers: {
      ...caseEventHandlers(client, config.TEMPORAL_TASK_QUEUE),
      // Escalation climbs the units as administrators last set them.
      ...handlersFor(administrativeUnitEventTypes, async (event) => {
        await reference.units.apply(event);
      }),
    },
  });

  const app = await createServiceApp({
    name: 'referrals',
    description: 'Referral workflows between sectors: deadlines, reminders and escalation.',
    logger,
    readiness: {
      mongodb: () => pingDatabase(db),
      temporal: () => connection.healthService.check({}),
      kafka: () => admin.describeCluster(),
    },
  });
  app.metrics.registerMetric(effectFailures);
  app.metrics.registerMetric(referralsNeedingAttention);
  app.metrics.registerMetric(consumer.deadLettered);

  let workerRun: Promise<void> | undefined;
  return {
    app,
    commands: new ReferralCommands(client, config.TEMPORAL_TASK_QUEUE),
    reference,
    notifications,
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
        worker.shutdown();
        await workerRun.catch(() => undefined);
      }
      await publisher.disconnect();
      await admin.disconnect();
      await connection.close();
      await nativeConnection.close();
      await db.close();
    },
  };
}
