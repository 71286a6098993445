import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { randomUUID } from 'node:crypto';
import mongoose, { type Connection } from 'mongoose';
import { Topics } from '@ecd/contracts';
import { createKafkaClient, ensureTopics } from '@ecd/messaging';
import type { IdentityService } from '../../services/identity/src/identity-service';
import type { ProtectionService } from '../../services/protection/src/protection-service';
import type { ReferralsService } from '../../services/referrals/src/referrals-service';
import { EventTap } from '../support/event-tap';
import { eventually, infra, testLogger, uniqueName } from '../support/infra';
import { startProtection, testEncryptionKeys } from '../support/protection';
import { FieldCipher } from '../../services/protection/src/domain/field-cipher';
import {
  ProtectionCaseRepository,
  createProtectionCaseModel,
} from '../../services/protection/src/repositories/protection-case-repository';
import { SpecialCircumstanceRegister } from '../../services/protection/src/repositories/special-circumstance-register';
import { signIn } from '../support/sign-in';
import { startIdentity, startReferrals } from '../support/stack';

/**
 * The protection service on the real dev servers: the Decree 56 procedure over HTTP, who may read
 * what (403s), what the database and Kafka hold (no plaintext), and bad input on every write route.
 */
let identity: { identity: IdentityService; url: string };
let referrals: ReferralsService;
let protection: ProtectionService;
let raw: Connection;
let tap: EventTap;
const tokens: Record<string, string> = {};
const firstKey = testEncryptionKeys('k1');

const CHILD_NAME = 'Vàng Thị Súa';
const ABUSE = 'bị bố dượng đánh bằng dây điện';
const REPORTER = 'Cô giáo Lò Thị Mai';

beforeAll(async () => {
  identity = await startIdentity();
  const taskQueue = uniqueName('referrals');
  referrals = await startReferrals(taskQueue);
  let url: string;
  ({ protection, databaseUrl: url } = await startProtection(identity.url, {
    TEMPORAL_REFERRALS_TASK_QUEUE: taskQueue,
    PROTECTION_ENCRYPTION_KEYS: firstKey,
    PROTECTION_ENCRYPTION_KEY_ID: 'k1',
  }));
  raw = await mongoose.createConnection(url).asPromise();
  const { kafkaBrokers } = infra();
  const kafka = createKafkaClient({
    clientId: uniqueName('tap'),
    brokers: kafkaBrokers.split(','),
    logger: testLogger('tap'),
  });
  await ensureTopics(kafka, Object.values(Topics));
  tap = new EventTap(kafka, [Topics.protection, Topics.referrals]);
  await tap.start();
  const accounts: Record<string, [string, string]> = {
    officer: ['baove.yty', 'yty-protection-01'],
    otherOfficer: ['baove.batxat', 'batxat-protection-01'],
    chairman: ['chutich.yty', 'yty-chairman-01'],
    nurse: ['yte.yty', 'yty-health-01'],
    intake: ['canbo.yty', 'yty-intake-01'],
    supervisor: ['giamsat.laocai', 'laocai-supervisor-01'],
  };
  for (const [name, [user, password]] of Object.entries(accounts))
    tokens[name] = await signIn(identity.url, user, password);
}, 180_000);

afterAll(async () => {
  await tap?.stop();
  await raw?.close();
  await protection?.stop();
  await referrals?.stop();
  await identity?.identity.stop();
});

const call = async (
  method: 'GET' | 'POST',
  url: string,
  who: string,
  payload?: unknown,
  headers: Record<string, string> = {},
) => {
  const response = await protection.app.inject({
    method,
    url,
    headers: { authorization: `Bearer ${tokens[who]}`, ...headers },
    ...(payload !== undefined ? { payload: payload as object } : {}),
  });
  return { status: response.statusCode, body: response.json() as Record<string, any> }; // eslint-disable-line @typescript-eslint/no-explicit-any
};

const report = {
  source: 'school',
  seriousRisk: true,
  child: { fullName: CHILD_NAME, dateOfBirth: '2021-03-04', sex: 'female', address: 'Thôn Choản Thèn' },
  reporter: { name: REPORTER, contact: '0912 345 678', relationship: 'teacher' },
  report: { description: `Trẻ ${ABUSE}`, place: 'Nhà riêng' },
};

async function openCase(): Promise<string> {
  const opened = await call('POST', '/protection-cases', 'officer', report);
  expect(opened.status, JSON.stringify(opened.body)).toBe(201);
  const id = opened.body._id as string;
  await eventually(async () => {
    const { view } = await protection.commands.view(id);
    expect(view.clocks.map((c) => c.step)).toContain('PLAN');
  });
  return id;
}

