import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import mongoose, { type Connection } from 'mongoose';
import type { IdentityService } from '../../services/identity/src/identity-service';
import type { IntakeService } from '../../services/intake/src/intake-service';
import type { ReferralsService } from '../../services/referrals/src/referrals-service';
import { referralIdFor } from '../../services/intake/src/routes/referral-routes';
import { signIn } from '../support/sign-in';
import { startIdentity, startIntake, startReferrals, staffCalls } from '../support/stack';
import { uniqueName } from '../support/infra';

type Problem = { field: string; problem: string };

/**
 * Consent to share a child's data (PDP Law 91/2025, Decree 356/2025): recorded by intake, with the
 * child's assent from 7; referrals need a consent in force naming the sector; a withdrawal stops them.
 */
describe('intake: consent to share a child’s data', () => {
  const taskQueue = uniqueName('referrals');
  let identity: IdentityService;
  let referrals: ReferralsService;
  let intake: IntakeService;
  let database: Connection;
  let yty: string; // intake staff, commune 02704
  let batxat: string; // intake staff, commune 02701
  let nurse: string; // health station TYT-02704

  beforeAll(async () => {
    const started = await startIdentity();
    identity = started.identity;
    referrals = await startReferrals(taskQueue);
    const intakeStarted = await startIntake(started.url, { TEMPORAL_TASK_QUEUE: taskQueue });
    intake = intakeStarted.intake;
    database = await mongoose.createConnection(intakeStarted.databaseUrl).asPromise();
    [yty, batxat, nurse] = await Promise.all([
      signIn(started.url, 'canbo.yty', 'yty-intake-01'),
      signIn(started.url, 'canbo.batxat', 'batxat-intake-01'),
      signIn(started.url, 'yte.yty', 'yty-health-01'),
    ]);
  });

  afterAll(async () => {
    await intake?.stop();
    await referrals?.stop();
    await identity?.stop();
    await database?.close();
  });

  const call = (...args: Parameters<ReturnType<typeof staffCalls>>) => staffCalls(intake.app)(...args);

  const isoDaysAgo = (days: number) =>
    new Date(Date.now() + 7 * 3_600_000 - days * 86_400_000).toISOString().slice(0, 10);

  async function registerChild(dateOfBirth: string): Promise<string> {
    const response = await call('POST', '/children', yty, {
      fullName: `Lò Văn ${uniqueName('Phong').replace(/[_0-9]/g, '')}`,
      dateOfBirth,
      sex: 'male',
      ethnicityCode: '03',
      communeCode: '02704',
      caregivers: [{ name: 'Lò Thị Mai', relationship: 'mother' }],
      birthRegistered: true,
      confirmedNotDuplicate: true,
    });
    expect(response.statusCode, response.body).toBe(201);
    return (response.json() as { _id: string })._id;
  }

  async function openCase(childId: string): Promise<string> {
    const response = await call('POST', '/cases', yty, { childId, concerns: ['health', 'education'] });
    expect(response.statusCode, response.body).toBe(201);
    return (response.json() as { _id: string })._id;
  }

  const consent = (overrides: Record<string, unknown> = {}) => ({
    givenBy: { name: 'Lò Thị Mai', relationship: 'parent' },
    sharingWith: ['health'],
    givenOn: isoDaysAgo(1),
    ...overrides,
  });
  const healthReferral = {
    sector: 'health',
    urgency: 'routine',
    facilityId: 'TYT-02704',
    reason: 'Catch-up vaccination',
  };
  const preschoolReferral = {
    sector: 'education',
    urgency: 'routine',
    facilityId: 'MN-02704',
    reason: 'Preschool enrolment at 4 years',
  };

  it('a referral needs a consent in force naming its sector; a withdrawal stops further referrals', async () => {
    const childId = await registerChild(isoDaysAgo(4 * 365));
    const caseId = await openCase(childId);

    // No consent yet: nothing is shared, and the answer says what to do.
    const refused = await call('POST', `/cases/${caseId}/referrals`, yty, healthReferral, uniqueName('ref'));
    expect(refused.statusCode).toBe(409);
    expect(refused.json().message).toMatch(/consent/);
    expect(refused.json().problems).toEqual([expect.objectContaining({ field: 'sector' })]);

    const recorded = await call('POST', `/children/${childId}/consents`, yty, consent());
    expect(recorded.statusCode, recorded.body).toBe(201);
    const { _id: consentId } = recorded.json() as { _id: string };
    expect(recorded.json()).toMatchObject({
      childId,
      sharingWith: ['health'],
      inForce: true,
      recordedBy: expect.any(String),
    });

    const health = await call('POST', `/cases/${caseId}/referrals`, yty, healthReferral, uniqueName('ref'));
    expect(health.statusCode, health.body).toBe(201);
    // The consent names health only: the preschool gets nothing.
    const preschoolKey = uniqueName('ref');
    const preschool = await call('POST', `/cases/${caseId}/referrals`, yty, preschoolReferral, preschoolKey);
    expect(preschool.statusCode).toBe(409);
    expect(preschool.json().message).toMatch(/education/);

    const withdrawn = await call('POST', `/children/${childId}/consents/${consentId}/withdraw`, yty, {
      withdrawnBy: { name: 'Lò Thị Mai', relationship: 'parent' },
      withdrawnOn: isoDaysAgo(0),
      reason: 'The family moved to another province',
    });
    expect(withdrawn.statusCode, withdrawn.body).toBe(200);
    expect(withdrawn.json()).toMatchObject({
      inForce: false,
      withdrawal: { reason: 'The family moved to another province' },
    });

    const afterWithdrawal = await call('POST', `/cases/${caseId}/referrals`, yty, healthReferral, uniqueName('ref'));
    expect(afterWithdrawal.statusCode).toBe(409);
    const again = await call('POST', `/children/${childId}/consents/${consentId}/withdraw`, yty, {
      withdrawnBy: { name: 'Lò Thị Mai', relationship: 'parent' },
      withdrawnOn: isoDaysAgo(0),
      reason: 'twice',
    });
    expect(again.statusCode).toBe(409);

    const list = (await call('GET', `/children/${childId}/consents`, yty)).json() as { inForce: boolean }[];
    expect(list.map((c) => c.inForce)).toEqual([false]);
    // Refused referrals started no workflow: nothing reached the preschool.
    await expect(referrals.commands.view(referralIdFor(caseId, preschoolKey))).rejects.toThrow(/not found/i);
  });

  it('from the 7th birthday the child must agree too', async () => {
    const childId = await registerChild(isoDaysAgo(7 * 365 + 30));
    const withoutAssent = await call('POST', `/children/${childId}/consents`, yty, consent());
    expect(withoutAssent.statusCode).toBe(422);
    expect(withoutAssent.json().problems).toEqual([expect.objectContaining({ field: 'childAssent' })]);
    const withAssent = await call('POST', `/children/${childId}/consents`, yty, consent({ childAssent: true }));
    expect(withAssent.statusCode, withAssent.body).toBe(201);
    // A six-year-old needs no assent.
    const younger = await registerChild(isoDaysAgo(6 * 365));
    expect((await call('POST', `/children/${younger}/consents`, yty, consent())).statusCode).toBe(201);
  });

  it('the same consent sent twice with one Idempotency-Key is one record; another body with it is 409', async () => {
    const childId = await registerChild(isoDaysAgo(900));
    const key = uniqueName('consent');
    const first = await call('POST', `/children/${childId}/consents`, yty, consent(), key);
    const second = await call('POST', `/children/${childId}/consents`, yty, consent(), key);
    expect([first.statusCode, second.statusCode]).toEqual([201, 200]);
    expect(second.json()._id).toBe(first.json()._id);
    const different = await call(
      'POST',
      `/children/${childId}/consents`,
      yty,
      consent({ sharingWith: ['education'] }),
      key,
    );
    expect(different.statusCode).toBe(409);
    expect(await database.collection('consents').countDocuments({ childId })).toBe(1);
  });

  it('bad consent input → 4xx naming the field and the problem; nothing stored', async () => {
    const childId = await registerChild(isoDaysAgo(1000));
    const cases: [unknown, string, number][] = [
      [{ ...consent(), givenBy: undefined }, 'givenBy', 400],
      [consent({ givenBy: { name: 'Lò Thị Mai', relationship: 'neighbour' } }), 'givenBy.relationship', 400],
      [consent({ sharingWith: [] }), 'sharingWith', 400],
      [consent({ sharingWith: ['astrology'] }), 'sharingWith.0', 400],
      [consent({ sharingWith: ['health', 'health'] }), 'sharingWith', 400],
      [consent({ givenOn: '2026-02-30' }), 'givenOn', 400],
      [consent({ givenOn: '2099-01-01' }), 'givenOn', 400],
      [consent({ givenOn: '2010-01-01' }), 'givenOn', 400],
      [consent({ childAssent: 'yes' }), 'childAssent', 400],
      [consent({ sharedSecret: 'x' }), 'sharedSecret', 400],
      [consent({ givenBy: { name: { $gt: '' }, relationship: 'parent' } }), 'givenBy.name', 400],
    ];
    for (const [body, field, status] of cases) {
      const response = await call('POST', `/children/${childId}/consents`, yty, body);
      expect(response.statusCode, `${field}: ${response.body}`).toBe(status);
      const problems = (response.json() as { problems: Problem[] }).problems;
      expect(
        problems.map((p) => p.field),
        response.body,
      ).toContain(field);
      expect(problems.every((p) => p.problem.length > 3)).toBe(true);
    }
    const noBody = await call('POST', `/children/${childId}/consents/${crypto.randomUUID()}/withdraw`, yty, {
      withdrawnOn: isoDaysAgo(0),
      reason: 'x',
    });
    expect(noBody.statusCode).toBe(400);
    expect(noBody.json().problems.map((p: Problem) => p.field)).toEqual(
      expect.arrayContaining(['withdrawnBy', 'reason']),
    );
    expect(await database.collection('consents').countDocuments({ childId })).toBe(0);
  });

  it('another commune, or a health station, can neither read nor record a child’s consents', async () => {
    const childId = await registerChild(isoDaysAgo(800));
    expect((await call('POST', `/children/${childId}/consents`, yty, consent())).statusCode).toBe(201);
    expect((await call('GET', `/children/${childId}/consents`, batxat)).statusCode).toBe(404);
    expect((await call('POST', `/children/${childId}/consents`, batxat, consent())).statusCode).toBe(404);
    expect((await call('GET', `/children/${childId}/consents`, nurse)).statusCode).toBe(403);
    expect((await call('POST', `/children/${childId}/consents`, nurse, consent())).statusCode).toBe(403);
    expect(await database.collection('consents').countDocuments({ childId })).toBe(1);
  });
});
