import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { randomUUID } from 'node:crypto';
import mongoose, { type Connection } from 'mongoose';
import type { FacilityService } from '@ecd/facility-inbox';
import type { IdentityService } from '../../services/identity/src/identity-service';
import type { ReferralsService } from '../../services/referrals/src/referrals-service';
import { buildHealthService } from '../../services/health/src/health-service';
import { loadHealthConfig } from '../../services/health/src/config';
import { signIn } from '../support/sign-in';
import { TEST_ISSUER, startIdentity, startReferrals } from '../support/stack';
import { databaseUrl, eventually, infra, testLogger, uniqueName } from '../support/infra';

/**
 * A health station's inbox over HTTP: real sign-in (OIDC code + PKCE), the referral workflow on
 * the dev server, the inbox read model fed by Kafka, service records in the health database.
 */
describe('health station inbox', () => {
  const taskQueue = uniqueName('referrals');
  const healthDb = databaseUrl(infra().mongoUrl, uniqueName('health'));
  let identity: IdentityService;
  let referrals: ReferralsService;
  let health: FacilityService;
  let database: Connection;
  let nurse: string; // yte.yty, TYT-02704
  let otherNurse: string; // yte.batxat, TYT-02701
  let intake: string; // canbo.yty

  beforeAll(async () => {
    const { kafkaBrokers, temporalAddress } = infra();
    let identityUrl: string;
    ({ identity, url: identityUrl } = await startIdentity());
    referrals = await startReferrals(taskQueue);
    health = await buildHealthService(
      loadHealthConfig({
        MONGO_URL: healthDb,
        KAFKA_BROKERS: kafkaBrokers,
        KAFKA_GROUP_ID: uniqueName('health'),
        TEMPORAL_ADDRESS: temporalAddress,
        TEMPORAL_TASK_QUEUE: taskQueue,
        OIDC_ISSUER: TEST_ISSUER,
        OIDC_JWKS_URL: `${identityUrl}/jwks`,
      }),
      testLogger('health'),
    );
    await health.start();
    database = await mongoose.createConnection(healthDb).asPromise();
    [nurse, otherNurse, intake] = await Promise.all([
      signIn(identityUrl, 'yte.yty', 'yty-health-01'),
      signIn(identityUrl, 'yte.batxat', 'batxat-health-01'),
      signIn(identityUrl, 'canbo.yty', 'yty-intake-01'),
    ]);
  });

  afterAll(async () => {
    await health?.stop();
    await referrals?.stop();
    await identity?.stop();
    await database?.close();
  });

  const call = (method: 'GET' | 'POST', url: string, token?: string, body?: unknown) =>
    health.app.inject({
      method,
      url,
      headers: {
        ...(token ? { authorization: `Bearer ${token}` } : {}),
        ...(body ? { 'content-type': 'application/json' } : {}),
      },
      ...(body ? { payload: JSON.stringify(body) } : {}),
    });

  async function referToYTy(): Promise<string> {
    const { referralId } = await referrals.commands.request({
      caseId: randomUUID(),
      childId: randomUUID(),
      sector: 'health',
      urgency: 'routine',
      facilityId: 'TYT-02704',
      fromUnitCode: '02704',
      reason: 'Measles vaccination overdue (9 months)',
      requestedBy: { userId: 'canbo.yty', role: 'intake-staff', unitCode: '02704' },
      requestedAt: new Date().toISOString(),
    });
    // A new consumer group first reads every referral other tests left on the shared topic.
    await eventually(async () => {
      const inbox = await call('GET', '/inbox', nurse);
      expect(inbox.statusCode).toBe(200);
      expect(inbox.json().map((i: { _id: string }) => i._id)).toContain(referralId);
    }, 120_000);
    return referralId;
  }

  it('the referral reaches its facility’s inbox, and only that one', { timeout: 180_000 }, async () => {
    const id = await referToYTy();
    const item = (await call('GET', `/inbox/${id}`, nurse)).json();
    expect(item).toMatchObject({ state: 'REQUESTED', facilityId: 'TYT-02704', escalationLevel: 0 });
    expect(item.dueAt).toBe(item.acceptBy);
    const elsewhere = await call('GET', '/inbox', otherNurse);
    expect(elsewhere.json().map((i: { _id: string }) => i._id)).not.toContain(id);
    expect((await call('GET', `/inbox/${id}`, otherNurse)).statusCode).toBe(404);
    expect((await call('POST', `/inbox/${id}/accept`, otherNurse)).statusCode).toBe(403);
  });

  it('refuses callers without a token (401) or with another role (403)', async () => {
    const none = await call('GET', '/inbox');
    expect(none.statusCode).toBe(401);
    expect(none.json().message).toMatch(/missing bearer token/);
    const wrongRole = await call('GET', '/inbox', intake);
    expect(wrongRole.statusCode).toBe(403);
    expect(wrongRole.json().message).toMatch(/role 'intake-staff' may not do this/);
  });

  it('accept, then complete with a service record: the loop closes; a second accept is refused with the reason', async () => {
    const id = await referToYTy();
    const accepted = await call('POST', `/inbox/${id}/accept`, nurse);
    expect(accepted.statusCode).toBe(200);
    expect(accepted.json()).toMatchObject({ state: 'ACCEPTED' });
    const again = await call('POST', `/inbox/${id}/accept`, nurse);
    expect(again.statusCode).toBe(409);
    expect(again.json().message).toBe('cannot accept: the referral is accepted');

    const bad = await call('POST', `/inbox/${id}/complete`, nurse, {
      kind: 'astrology',
      date: '2026-11-22',
      summary: 'x',
    });
    expect(bad.statusCode).toBe(400);
    expect(bad.json().problems.map((p: { field: string }) => p.field)).toEqual(
      expect.arrayContaining(['kind', 'summary']),
    );
    expect(await database.collection('service_records').countDocuments({ referralId: id })).toBe(0);

    const done = await call('POST', `/inbox/${id}/complete`, nurse, {
      kind: 'vaccination',
      date: '2026-11-22',
      summary: 'MR vaccine, dose 1',
      details: { vaccine: 'MR', dose: 1 },
    });
    expect(done.statusCode).toBe(200);
    expect(done.json()).toMatchObject({ state: 'COMPLETED', outcome: { serviceRecordId: `${id}-record` } });
    const record = await call('GET', `/service-records/${id}-record`, nurse);
    expect(record.json()).toMatchObject({ status: 'final', kind: 'vaccination', recordedBy: expect.any(String) });
    await eventually(async () =>
      expect((await call('GET', `/inbox/${id}`, nurse)).json()).toMatchObject({
        state: 'COMPLETED',
        serviceRecordId: `${id}-record`,
      }),
    );
  });

  it('a completion the workflow refuses (withdrawn referral) leaves no service record behind', async () => {
    const id = await referToYTy();
    await referrals.commands.withdraw(
      id,
      { userId: 'canbo.yty', role: 'intake-staff', unitCode: '02704' },
      'moved away',
    );
    const refused = await call('POST', `/inbox/${id}/complete`, nurse, {
      kind: 'vaccination',
      date: '2026-11-22',
      summary: 'MR vaccine, dose 1',
    });
    expect(refused.statusCode).toBe(409);
    expect(refused.json().message).toBe('cannot complete: the referral is withdrawn');
    expect(await database.collection('service_records').countDocuments({ referralId: id })).toBe(0);
  });

  it('decline needs a reason, naming the field', async () => {
    const id = await referToYTy();
    const missing = await call('POST', `/inbox/${id}/decline`, nurse, {});
    expect(missing.statusCode).toBe(400);
    expect(missing.json().problems[0]).toMatchObject({ field: 'reason', problem: 'is required' });
    const declined = await call('POST', `/inbox/${id}/decline`, nurse, {
      reason: 'No MR vaccine in stock until December',
    });
    expect(declined.json()).toMatchObject({ state: 'DECLINED' });
  });
});
