import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { randomUUID } from 'node:crypto';
import { Topics } from '@ecd/contracts';
import { createKafkaClient } from '@ecd/messaging';
import { defaultSlaPolicies } from '@ecd/referral-policy';
import type { Actor } from '@ecd/referral-client';
import { loadReferralsConfig } from '../../services/referrals/src/config';
import { buildReferralsService, type ReferralsService } from '../../services/referrals/src/referrals-service';
import { EventTap } from '../support/event-tap';
import { databaseUrl, eventually, infra, testLogger, uniqueName } from '../support/infra';

/**
 * Referrals on the real Temporal dev server, in real time, with the referrals service as it runs
 * in production (its worker, activities, Kafka publisher and database).
 */
const commune = '02704'; // Xã Y Tý after the 2025 reform (two-level ladder: commune → province 10)
const facilityId = 'TYT-02704';
const intake: Actor = { userId: 'intake-1', role: 'intake-staff', unitCode: commune };
const nurse: Actor = { userId: 'nurse-1', role: 'health-staff', unitCode: commune, facilityId };

describe('referral lifecycle on the dev server', () => {
  const taskQueue = uniqueName('referrals');
  const mongo = databaseUrl(infra().mongoUrl, uniqueName('referrals'));
  let service: ReferralsService;
  let tap: EventTap;

  const build = () =>
    buildReferralsService(
      loadReferralsConfig({
        MONGO_URL: mongo,
        KAFKA_BROKERS: infra().kafkaBrokers,
        TEMPORAL_ADDRESS: infra().temporalAddress,
        TEMPORAL_TASK_QUEUE: taskQueue,
        KAFKA_GROUP_ID: uniqueName('referrals'),
      }),
      testLogger('referrals'),
    );

  beforeAll(async () => {
    service = await build();
    await service.start();
    tap = new EventTap(
      createKafkaClient({ clientId: 'tap', brokers: infra().kafkaBrokers.split(','), logger: testLogger('tap') }),
      [Topics.referrals],
    );
    await tap.start();
  });

  afterAll(async () => {
    await tap?.stop();
    await service?.stop();
  });

  const request = (urgency: 'routine' | 'urgent' = 'routine') =>
    service.commands.request({
      caseId: randomUUID(),
      childId: randomUUID(),
      sector: 'health',
      urgency,
      facilityId,
      fromUnitCode: commune,
      reason: 'Weight-for-age below −2 SD',
      requestedBy: intake,
      requestedAt: new Date().toISOString(),
    });

  it('a full referral: each event arrives on Kafka exactly once, in order, keyed by the case', async () => {
    const { referralId } = await request();
    await eventually(async () => expect((await service.commands.view(referralId)).referral.acceptBy).toBeDefined());
    await service.commands.accept(referralId, nurse);
    await service.commands.startService(referralId, nurse);
    await service.commands.complete(referralId, nurse, 'Nutrition counselling, 3 sessions', 'svc-rec-9');
    // A repeated start request is the same referral, not a second one.
    const { caseId } = (await service.commands.view(referralId)).referral;

    const events = await eventually(() => {
      const found = tap.events.filter((e) => e.event.data.referralId === referralId);
      expect(found.map((e) => e.event.type)).toEqual([
        'referral.requested.v1',
        'referral.accepted.v1',
        'referral.started.v1',
        'referral.completed.v1',
      ]);
      return found;
    });
    await new Promise((r) => setTimeout(r, 1000)); // anything duplicated would have arrived by now
    const again = tap.events.filter((e) => e.event.data.referralId === referralId);
    expect(again).toHaveLength(4);
    expect(new Set(again.map((e) => e.event.id)).size).toBe(4);
    for (const e of events) expect(e.key).toBe(caseId);
    expect(events[3]!.event.data).toMatchObject({ state: 'COMPLETED', serviceRecordId: 'svc-rec-9' });
  });

  it('a repeated request with the same referral id starts nothing new', async () => {
    const first = await request();
    const again = await service.commands.request({
      referralId: first.referralId,
      caseId: randomUUID(),
      childId: randomUUID(),
      sector: 'health',
      urgency: 'routine',
      facilityId,
      fromUnitCode: commune,
      reason: 'retry',
      requestedBy: intake,
      requestedAt: new Date().toISOString(),
    });
    expect(again).toEqual({ referralId: first.referralId, created: false });
  });

  it('the worker stops while a referral waits on its timer; after a restart the escalation fires exactly once', async () => {
    // A policy version with second-long windows, so the deadline passes while the worker is down.
    const base = defaultSlaPolicies.find((p) => p.id === 'health.urgent')!;
    await service.reference.publishPolicyVersion({
      ...base,
      version: 2,
      acceptWithin: { amount: 6 / 3600, unit: 'hours' },
      escalationInterval: { amount: 1, unit: 'hours' },
      reminderAt: [0.5],
    });
    // The reference cache holds policies for a minute; a fresh service reads the new version.
    await service.stop();
    service = await build();
    await service.start();

    const { referralId } = await request('urgent');
    const planned = await eventually(async () => {
      const { referral } = await service.commands.view(referralId);
      expect(referral.acceptBy).toBeDefined();
      return referral;
    });
    expect(planned.policy).toEqual({ id: 'health.urgent', version: 2 });

    await service.stop(); // no worker: the deadline passes unattended
    const wait = Date.parse(planned.acceptBy!) - Date.now() + 1500;
    await new Promise((r) => setTimeout(r, Math.max(0, wait)));
    service = await build();
    await service.start();

    const escalated = await eventually(() => {
      const found = tap.events.filter(
        (e) => e.event.data.referralId === referralId && e.event.type === 'referral.escalated.v1',
      );
      expect(found).toHaveLength(1);
      return found[0]!;
    }, 30_000);
    expect(escalated.event.data).toMatchObject({ level: 1, reason: 'NOT_ACCEPTED', responsibleUnitCode: commune });
    expect(escalated.event.data.at).toBe(planned.acceptBy);
    await new Promise((r) => setTimeout(r, 2000));
    const { history } = await service.commands.view(referralId);
    expect(history.filter((h) => h.action === 'ESCALATED')).toHaveLength(1);
    expect(
      tap.events.filter((e) => e.event.data.referralId === referralId && e.event.type === 'referral.escalated.v1'),
    ).toHaveLength(1);
  });
});
