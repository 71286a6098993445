import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import mongoose, { type Connection } from 'mongoose';
import type { IntakeService } from '../../services/intake/src/intake-service';
import { referralIdFor } from '../../services/intake/src/routes/referral-routes';
import { buildIdentityService, type IdentityService } from '../../services/identity/src/identity-service';
import { loadIdentityConfig } from '../../services/identity/src/config';
import { buildReferralsService, type ReferralsService } from '../../services/referrals/src/referrals-service';
import { loadReferralsConfig } from '../../services/referrals/src/config';
import { Client, Connection as TemporalConnection } from '@temporalio/client';
import { Topics } from '@ecd/contracts';
import { createKafkaClient } from '@ecd/messaging';
import { EventTap } from '../support/event-tap';
import { signIn } from '../support/sign-in';
import { startIntake, staffCalls } from '../support/stack';
import { databaseUrl, eventually, infra, testLogger, uniqueName, identityDatabase } from '../support/infra';

interface CaseReferralView {
  referralId: string;
  sector: string;
  facilityId: string;
  state: string;
  acceptBy?: string;
  completeBy?: string;
  escalationLevel: number;
  serviceRecordId?: string;
}

/**
 * Referrals from a case: intake starts the referral workflow (real Temporal), and follows the
 * referral's state, deadlines and escalation from the referral events on Kafka.
 */
