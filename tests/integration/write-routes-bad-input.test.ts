import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import mongoose, { type Connection } from 'mongoose';
import type { ServiceApp } from '@ecd/service-kit';
import type { IdentityService } from '../../services/identity/src/identity-service';
import type { IntakeService } from '../../services/intake/src/intake-service';
import type { ReferralsService } from '../../services/referrals/src/referrals-service';
import { buildHealthService } from '../../services/health/src/health-service';
import { loadHealthConfig } from '../../services/health/src/config';
import { buildEducationService } from '../../services/education/src/education-service';
import { loadEducationConfig } from '../../services/education/src/config';
import { buildWelfareService } from '../../services/welfare/src/welfare-service';
import { loadWelfareConfig } from '../../services/welfare/src/config';
import { waitForDirectory } from '../support/directory';
import { signIn } from '../support/sign-in';
import { TEST_ISSUER, startIdentity, startIntake, startReferrals } from '../support/stack';
import { startProtection } from '../support/protection';
import type { ProtectionService } from '../../services/protection/src/protection-service';
import { databaseUrl, eventually, infra, testLogger, uniqueName } from '../support/infra';

interface OpenApiOperation {
  parameters?: { in: string; name: string; required?: boolean; schema?: { pattern?: string; format?: string } }[];
  requestBody?: {
    content: Record<string, { schema: { required?: string[]; additionalProperties?: boolean } }>;
  };
}
type Problem = { field: string; problem: string };

/**
 * Every write route of intake, health, education, welfare and protection, found from each service's own OpenAPI
 * document (so a new route is covered the day it is added): malformed JSON, missing required
 * fields, unknown fields and malformed path ids each get a 400 naming the field and the problem,
 * and none of it changes a single stored document.
 */
