import { resolve } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Topics } from '@ecd/contracts';
import { createKafkaClient } from '@ecd/messaging';
import { ServiceProcesses, type ServiceSpec } from '../../infra/local/stack/service-processes';
import { publishShortPolicyVersion } from '../../infra/local/stack/short-policy';
import { loadDemoData, waitForFacilityDirectory } from '../../infra/local/stack/demo-data';
import { EventTap } from '../support/event-tap';
import { databaseUrl, eventually, infra, testLogger, uniqueName } from '../support/infra';
import { signIn } from '../support/sign-in';

/**
 * The issue-4 walk, end to end: each service its own process (as `npm start` runs them), HTTP
 * only, real sign-in, real Kafka, Temporal and FerretDB.
 */
describe('end to end: a child from intake to a closed health referral and an escalated preschool referral', () => {
  const run = uniqueName('e2e');
  // ECD_E2E_PORT_OFFSET lets two checkouts run the suite side by side on one machine.
  const port = (base: number) => base + Number(process.env.ECD_E2E_PORT_OFFSET ?? 10_000);
  const url = (base: number) => `http://127.0.0.1:${port(base)}`;
  const issuer = url(4400);
  const taskQueue = `${run}_referrals`;
  let processes: ServiceProcesses;
  let tap: EventTap;
  let intake: string;
  let nurse: string;

  beforeAll(async () => {
    const { kafkaBrokers, temporalAddress, mongoUrl } = infra();
    const common = (name: string) => ({
      KAFKA_BROKERS: kafkaBrokers,
      TEMPORAL_ADDRESS: temporalAddress,
      TEMPORAL_TASK_QUEUE: taskQueue,
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
      { name: 'referrals', port: port(4100), env: () => common('referrals') },
      { name: 'intake', port: port(4101), env: () => common('intake') },
      { name: 'health', port: port(4102), env: () => common('health') },
      { name: 'education', port: port(4103), env: () => common('education') },
    ];
    processes = new ServiceProcesses({}, resolve(import.meta.dirname, '../../test-results/e2e-logs'));
    for (const spec of specs) processes.start(spec);
    for (const spec of specs) await processes.waitReady(spec, 120_000);

    // An administrator publishes education/routine v2 with second-long windows, so the walk can
    // watch a preschool referral be reminded and escalated within the test.
    await publishShortPolicyVersion(databaseUrl(mongoUrl, `${run}_referrals`), 'education.routine', {
      acceptSeconds: 8,
    });

    tap = new EventTap(
      createKafkaClient({ clientId: run, brokers: kafkaBrokers.split(','), logger: testLogger('tap') }),
      [Topics.referrals],
    );
    await tap.start();
    [intake, nurse] = await Promise.all([
      signIn(url(4400), 'canbo.yty', 'yty-intake-01'),
      signIn(url(4400), 'yte.yty', 'yty-health-01'),
    ]);
    // Health and education register their facilities at start; referrals wait for intake's directory.
    await waitForFacilityDirectory(url(4101), intake, ['TYT-02704', 'MN-02704']);
  }, 240_000);

  afterAll(async () => {
    await tap?.stop();
    await processes?.stopAll();
  });

  const http = async (
    method: 'GET' | 'POST',
    base: number,
    path: string,
    token: string,
    body?: unknown,
    key?: string,
  ) => {
    const response = await fetch(`${url(base)}${path}`, {
      method,
      headers: {
        authorization: `Bearer ${token}`,
        ...(body ? { 'content-type': 'application/json' } : {}),
        ...(key ? { 'idempotency-key': key } : {}),
      },
      ...(body ? { body: JSON.stringify(body) } : {}),
    });
    return { status: response.status, body: (await response.json()) as Record<string, any> }; // eslint-disable-line @typescript-eslint/no-explicit-any
  };
  const daysAgo = (days: number) => new Date(Date.now() + 7 * 3_600_000 - days * 86_400_000).toISOString().slice(0, 10);

  it('walks the whole loop over HTTP', async () => {
    // Intake registers a child (about 11 months old) and opens a case.
    const child = await http('POST', 4101, '/children', intake, {
      fullName: 'Giàng Thị Mỷ',
      dateOfBirth: daysAgo(340),
      sex: 'female',
      ethnicityCode: '08',
      communeCode: '02704',
      village: 'Thôn Lao Chải',
      caregivers: [{ name: 'Giàng Seo Lử', relationship: 'father' }],
      birthRegistered: true,
    });
    expect(child.status, JSON.stringify(child.body)).toBe(201);
    const kase = await http('POST', 4101, '/cases', intake, { childId: child.body._id, concerns: ['health'] });
    expect(kase.status).toBe(201);
    const caseId = kase.body._id as string;

    // Screening flags an overdue vaccination and a developmental warning sign.
    const screening = await http('POST', 4101, `/cases/${caseId}/screenings`, intake, {
      vaccinations: [{ vaccine: 'BCG', dose: 1, date: daysAgo(339) }],
      developmentObservations: { 'social-smile': true, 'back-and-forth-sounds-smiles': false },
    });
    expect(screening.status, JSON.stringify(screening.body)).toBe(201);
    const codes = screening.body.findings.map((f: { code: string }) => f.code);
    expect(codes).toEqual(expect.arrayContaining(['vaccination-overdue', 'development-warning-sign']));

    // The father consents to sharing with health and education; then referrals to both.
    const consent = await http('POST', 4101, `/children/${child.body._id}/consents`, intake, {
      givenBy: { name: 'Giàng Seo Lử', relationship: 'parent' },
      sharingWith: ['health', 'education'],
      givenOn: daysAgo(0),
    });
    expect(consent.status, JSON.stringify(consent.body)).toBe(201);
    const toHealthStation = {
      sector: 'health',
      urgency: 'routine',
      facilityId: 'TYT-02704',
      reason: 'Pentavalent and polio overdue; no back-and-forth sounds at 9 months',
    };
    const toHealth = await http('POST', 4101, `/cases/${caseId}/referrals`, intake, toHealthStation, `${run}-health`);
    const toPreschool = await http(
      'POST',
      4101,
      `/cases/${caseId}/referrals`,
      intake,
      {
        sector: 'education',
        urgency: 'routine',
        facilityId: 'MN-02704',
        reason: 'Early intervention for a developmental warning sign',
      },
      `${run}-preschool`,
    );
    expect([toHealth.status, toPreschool.status]).toEqual([201, 201]);
    const healthId = toHealth.body.referralId as string;
    const preschoolId = toPreschool.body.referralId as string;

    // The health station sees it in its inbox, accepts it and completes it with a service record.
    await eventually(async () => {
      const inbox = await http('GET', 4102, '/inbox', nurse);
      expect(inbox.body.map((i: { _id: string }) => i._id)).toContain(healthId);
    });
    expect((await http('POST', 4102, `/inbox/${healthId}/accept`, nurse)).status).toBe(200);
    const completed = await http('POST', 4102, `/inbox/${healthId}/complete`, nurse, {
      kind: 'vaccination',
      date: daysAgo(0),
      summary: 'DPT-VGB-Hib and OPV dose 1 given; developmental assessment booked',
    });
    expect(completed.body).toMatchObject({ state: 'COMPLETED' });
    const recordId = completed.body.outcome.serviceRecordId as string;

    // Intake sees the loop closed, with that record.
    await eventually(async () => {
      const view = await http('GET', 4101, `/cases/${caseId}`, intake);
      expect(view.body.referrals.find((r: { referralId: string }) => r.referralId === healthId)).toMatchObject({
        state: 'COMPLETED',
        serviceRecordId: recordId,
      });
    });

    // A retry of the request after the referral completed is the same referral, not a new one.
    const retried = await http('POST', 4101, `/cases/${caseId}/referrals`, intake, toHealthStation, `${run}-health`);
    expect(retried).toMatchObject({ status: 200, body: { referralId: healthId, created: false } });

    // The preschool never accepts: a reminder, then an escalation, on Kafka and in the history.
    const escalated = await eventually(() => {
      const events = tap.events.filter((e) => e.event.data.referralId === preschoolId).map((e) => e.event);
      expect(events.map((e) => e.type)).toEqual([
        'referral.requested.v1',
        'referral.reminder_due.v1',
        'referral.escalated.v1',
      ]);
      return events[2]!;
    }, 30_000);
    expect(escalated.data).toMatchObject({ level: 1, reason: 'NOT_ACCEPTED', responsibleUnitCode: '02704' });
    await eventually(async () => {
      const view = await http('GET', 4101, `/cases/${caseId}`, intake);
      expect(view.body.referrals.find((r: { referralId: string }) => r.referralId === preschoolId)).toMatchObject({
        state: 'REQUESTED',
        escalationLevel: 1,
      });
      expect(view.body.timeline.map((t: { kind: string }) => t.kind)).toContain('referral.escalated');
    });
  });

  it('loads the demo data of `npm start` through the same APIs; a second load adds nothing', async () => {
    const targets = { intakeUrl: url(4101), identityUrl: url(4400), healthUrl: url(4102), educationUrl: url(4103) };
    const first = await loadDemoData(targets, 24);
    expect(first.added).toMatchObject({ children: 24, cases: 15 });
    expect(first.added.consents).toBeGreaterThan(18);
    expect(first.added.screenings).toBeGreaterThan(0);
    expect(first.added.referrals).toBeGreaterThan(0);
    expect(first.added.facilityActions).toBeGreaterThanOrEqual(6);
    expect(first.kept).toEqual([]);
    const second = await loadDemoData(targets, 24);
    expect(second.added).toEqual(Object.fromEntries(Object.keys(first.added).map((kind) => [kind, 0])));
    expect(second.alreadyThere).toEqual(first.added);
    expect(second.kept).toEqual([]);
  });
});
