import { TestWorkflowEnvironment } from '@temporalio/testing';
import { Worker, bundleWorkflowCode, type WorkflowBundleWithSourceMap } from '@temporalio/worker';
import mongoose, { type Connection } from 'mongoose';
import { Topics } from '@ecd/contracts';
import { EventPublisher, createKafkaClient, ensureTopics } from '@ecd/messaging';
import { defaultSlaPolicies, vietnamHolidayCalendars } from '@ecd/referral-policy';
import { createCaseScreeningActivities } from '../../services/referrals/src/activities/case-screening-activities';
import { createReferralActivities } from '../../services/referrals/src/activities/referral-activities';
import { ReferralCommands } from '@ecd/referral-client';
import { InAppNotificationChannel } from '../../services/referrals/src/repositories/in-app-notification-channel';
import { ReferenceDataRepository } from '../../services/referrals/src/repositories/reference-data-repository';
import { workflowsPath } from '../../services/referrals/src/referrals-service';
import { databaseUrl, infra, testLogger, uniqueName } from './infra';

let bundle: Promise<WorkflowBundleWithSourceMap> | undefined;
/** The real workflow code, bundled once per test file. */
export const referralWorkflowBundle = () => (bundle ??= bundleWorkflowCode({ workflowsPath, logger: undefined }));

export interface ReferralTestRig {
  env: TestWorkflowEnvironment;
  commands: ReferralCommands;
  taskQueue: string;
  database: Connection;
  startWorker(): Promise<void>;
  stopWorker(): Promise<void>;
  close(): Promise<void>;
}

/**
 * The real Temporal time-skipping test server (the binary provisioned by infra/local), the real
 * workflow code and the real activities on FerretDB and Kafka.
 */
export async function createReferralTestRig(options: {
  ladder: 'two-level' | 'three-level';
}): Promise<ReferralTestRig> {
  const { temporalTestServerPath, mongoUrl, kafkaBrokers } = infra();
  if (!temporalTestServerPath) {
    throw new Error(
      'the Temporal time-skipping test server is missing: set TEMPORAL_TEST_SERVER_PATH or run `npm run infra:up`',
    );
  }
  const env = await TestWorkflowEnvironment.createTimeSkipping({
    server: { executable: { type: 'existing-path', path: temporalTestServerPath } },
  });
  const database = await mongoose.createConnection(databaseUrl(mongoUrl, uniqueName('referrals'))).asPromise();
  const reference = new ReferenceDataRepository(database, { edition: options.ladder });
  await reference.init();
  await reference.seed({ policies: defaultSlaPolicies, calendars: vietnamHolidayCalendars });
  const notifications = new InAppNotificationChannel(database);
  const logger = testLogger('referrals');
  const kafka = createKafkaClient({ clientId: 'referrals-test', brokers: kafkaBrokers.split(','), logger });
  // As the services do at start: topics are created explicitly (auto-creation is off).
  await ensureTopics(kafka, Object.values(Topics));
  const publisher = new EventPublisher(kafka);
  await publisher.connect();
  const taskQueue = uniqueName('referrals');
  const activities = {
    ...createCaseScreeningActivities({ publisher, screeningWindowHours: 120 }),
    ...createReferralActivities({ publisher, reference, notifications }),
  };
  let running: { worker: Worker; run: Promise<void> } | undefined;
  const rig: ReferralTestRig = {
    env,
    commands: new ReferralCommands(env.client, taskQueue),
    taskQueue,
    database,
    async startWorker() {
      const worker = await Worker.create({
        connection: env.nativeConnection,
        taskQueue,
        workflowBundle: await referralWorkflowBundle(),
        activities,
      });
      running = { worker, run: worker.run() };
    },
    async stopWorker() {
      if (!running) return;
      running.worker.shutdown();
      await running.run;
      running = undefined;
    },
    async close() {
      await rig.stopWorker();
      await publisher.disconnect();
      await database.close();
      await env.teardown();
    },
  };
  await rig.startWorker();
  return rig;
}

/** Moves the test server's clock forward to `instant` (firing every timer on the way). */
export async function advanceTo(env: TestWorkflowEnvironment, instant: string): Promise<void> {
  const delta = Date.parse(instant) - (await env.currentTimeMs());
  if (delta > 0) await env.sleep(delta);
}