describe('intake: referrals from a case', () => {
  const ISSUER = 'http://identity.test';
  const taskQueue = uniqueName('referrals');
  const intakeDb = databaseUrl(infra().mongoUrl, uniqueName('intake'));
  let identity: IdentityService;
  let referrals: ReferralsService;
  let intake: IntakeService;
  let database: Connection;
  let yty: string; // canbo.yty, 02704
  let batxat: string; // canbo.batxat, 02701

  beforeAll(async () => {
    const { kafkaBrokers, temporalAddress, mongoUrl } = infra();
    identity = await buildIdentityService(
      loadIdentityConfig({ PORT: '0', MONGO_URL: identityDatabase(), ISSUER }),
      testLogger('identity'),
    );
    await identity.start();
    const identityUrl = await identity.app.listen({ host: '127.0.0.1', port: 0 });
    referrals = await buildReferralsService(
      loadReferralsConfig({
        MONGO_URL: databaseUrl(mongoUrl, uniqueName('referrals')),
        KAFKA_BROKERS: kafkaBrokers,
        TEMPORAL_ADDRESS: temporalAddress,
        TEMPORAL_TASK_QUEUE: taskQueue,
        KAFKA_GROUP_ID: uniqueName('referrals'),
      }),
      testLogger('referrals'),
    );
    await referrals.start();
    ({ intake } = await startIntake(identityUrl, { MONGO_URL: intakeDb, TEMPORAL_TASK_QUEUE: taskQueue }));
    database = await mongoose.createConnection(intakeDb).asPromise();
    [yty, batxat] = await Promise.all([
      signIn(identityUrl, 'canbo.yty', 'yty-intake-01'),
      signIn(identityUrl, 'canbo.batxat', 'batxat-intake-01'),
    ]);
  });

  afterAll(async () => {
    await intake?.stop();
    await referrals?.stop();
    await identity?.stop();
    await database?.close();
  });

  const call = (...args: Parameters<ReturnType<typeof staffCalls>>) => staffCalls(intake.app)(...args);

  const referral = {
    sector: 'health',
    urgency: 'routine',
    facilityId: 'TYT-02704',
    reason: 'Measles vaccination overdue (9 months)',
  };

  async function openCase(): Promise<string> {
    const response = await call('POST', '/cases', yty, {
      child: { fullName: 'Sùng Thị Mỷ', dateOfBirth: '2025-10-01', sex: 'female', communeCode: '02704' },
      concerns: ['health'],
    });
    expect(response.statusCode).toBe(201);
    const { _id, childId } = response.json() as { _id: string; childId: string };
    const consent = await call('POST', `/children/${childId}/consents`, yty, {
      givenBy: { name: 'Sùng A Páo', relationship: 'parent' },
      sharingWith: ['health', 'nutrition'],
      givenOn: '2026-01-05',
    });
    expect(consent.statusCode, consent.body).toBe(201);
    return _id;
  }

  it('the same request twice is one referral; its state and deadlines show on the case, and follow the workflow', async () => {
    const caseId = await openCase();
    const key = uniqueName('ref');
    const first = await call('POST', `/cases/${caseId}/referrals`, yty, referral, key);
    expect(first.statusCode, first.body).toBe(201);
    const { referralId } = first.json() as { referralId: string };
    expect(referralId).toBe(referralIdFor(caseId, key));
    const again = await call('POST', `/cases/${caseId}/referrals`, yty, referral, key);
    expect(again.statusCode).toBe(200);
    expect(again.json()).toMatchObject({ referralId, created: false });
    const reused = await call('POST', `/cases/${caseId}/referrals`, yty, { ...referral, sector: 'nutrition' }, key);
    expect(reused.statusCode).toBe(409);
    expect(reused.json().message).toMatch(/Idempotency-Key/);

    // The workflow knows where it comes from and who asked.
    const { referral: view, history } = await referrals.commands.view(referralId);
    expect(view).toMatchObject({ caseId, fromUnitCode: '02704', facilityId: 'TYT-02704', state: 'REQUESTED' });
    expect(history[0]?.by).toMatchObject({ role: 'intake-staff', unitCode: '02704' });

    const requested = await eventually(async () => {
      const read = (await call('GET', `/cases/${caseId}`, yty)).json() as {
        status: string;
        referrals: CaseReferralView[];
        timeline: { kind: string }[];
      };
      expect(read.referrals).toHaveLength(1);
      expect(read.status).toBe('REFERRED');
      return read;
    });
    expect(requested.status).toBe('REFERRED');
    expect(requested.referrals[0]).toMatchObject({
      referralId,
      sector: 'health',
      facilityId: 'TYT-02704',
      state: 'REQUESTED',
      escalationLevel: 0,
    });
    expect(requested.referrals[0]!.acceptBy).toBe(view.acceptBy);
    expect(requested.timeline.map((t) => t.kind)).toContain('referral.requested');

    await referrals.commands.accept(referralId, {
      userId: 'yte.yty',
      role: 'health-staff',
      facilityId: 'TYT-02704',
    });
    const accepted = await eventually(async () => {
      const read = (await call('GET', `/cases/${caseId}`, yty)).json() as { referrals: CaseReferralView[] };
      expect(read.referrals[0]?.state).toBe('ACCEPTED');
      return read.referrals[0]!;
    });
    expect(accepted.completeBy).toBeDefined();
    expect(accepted.acceptBy).toBe(view.acceptBy);

    // Another commune sees neither the case nor its referrals, and cannot refer from it.
    expect((await call('GET', `/cases/${caseId}`, batxat)).statusCode).toBe(404);
    expect((await call('POST', `/cases/${caseId}/referrals`, batxat, referral, uniqueName('ref'))).statusCode).toBe(
      404,
    );
    expect(await database.collection('case_referrals').countDocuments({ caseId })).toBe(1);
  });

  it('a redelivered or stale referral event changes nothing', async () => {
    const caseId = await openCase();
    const { referralId } = (
      await call('POST', `/cases/${caseId}/referrals`, yty, referral, uniqueName('ref'))
    ).json() as { referralId: string };
    await eventually(async () => {
      const read = (await call('GET', `/cases/${caseId}`, yty)).json() as { referrals: CaseReferralView[] };
      expect(read.referrals).toHaveLength(1);
    });
    await referrals.commands.accept(referralId, { userId: 'yte.yty', role: 'health-staff', facilityId: 'TYT-02704' });
    const before = await eventually(async () => {
      const stored = await database.collection('case_referrals').findOne({ _id: referralId as never });
      expect(stored?.state).toBe('ACCEPTED');
      return stored!;
    });
    // Replaying the first event (sequence 1) directly: the read model keeps ACCEPTED, the timeline no duplicate.
    const { CaseReferralRepository, createCaseReferralModel } =
      await import('../../services/intake/src/repositories/case-referral-repository');
    const repo = new CaseReferralRepository(createCaseReferralModel(database));
    const applied = await repo.apply({
      specversion: '1.0',
      id: `${referralId}:1`,
      type: 'referral.requested.v1',
      source: '/test',
      time: new Date().toISOString(),
      data: {
        referralId,
        caseId,
        sector: 'health',
        urgency: 'routine',
        facilityId: 'TYT-02704',
        fromUnitCode: '02704',
        state: 'REQUESTED',
        at: new Date().toISOString(),
      },
    } as never);
    expect(applied).toBe(false);
    const stored = await database.collection('case_referrals').findOne({ _id: referralId as never });
    expect(stored).toEqual(before);
    expect(before.lastSeq).toBeGreaterThan(1);
  });

  it('a redelivered referral event adds no second timeline entry (found by the fault drill)', async () => {
    // FerretDB v1 matches {'timeline.id': {$ne: id}} even when an entry has that id, so a
    // redelivery after a crash used to put the same event on the case twice.
    const caseId = await openCase();
    // This test writes through its own connection: first let intake finish its own writes to the
    // case (relay, screening schedule), since FerretDB loses concurrent updates across connections (0006).
    await eventually(async () => {
      const settled = await database.collection('cases').findOne({ _id: caseId as never });
      expect(settled?.outboxPending).toBe(0);
      expect(settled?.timeline.map((t: { kind: string }) => t.kind)).toContain('case.screening_scheduled');
    });
    const { CaseRepository, createCaseModel } = await import('../../services/intake/src/repositories/case-repository');
    const cases = new CaseRepository(createCaseModel(database));
    const entry = { id: `${caseId}-ref:1`, at: new Date().toISOString(), kind: 'referral.requested', summary: 'x' };
    expect(await cases.recordEvent(caseId, entry, { status: 'REFERRED' })).toBe(true);
    expect(await cases.recordEvent(caseId, entry, { status: 'REFERRED' })).toBe(false);
    expect(await cases.recordEvent(caseId, { ...entry, id: `${caseId}-ref:2` })).toBe(true);
    const stored = await database.collection('cases').findOne({ _id: caseId as never });
    expect(stored!.timeline.filter((t: { id: string }) => t.id === entry.id)).toHaveLength(1);
    expect(stored!.timeline.filter((t: { id: string }) => t.id === `${caseId}-ref:2`)).toHaveLength(1);
    const view = (await call('GET', `/cases/${caseId}`, yty)).json() as Record<string, unknown>;
    expect(view.timelineIds).toBeUndefined();
  });

  it('screening the case ends its screening deadline; closing waits for open referrals, then says why on Kafka', async () => {
    const caseId = await openCase();
    const tap = new EventTap(
      createKafkaClient({ clientId: 'tap', brokers: infra().kafkaBrokers.split(','), logger: testLogger('tap') }),
      [Topics.cases],
    );
    await tap.start();
    try {
      const screening = await call('POST', `/cases/${caseId}/screenings`, yty, {
        child: { birthRegistered: true },
        measurements: {
          date: new Date(Date.now() + 7 * 3_600_000).toISOString().slice(0, 10),
          weightKg: 7.5,
          lengthCm: 66,
        },
      });
      expect(screening.statusCode, screening.body).toBe(201);
      // The CaseScreeningWorkflow hears case.screened and stops: no "screening overdue" for this case.
      const connection = await TemporalConnection.connect({ address: infra().temporalAddress });
      const outcome = await new Client({ connection }).workflow.getHandle(`case-screening:${caseId}`).result();
      await connection.close();
      expect(outcome).toBe('SCREENED');

      const { referralId } = (
        await call('POST', `/cases/${caseId}/referrals`, yty, referral, uniqueName('ref'))
      ).json() as { referralId: string };
      await eventually(async () => {
        const read = (await call('GET', `/cases/${caseId}`, yty)).json() as { referrals: CaseReferralView[] };
        expect(read.referrals).toHaveLength(1);
      });
      const tooEarly = await call('POST', `/cases/${caseId}/close`, yty, { reason: 'services-received' });
      expect(tooEarly.statusCode).toBe(409);
      expect(tooEarly.json().message).toMatch(/open referral/);
      expect(tooEarly.json().problems).toEqual([{ field: `referrals.${referralId}`, problem: 'is still REQUESTED' }]);

      // Another commune cannot withdraw it; a bad body names the field; the family declining can.
      expect(
        (await call('POST', `/cases/${caseId}/referrals/${referralId}/withdraw`, batxat, { reason: 'not mine' }))
          .statusCode,
      ).toBe(404);
      const noReason = await call('POST', `/cases/${caseId}/referrals/${referralId}/withdraw`, yty, { reason: '' });
      expect(noReason.statusCode).toBe(400);
      // Too short and saying nothing: both rules of the one field are named.
      expect(new Set(noReason.json().problems.map((p: { field: string }) => p.field))).toEqual(new Set(['reason']));
      const withdrawn = await call('POST', `/cases/${caseId}/referrals/${referralId}/withdraw`, yty, {
        reason: 'The family will take the child to the district hospital themselves',
      });
      expect(withdrawn.statusCode, withdrawn.body).toBe(200);
      expect(withdrawn.json()).toEqual({ referralId, state: 'WITHDRAWN' });
      await eventually(async () => {
        const read = (await call('GET', `/cases/${caseId}`, yty)).json() as { referrals: CaseReferralView[] };
        expect(read.referrals[0]?.state).toBe('WITHDRAWN');
      });

      expect((await call('POST', `/cases/${caseId}/close`, batxat, { reason: 'other' })).statusCode).toBe(404);
      const badReason = await call('POST', `/cases/${caseId}/close`, yty, { reason: 'bored' });
      expect(badReason.statusCode).toBe(400);
      expect(badReason.json().problems.map((p: { field: string }) => p.field)).toEqual(['reason']);
      const closed = await call('POST', `/cases/${caseId}/close`, yty, {
        reason: 'family-declined',
        note: 'Moved care',
      });
      expect(closed.statusCode, closed.body).toBe(200);
      expect(closed.json()).toMatchObject({
        status: 'CLOSED',
        closure: { reason: 'family-declined', note: 'Moved care' },
      });
      expect((await call('POST', `/cases/${caseId}/close`, yty, { reason: 'other' })).statusCode).toBe(409);
      expect(
        (await call('POST', `/cases/${caseId}/referrals`, yty, referral, uniqueName('ref'))).json().message,
      ).toMatch(/closed/);
      const events = await eventually(() => {
        expect(tap.of(caseId, 'case.closed.v1')).toHaveLength(1);
        return tap.of(caseId).map((t) => t.event);
      });
      expect(events.map((e) => e.type)).toEqual(expect.arrayContaining(['case.screened.v1', 'case.closed.v1']));
      expect(events.find((e) => e.type === 'case.closed.v1')?.data).toMatchObject({
        caseId,
        reason: 'family-declined',
      });
      expect(JSON.stringify(events)).not.toContain('Sùng Thị Mỷ');
    } finally {
      await tap.stop();
    }
  });

  it('POST /cases/:caseId/referrals needs an Idempotency-Key and a valid body', async () => {
    const caseId = await openCase();
    const noKey = await call('POST', `/cases/${caseId}/referrals`, yty, referral);
    expect(noKey.statusCode).toBe(400);
    expect(noKey.json().problems.map((p: { field: string }) => p.field)).toContain('idempotency-key');
    const bad = await call(
      'POST',
      `/cases/${caseId}/referrals`,
      yty,
      { ...referral, sector: 'astrology' },
      'key-12345678',
    );
    expect(bad.statusCode).toBe(400);
    expect(bad.json().problems.map((p: { field: string }) => p.field)).toContain('sector');
  });
});
