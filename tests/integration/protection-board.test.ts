import { resolve } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Topics } from '@ecd/contracts';
import { createKafkaClient, ensureTopics } from '@ecd/messaging';
import { ServiceProcesses, type ServiceSpec } from '../../infra/local/stack/service-processes';
import { publishShortPolicyVersion } from '../../infra/local/stack/short-policy';
import { EventTap } from '../support/event-tap';
import { databaseUrl, eventually, infra, testLogger, uniqueName } from '../support/infra';
import { testEncryptionKeys } from '../support/protection';
import { registerDemoFacilities } from '../support/directory';
import { waitForFacilityDirectory } from '../../infra/local/stack/demo-data';
import { signIn } from '../support/sign-in';

/**
 * End to end, each service its own process, HTTP only: a referral the health station of Y Tý never
 * accepts lands on the escalation board of Y Tý's protection officer (not on Bát Xát's), who
 * acknowledges it there; the referral then stops climbing the ladder.
 */
describe('end to end: an unaccepted health referral on the protection officer’s escalation board', () => {
  const run = uniqueName('board');
  const port = (base: number) => base + Number(process.env.ECD_E2E_PORT_OFFSET ?? 10_000);
  const url = (base: number) => `http://127.0.0.1:${port(base)}`;
  const issuer = url(4400);
  const taskQueue = `${run}_referrals`;
  /** Second-long windows so the walk fits in a test: accept within 8 s, next level 30 s later. */
  const ESCALATION_INTERVAL_S = 30;
  let processes: ServiceProcesses;
  let tap: EventTap;
  const token: Record<string, string> = {};

  beforeAll(async () => {
    const { kafkaBrokers, temporalAddress, mongoUrl } = infra();
    const common = (name: string) => ({
      KAFKA_BROKERS: kafkaBrokers,
      TEMPORAL_ADDRESS: temporalAddress,
      KAFKA_GROUP_ID: `${run}_${name}`,
      MONGO_URL: databaseUrl(mongoUrl, `${run}_${name}`),
      OIDC_ISSUER: issuer,
      OIDC_JWKS_URL: `${issuer}/jwks`,
      LOG_LEVEL: 'warn',
    });
    const specs: ServiceSpec[] = [
      {
        name: 'identity',
        port: port(4400),
        env: () => ({ ISSUER: issuer, MONGO_URL: databaseUrl(mongoUrl, `${run}_identity`), LOG_LEVEL: 'warn' }),
      },
      { name: 'referrals', port: port(4100), env: () => ({ ...common('referrals'), TEMPORAL_TASK_QUEUE: taskQueue }) },
      { name: 'intake', port: port(4101), env: () => ({ ...common('intake'), TEMPORAL_TASK_QUEUE: taskQueue }) },
      {
        name: 'protection',
        port: port(4104),
        env: () => ({
          ...common('protection'),
          TEMPORAL_TASK_QUEUE: `${run}_protection`,
          TEMPORAL_REFERRALS_TASK_QUEUE: taskQueue,
          PROTECTION_ENCRYPTION_KEYS: testEncryptionKeys(),
          PROTECTION_ENCRYPTION_KEY_ID: 'k1',
        }),
      },
    ];
    processes = new ServiceProcesses({}, resolve(import.meta.dirname, '../../test-results/e2e-logs'));
    for (const spec of specs) processes.start(spec);
    for (const spec of specs) await processes.waitReady(spec, 120_000);
    // No health process here: the demo stations' registrations are put on Kafka as health does.
    await registerDemoFacilities();

    await publishShortPolicyVersion(databaseUrl(mongoUrl, `${run}_referrals`), 'health.routine', {
      acceptSeconds: 8,
      escalationIntervalSeconds: ESCALATION_INTERVAL_S,
    });

    const kafka = createKafkaClient({ clientId: run, brokers: kafkaBrokers.split(','), logger: testLogger('tap') });
    await ensureTopics(kafka, Object.values(Topics));
    tap = new EventTap(kafka, [Topics.referrals]);
    await tap.start();
    const accounts = {
      intake: ['canbo.yty', 'yty-intake-01'],
      officer: ['baove.yty', 'yty-protection-01'],
      otherOfficer: ['baove.batxat', 'batxat-protection-01'],
    } as const;
    for (const [name, [user, password]] of Object.entries(accounts))
      token[name] = await signIn(url(4400), user, password);
    await waitForFacilityDirectory(url(4101), token.intake!, ['TYT-02704']);
  }, 240_000);

  afterAll(async () => {
    await tap?.stop();
    await processes?.stopAll();
  });

  const http = async (
    method: 'GET' | 'POST',
    base: number,
    path: string,
    who: string,
    body?: unknown,
    key?: string,
  ) => {
    const response = await fetch(`${url(base)}${path}`, {
      method,
      headers: {
        authorization: `Bearer ${token[who]}`,
        ...(body ? { 'content-type': 'application/json' } : {}),
        ...(key ? { 'idempotency-key': key } : {}),
      },
      ...(body ? { body: JSON.stringify(body) } : {}),
    });
    return { status: response.status, body: (await response.json()) as Record<string, any> }; // eslint-disable-line @typescript-eslint/no-explicit-any
  };

  it('appears on the board of Y Tý’s officer only, is acknowledged there, and stops escalating', async () => {
    const today = new Date(Date.now() + 7 * 3_600_000).toISOString().slice(0, 10);
    const child = await http('POST', 4101, '/children', 'intake', {
      fullName: 'Giàng Seo Vừ',
      dateOfBirth: '2025-06-01',
      sex: 'male',
      ethnicityCode: '08',
      communeCode: '02704',
      village: 'Thôn Lao Chải',
      caregivers: [{ name: 'Giàng Seo Lử', relationship: 'father' }],
      birthRegistered: true,
    });
    expect(child.status, JSON.stringify(child.body)).toBe(201);
    const consent = await http('POST', 4101, `/children/${child.body._id}/consents`, 'intake', {
      givenBy: { name: 'Giàng Seo Lử', relationship: 'parent' },
      sharingWith: ['health'],
      givenOn: today,
    });
    expect(consent.status, JSON.stringify(consent.body)).toBe(201);
    const kase = await http('POST', 4101, '/cases', 'intake', { childId: child.body._id, concerns: ['health'] });
    expect(kase.status, JSON.stringify(kase.body)).toBe(201);
    const referred = await http(
      'POST',
      4101,
      `/cases/${kase.body._id}/referrals`,
      'intake',
      { sector: 'health', urgency: 'routine', facilityId: 'TYT-02704', reason: 'Measles vaccination overdue' },
      `${run}-health`,
    );
    expect(referred.status, JSON.stringify(referred.body)).toBe(201);
    const referralId = referred.body.referralId as string;
    const entryId = `referral-${referralId}`;

    // The station never accepts: level 1 (the commune) on Kafka, then on the officer's board.
    const entry = await eventually(async () => {
      const board = await http('GET', 4104, '/board', 'officer');
      const found = board.body.items.find((i: { _id: string }) => i._id === entryId);
      expect(found).toBeDefined();
      return found;
    }, 60_000);
    expect(entry).toMatchObject({
      kind: 'referral',
      sector: 'health',
      facilityId: 'TYT-02704',
      reason: 'NOT_ACCEPTED',
      level: 1,
      responsibleUnitCode: '02704',
      open: true,
    });
    const other = await http('GET', 4104, '/board', 'otherOfficer');
    expect(other.status).toBe(200);
    expect(other.body.items.map((i: { _id: string }) => i._id)).not.toContain(entryId);
    expect((await http('POST', 4104, `/board/${entryId}/notes`, 'otherOfficer', { text: 'x' })).status).toBe(404);

    const acknowledged = await http('POST', 4104, `/board/${entryId}/acknowledge`, 'officer', {
      note: 'Đã gọi trạm y tế; trạm sẽ tiếp nhận trong ngày',
    });
    expect(acknowledged.status, JSON.stringify(acknowledged.body)).toBe(200);
    expect((await http('POST', 4104, `/board/${entryId}/ownership`, 'officer')).body.owner).toMatchObject({
      userId: expect.any(String),
    });
    await eventually(async () => {
      const board = await http('GET', 4104, '/board', 'officer');
      expect(board.body.items.find((i: { _id: string }) => i._id === entryId).acknowledged).toMatchObject({
        role: 'protection-officer',
      });
    });

    // Past the moment level 2 (the province) was due: nothing more climbed the ladder.
    const escalatedAt = Date.parse(entry.escalatedAt as string);
    const quietUntil = escalatedAt + (ESCALATION_INTERVAL_S + 10) * 1000;
    await new Promise((r) => setTimeout(r, Math.max(0, quietUntil - Date.now())));
    const types = tap.events.filter((e) => e.event.data.referralId === referralId).map((e) => e.event.type);
    expect(types.filter((t) => t === 'referral.escalated.v1')).toHaveLength(1);
    expect(types).toContain('referral.escalation_acknowledged.v1');
    // The officer's note stays on the board: no event (and no workflow history) carries it.
    const onTheWire = JSON.stringify(tap.events.filter((e) => e.event.data.referralId === referralId));
    expect(onTheWire).not.toContain('Đã gọi trạm y tế');
    const after = await http('GET', 4104, '/board', 'officer');
    expect(after.body.items.find((i: { _id: string }) => i._id === entryId)).toMatchObject({ level: 1, open: true });
  }, 180_000);
});
