import type { Logger } from 'pino';
import type { TSchema } from 'typebox';
import { Client } from '@temporalio/client';
import { AuditLog, auditRoutes, recordAuditTrail } from '@ecd/audit-trail';
import { Topics, referralEventTypes, type ReferralEventType, type Sector } from '@ecd/contracts';
import {
  EventConsumerRunner,
  EventPublisher,
  OutboxRelay,
  connectKafka,
  handlersFor,
  type EventHandler,
} from '@ecd/messaging';
import {
  connectDatabase,
  createAuthenticator,
  createServiceApp,
  pingDatabase,
  type ServiceApp,
  type StaffRole,
} from '@ecd/service-kit';
import { ReferralCommands, connectTemporal } from '@ecd/referral-client';
import { FacilityRegister, type Facility } from './facility-register';
import { InboxRepository } from './inbox-repository';
import { inboxRoutes } from './inbox-routes';
import { facilityAdminRoutes } from './facility-admin-routes';
import { ServiceRecordRepository } from './service-record-repository';

/** What makes a sector's facility service (health, education) different from another's. */
export interface FacilitySector {
  name: string;
  description: string;
  staffRoles: [StaffRole, ...StaffRole[]];
  recordKinds: readonly string[];
  /** Facts a record of a kind must carry in `details` (`ServiceRecordDetails` of @ecd/contracts). */
  recordDetails?: Readonly<Record<string, TSchema>>;
  /** Sectors its facilities take referrals for (a health station: health and nutrition). */
  servesSectors: readonly Sector[];
  facilities: readonly Facility[];
}

export interface FacilityServiceConfig {
  MONGO_URL: string;
  KAFKA_BROKERS: string;
  KAFKA_GROUP_ID: string;
  TEMPORAL_ADDRESS: string;
  TEMPORAL_NAMESPACE: string;
  TEMPORAL_TASK_QUEUE: string;
  OIDC_ISSUER: string;
  OIDC_AUDIENCE: string;
  OIDC_JWKS_URL: string;
  TRUSTED_PROXIES: string;
}

export interface FacilityService {
  app: ServiceApp;
  /** The sector's register: its changes reach the directory through the outbox. */
  facilities: FacilityRegister;
  start(): Promise<void>;
  stop(): Promise<void>;
}

/**
 * Wires a facility service: its own database (register, inbox read model, service records), a
 * Kafka consumer that builds the inbox from referral events, a Temporal client for the actions,
 * and JWT-verified routes.
 */
export async function createFacilityService(
  sector: FacilitySector,
  config: FacilityServiceConfig,
  logger: Logger,
): Promise<FacilityService> {
  const db = await connectDatabase(config.MONGO_URL, logger);
  const facilities = new FacilityRegister(db, sector.recordKinds);
  const inbox = new InboxRepository(db);
  const records = new ServiceRecordRepository(db);
  await Promise.all([facilities.model.init(), inbox.model.init(), records.model.init()]);
  // Staged with their directory events; the relay publishes them once Kafka is connected.
  await facilities.seed(sector.facilities);

  const { kafka, admin } = await connectKafka({ clientId: sector.name, brokers: config.KAFKA_BROKERS, logger }).catch(
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
  const publisher = new EventPublisher(kafka);
  const relay = new OutboxRelay({
    models: [facilities.model],
    publisher,
    logger: logger.child({ component: 'outbox' }),
  });
  const commands = new ReferralCommands(
    new Client({ connection: temporal, namespace: config.TEMPORAL_NAMESPACE }),
    config.TEMPORAL_TASK_QUEUE,
  );

  // The register changes rarely; refreshed in the background so routing never waits on it.
  let owned = await facilities.codes();
  const refresh = setInterval(() => {
    facilities.codes().then(
      (codes) => (owned = codes),
      (error: unknown) => logger.warn({ err: error }, 'facility register refresh failed'),
    );
  }, 30_000);
  refresh.unref();
  const project: EventHandler<ReferralEventType> = async (event) => {
    await inbox.apply(event, (facilityId) => owned.has(facilityId));
  };
  const consumer = new EventConsumerRunner({
    kafka,
    groupId: config.KAFKA_GROUP_ID,
    topics: [Topics.referrals],
    logger: logger.child({ component: 'consumer' }),
    handlers: handlersFor(referralEventTypes, project),
  });

  const app = await createServiceApp({
    name: sector.name,
    description: sector.description,
    logger,
    trustedProxies: config.TRUSTED_PROXIES,
    readiness: {
      mongodb: () => pingDatabase(db),
      kafka: () => admin.describeCluster(),
      temporal: () => temporal.healthService.check({}),
    },
  });
  // Every read and change of a referred child's records is recorded, under the facility's commune.
  const auditLog = new AuditLog(db);
  await auditLog.init();
  const facilityUnits = new Map(sector.facilities.map((f) => [f._id, f.unitCode]));
  recordAuditTrail(app, auditLog, {
    unitOf: async (staff, request) => {
      // A directory change is recorded under the facility's unit, where its chairman looks.
      if (request.routeOptions.config.audit?.resource === 'facility') {
        const params: { facilityId?: string } = request.params ?? {};
        const body: unknown = request.body;
        const id =
          params.facilityId ??
          (body && typeof body === 'object' && 'facilityId' in body && typeof body.facilityId === 'string'
            ? body.facilityId
            : undefined);
        const facility = id ? await facilities.find(id) : null;
        if (facility) return facility.unitCode;
      }
      if (!staff.facilityId) return staff.unitCode;
      return facilityUnits.get(staff.facilityId) ?? (await facilities.find(staff.facilityId))?.unitCode;
    },
  });
  const authenticate = createAuthenticator({
    issuer: config.OIDC_ISSUER,
    audience: config.OIDC_AUDIENCE,
    jwksUrl: config.OIDC_JWKS_URL,
  });
  await app.register(auditRoutes, { authenticate, log: auditLog });
  await app.register(inboxRoutes, {
    authenticate,
    staffRoles: sector.staffRoles,
    recordKinds: sector.recordKinds,
    ...(sector.recordDetails ? { recordDetails: sector.recordDetails } : {}),
    inbox,
    facilities,
    records,
    commands,
  });
  await app.register(facilityAdminRoutes, {
    authenticate,
    facilities,
    sector: sector.name,
    servesSectors: sector.servesSectors,
    relay,
  });
  app.metrics.registerMetric(consumer.deadLettered);

  return {
    app,
    facilities,
    async start() {
      await publisher.connect();
      relay.start();
      await consumer.start();
    },
    async stop() {
      clearInterval(refresh);
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
