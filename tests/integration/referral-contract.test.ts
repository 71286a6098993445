import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Client } from '@temporalio/client';
import { ReferralActionReason, ReferralReason, ServiceOutcome, textLimits } from '@ecd/contracts';
import { connectTemporal, referralWorkflowType, type ReferralRequest } from '@ecd/referral-client';
import type { FacilityService } from '@ecd/facility-inbox';
import type { IdentityService } from '../../services/identity/src/identity-service';
import type { IntakeService } from '../../services/intake/src/intake-service';
import type { ReferralsService } from '../../services/referrals/src/referrals-service';
import { buildHealthService } from '../../services/health/src/health-service';
import { loadHealthConfig } from '../../services/health/src/config';
import { healthRecordKinds } from '../../services/health/src/domain/health-services';
import { TEST_ISSUER, staffCalls, startIdentity, startIntake, startReferrals } from '../support/stack';
import { registerFacilities, waitForDirectory } from '../support/directory';
import { signIn } from '../support/sign-in';
import { databaseUrl, eventually, infra, testLogger, uniqueName } from '../support/infra';

interface CaseReferralView {
  referralId: string;
  state: string;
  needsAttention?: { failedEffect: string; problem: string };
}

/** The longest text a field takes, in words (as people write; a page wraps them). */
const longest = (schema: Parameters<typeof textLimits>[0], prefix: string) =>
  `${prefix} `.padEnd(textLimits(schema).maxLength - 1, 'cần theo dõi ') + '.';

/**
 * The seams between the layers: what the HTTP edge accepts, a workflow carries and an event can
 * hold are one contract; a referral goes only to a facility of the directory that serves its
 * sector; an effect that fails for good is shown and counted, and later effects still leave.
 */
