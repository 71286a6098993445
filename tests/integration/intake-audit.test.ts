import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import mongoose, { type Connection } from 'mongoose';
import type { IntakeService } from '../../services/intake/src/intake-service';
import type { IdentityService } from '../../services/identity/src/identity-service';
import { signIn } from '../support/sign-in';
import { startIdentity, startIntake } from '../support/stack';
import { databaseUrl, infra, uniqueName } from '../support/infra';

/** Who read or changed which child's record, when, from where: recorded for every access. */
describe('intake audit trail', () => {
  let identity: IdentityService;
  let intake: IntakeService;
  let database: Connection;
  let yty: string; // canbo.yty, intake-staff, 02704
  let protection: string; // baove.yty, protection-officer, 02704
  let batxat: string; // canbo.batxat, another commune
  let chairman: string; // chutich.yty, commune-chairman, 02704
  let supervisor: string; // giamsat.laocai, supervisor, province 10

  beforeAll(async () => {
    const { mongoUrl } = infra();
    let identityUrl: string;
    ({ identity, url: identityUrl } = await startIdentity());
    const url = databaseUrl(mongoUrl, uniqueName('intake'));
    ({ intake } = await startIntake(identityUrl, { MONGO_URL: url }));
    database = await mongoose.createConnection(url).asPromise();
    [yty, protection, batxat, chairman, supervisor] = await Promise.all([
      signIn(identityUrl, 'canbo.yty', 'yty-intake-01'),
      signIn(identityUrl, 'baove.yty', 'yty-protection-01'),
      signIn(identityUrl, 'canbo.batxat', 'batxat-intake-01'),
      signIn(identityUrl, 'chutich.yty', 'yty-chairman-01'),
      signIn(identityUrl, 'giamsat.laocai', 'laocai-supervisor-01'),
    ]);
  });

  afterAll(async () => {
    await intake?.stop();
    await identity?.stop();
    await database?.close();
  });

  const call = (method: 'GET' | 'POST', url: string, token: string, body?: unknown) =>
    intake.app.inject({
      method,
      url,
      headers: { authorization: `Bearer ${token}`, ...(body ? { 'content-type': 'application/json' } : {}) },
      ...(body ? { payload: JSON.stringify(body) } : {}),
      remoteAddress: '10.1.2.3',
    });
  const trail = (id: string) => database.collection('audit_log').find({ resourceIds: id }).sort({ at: 1 }).toArray();

  it('records the creation and every read of a child and its case, with actor, route, request id and address', async () => {
    const child = await call('POST', '/children', yty, {
      fullName: 'Vàng Thị Dua',
      dateOfBirth: '2024-02-02',
      sex: 'female',
      ethnicityCode: '08',
      communeCode: '02704',
      caregivers: [{ name: 'Vàng A Sử', relationship: 'father' }],
      birthRegistered: true,
    });
    expect(child.statusCode).toBe(201);
    const childId = child.json()._id as string;
    const kase = await call('POST', '/cases', yty, { childId, concerns: ['nutrition'] });
    const caseId = kase.json()._id as string;
    expect((await call('GET', `/children/${childId}`, protection)).statusCode).toBe(200);
    expect((await call('GET', `/cases/${caseId}`, protection)).statusCode).toBe(200);
    expect((await call('GET', '/children?q=dua', yty)).statusCode).toBe(200);

    const childTrail = await trail(childId);
    expect(childTrail.map((e) => [e.action, e.resource, e.actor.userId, e.actor.role])).toEqual([
      ['create', 'child', expect.any(String), 'intake-staff'],
      ['create', 'case', expect.any(String), 'intake-staff'],
      ['read', 'child', expect.any(String), 'protection-officer'],
      ['read', 'case', expect.any(String), 'protection-officer'],
      ['search', 'child', expect.any(String), 'intake-staff'],
    ]);
    expect(childTrail[2]).toMatchObject({ route: '/children/:childId', status: 200, ip: '10.1.2.3' });
    expect(childTrail[2]!.requestId).toEqual(expect.any(String));
    expect((await trail(caseId)).map((e) => e.action)).toEqual(['create', 'read']);
  });

  it('a refused access (another commune) is not a read of the record', async () => {
    const child = await call('POST', '/children', yty, {
      fullName: 'Lù Văn Chỉn',
      dateOfBirth: '2023-03-03',
      sex: 'male',
      ethnicityCode: '08',
      communeCode: '02704',
      caregivers: [],
      birthRegistered: true,
    });
    const childId = child.json()._id as string;
    expect((await call('GET', `/children/${childId}`, batxat)).statusCode).toBe(404);
    expect((await trail(childId)).map((e) => e.action)).toEqual(['create']);
  });

  const register = (token: string, fullName: string, communeCode = '02704') =>
    call('POST', '/children', token, {
      fullName,
      dateOfBirth: '2022-04-04',
      sex: 'female',
      ethnicityCode: '08',
      communeCode,
      caregivers: [],
      birthRegistered: true,
    });

  it('names the browser behind the portal (X-Forwarded-For from a trusted proxy only)', async () => {
    const childId = (await register(yty, 'Sùng Thị Mỷ')).json()._id as string;
    const read = (remoteAddress: string) =>
      intake.app.inject({
        method: 'GET',
        url: `/children/${childId}`,
        headers: { authorization: `Bearer ${protection}`, 'x-forwarded-for': '203.0.113.9' },
        remoteAddress,
      });
    expect((await read('127.0.0.1')).statusCode).toBe(200); // the portal, on this host
    expect((await read('10.9.9.9')).statusCode).toBe(200); // anyone else claiming an address
    const reads = (await trail(childId)).filter((e) => e.action === 'read');
    expect(reads.map((e) => e.ip)).toEqual(['203.0.113.9', '10.9.9.9']);
  });

  it('chains every entry by hash: the verification finds an edited entry', async () => {
    const childId = (await register(yty, 'Thào Thị Dế')).json()._id as string;
    await call('GET', `/children/${childId}`, protection);
    const check = await call('GET', '/audit-trail/verification', chairman);
    expect(check.statusCode, check.body).toBe(200);
    expect(check.json()).toMatchObject({ intact: true });
    const entries = await database.collection('audit_log').find({}).sort({ seq: 1 }).toArray();
    expect(entries.map((e) => e.seq)).toEqual(entries.map((_, i) => i + 1));
    for (const [i, entry] of entries.entries()) expect(entry.prevHash).toBe(i === 0 ? '' : entries[i - 1]!.hash);

    const [victim] = await trail(childId);
    const original = victim!.actor.userId as string;
    await database
      .collection('audit_log')
      .updateOne({ _id: victim!._id }, { $set: { 'actor.userId': 'someone-else' } });
    const broken = (await call('GET', '/audit-trail/verification', chairman)).json();
    expect(broken).toMatchObject({ intact: false, brokenAt: victim!.seq });
    await database.collection('audit_log').updateOne({ _id: victim!._id }, { $set: { 'actor.userId': original } });
    expect((await call('GET', '/audit-trail/verification', chairman)).json()).toMatchObject({ intact: true });
  });

  it('the audit read API: the commune chairman sees their commune, the province supervisor all; nobody else', async () => {
    const ytyChild = (await register(yty, 'Giàng Thị Pà')).json()._id as string;
    const batxatChild = (await register(batxat, 'Giàng Thị Pà', '02701')).json()._id as string;
    const ids = async (token: string, resourceId: string) => {
      const answer = await call('GET', `/audit-trail?resourceId=${resourceId}`, token);
      expect(answer.statusCode, answer.body).toBe(200);
      return answer.json().items.flatMap((e: { resourceIds: string[] }) => e.resourceIds) as string[];
    };
    expect(await ids(chairman, ytyChild)).toContain(ytyChild);
    expect(await ids(chairman, batxatChild)).toEqual([]);
    expect(await ids(supervisor, ytyChild)).toContain(ytyChild);
    expect(await ids(supervisor, batxatChild)).toContain(batxatChild);
    expect((await call('GET', '/audit-trail', yty)).statusCode).toBe(403);
    expect((await call('GET', '/audit-trail', protection)).statusCode).toBe(403);
  });
});
