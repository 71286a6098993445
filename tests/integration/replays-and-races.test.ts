import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { randomUUID } from 'node:crypto';
import mongoose, { type Connection as DatabaseConnection } from 'mongoose';
import { Client, Connection, WorkflowNotFoundError } from '@temporalio/client';
import type { FacilityService } from '@ecd/facility-inbox';
import { ReferralCommands } from '@ecd/referral-client';
import type { IdentityService } from '../../services/identity/src/identity-service';
import type { IntakeService } from '../../services/intake/src/intake-service';
import type { ProtectionService } from '../../services/protection/src/protection-service';
import type { ReferralsService } from '../../services/referrals/src/referrals-service';
import { buildHealthService } from '../../services/health/src/health-service';
import { loadHealthConfig } from '../../services/health/src/config';
import { buildProtectionService } from '../../services/protection/src/protection-service';
import { loadProtectionConfig } from '../../services/protection/src/config';
import { protectionCaseWorkflowId } from '../../services/protection/src/workflows/definitions';
import { signIn } from '../support/sign-in';
import { TEST_ISSUER, startIdentity, startIntake, startReferrals } from '../support/stack';
import { protectionWorkflowBundle, startProtection, testEncryptionKeys } from '../support/protection';
import { databaseUrl, eventually, infra, testLogger, uniqueName } from '../support/infra';

/**
 * Replays, double submits, crashes between the database and Temporal, and a stopped worker,
 * across the HTTP edge, the services' databases and the workflows on the real servers.
 */
const taskQueue = uniqueName('referrals');
let identity: IdentityService;
let identityUrl: string;
let referrals: ReferralsService;
let protection: ProtectionService;
let protectionDb: DatabaseConnection;
let intake: IntakeService;
let health: FacilityService;
let healthDb: DatabaseConnection;
let temporal: Connection;
let client: Client;
const tokens: Record<string, string> = {};