describe('one referral contract from the HTTP edge to the inbox and the case', () => {
  const taskQueue = uniqueName('referrals');
  let identity: IdentityService;
  let referrals: ReferralsService;
  let intake: IntakeService;
  let health: FacilityService;
  let temporal: Client;
  let closeTemporal: () => Promise<void>;
  let yty: string; // canbo.yty, intake staff of 02704
  let nurse: string; // yte.yty, TYT-02704
  let supervisor: string;
  let chairman: string; // chutich.yty, commune chairman of 02704

  beforeAll(async () => {
    const { kafkaBrokers, temporalAddress, mongoUrl } = infra();
    const started = await startIdentity();
    identity = started.identity;
    referrals = await startReferrals(taskQueue);
    ({ intake } = await startIntake(started.url, { TEMPORAL_TASK_QUEUE: taskQueue }));
    health = await buildHealthService(
      loadHealthConfig({
        MONGO_URL: databaseUrl(mongoUrl, uniqueName('health')),
        KAFKA_BROKERS: kafkaBrokers,
        KAFKA_GROUP_ID: uniqueName('health'),
        TEMPORAL_ADDRESS: temporalAddress,
        TEMPORAL_TASK_QUEUE: taskQueue,
        OIDC_ISSUER: TEST_ISSUER,
        OIDC_JWKS_URL: `${started.url}/jwks`,
      }),
      testLogger('health'),
    );
    await health.start();
    const connection = await connectTemporal(temporalAddress);
    temporal = new Client({ connection });
    closeTemporal = () => connection.close();
    [yty, nurse, supervisor, chairman] = await Promise.all([
      signIn(started.url, 'canbo.yty', 'yty-intake-01'),
      signIn(started.url, 'yte.yty', 'yty-health-01'),
      signIn(started.url, 'giamsat.laocai', 'laocai-supervisor-01'),
      signIn(started.url, 'chutich.yty', 'yty-chairman-01'),
    ]);
  });

  afterAll(async () => {
    await health?.stop();
    await intake?.stop();
    await referrals?.stop();
    await identity?.stop();
    await closeTemporal?.();
  });

  const call = (...args: Parameters<ReturnType<typeof staffCalls>>) => staffCalls(intake.app)(...args);
  const inbox = (...args: Parameters<ReturnType<typeof staffCalls>>) => staffCalls(health.app)(...args);

  async function openCase(
    sharingWith: string[] = ['health', 'nutrition'],
  ): Promise<{ caseId: string; childId: string }> {
    const response = await call('POST', '/cases', yty, {
      child: { fullName: 'Lý Thị Mai', dateOfBirth: '2024-02-01', sex: 'female', communeCode: '02704' },
      concerns: ['health'],
    });
    expect(response.statusCode, response.body).toBe(201);
    const { _id: caseId, childId } = response.json() as { _id: string; childId: string };
    const consent = await call('POST', `/children/${childId}/consents`, yty, {
      givenBy: { name: 'Lý A Sử', relationship: 'parent' },
      sharingWith,
      givenOn: '2026-01-05',
    });
    expect(consent.statusCode, consent.body).toBe(201);
    return { caseId, childId };
  }

  const caseReferral = async (caseId: string, referralId: string, check: (r: CaseReferralView) => void) =>
    eventually(async () => {
      const read = (await call('GET', `/cases/${caseId}`, yty)).json() as { referrals?: CaseReferralView[] };
      const found = read.referrals?.find((r) => r.referralId === referralId);
      expect(found).toBeDefined();
      check(found!);
      return found!;
    });

  it('the longest reason the edge accepts reaches the inbox whole; one character more is refused, naming reason', async () => {
    const { caseId } = await openCase();
    const reason = longest(ReferralReason, 'Tiêm sởi quá hạn');
    const tooLong = await call(
      'POST',
      `/cases/${caseId}/referrals`,
      yty,
      { sector: 'health', urgency: 'routine', facilityId: 'TYT-02704', reason: `${reason}x` },
      uniqueName('key'),
    );
    expect(tooLong.statusCode).toBe(400);
    expect(tooLong.json().problems).toEqual([
      expect.objectContaining({ field: 'reason', in: 'body', problem: expect.stringMatching(/1000/) }),
    ]);

    const referred = await call(
      'POST',
      `/cases/${caseId}/referrals`,
      yty,
      { sector: 'health', urgency: 'routine', facilityId: 'TYT-02704', reason },
      uniqueName('key'),
    );
    expect(referred.statusCode, referred.body).toBe(201);
    const { referralId } = referred.json() as { referralId: string };
    const item = await eventually(async () => {
      const found = await inbox('GET', `/inbox/${referralId}`, nurse);
      expect(found.statusCode, found.body).toBe(200);
      return found.json() as { reason: string; state: string };
      // The first wait also covers the new health consumer reading the topic from its start.
    }, 120_000);
    expect(item).toMatchObject({ reason, state: 'REQUESTED' });
    await caseReferral(caseId, referralId, (r) => expect(r.state).toBe('REQUESTED'));

    // The longest decline reason travels too, and the case hears of it.
    const declined = await inbox('POST', `/inbox/${referralId}/decline`, nurse, {
      reason: longest(ReferralActionReason, 'Hết vắc-xin'),
    });
    expect(declined.statusCode, declined.body).toBe(200);
    await caseReferral(caseId, referralId, (r) => expect(r.state).toBe('DECLINED'));
  });

  it('the longest completion summary becomes the outcome; the longest withdrawal reason closes a referral', async () => {
    const { caseId } = await openCase();
    const refer = async () => {
      const response = await call(
        'POST',
        `/cases/${caseId}/referrals`,
        yty,
        { sector: 'nutrition', urgency: 'urgent', facilityId: 'TYT-02704', reason: 'Cân nặng theo tuổi thấp' },
        uniqueName('key'),
      );
      expect(response.statusCode, response.body).toBe(201);
      const { referralId } = response.json() as { referralId: string };
      await eventually(async () => expect((await inbox('GET', `/inbox/${referralId}`, nurse)).statusCode).toBe(200));
      return referralId;
    };
    const completedId = await refer();
    expect((await inbox('POST', `/inbox/${completedId}/accept`, nurse)).statusCode).toBe(200);
    const summary = longest(ServiceOutcome, 'Tư vấn dinh dưỡng');
    const completed = await inbox('POST', `/inbox/${completedId}/complete`, nurse, {
      kind: healthRecordKinds[1],
      date: '2026-03-02',
      summary,
    });
    expect(completed.statusCode, completed.body).toBe(200);
    expect(completed.json().outcome.text).toBe(summary);
    await caseReferral(caseId, completedId, (r) => expect(r.state).toBe('COMPLETED'));

    const withdrawnId = await refer();
    const withdrawn = await call('POST', `/cases/${caseId}/referrals/${withdrawnId}/withdraw`, yty, {
      reason: longest(ReferralActionReason, 'Gia đình chuyển đi'),
    });
    expect(withdrawn.statusCode, withdrawn.body).toBe(200);
    await caseReferral(caseId, withdrawnId, (r) => expect(r.state).toBe('WITHDRAWN'));
    const item = await eventually(async () => {
      const found = (await inbox('GET', `/inbox/${withdrawnId}`, nurse)).json() as { state: string };
      expect(found.state).toBe('WITHDRAWN');
      return found;
    });
    expect(item.state).toBe('WITHDRAWN');
  });

  it('a facility that does not exist, is inactive, or does not serve the sector is refused, naming the field', async () => {
    const { caseId } = await openCase(['health', 'nutrition', 'education']);
    const refer = (body: Record<string, string>) =>
      call(
        'POST',
        `/cases/${caseId}/referrals`,
        yty,
        { sector: 'health', urgency: 'routine', facilityId: 'TYT-02704', reason: 'Khám sức khỏe', ...body },
        uniqueName('key'),
      );

    const missing = await refer({ facilityId: 'NO-SUCH-FACILITY' });
    expect(missing.statusCode).toBe(422);
    expect(missing.json().problems).toEqual([
      { field: 'facilityId', problem: 'is not a facility of the directory: NO-SUCH-FACILITY' },
    ]);

    // The consent bypass: "protection" needs no consent, but a health station is no protection service.
    const bypass = await refer({ sector: 'protection' });
    expect(bypass.statusCode).toBe(422);
    expect(bypass.json().problems).toEqual([
      { field: 'sector', problem: 'is not served by TYT-02704 (it serves health, nutrition)' },
    ]);
    expect(bypass.json().message).toMatch(/protection referrals go only to protection services/);
    const wrongSector = await refer({ sector: 'education' });
    expect(wrongSector.statusCode).toBe(422);
    expect(wrongSector.json().problems[0].field).toBe('sector');

    // A station of its own, closed by its owner: the directory learns it through the outbox.
    const facilityId = `TYT-T${uniqueName('x').slice(2, 10)}`;
    const register = await registerFacilities(
      [
        {
          _id: facilityId,
          name: 'Trạm thử',
          sector: 'health',
          sectors: ['health'],
          unitCode: '02704',
          level: 'commune',
        },
      ],
      healthRecordKinds,
    );
    await waitForDirectory(intake.directory, [facilityId]);
    await register.setActive(facilityId, false);
    await register.close();
    await waitForDirectory(intake.directory, [facilityId], (entry) => !entry.active);
    const inactive = await refer({ facilityId });
    expect(inactive.statusCode).toBe(409);
    expect(inactive.json().problems).toEqual([{ field: 'facilityId', problem: `is inactive: ${facilityId}` }]);

    // None of it started a referral.
    const read = (await call('GET', `/cases/${caseId}`, yty)).json() as { referrals?: unknown[] };
    expect(read.referrals ?? []).toEqual([]);
    const directory = await call('GET', '/facilities?sector=protection', yty);
    expect(directory.json().items.map((f: { _id: string }) => f._id)).not.toContain('TYT-02704');
  });

  it('directory administered through the owner: create, update from a revision, deactivate; intake refuses a facility outside the area or deactivated, naming facilityId', async () => {
    const { caseId } = await openCase();
    const owner = (...args: Parameters<ReturnType<typeof staffCalls>>) => staffCalls(health.app)(...args);
    const refer = (facilityId: string) =>
      call(
        'POST',
        `/cases/${caseId}/referrals`,
        yty,
        { sector: 'health', urgency: 'routine', facilityId, reason: 'Khám sức khỏe định kỳ' },
        uniqueName('key'),
      );
    const suffix = uniqueName('d')
      .replace(/[^A-Za-z0-9]/g, '')
      .slice(-8);
    const station = `TYT-C${suffix}`;
    const elsewhere = `TYT-E${suffix}`;

    // The commune chairman registers a health point of the commune; a unit outside it is refused.
    const outside = await owner('POST', '/facilities', chairman, {
      facilityId: elsewhere,
      name: 'Điểm y tế thôn',
      sectors: ['health'],
      unitCode: '02707',
      level: 'commune',
    });
    expect(outside.statusCode).toBe(403);
    expect(outside.json().problems).toEqual([{ field: 'unitCode', problem: 'is outside your area 02704: 02707' }]);
    const notOffered = await owner('POST', '/facilities', chairman, {
      facilityId: station,
      name: 'Điểm y tế thôn Choản Thèn',
      sectors: ['education'],
      unitCode: '02704',
      level: 'commune',
    });
    expect(notOffered.statusCode).toBe(422);
    expect(notOffered.json().problems[0].field).toBe('sectors/0');
    const created = await owner('POST', '/facilities', chairman, {
      facilityId: station,
      name: 'Điểm y tế thôn Choản Thèn',
      sectors: ['health', 'nutrition'],
      services: ['vaccination', 'growth-monitoring'],
      unitCode: '02704',
      level: 'commune',
      catchmentUnitCodes: ['02704'],
      hours: 'Thứ 3 và thứ 6, 7:30–11:00',
      contact: { phone: '0214 3880 123' },
    });
    expect(created.statusCode, created.body).toBe(201);
    expect(created.json()).toMatchObject({ _id: station, sector: 'health', active: true, revision: 1 });
    const taken = await owner('POST', '/facilities', chairman, {
      facilityId: station,
      name: 'Trùng mã',
      sectors: ['health'],
      unitCode: '02704',
      level: 'commune',
    });
    expect(taken.statusCode).toBe(409);
    expect(taken.json().problems).toEqual([{ field: 'facilityId', problem: `is already registered: ${station}` }]);

    // The province supervisor registers one in A Mú Sung: it serves A Mú Sung, not Y Tý.
    const amusung = await owner('POST', '/facilities', supervisor, {
      facilityId: elsewhere,
      name: 'Điểm y tế bản A Mú Sung',
      sectors: ['health'],
      unitCode: '02707',
      level: 'commune',
      catchmentUnitCodes: ['02707'],
    });
    expect(amusung.statusCode, amusung.body).toBe(201);

    // An update names the revision it was made from; a stale one is refused, naming revision.
    const { _id: _ignored, sector: _owner, active: _active, revision: _rev, ...details } = created.json();
    const updated = await owner('PUT', `/facilities/${station}`, chairman, {
      ...details,
      capacityNotes: 'Một nữ hộ sinh; tiêm chủng mở rộng hằng tháng',
      revision: 1,
    });
    expect(updated.statusCode, updated.body).toBe(200);
    expect(updated.json()).toMatchObject({
      revision: 2,
      capacityNotes: 'Một nữ hộ sinh; tiêm chủng mở rộng hằng tháng',
    });
    const stale = await owner('PUT', `/facilities/${station}`, chairman, { ...details, hours: 'Thứ 2', revision: 1 });
    expect(stale.statusCode).toBe(409);
    expect(stale.json().problems).toEqual([{ field: 'revision', problem: 'is not the current revision 2' }]);
    expect((await owner('GET', `/facilities/${station}`, chairman)).json()).toMatchObject({
      revision: 2,
      hours: 'Thứ 3 và thứ 6, 7:30–11:00',
    });

    // Intake's directory follows the owner's events; the form's filter offers the station to Y Tý only.
    await waitForDirectory(intake.directory, [station], (e) => e.revision === 2 && !!e.capacityNotes);
    await waitForDirectory(intake.directory, [elsewhere]);
    const offered = await call('GET', '/facilities?sector=health&servesCommune=02704&active=true', yty);
    const offeredIds = offered.json().items.map((f: { _id: string }) => f._id);
    expect(offeredIds).toContain(station);
    expect(offeredIds).not.toContain(elsewhere);

    // Outside the area: refused, naming the facility and its catchment; nothing started.
    const outOfArea = await refer(elsewhere);
    expect(outOfArea.statusCode).toBe(422);
    expect(outOfArea.json().problems).toEqual([
      { field: 'facilityId', problem: 'does not serve commune 02704 (its catchment: 02707)' },
    ]);
    expect(outOfArea.json().message).toMatch(/does not serve children of commune 02704/);

    // Deactivated by the chairman (from the revision shown): gone from the form, refused at intake.
    const closed = await owner('POST', `/facilities/${station}/status`, chairman, { active: false, revision: 2 });
    expect(closed.statusCode, closed.body).toBe(200);
    expect(closed.json()).toMatchObject({ active: false, revision: 3 });
    expect((await owner('POST', `/facilities/${station}/status`, nurse, { active: true })).statusCode).toBe(403);
    await waitForDirectory(intake.directory, [station], (e) => !e.active);
    const afterClosing = await call('GET', '/facilities?sector=health&servesCommune=02704&active=true', yty);
    expect(afterClosing.json().items.map((f: { _id: string }) => f._id)).not.toContain(station);
    const inactive = await refer(station);
    expect(inactive.statusCode).toBe(409);
    expect(inactive.json().problems).toEqual([{ field: 'facilityId', problem: `is inactive: ${station}` }]);
    expect((await call('GET', `/cases/${caseId}`, yty)).json().referrals ?? []).toEqual([]);

    // Every change is in the owner's audit trail, under the facility's commune.
    const trail = await owner('GET', `/audit-trail?resourceId=${station}`, chairman);
    expect(trail.statusCode, trail.body).toBe(200);
    expect(trail.json().items.map((e: { action: string; resource: string }) => `${e.resource}:${e.action}`)).toEqual([
      'facility:update',
      'facility:update',
      'facility:create',
    ]);
  });

  it('an event its schema refuses is not retried for ever: the referral needs attention, counted, and later effects leave', async () => {
    const { caseId, childId } = await openCase();
    // A workflow started with data no event can carry (an old client, a bug): the edge would refuse it.
    const referralId = randomUUID();
    const request: ReferralRequest = {
      referralId,
      caseId,
      childId,
      sector: 'health',
      urgency: 'routine',
      facilityId: 'TYT-02704',
      fromUnitCode: '02704',
      reason: 'x'.repeat(2000),
      requestedBy: { userId: 'canbo.yty', role: 'intake-staff', unitCode: '02704' },
      requestedAt: new Date().toISOString(),
    };
    await temporal.workflow.start(referralWorkflowType, { workflowId: referralId, taskQueue, args: [request] });

    const flagged = await caseReferral(caseId, referralId, (r) => expect(r.needsAttention).toBeDefined());
    expect(flagged.needsAttention).toMatchObject({ failedEffect: 'referral.requested.v1' });
    expect(flagged.needsAttention!.problem).toMatch(/data\.reason/);
    expect(flagged.needsAttention!.problem).not.toMatch(/xxxx/); // names the field, never its value
    const { history, referral } = await referrals.commands.view(referralId);
    expect(history.map((h) => h.action)).toContain('NEEDS_ATTENTION');
    expect(referral.needsAttention?.failedEffect).toBe('referral.requested.v1');

    // The province supervisor sees it too, and /metrics counts it.
    const report = await call('GET', '/reports/referrals-needing-attention', supervisor);
    expect(report.statusCode, report.body).toBe(200);
    expect(report.json().items).toContainEqual(
      expect.objectContaining({ referralId, caseId, communeCode: '02704', facilityId: 'TYT-02704' }),
    );
    const metrics = (await referrals.app.inject({ method: 'GET', url: '/metrics' })).body;
    expect(metrics).toMatch(/referral_effect_failures_total\{[^}]*effect="referral\.requested\.v1"[^}]*\} [1-9]/);
    expect(metrics).toMatch(/referrals_needing_attention_total\{[^}]*\} [1-9]/);

    // Later effects are not blocked: the commune withdraws it and the case hears of it.
    const withdrawn = await call('POST', `/cases/${caseId}/referrals/${referralId}/withdraw`, yty, {
      reason: 'Chuyển tuyến lại với lý do ngắn hơn',
    });
    expect(withdrawn.statusCode, withdrawn.body).toBe(200);
    await caseReferral(caseId, referralId, (r) => expect(r.state).toBe('WITHDRAWN'));
  });
});
