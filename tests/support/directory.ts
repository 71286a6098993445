import mongoose from 'mongoose';
import { FacilityRegister, type Facility } from '@ecd/facility-inbox';
import { EventPublisher, OutboxRelay, createKafkaClient, ensureTopics } from '@ecd/messaging';
import { Topics } from '@ecd/contracts';
import type { FacilityDirectory } from '@ecd/referral-client';
import { demoHealthFacilities, healthRecordKinds } from '../../services/health/src/domain/health-services';
import { demoPreschools, educationRecordKinds } from '../../services/education/src/domain/education-services';
import { databaseUrl, infra, testLogger, uniqueName } from './infra';

/**
 * Registers facilities as their owning service does (the real FacilityRegister, its outbox and
 * relay, on a scratch database), so the directory events are on Kafka for a test that does not
 * run health or education itself. Ids and revisions are deterministic: a repeat changes nothing.
 */
export async function registerFacilities(
  facilities: readonly Facility[],
  services: readonly string[],
): Promise<FacilityRegister & { close(): Promise<void> }> {
  const { kafkaBrokers, mongoUrl } = infra();
  const logger = testLogger('facility-register');
  const db = await mongoose.createConnection(databaseUrl(mongoUrl, uniqueName('facilities'))).asPromise();
  const register = new FacilityRegister(db, services);
  await register.model.init();
  await register.seed(facilities);
  const kafka = createKafkaClient({ clientId: 'facility-register-test', brokers: kafkaBrokers.split(','), logger });
  await ensureTopics(kafka, Object.values(Topics));
  const publisher = new EventPublisher(kafka);
  const relay = new OutboxRelay({ models: [register.model], publisher, logger });
  await relay.drainOnce();
  return Object.assign(register, {
    /** Publishes what later changes staged, then closes. */
    async close() {
      await relay.drainOnce();
      await publisher.disconnect();
      await db.close();
    },
  });
}

/** The demo health stations and preschools, registered as health and education do at start. */
export async function registerDemoFacilities(): Promise<void> {
  const health = await registerFacilities(demoHealthFacilities, healthRecordKinds);
  await health.close();
  const education = await registerFacilities(demoPreschools, educationRecordKinds);
  await education.close();
}

/** Waits until a directory has every facility named, as a referral made next needs it. */
export async function waitForDirectory(
  directory: FacilityDirectory,
  facilityIds: readonly string[],
  predicate: (entry: NonNullable<Awaited<ReturnType<FacilityDirectory['find']>>>) => boolean = () => true,
): Promise<void> {
  const deadline = Date.now() + 30_000;
  for (;;) {
    const missing: string[] = [];
    for (const id of facilityIds) {
      const entry = await directory.find(id);
      if (!entry || !predicate(entry)) missing.push(id);
    }
    if (missing.length === 0) return;
    if (Date.now() > deadline) throw new Error(`the facility directory never showed ${missing.join(', ')}`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

export const demoFacilityIds = [...demoHealthFacilities, ...demoPreschools].map((f) => f._id);
