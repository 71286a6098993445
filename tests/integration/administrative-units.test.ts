import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Topics } from '@ecd/contracts';
import { createKafkaClient } from '@ecd/messaging';
import { defaultSlaPolicies } from '@ecd/referral-policy';
import type { IntakeService } from '../../services/intake/src/intake-service';
import type { IdentityService } from '../../services/identity/src/identity-service';
import type { ReferralsService } from '../../services/referrals/src/referrals-service';
import { healthRecordKinds } from '../../services/health/src/domain/health-services';
import { registerFacilities, waitForDirectory } from '../support/directory';
import { EventTap } from '../support/event-tap';
import { eventually, infra, testLogger, uniqueName } from '../support/infra';
import { signIn } from '../support/sign-in';
import { startIdentity, startIntake, startReferrals, staffCalls } from '../support/stack';

/**
 * The whole country's administrative units on the real servers (identity, intake, referrals on
 * the Temporal dev server, Kafka, FerretDB): a commune outside the demo's Lào Cai — Phường Ba Đình
 * (00004), Hà Nội (01) — works with no code change: its staff are accounts made through the
 * account API, its health station a directory entry, its ladder the official list.
 */
describe('administrative units: any commune of the country, and imports by an administrator', () => {
  const BA_DINH = '00004';
  const HA_NOI = '01';
  const facilityId = `TYT-${BA_DINH}`;
  const taskQueue = uniqueName('referrals');
  let identity: IdentityService;
  let identityUrl: string;
  let referrals: ReferralsService;
  let intake: IntakeService;
  let tap: EventTap;
  let badinh: string; // intake staff of Phường Ba Đình
  let hanoiSupervisor: string;
  let hanoiUnits: string; // danhmuc.hanoi, reference-data-administrator of 01
  const call = (...args: Parameters<ReturnType<typeof staffCalls>>) => staffCalls(intake.app)(...args);

  beforeAll(async () => {
    ({ identity, url: identityUrl } = await startIdentity());
    referrals = await startReferrals(taskQueue);
    ({ intake } = await startIntake(identityUrl, { TEMPORAL_TASK_QUEUE: taskQueue }));
    tap = new EventTap(
      createKafkaClient({ clientId: 'tap', brokers: infra().kafkaBrokers.split(','), logger: testLogger('tap') }),
      [Topics.referrals, Topics.administrativeUnits],
    );
    await tap.start();

    // Staff of another province, created as an account administrator does it: data, not code.
    const admin = await signIn(identityUrl, 'quantri.laocai', 'laocai-accounts-01');
    const suffix = Date.now().toString(36);
    const create = async (username: string, role: string, unitCode: string) => {
      const response = await fetch(`${identityUrl}/accounts`, {
        method: 'POST',
        headers: { authorization: `Bearer ${admin}`, 'content-type': 'application/json' },
        body: JSON.stringify({ username, name: 'Nguyễn Thị Test', role, unitCode, password: 'badinh-test-01' }),
      });
      expect(response.status, await response.clone().text()).toBe(201);
      return signIn(identityUrl, username, 'badinh-test-01');
    };
    badinh = await create(`canbo.badinh${suffix}`, 'intake-staff', BA_DINH);
    hanoiSupervisor = await create(`giamsat.hanoi${suffix}`, 'supervisor', HA_NOI);
    hanoiUnits = await signIn(identityUrl, 'danhmuc.hanoi', 'hanoi-units-01');

    // Ba Đình's health station, registered as the health service registers its facilities.
    const register = await registerFacilities(
      [
        {
          _id: facilityId,
          name: 'Trạm Y tế phường Ba Đình',
          sector: 'health',
          sectors: ['health', 'nutrition'],
          unitCode: BA_DINH,
          level: 'commune',
        },
      ],
      healthRecordKinds,
    );
    await register.close();
    await waitForDirectory(intake.directory, [facilityId]);

    // Windows of seconds (a policy version, as a ministry would publish one), so the ladder is climbed in the test.
    const base = defaultSlaPolicies.find((p) => p.sector === 'health' && p.urgency === 'routine')!;
    await referrals.reference.publishPolicyVersion({
      ...base,
      version: 99,
      acceptWithin: { amount: 4 / 3600, unit: 'hours' },
      escalationInterval: { amount: 3 / 3600, unit: 'hours' },
      reminderAt: [0.5],
    });
  }, 300_000);

  afterAll(async () => {
    await tap?.stop();
    await intake?.stop();
    await referrals?.stop();
    await identity?.stop();
  });

  it(
    'Phường Ba Đình registers a child, refers, escalates up its own ladder (commune → 01) and shows in the Hà Nội report',
    { timeout: 120_000 },
    async () => {
      const opened = await call('POST', '/cases', badinh, {
        child: { fullName: 'Nguyễn Minh An', dateOfBirth: '2024-05-01', sex: 'male', communeCode: BA_DINH },
        concerns: ['health'],
      });
      expect(opened.statusCode, opened.body).toBe(201);
      const { _id: caseId, childId } = opened.json() as { _id: string; childId: string };
      const consent = await call('POST', `/children/${childId}/consents`, badinh, {
        givenBy: { name: 'Nguyễn Văn Hải', relationship: 'parent' },
        sharingWith: ['health', 'nutrition'],
        givenOn: '2026-01-05',
      });
      expect(consent.statusCode, consent.body).toBe(201);
      const referred = await call(
        'POST',
        `/cases/${caseId}/referrals`,
        badinh,
        { sector: 'health', urgency: 'routine', facilityId, reason: 'Chậm tăng cân, cần khám dinh dưỡng' },
        uniqueName('ref'),
      );
      expect(referred.statusCode, referred.body).toBe(201);
      const { referralId } = referred.json() as { referralId: string };

      // Not accepted in time: first Ba Đình's own leadership, then Hà Nội — never Lào Cai.
      const escalations = await eventually(() => {
        const found = tap.events
          .filter((e) => e.event.type === 'referral.escalated.v1' && e.event.data.referralId === referralId)
          .map((e) => e.event.data as { level: number; responsibleUnitCode: string; topOfLadder: boolean });
        expect(found.map((e) => e.responsibleUnitCode)).toEqual([BA_DINH, HA_NOI]);
        return found;
      }, 60_000);
      expect(escalations.map((e) => e.level)).toEqual([1, 2]);
      expect(escalations[1]!.topOfLadder).toBe(true);

      // The Hà Nội supervisor's report has Ba Đình among its 126 wards and communes, with the referral.
      const report = await eventually(async () => {
        const response = await call('GET', '/reports/referrals', hanoiSupervisor);
        expect(response.statusCode, response.body).toBe(200);
        const body = response.json() as {
          communes: { code: string; name: string }[];
          perCommune: { communeCode: string; referrals: number; escalated: number }[];
        };
        expect(body.perCommune.find((c) => c.communeCode === BA_DINH)).toMatchObject({ referrals: 1, escalated: 1 });
        return body;
      }, 30_000);
      expect(report.communes).toHaveLength(126);
      expect(report.communes).toContainEqual({ code: BA_DINH, name: 'Phường Ba Đình' });
      // A Lào Cai supervisor's report does not include it.
      const laoCai = await signIn(identityUrl, 'giamsat.laocai', 'laocai-supervisor-01');
      const theirs = (await call('GET', '/reports/referrals', laoCai)).json() as { communes: { code: string }[] };
      expect(theirs.communes.map((c) => c.code)).not.toContain(BA_DINH);
    },
  );

  const csv = (rows: string[]) => ['code,name,level,parent_code', ...rows].join('\n') + '\n';
  const importUnits = (token: string, body: string) =>
    intake.app.inject({
      method: 'POST',
      url: '/administrative-units/imports',
      headers: { authorization: `Bearer ${token}`, 'content-type': 'text/csv' },
      payload: body,
    });

  it(
    'an administrator imports a CSV: a good file is applied by every service, a bad one refused naming its row',
    { timeout: 90_000 },
    async () => {
      const village = `${BA_DINH}-${Math.floor(Math.random() * 9000) + 1000}`;
      const good = await importUnits(
        hanoiUnits,
        csv([
          `${village},"Tổ dân phố số 1, phường Ba Đình",village,${BA_DINH}`,
          `${BA_DINH},Phường Ba Đình,commune,${HA_NOI}`,
        ]),
      );
      expect(good.statusCode, good.body).toBe(201);
      const { importId } = good.json() as { importId: string };
      expect((await call('GET', `/administrative-units/${village}`, hanoiSupervisor)).json()).toMatchObject({
        code: village,
        name: 'Tổ dân phố số 1, phường Ba Đình',
        parentCode: BA_DINH,
      });
      // Announced on Kafka, one key, and applied by the referrals service's ladder.
      await eventually(() => {
        const events = tap.events.filter(
          (e) => e.event.type === 'administrative-unit.updated.v1' && e.event.data.importId === importId,
        );
        expect(events.map((e) => e.event.data.code)).toEqual([village, BA_DINH]);
        expect(new Set(events.map((e) => e.key))).toEqual(new Set(['administrative-units']));
      });
      await eventually(async () => {
        const ladder = await referrals.reference.units.ladder();
        expect(ladder.stepsAbove(village).map((u) => u.code)).toEqual([BA_DINH, HA_NOI]);
      }, 30_000);
      // The import is in the audit trail, with who made it.
      const audit = await intake.app.inject({
        method: 'GET',
        url: '/audit-trail?limit=50',
        headers: { authorization: `Bearer ${hanoiSupervisor}` },
      });
      expect(audit.statusCode, audit.body).toBe(200);
      expect((audit.json() as { items: unknown[] }).items).toContainEqual(
        expect.objectContaining({
          resource: 'administrative-unit-import',
          action: 'create',
          resourceIds: [importId],
          actor: expect.objectContaining({ userId: 'staff-0026', role: 'reference-data-administrator' }),
        }),
      );

      // Row 3 names a parent that exists nowhere: nothing is applied, not even row 2.
      const other = `${BA_DINH}-${Math.floor(Math.random() * 9000) + 1000}`;
      const bad = await importUnits(
        hanoiUnits,
        csv([`${other},Tổ dân phố số 2,village,${BA_DINH}`, `00008-1,Tổ dân phố số 3,village,77777`]),
      );
      expect(bad.statusCode).toBe(400);
      const problem = bad.json() as { message: string; problems: { field: string; problem: string }[] };
      expect(problem.message).toMatch(/row 3, column parent_code/);
      expect(problem.problems).toContainEqual({ field: 'row 3, parent_code', problem: expect.stringMatching(/77777/) });
      expect((await call('GET', `/administrative-units/${other}`, hanoiSupervisor)).statusCode).toBe(404);

      // A bad level and a unit of another province, each named by row and column.
      const outside = await importUnits(hanoiUnits, csv([`26734,Phường Sài Gòn,commune,79`, `00007,X,hamlet,01`]));
      expect(outside.statusCode).toBe(400);
      const fields = (outside.json() as { problems: { field: string }[] }).problems.map((p) => p.field);
      expect(fields).toEqual(expect.arrayContaining(['row 3, level']));
      const outOfArea = await importUnits(hanoiUnits, csv([`26734,Phường Sài Gòn,commune,79`]));
      expect(outOfArea.statusCode).toBe(400);
      expect(outOfArea.json().problems).toEqual([{ field: 'row 2, code', problem: '26734 lies outside your unit 01' }]);

      // Only reference-data administrators import.
      expect((await importUnits(badinh, csv([`${other},Tổ dân phố số 2,village,${BA_DINH}`]))).statusCode).toBe(403);
    },
  );
});
