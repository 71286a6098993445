import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import mongoose, { type Connection } from 'mongoose';
import type { FacilityService } from '@ecd/facility-inbox';
import type { IdentityService } from '../../services/identity/src/identity-service';
import type { IntakeService } from '../../services/intake/src/intake-service';
import type { ReferralsService } from '../../services/referrals/src/referrals-service';
import { buildWelfareService } from '../../services/welfare/src/welfare-service';
import { loadWelfareConfig } from '../../services/welfare/src/config';
import { signIn } from '../support/sign-in';
import { TEST_ISSUER, startIdentity, startIntake, startReferrals, staffCalls } from '../support/stack';
import { waitForDirectory } from '../support/directory';
import { databaseUrl, eventually, infra, testLogger, uniqueName } from '../support/infra';

interface CaseReferralView {
  referralId: string;
  sector: string;
  facilityId: string;
  state: string;
  serviceRecordId?: string;
}

/**
 * The commune desks of the welfare service on the real servers: intake refers a child through the
 * facility directory (which the welfare service fills at start), the social-welfare desk and the
 * civil-status officer each find their own referral in their inbox, accept it and complete it with
 * a service record of their kind, and intake's case shows the loop closed.
 */
describe('welfare desks and civil-status officers', () => {
  const taskQueue = uniqueName('referrals');
  const welfareDb = databaseUrl(infra().mongoUrl, uniqueName('welfare'));
  let identity: IdentityService;
  let referrals: ReferralsService;
  let intake: IntakeService;
  let welfare: FacilityService;
  let database: Connection;
  let intakeStaff: string; // canbo.yty, 02704
  let welfareOfficer: string; // xahoi.yty, VHXH-02704
  let civilStatusOfficer: string; // hotich.yty, TP-02704
  let otherCivilStatusOfficer: string; // hotich.batxat, TP-02701
  let caseId: string;

  beforeAll(async () => {
    const { kafkaBrokers, temporalAddress } = infra();
    let identityUrl: string;
    ({ identity, url: identityUrl } = await startIdentity());
    referrals = await startReferrals(taskQueue);
    ({ intake } = await startIntake(identityUrl, { TEMPORAL_TASK_QUEUE: taskQueue }));
    welfare = await buildWelfareService(
      loadWelfareConfig({
        MONGO_URL: welfareDb,
        KAFKA_BROKERS: kafkaBrokers,
        KAFKA_GROUP_ID: uniqueName('welfare'),
        TEMPORAL_ADDRESS: temporalAddress,
        TEMPORAL_TASK_QUEUE: taskQueue,
        OIDC_ISSUER: TEST_ISSUER,
        OIDC_JWKS_URL: `${identityUrl}/jwks`,
      }),
      testLogger('welfare'),
    );
    await welfare.start();
    database = await mongoose.createConnection(welfareDb).asPromise();
    [intakeStaff, welfareOfficer, civilStatusOfficer, otherCivilStatusOfficer] = await Promise.all([
      signIn(identityUrl, 'canbo.yty', 'yty-intake-01'),
      signIn(identityUrl, 'xahoi.yty', 'yty-welfare-01'),
      signIn(identityUrl, 'hotich.yty', 'yty-civil-status-01'),
      signIn(identityUrl, 'hotich.batxat', 'batxat-civil-status-01'),
    ]);
    // As at a real start: the welfare service announces its desks; intake's directory learns them.
    await waitForDirectory(intake.directory, ['VHXH-02704', 'TP-02704']);

    const child = await intakeCall('POST', '/children', intakeStaff, {
      fullName: 'Sùng Thị Dua',
      dateOfBirth: '2026-06-10',
      sex: 'female',
      ethnicityCode: '08',
      communeCode: '02704',
      caregivers: [{ name: 'Sùng A Páo', relationship: 'father' }],
      birthRegistered: false,
    });
    expect(child.statusCode, child.body).toBe(201);
    const childId = child.json()._id as string;
    const opened = await intakeCall('POST', '/cases', intakeStaff, {
      childId,
      concerns: ['welfare', 'civil-registration'],
    });
    expect(opened.statusCode, opened.body).toBe(201);
    caseId = opened.json()._id as string;
    const consent = await intakeCall('POST', `/children/${childId}/consents`, intakeStaff, {
      givenBy: { name: 'Sùng A Páo', relationship: 'parent' },
      sharingWith: ['welfare', 'civil-registration'],
      givenOn: '2026-11-20',
    });
    expect(consent.statusCode, consent.body).toBe(201);
  });

  afterAll(async () => {
    await welfare?.stop();
    await intake?.stop();
    await referrals?.stop();
    await identity?.stop();
    await database?.close();
  });

  const intakeCall = (method: 'GET' | 'POST', url: string, token: string, body?: unknown) =>
    staffCalls(intake.app)(method, url, token, body, method === 'POST' ? uniqueName('key') : undefined);
  const deskCall = (method: 'GET' | 'POST', url: string, token: string, body?: unknown) =>
    staffCalls(welfare.app)(method, url, token, body);

  async function refer(sector: string, facilityId: string, reason: string): Promise<string> {
    const response = await intakeCall('POST', `/cases/${caseId}/referrals`, intakeStaff, {
      sector,
      urgency: 'routine',
      facilityId,
      reason,
    });
    expect(response.statusCode, response.body).toBe(201);
    return response.json().referralId as string;
  }

  async function inInbox(token: string, referralId: string) {
    // A new consumer group first reads every referral other tests left on the shared topic.
    return eventually(async () => {
      const item = await deskCall('GET', `/inbox/${referralId}`, token);
      expect(item.statusCode).toBe(200);
      return item.json();
    }, 120_000);
  }

  async function closedOnTheCase(referralId: string): Promise<CaseReferralView> {
    return eventually(async () => {
      const view = (await intakeCall('GET', `/cases/${caseId}`, intakeStaff)).json() as {
        referrals: CaseReferralView[];
      };
      const found = view.referrals.find((r) => r.referralId === referralId);
      expect(found).toMatchObject({ state: 'COMPLETED', serviceRecordId: `${referralId}-record` });
      return found!;
    });
  }

  it('a referral to a desk that does not serve its sector is refused, naming the sector', async () => {
    const wrong = await intakeCall('POST', `/cases/${caseId}/referrals`, intakeStaff, {
      sector: 'welfare',
      urgency: 'routine',
      facilityId: 'TP-02704',
      reason: 'Xét trợ cấp xã hội hằng tháng',
    });
    expect(wrong.statusCode).toBe(422);
    expect(wrong.json().problems[0]).toMatchObject({ field: 'sector' });
    expect(wrong.json().message).toMatch(/serves civil-registration, not welfare/);
  });

  it(
    'a welfare referral reaches the social-welfare desk, which grants a social allowance',
    { timeout: 180_000 },
    async () => {
      const referralId = await refer('welfare', 'VHXH-02704', 'Hộ nghèo, mẹ mất: xét trợ cấp xã hội hằng tháng');
      const item = await inInbox(welfareOfficer, referralId);
      // welfare/routine: accept within 5 working days
      expect(item).toMatchObject({ sector: 'welfare', facilityId: 'VHXH-02704', state: 'REQUESTED' });
      expect(item.dueAt).toBe(item.acceptBy);
      expect((await deskCall('GET', `/inbox/${referralId}`, civilStatusOfficer)).statusCode).toBe(404);
      expect((await deskCall('GET', '/inbox', intakeStaff)).statusCode).toBe(403);

      expect((await deskCall('POST', `/inbox/${referralId}/accept`, welfareOfficer)).json()).toMatchObject({
        state: 'ACCEPTED',
      });
      const noDecision = await deskCall('POST', `/inbox/${referralId}/complete`, welfareOfficer, {
        kind: 'social-allowance',
        date: '2026-11-25',
        summary: 'Trợ cấp xã hội hằng tháng từ tháng 12',
      });
      expect(noDecision.statusCode).toBe(400);
      expect(noDecision.json().problems.map((p: { field: string }) => p.field)).toEqual([
        'details.decisionNumber',
        'details.monthlyAmountVnd',
      ]);
      const notThisDesk = await deskCall('POST', `/inbox/${referralId}/complete`, welfareOfficer, {
        kind: 'birth-registered',
        date: '2026-11-25',
        summary: 'wrong desk',
        details: { registrationNumber: '12/2026' },
      });
      expect(notThisDesk.statusCode).toBe(400);
      expect(notThisDesk.json().problems[0]).toMatchObject({ field: 'kind' });
      expect(await database.collection('service_records').countDocuments({ referralId })).toBe(0);

      const done = await deskCall('POST', `/inbox/${referralId}/complete`, welfareOfficer, {
        kind: 'social-allowance',
        date: '2026-11-25',
        summary: 'Trợ cấp xã hội hằng tháng từ tháng 12 (Nghị định 20/2021/NĐ-CP)',
        details: { decisionNumber: '45/QĐ-UBND', monthlyAmountVnd: 1_250_000 },
      });
      expect(done.statusCode, done.body).toBe(200);
      expect(done.json()).toMatchObject({ state: 'COMPLETED', outcome: { serviceRecordId: `${referralId}-record` } });
      const record = await deskCall('GET', `/service-records/${referralId}-record`, welfareOfficer);
      expect(record.json()).toMatchObject({
        status: 'final',
        kind: 'social-allowance',
        details: { decisionNumber: '45/QĐ-UBND', monthlyAmountVnd: 1_250_000 },
      });
      await closedOnTheCase(referralId);
    },
  );

  it('a birth-registration referral reaches the civil-status officer, who registers the birth', async () => {
    const referralId = await refer('civil-registration', 'TP-02704', 'Trẻ 5 tháng tuổi chưa đăng ký khai sinh');
    const item = await inInbox(civilStatusOfficer, referralId);
    expect(item).toMatchObject({ sector: 'civil-registration', facilityId: 'TP-02704', state: 'REQUESTED' });
    // Another commune's officer neither sees it nor acts on it; the welfare desk does not see it.
    expect((await deskCall('GET', `/inbox/${referralId}`, otherCivilStatusOfficer)).statusCode).toBe(404);
    expect((await deskCall('POST', `/inbox/${referralId}/accept`, otherCivilStatusOfficer)).statusCode).toBe(403);
    expect((await deskCall('GET', `/inbox/${referralId}`, welfareOfficer)).statusCode).toBe(404);

    expect((await deskCall('POST', `/inbox/${referralId}/accept`, civilStatusOfficer)).json()).toMatchObject({
      state: 'ACCEPTED',
    });
    const noNumber = await deskCall('POST', `/inbox/${referralId}/complete`, civilStatusOfficer, {
      kind: 'birth-registered',
      date: '2026-11-26',
      summary: 'Đã đăng ký khai sinh',
    });
    expect(noNumber.statusCode).toBe(400);
    expect(noNumber.json().problems).toEqual([{ field: 'details.registrationNumber', problem: 'is required' }]);

    const done = await deskCall('POST', `/inbox/${referralId}/complete`, civilStatusOfficer, {
      kind: 'birth-registered',
      date: '2026-11-26',
      summary: 'Đã đăng ký khai sinh, cấp bản chính Giấy khai sinh',
      details: { registrationNumber: '125/2026' },
    });
    expect(done.statusCode, done.body).toBe(200);
    const record = await deskCall('GET', `/service-records/${referralId}-record`, civilStatusOfficer);
    expect(record.json()).toMatchObject({
      status: 'final',
      kind: 'birth-registered',
      date: '2026-11-26',
      facilityId: 'TP-02704',
      details: { registrationNumber: '125/2026' },
    });
    await eventually(async () =>
      expect((await deskCall('GET', `/inbox/${referralId}`, civilStatusOfficer)).json()).toMatchObject({
        state: 'COMPLETED',
        serviceRecordId: `${referralId}-record`,
      }),
    );
    await closedOnTheCase(referralId);
  });

  it('lists its desks with the services each gives', async () => {
    const desks = (await deskCall('GET', '/facilities', welfareOfficer)).json() as {
      _id: string;
      sectors: string[];
      services?: string[];
    }[];
    expect(desks.find((d) => d._id === 'TP-02704')).toMatchObject({
      sectors: ['civil-registration'],
      services: ['birth-registered'],
    });
    expect(desks.find((d) => d._id === 'VHXH-02704')?.services).toContain('social-allowance');
    const entry = await intake.directory.find('TP-02704');
    expect(entry).toMatchObject({ sectors: ['civil-registration'], services: ['birth-registered'], active: true });
  });
});
