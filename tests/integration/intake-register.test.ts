import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import mongoose, { type Connection } from 'mongoose';
import type { IntakeService } from '../../services/intake/src/intake-service';
import { buildIdentityService, type IdentityService } from '../../services/identity/src/identity-service';
import { loadIdentityConfig } from '../../services/identity/src/config';
import { signIn } from '../support/sign-in';
import { startIntake } from '../support/stack';
import { databaseUrl, infra, testLogger, uniqueName, identityDatabase } from '../support/infra';

/**
 * Intake behind sign-in: every read and write limited to the caller's commune; the child register
 * with its duplicate check; cases opened for registered children.
 */
describe('intake: commune scope, child register, screening', () => {
  const ISSUER = 'http://identity.test';
  let identity: IdentityService;
  let intake: IntakeService;
  let database: Connection;
  let yty: string; // canbo.yty, intake-staff, 02704
  let batxat: string; // canbo.batxat, intake-staff, 02701
  let protection: string; // baove.yty, protection-officer, 02704
  let chairman: string; // chutich.yty, commune-chairman, 02704
  let nurse: string; // yte.yty, health-staff
  let identityUrl: string;

  beforeAll(async () => {
    const { mongoUrl } = infra();
    identity = await buildIdentityService(
      loadIdentityConfig({ PORT: '0', MONGO_URL: identityDatabase(), ISSUER }),
      testLogger('identity'),
    );
    await identity.start();
    identityUrl = await identity.app.listen({ host: '127.0.0.1', port: 0 });
    const url = databaseUrl(mongoUrl, uniqueName('intake'));
    ({ intake } = await startIntake(identityUrl, { MONGO_URL: url }));
    database = await mongoose.createConnection(url).asPromise();
    [yty, batxat, protection, chairman, nurse] = await Promise.all([
      signIn(identityUrl, 'canbo.yty', 'yty-intake-01'),
      signIn(identityUrl, 'canbo.batxat', 'batxat-intake-01'),
      signIn(identityUrl, 'baove.yty', 'yty-protection-01'),
      signIn(identityUrl, 'chutich.yty', 'yty-chairman-01'),
      signIn(identityUrl, 'yte.yty', 'yty-health-01'),
    ]);
  });

  afterAll(async () => {
    await intake?.stop();
    await identity?.stop();
    await database?.close();
  });

  const call = (method: 'GET' | 'POST', url: string, token?: string, body?: unknown, key?: string) =>
    intake.app.inject({
      method,
      url,
      headers: {
        ...(token ? { authorization: `Bearer ${token}` } : {}),
        ...(body ? { 'content-type': 'application/json' } : {}),
        ...(key ? { 'idempotency-key': key } : {}),
      },
      ...(body ? { payload: JSON.stringify(body) } : {}),
    });

  const openCase = async (token: string, communeCode: string, fullName = 'Lò Thị Mai') => {
    const response = await call('POST', '/cases', token, {
      child: { fullName, dateOfBirth: '2024-03-01', sex: 'female', communeCode },
      concerns: ['health'],
    });
    expect(response.statusCode).toBe(201);
    return response.json() as { _id: string; childId: string };
  };

  const child = (overrides: Record<string, unknown> = {}) => ({
    fullName: 'Nguyễn Thị Hoà',
    dateOfBirth: '2023-06-15',
    sex: 'female',
    ethnicityCode: '14',
    communeCode: '02704',
    village: 'Thôn Lao Chải',
    caregivers: [{ name: 'Nguyễn Văn Minh', relationship: 'father', phone: '0912345678' }],
    birthRegistered: true,
    specialCircumstances: ['04'],
    disability: true,
    ...overrides,
  });

  it("a commune's case is invisible to another commune: 404, never its data, and not in its list", async () => {
    const mine = await openCase(yty, '02704');
    const theirs = await openCase(batxat, '02701', 'Vàng A Sử');

    const read = await call('GET', `/cases/${mine._id}`, batxat);
    expect(read.statusCode).toBe(404);
    expect(read.body).not.toContain('Lò Thị Mai');
    expect((await call('GET', `/cases/${mine._id}`, yty)).statusCode).toBe(200);

    const list = (await call('GET', '/cases', batxat)).json() as { total: number; items: { _id: string }[] };
    expect(list.items.map((c) => c._id)).toContain(theirs._id);
    expect(list.items.map((c) => c._id)).not.toContain(mine._id);
    expect(list.total).toBe(await database.collection('cases').countDocuments({ 'child.communeCode': '02701' }));
    const ytyList = (await call('GET', '/cases', yty)).json() as { total: number; items: { _id: string }[] };
    expect(ytyList.items.map((c) => c._id)).not.toContain(theirs._id);
    const open = (await call('GET', '/cases?status=OPEN', batxat)).json() as { total: number };
    expect(open.total).toBe(
      await database.collection('cases').countDocuments({ 'child.communeCode': '02701', status: 'OPEN' }),
    );
  });

  it('an Idempotency-Key is per commune: another commune using the same key opens its own case', async () => {
    const key = uniqueName('shared-key');
    const body = (communeCode: string) => ({
      child: { fullName: 'Lò Thị Mai', dateOfBirth: '2024-03-01', sex: 'female', communeCode },
      concerns: ['health'],
    });
    const post = (token: string, communeCode: string) =>
      intake.app.inject({
        method: 'POST',
        url: '/cases',
        headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json', 'idempotency-key': key },
        payload: JSON.stringify(body(communeCode)),
      });
    const mine = await post(yty, '02704');
    const theirs = await post(batxat, '02701');
    expect(mine.statusCode).toBe(201);
    expect(theirs.statusCode).toBe(201);
    expect(theirs.json()._id).not.toBe(mine.json()._id);
    expect(theirs.json().child.communeCode).toBe('02701');
  });

  it('reads are open to the commune’s protection officer and chairman; writes only to intake staff', async () => {
    const mine = await openCase(yty, '02704');
    expect((await call('GET', `/cases/${mine._id}`, protection)).statusCode).toBe(200);
    expect((await call('GET', `/cases/${mine._id}`, chairman)).statusCode).toBe(200);
    const write = await call('POST', '/cases', protection, {
      child: { fullName: 'Lò Thị Mai', dateOfBirth: '2024-03-01', sex: 'female', communeCode: '02704' },
      concerns: ['health'],
    });
    expect(write.statusCode).toBe(403);
    expect(write.json().message).toMatch(/role 'protection-officer' may not do this/);
    const nurseRead = await call('GET', `/cases/${mine._id}`, nurse);
    expect(nurseRead.statusCode).toBe(403);
    expect((await call('GET', '/cases')).statusCode).toBe(401);
    expect((await call('GET', '/children')).statusCode).toBe(401);
  });

  it('"Nguyễn Thị Hoà" then "nguyen thi hoa", same date of birth and commune → 409 listing the first', async () => {
    const dateOfBirth = '2022-01-09';
    const first = await call('POST', '/children', yty, child({ dateOfBirth }));
    expect(first.statusCode).toBe(201);
    const registered = first.json() as { _id: string; nameKey: string };
    expect(registered.nameKey).toBe('nguyen thi hoa');

    const second = await call('POST', '/children', yty, child({ dateOfBirth, fullName: 'nguyen thi hoa' }));
    expect(second.statusCode).toBe(409);
    expect(second.json().possibleDuplicates).toEqual([
      { childId: registered._id, fullName: 'Nguyễn Thị Hoà', dateOfBirth },
    ]);
    expect(await database.collection('children').countDocuments({ dateOfBirth })).toBe(1);

    // Another commune's register is separate: the same child there is no duplicate of this one.
    const elsewhere = await call('POST', '/children', batxat, child({ dateOfBirth, communeCode: '02701' }));
    expect(elsewhere.statusCode).toBe(201);

    const confirmed = await call(
      'POST',
      '/children',
      yty,
      child({ dateOfBirth, fullName: 'nguyen thi hoa', confirmedNotDuplicate: true }),
    );
    expect(confirmed.statusCode).toBe(201);
    expect(await database.collection('children').countDocuments({ dateOfBirth, communeCode: '02704' })).toBe(2);
  });

  it('the register refuses other communes, unknown ethnic groups and unknown special circumstances', async () => {
    const foreign = await call('POST', '/children', yty, child({ communeCode: '02701' }));
    expect(foreign.statusCode).toBe(403);
    const ethnicity = await call('POST', '/children', yty, child({ ethnicityCode: '55' }));
    expect(ethnicity.statusCode).toBe(400);
    expect(ethnicity.json().problems.map((p: { field: string }) => p.field)).toContain('ethnicityCode');
    const groups = await call('POST', '/children', yty, child({ specialCircumstances: ['04', '15'] }));
    expect(groups.statusCode).toBe(400);
    expect(groups.json().problems.map((p: { field: string }) => p.field)).toContain('specialCircumstances.1');
    const unknownField = await call('POST', '/children', yty, child({ religion: 'x' }));
    expect(unknownField.statusCode).toBe(400);
    const wrongRole = await call('POST', '/children', chairman, child());
    expect(wrongRole.statusCode).toBe(403);
  });

  it('search by name without diacritics finds the commune’s children only; GET /children/:id is scoped', async () => {
    const name = 'Giàng Thị Dợ';
    const created = (await call('POST', '/children', yty, child({ fullName: name, dateOfBirth: '2021-11-30' }))).json();
    const theirs = (
      await call(
        'POST',
        '/children',
        batxat,
        child({ fullName: name, dateOfBirth: '2021-11-30', communeCode: '02701' }),
      )
    ).json();
    const search = await call('GET', `/children?q=${encodeURIComponent('giang thi do')}`, yty);
    expect(search.statusCode, search.body).toBe(200);
    const found = search.json() as { _id: string }[];
    expect(found.map((c) => c._id)).toContain(created._id);
    expect(found.map((c) => c._id)).not.toContain(theirs._id);
    expect((await call('GET', `/children?q=${encodeURIComponent('GIÀNG')}`, protection)).json().length).toBeGreaterThan(
      0,
    );
    expect((await call('GET', `/children/${created._id}`, yty)).json().fullName).toBe(name);
    const cross = await call('GET', `/children/${created._id}`, batxat);
    expect(cross.statusCode).toBe(404);
    expect(cross.body).not.toContain('Giàng');
    const indexes = await database.collection('children').indexes();
    expect(indexes.some((i) => Object.keys(i.key).includes('nameKey'))).toBe(true);
  });

  it('POST /cases with the childId of a registered child; another commune cannot use it', async () => {
    const registered = (await call('POST', '/children', yty, child({ dateOfBirth: '2024-08-08' }))).json() as {
      _id: string;
    };
    const opened = await call('POST', '/cases', yty, { childId: registered._id, concerns: ['nutrition'] });
    expect(opened.statusCode).toBe(201);
    expect(opened.json()).toMatchObject({
      childId: registered._id,
      child: { fullName: 'Nguyễn Thị Hoà', dateOfBirth: '2024-08-08', sex: 'female', communeCode: '02704' },
    });
    const cross = await call('POST', '/cases', batxat, { childId: registered._id, concerns: ['nutrition'] });
    expect(cross.statusCode).toBe(404);
  });
  const vietnamToday = () => new Date(Date.now() + 7 * 3_600_000).toISOString().slice(0, 10);
  const daysAgo = (days: number) => new Date(Date.now() + 7 * 3_600_000 - days * 86_400_000).toISOString().slice(0, 10);

  it('POST /cases/:caseId/screenings runs the screening, keeps findings and suggested referrals on the case', async () => {
    const registered = (
      await call('POST', '/children', yty, child({ dateOfBirth: daysAgo(330), birthRegistered: false }))
    ).json() as { _id: string };
    const opened = (await call('POST', '/cases', yty, { childId: registered._id, concerns: ['health'] })).json() as {
      _id: string;
    };
    const response = await call('POST', `/cases/${opened._id}/screenings`, yty, {
      measurements: { date: vietnamToday(), weightKg: 5.2, lengthCm: 66 },
      vaccinations: [{ vaccine: 'BCG', dose: 1, date: daysAgo(329) }],
      developmentObservations: {},
    });
    expect(response.statusCode, response.body).toBe(201);
    const screening = response.json() as {
      today: string;
      ageMonths: number;
      findings: { code: string }[];
      suggestedReferrals: { sector: string }[];
    };
    expect(screening.today).toBe(vietnamToday());
    expect(screening.ageMonths).toBeGreaterThanOrEqual(10);
    const codes = screening.findings.map((f) => f.code);
    expect(codes).toContain('vaccination-overdue');
    // Birth registration and disability come from the child register.
    expect(codes).toContain('birth-not-registered');
    expect(screening.suggestedReferrals.map((r) => r.sector)).toContain('health');

    const view = (await call('GET', `/cases/${opened._id}`, protection)).json() as {
      status: string;
      screenings: unknown[];
      timeline: { kind: string }[];
    };
    expect(view.status).toBe('SCREENED');
    expect(view.screenings).toEqual([screening]);
    expect(view.timeline.map((t) => t.kind)).toContain('case.screened');
  });

  it('bad screening input → 400 naming the field; another commune’s case → 404; nothing stored', async () => {
    const opened = await openCase(yty, '02704');
    const negative = await call('POST', `/cases/${opened._id}/screenings`, yty, {
      child: { birthRegistered: true },
      measurements: { date: vietnamToday(), weightKg: -1 },
    });
    expect(negative.statusCode).toBe(400);
    expect(negative.json().problems.map((p: { field: string }) => p.field)).toContain('measurements.weightKg');
    const missing = await call('POST', `/cases/${opened._id}/screenings`, yty, { measurements: undefined });
    expect(missing.statusCode).toBe(400);
    expect(missing.json().problems.map((p: { field: string }) => p.field)).toContain('child.birthRegistered');
    const future = await call('POST', `/cases/${opened._id}/screenings`, yty, {
      child: { birthRegistered: true },
      vaccinations: [{ vaccine: 'BCG', dose: 1, date: '2099-01-01' }],
    });
    expect(future.statusCode).toBe(400);
    expect(future.json().problems.map((p: { field: string }) => p.field)).toContain('vaccinations.0.date');
    const cross = await call('POST', `/cases/${opened._id}/screenings`, batxat, { child: { birthRegistered: true } });
    expect(cross.statusCode).toBe(404);
    const readOnly = await call('POST', `/cases/${opened._id}/screenings`, chairman, {
      child: { birthRegistered: true },
    });
    expect(readOnly.statusCode).toBe(403);
    const stored = await database.collection('cases').findOne({ _id: opened._id as never });
    expect(stored?.screenings ?? []).toHaveLength(0);
    expect(stored?.status).toBe('OPEN');
  });
  it('one Idempotency-Key, one record: a retried registration or screening answers 200 with the first', async () => {
    const key = uniqueName('child');
    const body = child({ fullName: 'Thào Thị Dính', dateOfBirth: '2022-02-02' });
    const first = await call('POST', '/children', yty, body, key);
    const retried = await call('POST', '/children', yty, body, key);
    // The retry is not flagged as a duplicate of the first: it is the first.
    expect([first.statusCode, retried.statusCode], retried.body).toEqual([201, 200]);
    expect(retried.json()).toEqual(first.json());
    const other = await call('POST', '/children', yty, { ...body, sex: 'male' }, key);
    expect(other.statusCode).toBe(409);
    expect(other.json().message).toMatch(/Idempotency-Key/);
    expect(await database.collection('children').countDocuments({ fullName: 'Thào Thị Dính' })).toBe(1);
    // Keys are per commune: the same key elsewhere is another registration.
    const elsewhere = await call('POST', '/children', batxat, { ...body, communeCode: '02701' }, key);
    expect(elsewhere.statusCode).toBe(201);

    const { _id: caseId } = (
      await call('POST', '/cases', yty, { childId: first.json()._id, concerns: ['health'] })
    ).json() as { _id: string };
    const screening = { measurements: { date: vietnamToday(), weightKg: 11, heightCm: 86 } };
    const screenKey = uniqueName('screening');
    const screened = await call('POST', `/cases/${caseId}/screenings`, yty, screening, screenKey);
    const screenedAgain = await call('POST', `/cases/${caseId}/screenings`, yty, screening, screenKey);
    expect([screened.statusCode, screenedAgain.statusCode], screenedAgain.body).toEqual([201, 200]);
    expect(screenedAgain.json()).toEqual(screened.json());
    const changed = await call(
      'POST',
      `/cases/${caseId}/screenings`,
      yty,
      { measurements: { date: vietnamToday(), weightKg: 9, heightCm: 86 } },
      screenKey,
    );
    expect(changed.statusCode).toBe(409);
    // A second screening, then the first one's retry again: still two screenings.
    const second = await call('POST', `/cases/${caseId}/screenings`, yty, screening, uniqueName('screening'));
    expect(second.statusCode).toBe(201);
    expect((await call('POST', `/cases/${caseId}/screenings`, yty, screening, screenKey)).statusCode).toBe(200);
    const stored = await database.collection('cases').findOne({ _id: caseId as never });
    expect(stored?.screenings).toHaveLength(2);
    expect(stored?.timeline.filter((t: { kind: string }) => t.kind === 'case.screened')).toHaveLength(2);
    // The bookkeeping behind it never shows.
    const view = (await call('GET', `/cases/${caseId}`, yty)).json() as Record<string, unknown>;
    expect(view).not.toHaveProperty('screeningRequests');
    expect((await call('GET', `/children/${first.json()._id}`, yty)).json()).not.toHaveProperty('requestFingerprint');
  });
});
