import type { Logger } from 'pino';
import { Client } from '@temporalio/client';
import { FacilityDirectory, ReferralCommands, connectTemporal } from '@ecd/referral-client';
import { Topics, facilityEventTypes } from '@ecd/contracts';
import { EventConsumerRunner, EventPublisher, OutboxRelay, connectKafka, handlersFor } from '@ecd/messaging';
import {
  connectDatabase,
  createAuthenticator,
  createServiceApp,
  pingDatabase,
  type ServiceApp,
} from '@ecd/service-kit';
import type { IntakeConfig } from './config';
import { caseEventHandlers } from './events/case-event-handlers';
import { referralEventHandlers } from './events/referral-event-handlers';
import { CaseReferralRepository, createCaseReferralModel } from './repositories/case-referral-repository';
import { CaseRepository, createCaseModel } from './repositories/case-repository';
import { ChildRepository, createChildModel } from './repositories/child-repository';
import { ConsentRepository, createConsentModel } from './repositories/consent-repository';
import { TransferRepository, createTransferModel } from './repositories/transfer-repository';
import { childRecordRoutes } from './routes/child-record-routes';
import { transferRoutes } from './routes/transfer-routes';
import { consentRoutes } from './routes/consent-routes';
import { caseRoutes } from './routes/case-routes';
import { childRoutes } from './routes/child-routes';
import { referralRoutes } from './routes/referral-routes';
import { reportRoutes } from './routes/report-routes';
import { directoryRoutes } from './routes/directory-routes';
import { screeningRoutes } from './routes/screening-routes';
import { AuditLog, auditRoutes, recordAuditTrail } from '@ecd/audit-trail';

export interface IntakeService {
  app: ServiceApp;
  /** The facility directory referrals are checked against (from ecd.facilities.v1). */
  directory: FacilityDirectory;
  start(): Promise<void>;
  stop(): Promise<void>;
}

/**
 * Wires the intake service: database, Kafka, outbox relay, consumer (case and referral events), a
 * Temporal client for the referrals it requests, and JWT-verified routes scoped to the caller's commune.
 */
export async function buildIntakeService(config: IntakeConfig, logger: Logger): Promise<IntakeService> {
  const db = await connectDatabase(config.MONGO_URL, logger);
  const { kafka, admin } = await connectKafka({ clientId: 'intake', brokers: config.KAFKA_BROKERS, logger }).catch(
    async (error: unknown) => {
      await db.close();
      throw error;
    },
  );
  const temporal = await connectTemporal(config.TEMPORAL_ADDRESS).catch(async (error: unknown) => {
    await admin.disconnect();
    await db.close();
    throw error;
  });
  const commands = new ReferralCommands(
    new Client({ connection: temporal, namespace: config.TEMPORAL_NAMESPACE }),
    config.TEMPORAL_TASK_QUEUE,
  );

  const caseModel = createCaseModel(db);
  const childModel = createChildModel(db);
  const caseReferralModel = createCaseReferralModel(db);
  const consentModel = createConsentModel(db);
  const transferModel = createTransferModel(db);
  const directory = new FacilityDirectory(db);
  await Promise.all([
    caseModel.init(),
    childModel.init(),
    caseReferralModel.init(),
    consentModel.init(),
    transferModel.init(),
    directory.model.init(),
  ]);
  const consents = new ConsentRepository(consentModel);
  const cases = new CaseRepository(caseModel);
  const children = new ChildRepository(childModel);
  const referrals = new CaseReferralRepository(caseReferralModel);
  const transfers = new TransferRepository(transferModel);
  const publisher = new EventPublisher(kafka);
  const relay = new OutboxRelay({
    models: [caseModel, childModel],
    publisher,
    logger: logger.child({ component: 'outbox' }),
  });
  const consumer = new EventConsumerRunner({
    kafka,
    groupId: config.KAFKA_GROUP_ID,
    topics: [Topics.cases, Topics.referrals, Topics.facilities],
    logger: logger.child({ component: 'consumer' }),
    handlers: {
      ...caseEventHandlers(cases),
      ...referralEventHandlers(cases, referrals),
      ...handlersFor(facilityEventTypes, async (event) => {
        await directory.apply(event);
      }),
    },
  });

  const app = await createServiceApp({
    name: 'intake',
    trustedProxies: config.TRUSTED_PROXIES,
    description: 'Children, cases, screening and referrals opened by commune intake staff.',
    logger,
    readiness: {
      mongodb: () => pingDatabase(db),
      kafka: () => admin.describeCluster(),
      temporal: () => temporal.healthService.check({}),
    },
  });
  const authenticate = createAuthenticator({
    issuer: config.OIDC_ISSUER,
    audience: config.OIDC_AUDIENCE,
    jwksUrl: config.OIDC_JWKS_URL,
  });
  // Every read and change of a child's records is recorded (who, what, when, from where).
  const auditLog = new AuditLog(db);
  await auditLog.init();
  recordAuditTrail(app, auditLog);
  await app.register(caseRoutes, { authenticate, cases, children, referrals, relay });
  await app.register(childRoutes, { authenticate, children });
  await app.register(screeningRoutes, { authenticate, cases, children, relay });
  await app.register(consentRoutes, { authenticate, children, cases, consents });
  await app.register(referralRoutes, { authenticate, cases, consents, commands, directory });
  await app.register(directoryRoutes, { authenticate, directory });
  await app.register(childRecordRoutes, { authenticate, children, cases, transfers, relay });
  await app.register(transferRoutes, {
    authenticate,
    children,
    cases,
    consents,
    referrals,
    transfers,
    commands,
    relay,
  });
  await app.register(reportRoutes, { authenticate, referrals });
  await app.register(auditRoutes, { authenticate, log: auditLog });

  app.metrics.registerMetric(consumer.deadLettered);

  return {
    app,
    directory,
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
      await temporal.close();
      await db.close();
    },
  };
}
