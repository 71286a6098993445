import type { Logger } from 'pino';
import { Topics } from '@ecd/contracts';
import { EventConsumerRunner, EventPublisher, OutboxRelay, createKafkaClient, ensureTopics } from '@ecd/messaging';
import {
  connectDatabase,
  createAuthenticator,
  createServiceApp,
  pingDatabase,
  type ServiceApp,
} from '@ecd/service-kit';
import type { IntakeConfig } from './config';
import { caseEventHandlers } from './events/case-event-handlers';
import { CaseRepository, createCaseModel } from './repositories/case-repository';
import { ChildRepository, createChildModel } from './repositories/child-repository';
import { caseRoutes } from './routes/case-routes';
import { childRoutes } from './routes/child-routes';
import { screeningRoutes } from './routes/screening-routes';

export interface IntakeService {
  app: ServiceApp;
  start(): Promise<void>;
  stop(): Promise<void>;
}

/** Wires the intake service: database, Kafka, outbox relay, consumer and HTTP routes. */
export async function buildIntakeService(config: IntakeConfig, logger: Logger): Promise<IntakeService> {
  const brokers = config.KAFKA_BROKERS.split(',');
  const db = await connectDatabase(config.MONGO_URL, logger);
  const kafka = createKafkaClient({ clientId: 'intake', brokers, logger });
  const admin = kafka.admin();
  try {
    await admin.connect();
    await ensureTopics(kafka, Object.values(Topics));
  } catch (error) {
    await db.close();
    throw new Error(`cannot reach Kafka at ${config.KAFKA_BROKERS}: ${(error as Error).message}`, { cause: error });
  }

  const caseModel = createCaseModel(db);
  const childModel = createChildModel(db);
  await Promise.all([caseModel.init(), childModel.init()]);
  const cases = new CaseRepository(caseModel);
  const children = new ChildRepository(childModel);
  const publisher = new EventPublisher(kafka);
  const relay = new OutboxRelay({ models: [caseModel], publisher, logger: logger.child({ component: 'outbox' }) });
  const consumer = new EventConsumerRunner({
    kafka,
    groupId: config.KAFKA_GROUP_ID,
    topics: [Topics.cases],
    logger: logger.child({ component: 'consumer' }),
    handlers: caseEventHandlers(cases),
  });

  const app = await createServiceApp({
    name: 'intake',
    description: 'Children, cases, screening and referrals opened by commune intake staff.',
    logger,
    readiness: {
      mongodb: () => pingDatabase(db),
      kafka: () => admin.describeCluster(),
    },
  });
  const authenticate = createAuthenticator({
    issuer: config.OIDC_ISSUER,
    audience: config.OIDC_AUDIENCE,
    jwksUrl: config.OIDC_JWKS_URL,
  });
  await app.register(caseRoutes, { authenticate, cases, children, relay });
  await app.register(childRoutes, { authenticate, children });
  await app.register(screeningRoutes, { authenticate, cases, children });

  return {
    app,
    async start() {
      await publisher.connect();
      relay.start();
      await consumer.start();
    },
    async stop() {
      await app.close();
      await consumer.stop();
      await relay.stop();
      await publisher.disconnect();
      await admin.disconnect();
      await db.close();
    },
  };
}