beforeAll(async () => {
  temporal = await Connection.connect({ address: infra().temporalAddress });
  client = new Client({ connection: temporal });
  ({ identity, url: identityUrl } = await startIdentity());
  referrals = await startReferrals(taskQueue);
  const protectionStarted = await startProtection(identityUrl, { TEMPORAL_REFERRALS_TASK_QUEUE: taskQueue });
  protection = protectionStarted.protection;
  protectionDb = await mongoose.createConnection(protectionStarted.databaseUrl).asPromise();
  ({ intake } = await startIntake(identityUrl, { TEMPORAL_TASK_QUEUE: taskQueue }));
  const { kafkaBrokers, temporalAddress, mongoUrl } = infra();
  const healthUrl = databaseUrl(mongoUrl, uniqueName('health'));
  health = await buildHealthService(
    loadHealthConfig({
      MONGO_URL: healthUrl,
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
  healthDb = await mongoose.createConnection(healthUrl).asPromise();
  const accounts: Record<string, [string, string]> = {
    officer: ['baove.yty', 'yty-protection-01'],
    nurse: ['yte.yty', 'yty-health-01'],
    intake: ['canbo.yty', 'yty-intake-01'],
  };
  for (const [name, [user, password]] of Object.entries(accounts))
    tokens[name] = await signIn(identityUrl, user, password);
}, 180_000);

afterAll(async () => {
  await healthDb?.close();
  await protectionDb?.close();
  await health?.stop();
  await intake?.stop();
  await protection?.stop();
  await referrals?.stop();
  await identity?.stop();
  await temporal?.close();
});

type Answer = { status: number; headers: Record<string, unknown>; body: Record<string, any> }; // eslint-disable-line @typescript-eslint/no-explicit-any

const caller =
  (app: ProtectionService['app']) =>
  async (method: 'GET' | 'POST', url: string, who: string, payload?: unknown, key?: string): Promise<Answer> => {
    const response = await app.inject({
      method,
      url,
      headers: { authorization: `Bearer ${tokens[who]}`, ...(key ? { 'idempotency-key': key } : {}) },
      ...(payload !== undefined ? { payload: payload as object } : {}),
    });
    return { status: response.statusCode, headers: response.headers, body: response.json() };
  };

/** Opens a case and waits until its workflow has set up its clocks (it refuses steps before). */
async function openCase(app: ProtectionService['app'], seriousRisk = false, key = `report-${randomUUID()}`) {
  const opened = await caller(app)('POST', '/protection-cases', 'officer', report(seriousRisk), key);
  expect(opened.status, JSON.stringify(opened.body)).toBe(201);
  const id = opened.body._id as string;
  await eventually(async () => {
    const { view } = await protection.commands.view(id);
    expect(view.clocks.map((c) => c.step)).toContain('PLAN');
  });
  return id;
}

const report = (seriousRisk = false) => ({
  source: 'school',
  seriousRisk,
  child: { fullName: 'Vàng Thị Súa', dateOfBirth: '2021-03-04', sex: 'female' },
  reporter: { name: 'Cô giáo Lò Thị Mai', relationship: 'teacher' },
  report: { description: 'Trẻ nghỉ học nhiều ngày' },
});

describe('replay after every terminal state answers with the final state', () => {
  it('a closed protection case: replaying its report answers CLOSED and does not start its workflow again', async () => {
    const call = caller(protection.app);
    const key = `report-${randomUUID()}`;
    const id = await openCase(protection.app, false, key);
    const assessed = await call('POST', `/protection-cases/${id}/risk-assessment`, 'officer', {
      seriousRisk: false,
      riskLevel: 'low',
      findings: 'Không có nguy cơ',
    });
    expect(assessed.status, JSON.stringify(assessed.body)).toBe(200);
    const closed = await call('POST', `/protection-cases/${id}/closure`, 'officer', {
      riskAtClosure: 'low',
      summary: 'Đóng hồ sơ',
    });
    expect(closed.body.stage).toBe('CLOSED');

    const replay = await call('POST', '/protection-cases', 'officer', report(), key);
    expect(replay.status, JSON.stringify(replay.body)).toBe(200);
    expect(replay.body).toMatchObject({ _id: id, stage: 'CLOSED' });
    // The workflow stays finished: no new run, the case is still closed, form 02 cannot be redone.
    await eventually(async () => {
      const description = await client.workflow.getHandle(protectionCaseWorkflowId(id)).describe();
      expect(description.status.name).toBe('COMPLETED');
    });
    expect((await protection.commands.view(id)).view.stage).toBe('CLOSED');
    const again = await call('POST', `/protection-cases/${id}/risk-assessment`, 'officer', {
      seriousRisk: true,
      riskLevel: 'high',
      findings: 'ghi đè',
    });
    expect(again.status).toBe(409);
  });

  it('a withdrawn, declined or completed referral: the same request answers created: false and the state stays', async () => {
    const call = caller(health.app);
    for (const end of ['WITHDRAWN', 'DECLINED', 'COMPLETED'] as const) {
      const request = {
        referralId: randomUUID(),
        caseId: randomUUID(),
        childId: randomUUID(),
        sector: 'health' as const,
        urgency: 'routine' as const,
        facilityId: 'TYT-02704',
        fromUnitCode: '02704',
        reason: 'Khám dinh dưỡng',
        requestedBy: { userId: 'canbo.yty', role: 'intake-staff', unitCode: '02704' },
        requestedAt: new Date().toISOString(),
      };
      const id = request.referralId;
      expect((await referrals.commands.request(request)).created).toBe(true);
      await eventually(async () => expect((await call('GET', `/inbox/${id}`, 'nurse')).status).toBe(200));
      if (end === 'WITHDRAWN') {
        await referrals.commands.withdraw(id, request.requestedBy, 'Gia đình chuyển đi');
      } else if (end === 'DECLINED') {
        expect((await call('POST', `/inbox/${id}/decline`, 'nurse', { reason: 'Hết vắc xin' })).status).toBe(200);
      } else {
        expect((await call('POST', `/inbox/${id}/accept`, 'nurse')).status).toBe(200);
        expect((await call('POST', `/inbox/${id}/start`, 'nurse')).status).toBe(200);
        const done = await call('POST', `/inbox/${id}/complete`, 'nurse', {
          kind: 'vaccination',
          date: new Date().toISOString().slice(0, 10),
          summary: 'Đã khám',
        });
        expect(done.status, JSON.stringify(done.body)).toBe(200);
      }
      await eventually(async () => expect((await referrals.commands.view(id)).referral.state).toBe(end));
      expect((await referrals.commands.request(request)).created, end).toBe(false);
      // A query of a closed workflow replays its history on a worker: under load it may answer
      // 503 (TemporalUnavailable) first, which `eventually` retries.
      await eventually(async () => expect((await referrals.commands.view(id)).referral.state, end).toBe(end));
    }
  });
});

describe('double submit of every state change', () => {
  it('each protection step sent twice at once is taken once; the case ends where one submit would leave it', async () => {
    const call = caller(protection.app);
    const id = await openCase(protection.app, true);
    const steps: [string, unknown][] = [
      ['risk-assessment', { seriousRisk: true, riskLevel: 'high', findings: 'Vết bầm' }],
      ['emergency-measures', { measure: 'safe-place', description: 'Ở với bà ngoại' }],
      ['case-meeting', { heldOn: '2026-11-20', participants: ['Trạm y tế'], detailedAssessment: 'x', minutes: 'y' }],
    ];
    for (const [path, body] of steps) {
      const answers = await Promise.all(
        [1, 2].map(() => call('POST', `/protection-cases/${id}/${path}`, 'officer', body)),
      );
      for (const answer of answers)
        expect([200, 409], `${path}: ${JSON.stringify(answer.body)}`).toContain(answer.status);
      expect(answers.some((a) => a.status === 200)).toBe(true);
    }
    const { view, history } = await protection.commands.view(id);
    expect(view.stage).toBe('MEETING_HELD');
    for (const action of ['RISK_ASSESSED', 'EMERGENCY_MEASURE_TAKEN', 'CASE_MEETING_HELD']) {
      expect(
        history.filter((h) => h.action === action),
        action,
      ).toHaveLength(1);
    }
    const stored = await protectionDb.collection('protection_cases').findOne({ _id: id as never });
    expect(stored!.stage).toBe('MEETING_HELD');
    expect(Object.keys(stored!.sealed)).toEqual(
      expect.arrayContaining(['riskAssessment', 'emergencyMeasure', 'caseMeeting']),
    );
    expect(await protectionDb.collection('protection_pending_steps').countDocuments({ caseId: id })).toBe(0);
  });

  it('a second completion of the same referral never deletes its service record', async () => {
    const call = caller(health.app);
    const { referralId: id } = await referrals.commands.request({
      caseId: randomUUID(),
      childId: randomUUID(),
      sector: 'health',
      urgency: 'routine',
      facilityId: 'TYT-02704',
      fromUnitCode: '02704',
      reason: 'Tiêm sởi',
      requestedBy: { userId: 'canbo.yty', role: 'intake-staff', unitCode: '02704' },
      requestedAt: new Date().toISOString(),
    });
    await eventually(async () => expect((await call('GET', `/inbox/${id}`, 'nurse')).status).toBe(200));
    expect((await call('POST', `/inbox/${id}/accept`, 'nurse')).status).toBe(200);
    expect((await call('POST', `/inbox/${id}/start`, 'nurse')).status).toBe(200);
    const body = { kind: 'vaccination', date: new Date().toISOString().slice(0, 10), summary: 'Đã tiêm sởi' };
    const both = await Promise.all([1, 2].map(() => call('POST', `/inbox/${id}/complete`, 'nurse', body)));
    for (const answer of both) expect([200, 409], JSON.stringify(answer.body)).toContain(answer.status);
    const records = healthDb.collection('service_records');
    expect(await records.findOne({ _id: `${id}-record` as never })).toMatchObject({ status: 'final' });

    // The first completion reached the workflow but its process died before the record was
    // marked final; the retry must finish it, not delete it.
    await records.updateOne({ _id: `${id}-record` as never }, { $set: { status: 'pending' } });
    const retry = await call('POST', `/inbox/${id}/complete`, 'nurse', body);
    expect([200, 409], JSON.stringify(retry.body)).toContain(retry.status);
    expect(await records.findOne({ _id: `${id}-record` as never })).toMatchObject({ status: 'final' });
    expect((await referrals.commands.view(id)).referral.outcome?.serviceRecordId).toBe(`${id}-record`);
  });

  it('two registrations of the same child at once: one is registered, the other is told it is a duplicate', async () => {
    const call = caller(intake.app);
    const child = {
      fullName: `Giàng Thị ${randomUUID()
        .replace(/[^a-f]/g, '')
        .slice(0, 6)}x`,
      dateOfBirth: '2023-02-02',
      sex: 'female',
      ethnicityCode: '14',
      communeCode: '02704',
      caregivers: [{ name: 'Giàng A Páo', relationship: 'father' }],
      birthRegistered: true,
    };
    const answers = await Promise.all([1, 2, 3].map(() => call('POST', '/children', 'intake', child)));
    expect(answers.map((a) => a.status).sort(), JSON.stringify(answers.map((a) => a.body))).toEqual([201, 409, 409]);
    const registered = await call('GET', `/children?q=${encodeURIComponent(child.fullName)}`, 'intake');
    expect(registered.body).toHaveLength(1);
  });

  it('a register entry sent twice with its Idempotency-Key is one entry; the key with another body is refused', async () => {
    const call = caller(protection.app);
    const key = `register-${randomUUID()}`;
    const entry = {
      child: { fullName: 'Lò Văn Páo', dateOfBirth: '2022-01-01', sex: 'male' },
      groups: [{ code: '09' }],
      care: { status: 'receiving-care', since: '2026-01-01' },
    };
    const [first, second] = await Promise.all(
      [1, 2].map(() => call('POST', '/special-circumstances', 'officer', entry, key)),
    );
    expect([first!.status, second!.status].sort()).toEqual([200, 201]);
    expect(first!.body._id).toBe(second!.body._id);
    expect(await protectionDb.collection('special_circumstances').countDocuments({ _id: first!.body._id })).toBe(1);
    const other = await call('POST', '/special-circumstances', 'officer', { ...entry, groups: [{ code: '04' }] }, key);
    expect(other.status).toBe(409);
    const without = await call('POST', '/special-circumstances', 'officer', entry);
    expect(without.status).toBe(400);
    expect(without.body.problems.map((p: { field: string }) => p.field)).toContain('idempotency-key');
  });
});

describe('a crash between the database and Temporal is repaired', () => {
  it('a report stored without its workflow start: the repair starts it', async () => {
    const id = randomUUID();
    const now = new Date().toISOString();
    const start = {
      protectionCaseId: id,
      communeCode: '02704',
      source: 'school' as const,
      receivedAt: now,
      seriousRisk: false,
      reportedBy: { userId: 'baove.yty', role: 'protection-officer', unitCode: '02704' },
    };
    // What the route had written when the process died, before the start reached Temporal.
    await protection.cases.insert(
      {
        _id: id,
        communeCode: '02704',
        stage: 'REPORTED',
        urgency: 'routine',
        seriousRisk: false,
        source: 'school',
        receivedAt: now,
        openedAt: now,
        updatedAt: now,
        clocks: [],
        team: ['baove.yty'],
        openedBy: 'baove.yty',
        idempotencyKey: id,
        requestFingerprint: 'x',
        pendingStart: start,
      },
      { report: { description: 'x' } },
    );
    await expect(protection.commands.view(id)).rejects.toThrow();
    const repaired = await protection.repair.run(0);
    expect(repaired.started).toBeGreaterThanOrEqual(1);
    await eventually(async () => expect((await protection.commands.view(id)).view.stage).toBe('REPORTED'));
    expect((await protectionDb.collection('protection_cases').findOne({ _id: id as never }))!.pendingStart).toBe(
      undefined,
    );
  });

  it('a step whose form was stored but whose update was not confirmed: the repair sends the same update once', async () => {
    const id = await openCase(protection.app);
    const by = { userId: 'baove.yty', role: 'protection-officer', unitCode: '02704' };
    // Died after storing the form, before the update: the repair sends it.
    await protection.cases.beginStep(
      '02704',
      id,
      'riskAssessment:crash-1',
      {
        form: 'riskAssessment',
        args: { by, seriousRisk: false },
      },
      { seriousRisk: false, riskLevel: 'low', findings: 'a' },
    );
    // Died after the update, before the commit: the repair commits (the update is not run twice).
    await protection.cases.beginStep(
      '02704',
      id,
      'caseMeeting:crash-2',
      { form: 'caseMeeting', args: { by } },
      {
        heldOn: '2026-11-20',
      },
    );
    await protection.repair.run(0);
    await protection.commands.step(id, { form: 'caseMeeting', args: { by } }, 'caseMeeting:crash-2');
    await protection.repair.run(0);
    const { view, history } = await protection.commands.view(id);
    expect(view.stage).toBe('MEETING_HELD');
    expect(history.filter((h) => h.action === 'RISK_ASSESSED')).toHaveLength(1);
    expect(history.filter((h) => h.action === 'CASE_MEETING_HELD')).toHaveLength(1);
    const stored = await protectionDb.collection('protection_cases').findOne({ _id: id as never });
    expect(stored!.stage).toBe('MEETING_HELD');
    expect(Object.keys(stored!.sealed)).toEqual(expect.arrayContaining(['riskAssessment', 'caseMeeting']));
    expect(await protectionDb.collection('protection_pending_steps').countDocuments({ caseId: id })).toBe(0);
  });
});

describe('the worker stopped during a request', () => {
  it('a protection step answers 503 with Retry-After within seconds, writes no half step, and is finished once the worker is back', async () => {
    const { kafkaBrokers, temporalAddress, mongoUrl } = infra();
    const queue = uniqueName('protection');
    const settings = {
      MONGO_URL: databaseUrl(mongoUrl, uniqueName('protection')),
      KAFKA_BROKERS: kafkaBrokers,
      KAFKA_GROUP_ID: uniqueName('protection'),
      TEMPORAL_ADDRESS: temporalAddress,
      TEMPORAL_TASK_QUEUE: queue,
      TEMPORAL_REFERRALS_TASK_QUEUE: taskQueue,
      OIDC_ISSUER: TEST_ISSUER,
      OIDC_JWKS_URL: `${identityUrl}/jwks`,
      PROTECTION_ENCRYPTION_KEYS: testEncryptionKeys(),
      PROTECTION_ENCRYPTION_KEY_ID: 'k1',
    };
    // Built but not started: its API answers, no worker polls its task queue.
    const workerless = await buildProtectionService(loadProtectionConfig(settings), testLogger('protection'), {
      workflowBundle: await protectionWorkflowBundle(),
    });
    try {
      const call = caller(workerless.app);
      const opened = await call('POST', '/protection-cases', 'officer', report(), `report-${randomUUID()}`);
      expect(opened.status, JSON.stringify(opened.body)).toBe(201);
      const id = opened.body._id as string;
      const began = Date.now();
      const step = await call('POST', `/protection-cases/${id}/risk-assessment`, 'officer', {
        seriousRisk: false,
        riskLevel: 'low',
        findings: 'Không có nguy cơ',
      });
      const waited = Date.now() - began;
      expect(step.status, JSON.stringify(step.body)).toBe(503);
      expect(step.headers['retry-after']).toBe('10');
      expect(step.body.message).toMatch(/did not answer in time/);
      expect(waited).toBeLessThan(15_000);
      // Nothing half-written: the case is unchanged; the form waits as pending, not as the case's.
      const stored = await workerless.cases.model.collection.findOne({ _id: id as never });
      expect(stored!.stage).toBe('REPORTED');
      expect(Object.keys(stored!.sealed)).not.toContain('riskAssessment');

      await workerless.start();
      const { history } = await eventually(async () => {
        await workerless.repair.run(0);
        const now = await workerless.commands.view(id);
        expect(now.view.stage).toBe('ASSESSED');
        return now;
      });
      expect(history.filter((h) => h.action === 'RISK_ASSESSED')).toHaveLength(1);
      const after = await workerless.cases.model.collection.findOne({ _id: id as never });
      expect(after!.stage).toBe('ASSESSED');
      expect(Object.keys(after!.sealed)).toContain('riskAssessment');
    } finally {
      await workerless.stop();
    }
  });

  it('a facility action on a referral whose worker is down answers 503 with Retry-After within seconds', async () => {
    const call = caller(health.app);
    // A referral on a task queue no worker polls: its updates cannot run.
    const stranded = new ReferralCommands(client, uniqueName('no-worker'));
    const { referralId } = await stranded.request({
      caseId: randomUUID(),
      childId: randomUUID(),
      sector: 'health',
      urgency: 'routine',
      facilityId: 'TYT-02704',
      fromUnitCode: '02704',
      reason: 'Khám',
      requestedBy: { userId: 'canbo.yty', role: 'intake-staff', unitCode: '02704' },
      requestedAt: new Date().toISOString(),
    });
    const began = Date.now();
    const accepted = await call('POST', `/inbox/${referralId}/accept`, 'nurse');
    expect(accepted.status, JSON.stringify(accepted.body)).toBe(503);
    expect(accepted.headers['retry-after']).toBe('10');
    expect(Date.now() - began).toBeLessThan(15_000);
    await client.workflow
      .getHandle(referralId)
      .terminate('test over')
      .catch((error: unknown) => {
        if (!(error instanceof WorkflowNotFoundError)) throw error;
      });
  });
});

describe('audit everywhere a child’s data is read', () => {
  it('protection case reads, the register, inbox items and service records each leave an entry', async () => {
    const protectionCall = caller(protection.app);
    const id = await openCase(protection.app);
    expect((await protectionCall('GET', `/protection-cases/${id}`, 'officer')).status).toBe(200);
    expect((await protectionCall('GET', '/special-circumstances', 'officer')).status).toBe(200);
    const protectionTrail = await protectionDb.collection('audit_log').find({ resourceIds: id }).toArray();
    expect(protectionTrail.map((e) => [e.action, e.resource, e.unitCode])).toEqual(
      expect.arrayContaining([
        ['create', 'protection-case', '02704'],
        ['read', 'protection-case', '02704'],
      ]),
    );
    expect(await protectionDb.collection('audit_log').countDocuments({ resource: 'register-entry' })).toBeGreaterThan(
      0,
    );

    const healthCall = caller(health.app);
    const { referralId } = await referrals.commands.request({
      caseId: randomUUID(),
      childId: randomUUID(),
      sector: 'health',
      urgency: 'routine',
      facilityId: 'TYT-02704',
      fromUnitCode: '02704',
      reason: 'Khám',
      requestedBy: { userId: 'canbo.yty', role: 'intake-staff', unitCode: '02704' },
      requestedAt: new Date().toISOString(),
    });
    await eventually(async () => expect((await healthCall('GET', `/inbox/${referralId}`, 'nurse')).status).toBe(200));
    const inboxTrail = await healthDb.collection('audit_log').find({ resourceIds: referralId }).toArray();
    expect(inboxTrail[0]).toMatchObject({
      action: 'read',
      resource: 'inbox-item',
      unitCode: '02704',
      actor: { role: 'health-staff', facilityId: 'TYT-02704' },
    });
    expect((await healthCall('GET', `/service-records/${referralId}-record`, 'nurse')).status).toBe(404);
  });
});