describe('bad input on every write route: 400 naming the field, nothing written', () => {
  const taskQueue = uniqueName('referrals');
  let identity: IdentityService;
  let referrals: ReferralsService;
  let intake: IntakeService;
  let protection: { service: ProtectionService; db: string; officer: string; chairman: string };
  const facilities: { name: string; app: ServiceApp; stop: () => Promise<void>; db: string; token: string }[] = [];
  let intakeDb: string;
  let intakeToken: string;
  /** The reference-data administrator of Lào Cai, who alone imports administrative units. */
  let unitsAdministratorToken: string;
  const ids: Record<string, string> = {};

  beforeAll(async () => {
    const { kafkaBrokers, temporalAddress, mongoUrl } = infra();
    const started = await startIdentity();
    identity = started.identity;
    referrals = await startReferrals(taskQueue);
    ({ intake, databaseUrl: intakeDb } = await startIntake(started.url, { TEMPORAL_TASK_QUEUE: taskQueue }));
    const facilityConfig = (name: string) => ({
      MONGO_URL: databaseUrl(mongoUrl, uniqueName(name)),
      KAFKA_BROKERS: kafkaBrokers,
      KAFKA_GROUP_ID: uniqueName(name),
      TEMPORAL_ADDRESS: temporalAddress,
      TEMPORAL_TASK_QUEUE: taskQueue,
      OIDC_ISSUER: TEST_ISSUER,
      OIDC_JWKS_URL: `${started.url}/jwks`,
    });
    const healthConfig = facilityConfig('health');
    const health = await buildHealthService(loadHealthConfig(healthConfig), testLogger('health'));
    const educationConfig = facilityConfig('education');
    const education = await buildEducationService(loadEducationConfig(educationConfig), testLogger('education'));
    const welfareConfig = facilityConfig('welfare');
    const welfare = await buildWelfareService(loadWelfareConfig(welfareConfig), testLogger('welfare'));
    await Promise.all([health.start(), education.start(), welfare.start()]);
    const [intakeStaff, nurse, teacher, welfareOfficer] = await Promise.all([
      signIn(started.url, 'canbo.yty', 'yty-intake-01'),
      signIn(started.url, 'yte.yty', 'yty-health-01'),
      signIn(started.url, 'giaovien.yty', 'yty-teacher-01'),
      signIn(started.url, 'xahoi.yty', 'yty-welfare-01'),
    ]);
    intakeToken = intakeStaff;
    unitsAdministratorToken = await signIn(started.url, 'danhmuc.laocai', 'laocai-units-01');
    const protectionStarted = await startProtection(started.url, { TEMPORAL_REFERRALS_TASK_QUEUE: taskQueue });
    const [officer, chairman] = await Promise.all([
      signIn(started.url, 'baove.yty', 'yty-protection-01'),
      signIn(started.url, 'chutich.yty', 'yty-chairman-01'),
    ]);
    protection = { service: protectionStarted.protection, db: protectionStarted.databaseUrl, officer, chairman };
    // Ids that pass their path patterns; the routes refuse the bad input before looking them up.
    ids.entryId = 'referral-00000000-0000-4000-8000-000000000000';
    ids.facilityId = 'TYT-02704';
    ids.registerEntryId = '00000000-0000-4000-8000-000000000001';
    facilities.push(
      { name: 'health', app: health.app, stop: () => health.stop(), db: healthConfig.MONGO_URL, token: nurse },
      {
        name: 'education',
        app: education.app,
        stop: () => education.stop(),
        db: educationConfig.MONGO_URL,
        token: teacher,
      },
      {
        name: 'welfare',
        app: welfare.app,
        stop: () => welfare.stop(),
        db: welfareConfig.MONGO_URL,
        token: welfareOfficer,
      },
    );
    await waitForDirectory(intake.directory, ['VHXH-02704']);

    // Real records for the path parameters, so a refusal can only come from the bad input.
    const post = async (url: string, body: unknown, key?: string) => {
      const response = await inject(intake.app, intakeToken, 'POST', url, JSON.stringify(body), key);
      expect(response.statusCode, `${url}: ${response.body}`).toBeLessThan(300);
      return response.json() as Record<string, string>;
    };
    const child = await post('/children', {
      fullName: 'Hầu Thị Sểnh',
      dateOfBirth: '2023-04-02',
      sex: 'female',
      ethnicityCode: '08',
      communeCode: '02704',
      caregivers: [{ name: 'Hầu A Chư', relationship: 'father' }],
      birthRegistered: true,
    });
    ids.childId = child._id!;
    ids.caseId = (await post('/cases', { childId: ids.childId, concerns: ['health', 'education', 'welfare'] }))._id!;
    ids.consentId = (
      await post(`/children/${ids.childId}/consents`, {
        givenBy: { name: 'Hầu A Chư', relationship: 'parent' },
        sharingWith: ['health', 'education', 'welfare'],
        givenOn: '2026-01-10',
      })
    )._id!;
    // A transfer waiting for Bát Xát's answer, for the routes that answer one.
    ids.transferId = (
      await post(`/children/${ids.childId}/transfers`, { toCommuneCode: '02701', reason: 'Gia đình chuyển nhà' })
    )._id!;
    for (const [sector, facilityId] of [
      ['health', 'TYT-02704'],
      ['education', 'MN-02704'],
      ['welfare', 'VHXH-02704'],
    ] as const) {
      const { referralId } = await post(
        `/cases/${ids.caseId}/referrals`,
        { sector, urgency: 'routine', facilityId, reason: 'Khám và theo dõi' },
        uniqueName('ref'),
      );
      ids[`${sector}ReferralId`] = referralId!;
    }
    // Events still in flight would change the data under the snapshots: wait until intake's case
    // and every inbox has heard everything (four services start here: a generous hook timeout).
    await eventually(async () => {
      const view = (await inject(intake.app, intakeToken, 'GET', `/cases/${ids.caseId}`)).json() as {
        screeningDueAt?: string;
        referrals?: unknown[];
      };
      expect(view.screeningDueAt).toBeDefined();
      expect(view.referrals).toHaveLength(3);
    });
    for (const facility of facilities) {
      const referralId = ids[`${facility.name}ReferralId`]!;
      await eventually(async () => {
        const response = await inject(facility.app, facility.token, 'GET', `/inbox/${referralId}`);
        expect(response.statusCode).toBe(200);
      });
    }
  }, 240_000);

  afterAll(async () => {
    for (const facility of facilities) await facility.stop();
    await protection?.service.stop();
    await intake?.stop();
    await referrals?.stop();
    await identity?.stop();
  });

  function inject(
    app: ServiceApp,
    token: string,
    method: 'GET' | 'POST' | 'PUT',
    url: string,
    payload?: string,
    key?: string,
  ) {
    return app.inject({
      method,
      url,
      headers: {
        authorization: `Bearer ${token}`,
        ...(payload !== undefined ? { 'content-type': 'application/json' } : {}),
        'idempotency-key': key ?? uniqueName('key'),
      },
      ...(payload !== undefined ? { payload } : {}),
    });
  }

  /** Every document of every collection: "nothing written" means this does not change. */
  async function snapshot(url: string): Promise<string> {
    const connection: Connection = await mongoose.createConnection(url).asPromise();
    try {
      const names = (await connection.db!.listCollections().toArray()).map((c) => c.name).sort();
      const all: Record<string, unknown[]> = {};
      for (const name of names) all[name] = await connection.db!.collection(name).find().sort({ _id: 1 }).toArray();
      return JSON.stringify(all);
    } finally {
      await connection.close();
    }
  }

  async function checkWriteRoutes(
    app: ServiceApp,
    token: string,
    db: string,
    service: string,
    /** A route whose role differs from the service's usual writer (e.g. the chairman's approval). */
    tokenFor: (path: string) => string = () => token,
  ) {
    const spec = (await app.inject({ method: 'GET', url: '/docs/json' })).json() as {
      paths: Record<string, Record<string, OpenApiOperation>>;
    };
    const writes = Object.entries(spec.paths).flatMap(([path, operations]) =>
      Object.entries(operations)
        .filter(([method]) => ['post', 'put', 'patch', 'delete'].includes(method))
        .map(([method, operation]) => ({ path, method, operation })),
    );
    expect(writes.length, `${service} has write routes`).toBeGreaterThan(0);
    const before = await snapshot(db);
    const checked: string[] = [];
    for (const { path, method, operation } of writes) {
      // A PUT (the directory's update) is sent as a PUT; every other write route is a POST.
      const verb = method === 'put' ? 'PUT' : 'POST';
      const params = (operation.parameters ?? []).filter((p) => p.in === 'path');
      const concrete = (badParam?: string) =>
        path.replace(/\{(\w+)\}/g, (_, name: string) => {
          if (name === badParam) return 'not%20an%20id!';
          const known = name === 'referralId' ? (ids[`${service}ReferralId`] ?? ids.healthReferralId) : ids[name];
          if (!known) throw new Error(`${service} ${path}: no test record for the path parameter ${name}`);
          return known;
        });
      const body = operation.requestBody?.content['application/json']?.schema;
      const expectProblem = async (payload: string | undefined, fields: string[], what: string, url = concrete()) => {
        const response = await inject(app, tokenFor(path), verb, url, payload);
        expect(response.statusCode, `${service} ${verb} ${path} ${what}: ${response.body}`).toBe(400);
        const problems = (response.json() as { problems?: Problem[] }).problems ?? [];
        for (const field of fields) {
          expect(
            problems.map((p) => p.field),
            `${service} POST ${path} ${what}`,
          ).toContain(field);
        }
        expect(problems.every((p) => p.problem.length > 2)).toBe(true);
        checked.push(`${path} ${what}`);
      };

      if (body) {
        await expectProblem('{"broken": ', [], 'malformed JSON');
        if (body.required?.length) await expectProblem('{}', body.required, 'missing required fields');
        if (body.additionalProperties === false) {
          await expectProblem(JSON.stringify({ zzUnknownField: true }), ['zzUnknownField'], 'unknown field');
        }
        await expectProblem('[1, 2]', [], 'an array instead of an object');
      }
      for (const param of params.filter((p) => p.schema?.pattern || p.schema?.format)) {
        await expectProblem(body ? '{}' : undefined, [param.name], `malformed ${param.name}`, concrete(param.name));
      }
    }
    expect(await snapshot(db), `${service}: bad input changed stored data`).toBe(before);
    return checked;
  }

  it('intake', async () => {
    const checked = await checkWriteRoutes(intake.app, intakeToken, intakeDb, 'intake', (path) =>
      path.startsWith('/administrative-units') ? unitsAdministratorToken : intakeToken,
    );
    expect(checked.length).toBeGreaterThanOrEqual(38);
    // The routes this suite knows of are all among those checked (the OpenAPI list may grow).
    for (const route of [
      '/children',
      '/cases',
      '/cases/{caseId}/screenings',
      '/cases/{caseId}/referrals',
      '/cases/{caseId}/referrals/{referralId}/withdraw',
      '/cases/{caseId}/close',
      '/children/{childId}/consents',
      '/children/{childId}/consents/{consentId}/withdraw',
      '/children/{childId}/corrections',
      '/children/{childId}/transfers',
      '/transfers/{transferId}/accept',
      '/transfers/{transferId}/decline',
      '/administrative-units/imports',
    ]) {
      expect(
        checked.some((c) => c.startsWith(`${route} `)),
        route,
      ).toBe(true);
    }
  });

  it('protection: cases, escalation board and register', async () => {
    const { service, db, officer, chairman } = protection;
    const checked = await checkWriteRoutes(service.app, officer, db, 'protection', (path) =>
      path.endsWith('/approval') ? chairman : officer,
    );
    for (const route of [
      '/protection-cases',
      '/protection-cases/{caseId}/risk-assessment',
      '/protection-cases/{caseId}/emergency-measures',
      '/protection-cases/{caseId}/case-meeting',
      '/protection-cases/{caseId}/plan',
      '/protection-cases/{caseId}/approval',
      '/protection-cases/{caseId}/implementation',
      '/protection-cases/{caseId}/review',
      '/protection-cases/{caseId}/closure',
      '/protection-cases/{caseId}/team',
      '/protection-cases/{caseId}/referrals',
      '/board/{entryId}/acknowledge',
      '/board/{entryId}/ownership',
      '/board/{entryId}/notes',
      '/board/{entryId}/resolve',
      '/special-circumstances',
      '/special-circumstances/{registerEntryId}/care',
    ]) {
      expect(
        checked.some((c) => c.startsWith(`${route} `)),
        route,
      ).toBe(true);
    }
  });

  it('health, education and welfare facility inboxes', async () => {
    for (const facility of facilities) {
      // The directory's administration is the commune chairman's (or the province supervisor's).
      const checked = await checkWriteRoutes(facility.app, facility.token, facility.db, facility.name, (path) =>
        path === '/facilities' || path === '/facilities/{facilityId}' ? protection.chairman : facility.token,
      );
      for (const route of ['/facilities', '/facilities/{facilityId}', '/facilities/{facilityId}/status']) {
        expect(
          checked.some((c) => c.startsWith(`${route} `)),
          `${facility.name} ${route}`,
        ).toBe(true);
      }
      // accept, start: a malformed id; decline, complete: and four body checks each.
      expect(checked.length, facility.name).toBeGreaterThanOrEqual(12);
      expect(
        checked.some((c) => c.startsWith('/inbox/{referralId}/complete ')),
        facility.name,
      ).toBe(true);
      expect(
        checked.some((c) => c.startsWith('/inbox/{referralId}/decline ')),
        facility.name,
      ).toBe(true);
    }
  });
});
