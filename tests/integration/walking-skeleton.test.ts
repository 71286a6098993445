import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Client, Connection } from '@temporalio/client';
import { Topics } from '@ecd/contracts';
import { createKafkaClient } from '@ecd/messaging';
import type { IntakeService } from '../../services/intake/src/intake-service';
import { buildReferralsService, type ReferralsService } from '../../services/referrals/src/referrals-service';
import { loadReferralsConfig } from '../../services/referrals/src/config';
import { buildIdentityService, type IdentityService } from '../../services/identity/src/identity-service';
import { loadIdentityConfig } from '../../services/identity/src/config';
import { signIn } from '../support/sign-in';
import { startIntake } from '../support/stack';
import { caseScreeningWorkflowId } from '../../services/referrals/src/workflows/workflow-ids';
import { EventTap } from '../support/event-tap';
import { databaseUrl, eventually, infra, testLogger, uniqueName, identityDatabase } from '../support/infra';

/**
 * The walking skeleton through every real part: HTTP → mongoose (case + outbox in one write) →
 * outbox relay → Kafka → referrals consumer → Temporal workflow → activity → Kafka → intake
 * consumer → HTTP read.
 */
describe('walking skeleton: opening a case reaches every real part', () => {
  const ISSUER = 'http://identity.test';
  let identity: IdentityService;
  let token: string; // canbo.yty, commune 02704
  let intake: IntakeService;
  let referrals: ReferralsService;
  let intakeUrl: string;
  let tap: EventTap;
  let temporal: Connection;
  const taskQueue = uniqueName('referrals');

  beforeAll(async () => {
    const { kafkaBrokers, mongoUrl, temporalAddress } = infra();
    identity = await buildIdentityService(
      loadIdentityConfig({ PORT: '0', MONGO_URL: identityDatabase(), ISSUER }),
      testLogger('identity'),
    );
    await identity.start();
    const identityUrl = await identity.app.listen({ host: '127.0.0.1', port: 0 });
    token = await signIn(identityUrl, 'canbo.yty', 'yty-intake-01');
    referrals = await buildReferralsService(
      loadReferralsConfig({
        MONGO_URL: databaseUrl(mongoUrl, uniqueName('referrals')),
        KAFKA_BROKERS: kafkaBrokers,
        TEMPORAL_ADDRESS: temporalAddress,
        TEMPORAL_TASK_QUEUE: taskQueue,
        KAFKA_GROUP_ID: uniqueName('referrals'),
        PORT: '0',
      }),
      testLogger('referrals'),
    );
    await referrals.start();
    ({ intake } = await startIntake(identityUrl, { PORT: '0', TEMPORAL_TASK_QUEUE: taskQueue }));
    intakeUrl = await intake.app.listen({ host: '127.0.0.1', port: 0 });
    tap = new EventTap(
      createKafkaClient({ clientId: 'tap', brokers: kafkaBrokers.split(','), logger: testLogger('tap') }),
      [Topics.cases],
    );
    await tap.start();
    temporal = await Connection.connect({ address: temporalAddress });
  });

  afterAll(async () => {
    await tap?.stop();
    await intake?.stop();
    await referrals?.stop();
    await identity?.stop();
    await temporal?.close();
  });

  it('POST /cases → case.opened on Kafka → workflow → case.screening_scheduled → visible on GET /cases/:id', async () => {
    const response = await fetch(`${intakeUrl}/cases`, {
      method: 'POST',
      headers: {
        'content-type': 'application/json',
        'x-request-id': 'skeleton-req-1',
        authorization: `Bearer ${token}`,
      },
      body: JSON.stringify({
        child: { fullName: 'Nguyễn Thị Hoà', dateOfBirth: '2024-05-14', sex: 'female', communeCode: '02704' },
        concerns: ['health', 'nutrition'],
      }),
    });
    expect(response.status).toBe(201);
    const created = (await response.json()) as { _id: string; status: string };
    expect(created.status).toBe('OPEN');
    const caseId = created._id;

    // case.opened left through the outbox, keyed by the case id, carrying no name.
    const opened = await eventually(() => {
      const found = tap.of(caseId, 'case.opened.v1');
      expect(found).toHaveLength(1);
      return found[0]!;
    });
    expect(opened.key).toBe(caseId);
    expect(opened.event.correlationid).toBe('skeleton-req-1');
    expect(JSON.stringify(opened.event.data)).not.toContain('Hoà');

    // The workflow started for this case and its first event came back on Kafka.
    const handle = new Client({ connection: temporal }).workflow.getHandle(caseScreeningWorkflowId(caseId));
    const description = await eventually(() => handle.describe());
    expect(description.status.name).toBe('RUNNING');
    expect(description.taskQueue).toBe(taskQueue);
    const scheduled = await eventually(() => {
      const found = tap.of(caseId, 'case.screening_scheduled.v1');
      expect(found).toHaveLength(1);
      return found[0]!;
    });
    expect(scheduled.event.correlationid).toBe('skeleton-req-1');

    // Intake consumed it: the due date and the timeline entry are visible over HTTP.
    const view = await eventually(async () => {
      const read = await fetch(`${intakeUrl}/cases/${caseId}`, { headers: { authorization: `Bearer ${token}` } });
      expect(read.status).toBe(200);
      const body = (await read.json()) as { screeningDueAt?: string; timeline: { kind: string }[] };
      expect(body.screeningDueAt).toBe(scheduled.event.data.dueAt);
      return body;
    });
    expect(view.timeline.map((t) => t.kind)).toEqual(['case.opened', 'case.screening_scheduled']);
    // 120 hours after opening, by the default policy.
    const openedAt = Date.parse(opened.event.data.openedAt as string);
    expect(Date.parse(view.screeningDueAt!) - openedAt).toBe(120 * 3_600_000);
  });
});
