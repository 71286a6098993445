import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Admin } from 'kafkajs';
import mongoose, { type Connection } from 'mongoose';
import { Topics } from '@ecd/contracts';
import { createKafkaClient } from '@ecd/messaging';
import type { IntakeService } from '../../services/intake/src/intake-service';
import { buildIdentityService, type IdentityService } from '../../services/identity/src/identity-service';
import { loadIdentityConfig } from '../../services/identity/src/config';
import { signIn } from '../support/sign-in';
import { startIntake } from '../support/stack';
import { databaseUrl, infra, testLogger, uniqueName, identityDatabase } from '../support/infra';

const validBody = {
  child: { fullName: 'Lò Văn Páo', dateOfBirth: '2023-02-10', sex: 'male', communeCode: '02704' },
  concerns: ['education'],
};

/** Bad input to POST /cases: a 4xx naming the field and the problem, and nothing written or published. */
describe('POST /cases refuses bad input and writes nothing', () => {
  const ISSUER = 'http://identity.test';
  let identity: IdentityService;
  let intake: IntakeService;
  let admin: Admin;
  let database: Connection;
  let token: string; // canbo.yty, commune 02704

  /** Read straight from the service's database, not through its API. */
  const casesInDatabase = () => database.collection('cases').countDocuments();
  const publishedOffsets = async () =>
    (await admin.fetchTopicOffsets(Topics.cases)).reduce((sum, p) => sum + Number(p.high), 0);

  beforeAll(async () => {
    const { kafkaBrokers, mongoUrl } = infra();
    const url = databaseUrl(mongoUrl, uniqueName('intake'));
    identity = await buildIdentityService(
      loadIdentityConfig({ PORT: '0', MONGO_URL: identityDatabase(), ISSUER }),
      testLogger('identity'),
    );
    await identity.start();
    const identityUrl = await identity.app.listen({ host: '127.0.0.1', port: 0 });
    token = await signIn(identityUrl, 'canbo.yty', 'yty-intake-01');
    database = await mongoose.createConnection(url).asPromise();
    ({ intake } = await startIntake(identityUrl, { MONGO_URL: url }));
    admin = createKafkaClient({
      clientId: 'offsets',
      brokers: kafkaBrokers.split(','),
      logger: testLogger('k'),
    }).admin();
    await admin.connect();
  });

  afterAll(async () => {
    await admin?.disconnect();
    await intake?.stop();
    await identity?.stop();
    await database?.close();
  });

  const post = (payload: unknown, headers: Record<string, string> = {}) =>
    intake.app.inject({
      method: 'POST',
      url: '/cases',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${token}`, ...headers },
      payload: typeof payload === 'string' ? payload : JSON.stringify(payload),
    });

  const cases: [string, unknown, number, { field?: string; message: RegExp }][] = [
    ['missing child', { concerns: ['health'] }, 400, { field: 'child', message: /child is required/ }],
    [
      'a child of another commune',
      { ...validBody, child: { ...validBody.child, communeCode: '02701' } },
      403,
      { field: 'child.communeCode', message: /only for children of your commune \(02704\)/ },
    ],
    [
      'both child and childId',
      { ...validBody, childId: '6f1c1f0e-8a6b-4d59-9d7e-2b0f0f0f0f0f' },
      400,
      { field: 'childId', message: /either child or childId/ },
    ],
    [
      'childId not in the register',
      { concerns: ['health'], childId: '6f1c1f0e-8a6b-4d59-9d7e-2b0f0f0f0f0f' },
      404,
      { message: /not in your commune's register/ },
    ],
    [
      'missing nested field',
      { ...validBody, child: { ...validBody.child, dateOfBirth: undefined } },
      400,
      { field: 'child.dateOfBirth', message: /child\.dateOfBirth is required/ },
    ],
    ['wrong type', { ...validBody, concerns: 'health' }, 400, { field: 'concerns', message: /concerns must be array/ }],
    [
      'unknown field',
      { ...validBody, isAdmin: true },
      400,
      { field: 'isAdmin', message: /isAdmin is not an allowed field/ },
    ],
    [
      'unknown nested field',
      { ...validBody, child: { ...validBody.child, ssn: '1' } },
      400,
      { field: 'child.ssn', message: /child\.ssn is not an allowed field/ },
    ],
    [
      'operator injection',
      { ...validBody, child: { ...validBody.child, communeCode: { $gt: '' } } },
      400,
      { field: 'child.communeCode', message: /child\.communeCode must be string/ },
    ],
    [
      'operator injection as a key',
      { ...validBody, $where: 'sleep(1000)' },
      400,
      { field: '$where', message: /\$where is not an allowed field/ },
    ],
    ['unknown sector', { ...validBody, concerns: ['astrology'] }, 400, { field: 'concerns.0', message: /concerns\.0/ }],
    [
      'commune code of the wrong shape',
      { ...validBody, child: { ...validBody.child, communeCode: '12' } },
      400,
      { field: 'child.communeCode', message: /child\.communeCode must match pattern/ },
    ],
    [
      'impossible date',
      { ...validBody, child: { ...validBody.child, dateOfBirth: '2023-02-30' } },
      400,
      { field: 'child.dateOfBirth', message: /child\.dateOfBirth/ },
    ],
    [
      'date of birth in the future',
      { ...validBody, child: { ...validBody.child, dateOfBirth: '2099-01-01' } },
      400,
      { field: 'child.dateOfBirth', message: /in the future/ },
    ],
    [
      'child older than 8',
      { ...validBody, child: { ...validBody.child, dateOfBirth: '2010-01-01' } },
      422,
      { field: 'child.dateOfBirth', message: /older than 8/ },
    ],
    ['not JSON', '{"child": ', 400, { message: /not valid JSON/ }],
    ['empty body', '', 400, { message: /empty/ }],
  ];

  it.each(cases)('%s → %s naming the field', async (_name, payload, status, expected) => {
    const before = await publishedOffsets();
    const response = await post(payload);
    expect(response.statusCode).toBe(status);
    const body = response.json() as { message: string; problems?: { field: string; problem: string }[] };
    expect(body.message).toMatch(expected.message);
    if (expected.field) expect(body.problems?.map((p) => p.field)).toContain(expected.field);
    expect(await casesInDatabase()).toBe(0);
    expect(await publishedOffsets()).toBe(before);
  });

  it('without a token → 401, nothing written', async () => {
    const response = await intake.app.inject({
      method: 'POST',
      url: '/cases',
      headers: { 'content-type': 'application/json' },
      payload: JSON.stringify(validBody),
    });
    expect(response.statusCode).toBe(401);
    expect(await casesInDatabase()).toBe(0);
  });

  it('a 2 MB body → 413 with a clear message, nothing written', async () => {
    const response = await post({ ...validBody, note: 'x'.repeat(2 * 1024 * 1024) });
    expect(response.statusCode).toBe(413);
    expect(response.json().message).toMatch(/too large/);
    expect(await casesInDatabase()).toBe(0);
  });

  it('a body that is not JSON → 415', async () => {
    const response = await intake.app.inject({
      method: 'POST',
      url: '/cases',
      headers: { 'content-type': 'text/plain', authorization: `Bearer ${token}` },
      payload: 'hello',
    });
    expect(response.statusCode).toBe(415);
    expect(await casesInDatabase()).toBe(0);
  });

  it('the same request twice with one Idempotency-Key creates one case; a different request with it is refused', async () => {
    const key = uniqueName('key');
    const first = await post(validBody, { 'idempotency-key': key });
    const second = await post(validBody, { 'idempotency-key': key });
    expect(first.statusCode).toBe(201);
    expect(second.statusCode).toBe(200);
    expect(second.json()._id).toBe(first.json()._id);
    expect(await casesInDatabase()).toBe(1);
    const different = await post({ ...validBody, concerns: ['health'] }, { 'idempotency-key': key });
    expect(different.statusCode).toBe(409);
    expect(different.json().message).toMatch(/Idempotency-Key/);
    expect(await casesInDatabase()).toBe(1);
  });

  it('GET /cases/:caseId: a malformed id → 400 naming it; an unknown id → 404', async () => {
    const authorization = `Bearer ${token}`;
    const malformed = await intake.app.inject({ method: 'GET', url: '/cases/not-a-uuid', headers: { authorization } });
    expect(malformed.statusCode).toBe(400);
    expect(malformed.json().problems[0].field).toBe('caseId');
    const unknown = await intake.app.inject({
      method: 'GET',
      url: '/cases/6f1c1f0e-8a6b-4d59-9d7e-2b0f0f0f0f0f',
      headers: { authorization },
    });
    expect(unknown.statusCode).toBe(404);
  });
});
