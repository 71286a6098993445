import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { randomUUID } from 'node:crypto';
import type { FacilityService } from '@ecd/facility-inbox';
import type { IdentityService } from '../../services/identity/src/identity-service';
import type { ReferralsService } from '../../services/referrals/src/referrals-service';
import { buildEducationService } from '../../services/education/src/education-service';
import { loadEducationConfig } from '../../services/education/src/config';
import { signIn } from '../support/sign-in';
import { TEST_ISSUER, startIdentity, startReferrals } from '../support/stack';
import { databaseUrl, eventually, infra, testLogger, uniqueName } from '../support/infra';

/** A preschool's inbox: education referrals, enrolment records, education roles only. */
describe('preschool inbox', () => {
  const taskQueue = uniqueName('referrals');
  let identity: IdentityService;
  let referrals: ReferralsService;
  let education: FacilityService;
  let teacher: string; // giaovien.yty, MN-02704
  let nurse: string; // yte.yty, a health role

  beforeAll(async () => {
    const { kafkaBrokers, temporalAddress, mongoUrl } = infra();
    let identityUrl: string;
    ({ identity, url: identityUrl } = await startIdentity());
    referrals = await startReferrals(taskQueue);
    education = await buildEducationService(
      loadEducationConfig({
        MONGO_URL: databaseUrl(mongoUrl, uniqueName('education')),
        KAFKA_BROKERS: kafkaBrokers,
        KAFKA_GROUP_ID: uniqueName('education'),
        TEMPORAL_ADDRESS: temporalAddress,
        TEMPORAL_TASK_QUEUE: taskQueue,
        OIDC_ISSUER: TEST_ISSUER,
        OIDC_JWKS_URL: `${identityUrl}/jwks`,
      }),
      testLogger('education'),
    );
    await education.start();
    [teacher, nurse] = await Promise.all([
      signIn(identityUrl, 'giaovien.yty', 'yty-teacher-01'),
      signIn(identityUrl, 'yte.yty', 'yty-health-01'),
    ]);
  });

  afterAll(async () => {
    await education?.stop();
    await referrals?.stop();
    await identity?.stop();
  });

  const call = (method: 'GET' | 'POST', url: string, token: string, body?: unknown) =>
    education.app.inject({
      method,
      url,
      headers: { authorization: `Bearer ${token}`, ...(body ? { 'content-type': 'application/json' } : {}) },
      ...(body ? { payload: JSON.stringify(body) } : {}),
    });

  it(
    'a preschool enrolment referral: seen by the teacher, not by health staff, completed with an enrolment record',
    { timeout: 180_000 },
    async () => {
      const { referralId } = await referrals.commands.request({
        caseId: randomUUID(),
        childId: randomUUID(),
        sector: 'education',
        urgency: 'routine',
        facilityId: 'MN-02704',
        fromUnitCode: '02704',
        reason: 'Aged 4, not enrolled in preschool',
        requestedBy: { userId: 'canbo.yty', role: 'intake-staff', unitCode: '02704' },
        requestedAt: new Date().toISOString(),
      });
      const item = await eventually(async () => {
        const inbox = await call('GET', '/inbox?state=REQUESTED', teacher);
        expect(inbox.statusCode).toBe(200);
        const found = inbox.json().find((i: { _id: string }) => i._id === referralId);
        expect(found).toBeDefined();
        return found;
      }, 120_000); // a new consumer group first reads every referral other tests left on the shared topic
      // education/routine: accept within 5 working days
      expect(item).toMatchObject({ sector: 'education', facilityId: 'MN-02704', dueAt: item.acceptBy });
      expect((await call('GET', '/inbox', nurse)).statusCode).toBe(403);

      expect((await call('POST', `/inbox/${referralId}/accept`, teacher)).statusCode).toBe(200);
      const healthKind = await call('POST', `/inbox/${referralId}/complete`, teacher, {
        kind: 'vaccination',
        date: '2026-11-22',
        summary: 'wrong sector',
      });
      expect(healthKind.statusCode).toBe(400);
      expect(healthKind.json().problems[0].field).toBe('kind');
      const done = await call('POST', `/inbox/${referralId}/complete`, teacher, {
        kind: 'enrolment',
        date: '2026-11-23',
        summary: 'Enrolled in class Mầm 4 tuổi, from 1 December',
      });
      expect(done.json()).toMatchObject({ state: 'COMPLETED', outcome: { serviceRecordId: `${referralId}-record` } });
    },
  );
});