describe('protection cases', () => {
  it('walks the Decree 56 procedure, each step an event without details, and refers the child', async () => {
    const id = await openCase();
    const steps: [string, string, unknown, string][] = [
      ['risk-assessment', 'officer', { seriousRisk: true, riskLevel: 'high', findings: 'Vết bầm ở lưng' }, 'ASSESSED'],
      ['emergency-measures', 'officer', { measure: 'safe-place', description: 'Ở với bà ngoại' }, 'ASSESSED'],
      [
        'case-meeting',
        'officer',
        {
          heldOn: '2026-11-20',
          participants: ['Trạm y tế', 'Công an xã'],
          detailedAssessment: 'Nguy cơ cao',
          minutes: 'Biên bản họp',
        },
        'MEETING_HELD',
      ],
      [
        'plan',
        'officer',
        {
          objectives: 'An toàn cho trẻ',
          actions: [{ body: 'Trạm y tế xã', action: 'Khám và điều trị', sector: 'health' }],
          reviewBy: new Date(Date.now() + 30 * 86_400_000).toISOString(),
        },
        'PLAN_DRAFTED',
      ],
      ['approval', 'chairman', { decisionNumber: '12/QĐ-UBND' }, 'PLAN_APPROVED'],
      ['implementation', 'officer', {}, 'IN_IMPLEMENTATION'],
    ];
    for (const [path, who, body, stage] of steps) {
      const answer = await call('POST', `/protection-cases/${id}/${path}`, who, body);
      expect(answer.status, `${path}: ${JSON.stringify(answer.body)}`).toBe(200);
      expect(answer.body.stage).toBe(stage);
    }
    // Out of order: refused by the workflow with the reason, nothing stored.
    const early = await call('POST', `/protection-cases/${id}/closure`, 'officer', {
      riskAtClosure: 'low',
      summary: 'x',
    });
    expect(early.status).toBe(409);
    expect(early.body.message).toMatch(/cannot close the case: the case is at stage in implementation/);

    // The plan names the health station: a referral through the referral workflow.
    const referred = await call(
      'POST',
      `/protection-cases/${id}/referrals`,
      'officer',
      { sector: 'health', urgency: 'urgent', facilityId: 'TYT-02704', reason: 'Khám sức khỏe cho trẻ' },
      { 'idempotency-key': `${id.slice(0, 8)}-health` },
    );
    expect(referred.status, JSON.stringify(referred.body)).toBe(201);
    await eventually(() =>
      expect(tap.events.some((e) => e.event.data.referralId === referred.body.referralId)).toBe(true),
    );

    for (const [path, body, stage] of [
      ['review', { summary: 'Trẻ an toàn', riskLevel: 'low' }, 'REVIEWED'],
      ['closure', { riskAtClosure: 'low', summary: 'Đóng hồ sơ' }, 'CLOSED'],
    ] as const) {
      const answer = await call('POST', `/protection-cases/${id}/${path}`, 'officer', body);
      expect(answer.status, `${path}: ${JSON.stringify(answer.body)}`).toBe(200);
      expect(answer.body.stage).toBe(stage);
    }
    const types = await eventually(() => {
      const seen = tap.of(id).map((e) => e.event.type);
      expect(seen).toContain('protection.case_closed.v1');
      return seen;
    });
    // The referral made from the plan is keyed by the case too (per-case order on Kafka).
    expect(types).toContain('referral.requested.v1');
    expect(types.filter((t) => t.startsWith('protection.') && !t.includes('step_'))).toEqual([
      'protection.case_reported.v1',
      'protection.risk_assessed.v1',
      'protection.emergency_measure_taken.v1',
      'protection.case_meeting_held.v1',
      'protection.plan_drafted.v1',
      'protection.plan_approved.v1',
      'protection.implementation_started.v1',
      'protection.case_reviewed.v1',
      'protection.case_closed.v1',
    ]);
    expect(tap.of(id).every((e) => e.key === id)).toBe(true);
    expect(types).toContain('protection.step_completed.v1');
    const onTheWire = JSON.stringify(tap.events.map((e) => e.event));
    for (const secret of [CHILD_NAME, ABUSE, REPORTER, '0912 345 678', 'Vết bầm', 'bà ngoại', 'Biên bản']) {
      expect(onTheWire).not.toContain(secret);
    }

    // The officer on the case reads every form, opened.
    const details = await call('GET', `/protection-cases/${id}`, 'officer');
    expect(details.status).toBe(200);
    expect(details.body.forms.child.fullName).toBe(CHILD_NAME);
    expect(details.body.forms.report.description).toContain(ABUSE);
    expect(details.body.forms.closure).toMatchObject({ riskAtClosure: 'low' });
  });

  it('keeps details from everyone without a role on the case: 403 for health and intake staff', async () => {
    const id = await openCase();
    for (const who of ['nurse', 'intake']) {
      for (const url of [`/protection-cases/${id}`, '/protection-cases', '/board', '/special-circumstances']) {
        const answer = await call('GET', url, who);
        expect(answer.status, `${who} GET ${url}`).toBe(403);
        expect(JSON.stringify(answer.body)).not.toContain(CHILD_NAME);
      }
      expect((await call('POST', '/protection-cases', who, report)).status).toBe(403);
      expect((await call('POST', `/protection-cases/${id}/risk-assessment`, who, {})).status).toBe(403);
    }
    // Another commune's officer does not find it; the chairman of the commune reads it.
    expect((await call('GET', `/protection-cases/${id}`, 'otherOfficer')).status).toBe(404);
    expect((await call('GET', `/protection-cases/${id}`, 'chairman')).status).toBe(200);
    // The list shows stages and deadlines only.
    const list = await call('GET', '/protection-cases', 'officer');
    expect(list.body.items.map((c: { _id: string }) => c._id)).toContain(id);
    expect(JSON.stringify(list.body)).not.toContain(CHILD_NAME);
  });

  it('holds the sensitive fields encrypted: the raw documents contain no plaintext', async () => {
    const id = await openCase();
    await call('POST', `/protection-cases/${id}/risk-assessment`, 'officer', {
      seriousRisk: true,
      riskLevel: 'high',
      findings: `Xác nhận: ${ABUSE}`,
    });
    const entry = await call(
      'POST',
      '/special-circumstances',
      'officer',
      {
        child: { fullName: CHILD_NAME, dateOfBirth: '2021-03-04', sex: 'female', village: 'Thôn Choản Thèn' },
        groups: [{ code: '09' }, { code: '04', subGroup: '04.b' }],
        care: { status: 'receiving-care', since: '2026-11-01', details: { provider: 'Trạm y tế xã Y Tý' } },
      },
      { 'idempotency-key': `register-${id}` },
    );
    expect(entry.status, JSON.stringify(entry.body)).toBe(201);

    const document = await raw.collection('protection_cases').findOne({ _id: id as never });
    const stored = JSON.stringify(document);
    const registered = JSON.stringify(await raw.collection('special_circumstances').findOne({ _id: entry.body._id }));
    for (const secret of [CHILD_NAME, ABUSE, REPORTER, '0912 345 678', 'Choản Thèn', 'Trạm y tế xã Y Tý']) {
      expect(stored).not.toContain(secret);
      expect(registered).not.toContain(secret);
    }
    expect(document!.sealed.report).toMatchObject({ alg: 'A256GCM', kid: 'k1' });
    expect(Object.keys(document!.sealed)).toEqual(
      expect.arrayContaining(['child', 'reporter', 'report', 'riskAssessment']),
    );
    // Counting stays possible without opening anything.
    const summary = await call('GET', '/special-circumstances/summary', 'supervisor');
    expect(summary.body).toMatchObject({ unitCode: '10' });
    expect(summary.body.groups.find((g: { code: string }) => g.code === '09').receivingCare).toBeGreaterThan(0);
  });

  it('refuses bad input on every write route with the field and the problem, and writes nothing', async () => {
    const id = await openCase();
    const entryId = `referral-${randomUUID()}`;
    const registerId = randomUUID();
    const cases: [string, string, unknown, string, Record<string, string>?][] = [
      ['/protection-cases', 'officer', { ...report, source: 'rumour' }, 'source'],
      ['/protection-cases', 'officer', { ...report, report: {} }, 'report.description'],
      ['/protection-cases', 'officer', { ...report, receivedAt: '2099-01-01T00:00:00Z' }, 'receivedAt'],
      // Centuries ago would show on the board as hundreds of thousands of days overdue.
      ['/protection-cases', 'officer', { ...report, receivedAt: '1826-01-01T00:00:00Z' }, 'receivedAt'],
      [
        `/protection-cases/${id}/risk-assessment`,
        'officer',
        { seriousRisk: 'yes', riskLevel: 'high', findings: 'x' },
        'seriousRisk',
      ],
      [`/protection-cases/${id}/emergency-measures`, 'officer', { measure: 'hug', description: 'x' }, 'measure'],
      [
        `/protection-cases/${id}/case-meeting`,
        'officer',
        { heldOn: 'yesterday', participants: ['x'], detailedAssessment: 'x', minutes: 'x' },
        'heldOn',
      ],
      [
        `/protection-cases/${id}/plan`,
        'officer',
        { objectives: 'x', actions: [], reviewBy: '2027-01-01T00:00:00Z' },
        'actions',
      ],
      [`/protection-cases/${id}/approval`, 'chairman', { decisionNumber: '' }, 'decisionNumber'],
      [`/protection-cases/${id}/implementation`, 'officer', { note: 5 }, 'note'],
      [`/protection-cases/${id}/review`, 'officer', { summary: 'x', riskLevel: 'extreme' }, 'riskLevel'],
      [`/protection-cases/${id}/closure`, 'officer', { riskAtClosure: 'none', summary: 'x' }, 'riskAtClosure'],
      [`/protection-cases/${id}/team`, 'officer', { userId: 'a b' }, 'userId'],
      [
        `/protection-cases/${id}/referrals`,
        'officer',
        { sector: 'protection', urgency: 'routine', facilityId: 'TYT-02704', reason: 'khám' },
        'sector',
        { 'idempotency-key': 'key-12345678' },
      ],
      [
        `/protection-cases/not-a-uuid/risk-assessment`,
        'officer',
        { seriousRisk: true, riskLevel: 'high', findings: 'x' },
        'caseId',
      ],
      ['/board/nope/acknowledge', 'officer', {}, 'entryId'],
      [`/board/${entryId}/acknowledge`, 'officer', { note: '' }, 'note'],
      ['/board/nope/ownership', 'officer', undefined, 'entryId'],
      [`/board/${entryId}/notes`, 'officer', { text: '' }, 'text'],
      [`/board/${entryId}/resolve`, 'officer', { action: 'ignore', reason: 'x' }, 'action'],
      [
        '/special-circumstances',
        'officer',
        {
          child: { fullName: 'Lò Văn Páo', dateOfBirth: '2022-01-01', sex: 'male' },
          groups: [{ code: '15' }],
          care: { status: 'receiving-care', since: '2026-01-01' },
        },
        'groups.0.code',
        { 'idempotency-key': 'register-bad-group' },
      ],
      [
        '/special-circumstances',
        'officer',
        {
          child: { fullName: 'Lò Văn Páo', dateOfBirth: '2022-01-01', sex: 'male' },
          groups: [{ code: '09', subGroup: '04.a' }],
          care: { status: 'receiving-care', since: '2026-01-01' },
        },
        'groups.0.subGroup',
        { 'idempotency-key': 'register-bad-subgroup' },
      ],
      [`/special-circumstances/${registerId}/care`, 'officer', { status: 'maybe', since: '2026-01-01' }, 'status'],
    ];
    const snapshot = async () =>
      JSON.stringify(
        await Promise.all(
          ['protection_cases', 'escalation_board', 'special_circumstances'].map((name) =>
            raw.collection(name).find({}).sort({ _id: 1 }).toArray(),
          ),
        ),
      );
    const before = await snapshot();
    const stageBefore = (await protection.commands.view(id)).view.stage;
    for (const [url, who, body, field, headers] of cases) {
      const answer = await call('POST', url, who, body, headers);
      expect(answer.status, `${url} ${JSON.stringify(body)}: ${JSON.stringify(answer.body)}`).toBe(400);
      expect(
        answer.body.problems.map((p: { field: string }) => p.field),
        `${url}: ${JSON.stringify(answer.body)}`,
      ).toContain(field);
      expect(answer.body.problems.every((p: { problem: string }) => p.problem.length > 0)).toBe(true);
    }
    expect(await snapshot()).toBe(before);
    expect((await protection.commands.view(id)).view.stage).toBe(stageBefore);
  });
  // Last: afterwards the running service (holding k1 only) no longer opens these documents.
  it('rotates keys: a new active key re-seals every field, after which the old key can go', async () => {
    const id = await openCase();
    const secondKey = testEncryptionKeys('k2');
    const both = FieldCipher.fromConfig(`${firstKey},${secondKey}`, 'k2');
    // Connections of their own: the service's models stay untouched.
    const model = createProtectionCaseModel(raw);
    const cases = new ProtectionCaseRepository(model, both);
    const register = new SpecialCircumstanceRegister(raw, both);
    expect(await cases.resealWithActiveKey()).toBeGreaterThan(0);
    await register.resealWithActiveKey();
    expect(await cases.resealWithActiveKey()).toBe(0);
    const onlyNew = new ProtectionCaseRepository(model, FieldCipher.fromConfig(secondKey, 'k2'));
    const record = (await onlyNew.find('02704', id))!;
    expect(Object.values(record.sealed).every((sealed) => sealed.kid === 'k2')).toBe(true);
    expect((onlyNew.details(record).child as { fullName: string }).fullName).toBe(CHILD_NAME);
  });
});
