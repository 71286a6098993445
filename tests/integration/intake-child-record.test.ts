import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import mongoose, { type Connection } from 'mongoose';
import { Topics } from '@ecd/contracts';
import { createKafkaClient } from '@ecd/messaging';
import type { IdentityService } from '../../services/identity/src/identity-service';
import type { IntakeService } from '../../services/intake/src/intake-service';
import type { ReferralsService } from '../../services/referrals/src/referrals-service';
import { EventTap } from '../support/event-tap';
import { signIn } from '../support/sign-in';
import { startIdentity, startIntake, startReferrals, staffCalls } from '../support/stack';
import { eventually, infra, testLogger, uniqueName } from '../support/infra';

interface Problem {
  field: string;
  problem: string;
}
interface HistoryEntry {
  kind: string;
  communeCode: string;
  reason?: string;
  changes?: { field: string; previous?: unknown; value?: unknown }[];
  fromCommuneCode?: string;
  toCommuneCode?: string;
}

/**
 * A child's record through its life on the real servers: a correction keeps the previous value
 * and is audited; a child transferred from Y Tý (02704) to Bát Xát (02701) is afterwards in Bát
 * Xát's register only, with its open referral still running (now Bát Xát's, so its escalation
 * climbs Bát Xát's ladder), and both communes read its history; a decline leaves it all in place.
 */
describe('intake: correction and transfer of a child’s record', () => {
  const taskQueue = uniqueName('referrals');
  let identity: IdentityService;
  let referrals: ReferralsService;
  let intake: IntakeService;
  let database: Connection;
  let tap: EventTap;
  let yty: string; // canbo.yty, 02704
  let batxat: string; // canbo.batxat, 02701
  let identityUrl: string;

  beforeAll(async () => {
    const started = await startIdentity();
    identity = started.identity;
    identityUrl = started.url;
    referrals = await startReferrals(taskQueue);
    const intakeStarted = await startIntake(started.url, { TEMPORAL_TASK_QUEUE: taskQueue });
    intake = intakeStarted.intake;
    database = await mongoose.createConnection(intakeStarted.databaseUrl).asPromise();
    const kafka = createKafkaClient({
      clientId: 'child-record-test',
      brokers: infra().kafkaBrokers.split(','),
      logger: testLogger('tap'),
    });
    tap = new EventTap(kafka, [Topics.children, Topics.referrals]);
    await tap.start();
    [yty, batxat] = await Promise.all([
      signIn(started.url, 'canbo.yty', 'yty-intake-01'),
      signIn(started.url, 'canbo.batxat', 'batxat-intake-01'),
    ]);
  });

  afterAll(async () => {
    await tap?.stop();
    await intake?.stop();
    await referrals?.stop();
    await identity?.stop();
    await database?.close();
  });

  const call = (...args: Parameters<ReturnType<typeof staffCalls>>) => staffCalls(intake.app)(...args);

  async function registerChild(fullName: string): Promise<string> {
    const response = await call(
      'POST',
      '/children',
      yty,
      {
        fullName,
        dateOfBirth: '2024-03-15',
        sex: 'male',
        ethnicityCode: '08',
        communeCode: '02704',
        village: 'Choản Thèn',
        caregivers: [{ name: 'Sùng A Dế', relationship: 'father' }],
        birthRegistered: true,
      },
      uniqueName('child'),
    );
    expect(response.statusCode, response.body).toBe(201);
    return (response.json() as { _id: string })._id;
  }

  /** A child of Y Tý with a case, the parent's consent and an open referral to Y Tý's health station. */
  async function childWithOpenReferral(fullName: string) {
    const childId = await registerChild(fullName);
    const consent = await call('POST', `/children/${childId}/consents`, yty, {
      givenBy: { name: 'Sùng A Dế', relationship: 'parent' },
      sharingWith: ['health'],
      givenOn: '2026-01-05',
    });
    expect(consent.statusCode, consent.body).toBe(201);
    const opened = await call('POST', '/cases', yty, { childId, concerns: ['health'] });
    expect(opened.statusCode, opened.body).toBe(201);
    const caseId = (opened.json() as { _id: string })._id;
    const referred = await call(
      'POST',
      `/cases/${caseId}/referrals`,
      yty,
      { sector: 'health', urgency: 'routine', facilityId: 'TYT-02704', reason: 'Khám dinh dưỡng, cân nặng thấp' },
      uniqueName('ref'),
    );
    expect(referred.statusCode, referred.body).toBe(201);
    const { referralId } = referred.json() as { referralId: string };
    await eventually(async () => {
      const view = (await call('GET', `/cases/${caseId}`, yty)).json() as { referrals?: unknown[] };
      expect(view.referrals).toHaveLength(1);
    });
    return { childId, caseId, referralId };
  }

  it('a correction keeps the previous value in the history, is audited and announced without values', async () => {
    const childId = await registerChild('Sùng A Páo');
    const reason = 'Giấy khai sinh ghi ngày sinh 12/04/2024';
    const corrected = await call(
      'POST',
      `/children/${childId}/corrections`,
      yty,
      { changes: { dateOfBirth: '2024-04-12', fullName: 'Sùng Văn Páo' }, reason },
      uniqueName('fix'),
    );
    expect(corrected.statusCode, corrected.body).toBe(200);
    expect(corrected.json()).toMatchObject({ _id: childId, dateOfBirth: '2024-04-12', fullName: 'Sùng Văn Páo' });
    const read = (await call('GET', `/children/${childId}`, yty)).json() as { dateOfBirth: string; nameKey: string };
    expect(read.dateOfBirth).toBe('2024-04-12');
    expect(read.nameKey).toBe('sung van pao');

    const history = (await call('GET', `/children/${childId}/history`, yty)).json() as { entries: HistoryEntry[] };
    expect(history.entries.map((e) => e.kind)).toEqual(['registered', 'corrected']);
    expect(history.entries[1]).toMatchObject({ communeCode: '02704', reason });
    expect(history.entries[1]!.changes).toEqual(
      expect.arrayContaining([
        { field: 'dateOfBirth', previous: '2024-03-15', value: '2024-04-12' },
        { field: 'fullName', previous: 'Sùng A Páo', value: 'Sùng Văn Páo' },
      ]),
    );

    // Who changed which child, from where: in the audit trail.
    const audited = await database
      .collection('audit_log')
      .findOne({ route: '/children/:childId/corrections', resourceIds: childId });
    expect(audited).toMatchObject({ action: 'update', resource: 'child', actor: { unitCode: '02704' }, status: 200 });

    // The event names the fields, never their values.
    const event = await eventually(() => {
      const [found] = tap.of(childId, 'child.corrected.v1');
      expect(found).toBeDefined();
      return found!;
    });
    expect(event.topic).toBe(Topics.children);
    expect(event.event.data).toMatchObject({ childId, communeCode: '02704', reason });
    expect([...(event.event.data.fields as string[])].sort()).toEqual(['dateOfBirth', 'fullName']);
    expect(JSON.stringify(event.event.data)).not.toMatch(/Páo|2024-04-12/);

    // Nothing to correct, a date in the future, no reason, a field that is not correctable: refused, named.
    const same = await call('POST', `/children/${childId}/corrections`, yty, {
      changes: { dateOfBirth: '2024-04-12' },
      reason,
    });
    expect(same.statusCode).toBe(422);
    expect((same.json() as { problems: Problem[] }).problems.map((p) => p.field)).toEqual(['changes.dateOfBirth']);
    const future = await call('POST', `/children/${childId}/corrections`, yty, {
      changes: { dateOfBirth: '2099-01-01' },
      reason,
    });
    expect(future.statusCode).toBe(400);
    expect((future.json() as { problems: Problem[] }).problems).toEqual([
      { field: 'changes.dateOfBirth', problem: 'is in the future' },
    ]);
    const noReason = await call('POST', `/children/${childId}/corrections`, yty, { changes: { sex: 'female' } });
    expect(noReason.statusCode).toBe(400);
    expect((noReason.json() as { problems: Problem[] }).problems.map((p) => p.field)).toContain('reason');
    const commune = await call('POST', `/children/${childId}/corrections`, yty, {
      changes: { communeCode: '02701' },
      reason,
    });
    expect(commune.statusCode).toBe(400);
    expect((commune.json() as { problems: Problem[] }).problems.map((p) => p.field)).toContain('changes.communeCode');
    // Another commune cannot correct Y Tý's child.
    expect(
      (await call('POST', `/children/${childId}/corrections`, batxat, { changes: { sex: 'female' }, reason }))
        .statusCode,
    ).toBe(404);
    expect((await call('GET', `/children/${childId}`, yty)).json()).toMatchObject({ sex: 'male' });
  });

  it('transfer Y Tý → Bát Xát: afterwards the child is only in Bát Xát, its open referral still running there', async () => {
    const { childId, caseId, referralId } = await childWithOpenReferral('Lý A Lử');

    // Bad input: named fields, nothing asked.
    const toSelf = await call('POST', `/children/${childId}/transfers`, yty, {
      toCommuneCode: '02704',
      reason: 'Gia đình chuyển nhà',
    });
    expect(toSelf.statusCode).toBe(422);
    expect((toSelf.json() as { problems: Problem[] }).problems.map((p) => p.field)).toEqual(['toCommuneCode']);
    const badCode = await call('POST', `/children/${childId}/transfers`, yty, {
      toCommuneCode: 'Bát Xát',
      reason: 'Gia đình chuyển nhà',
    });
    expect(badCode.statusCode).toBe(400);
    expect((badCode.json() as { problems: Problem[] }).problems.map((p) => p.field)).toContain('toCommuneCode');
    // Only the child's own commune can send it.
    expect(
      (await call('POST', `/children/${childId}/transfers`, batxat, { toCommuneCode: '02707', reason: 'Chuyển' }))
        .statusCode,
    ).toBe(404);

    const asked = await call(
      'POST',
      `/children/${childId}/transfers`,
      yty,
      { toCommuneCode: '02701', reason: 'Gia đình chuyển về xã Bát Xát' },
      uniqueName('transfer'),
    );
    expect(asked.statusCode, asked.body).toBe(201);
    const transfer = asked.json() as { _id: string; status: string };
    expect(transfer.status).toBe('PENDING');
    // One transfer of a child at a time.
    const second = await call('POST', `/children/${childId}/transfers`, yty, {
      toCommuneCode: '02707',
      reason: 'Chuyển xã khác',
    });
    expect(second.statusCode).toBe(409);

    // Bát Xát sees it waiting; Y Tý cannot answer for Bát Xát.
    const incoming = (await call('GET', '/transfers/incoming', batxat)).json() as { _id: string; childId: string }[];
    expect(incoming.map((t) => t._id)).toContain(transfer._id);
    expect((await call('POST', `/transfers/${transfer._id}/accept`, yty)).statusCode).toBe(403);
    // Until accepted, the child is Y Tý's.
    expect((await call('GET', `/children/${childId}`, batxat)).statusCode).toBe(404);

    const accepted = await call('POST', `/transfers/${transfer._id}/accept`, batxat);
    expect(accepted.statusCode, accepted.body).toBe(200);
    expect(accepted.json()).toMatchObject({
      status: 'ACCEPTED',
      moved: { caseIds: [caseId], referralIds: [referralId] },
    });
    // Accepting again answers the same; declining now is refused.
    expect((await call('POST', `/transfers/${transfer._id}/accept`, batxat)).json()).toMatchObject({
      status: 'ACCEPTED',
    });
    expect((await call('POST', `/transfers/${transfer._id}/decline`, batxat, { reason: 'Nhầm xã' })).statusCode).toBe(
      409,
    );

    // Only in Bát Xát's register now: the entry, its case, its consent.
    expect((await call('GET', `/children/${childId}`, yty)).statusCode).toBe(404);
    expect((await call('GET', `/children/${childId}`, batxat)).json()).toMatchObject({ communeCode: '02701' });
    const ytyRegister = (await call('GET', '/children?q=Lý A Lử', yty)).json() as { _id: string }[];
    expect(ytyRegister.map((c) => c._id)).not.toContain(childId);
    const batxatRegister = (await call('GET', '/children?q=Lý A Lử', batxat)).json() as { _id: string }[];
    expect(batxatRegister.map((c) => c._id)).toContain(childId);
    expect((await call('GET', `/cases/${caseId}`, yty)).statusCode).toBe(404);
    expect((await call('GET', `/children/${childId}/consents`, batxat)).json()).toHaveLength(1);

    // The referral is still running, now Bát Xát's: its escalation would climb Bát Xát's ladder.
    const { referral, history } = await referrals.commands.view(referralId);
    expect(referral).toMatchObject({ state: 'REQUESTED', fromUnitCode: '02701' });
    expect(history.at(-1)).toMatchObject({
      action: 'TRANSFERRED',
      details: { previousUnitCode: '02704', toUnitCode: '02701', transferId: transfer._id },
    });
    const caseView = await eventually(async () => {
      const read = (await call('GET', `/cases/${caseId}`, batxat)).json() as {
        child: { communeCode: string };
        referrals: { referralId: string; state: string }[];
        timeline: { kind: string }[];
      };
      expect(read.timeline.map((t) => t.kind)).toEqual(
        expect.arrayContaining(['case.transferred', 'referral.transferred']),
      );
      return read;
    });
    expect(caseView.child.communeCode).toBe('02701');
    expect(caseView.referrals).toEqual([expect.objectContaining({ referralId, state: 'REQUESTED' })]);
    const moved = await eventually(() => {
      const [found] = tap.events.filter(
        (e) => e.event.type === 'referral.transferred.v1' && e.event.data.referralId === referralId,
      );
      expect(found).toBeDefined();
      return found!;
    });
    expect(moved.event.data).toMatchObject({ fromUnitCode: '02701', previousUnitCode: '02704', state: 'REQUESTED' });
    await eventually(() => expect(tap.of(childId, 'child.transferred.v1')).toHaveLength(1));

    // Bát Xát's intake staff act on it now; Y Tý's no longer can.
    const yWithdraw = await call('POST', `/cases/${caseId}/referrals/${referralId}/withdraw`, yty, {
      reason: 'Gia đình đã chuyển đi',
    });
    expect(yWithdraw.statusCode).toBe(404);

    // Both communes read the history.
    for (const token of [yty, batxat]) {
      const read = await call('GET', `/children/${childId}/history`, token);
      expect(read.statusCode, read.body).toBe(200);
      const { entries, communeCode } = read.json() as { entries: HistoryEntry[]; communeCode: string };
      expect(communeCode).toBe('02701');
      expect(entries.map((e) => e.kind)).toEqual(['registered', 'transfer-requested', 'transfer-accepted']);
      expect(entries[0]).toMatchObject({ communeCode: '02704' });
      expect(entries[2]).toMatchObject({ fromCommuneCode: '02704', toCommuneCode: '02701' });
    }
    // A commune the child never belonged to does not.
    const amusung = await signIn(identityUrl, 'canbo.amusung', 'amusung-intake-01');
    expect((await call('GET', `/children/${childId}/history`, amusung)).statusCode).toBe(404);

    // Bát Xát's staff can now withdraw the referral they inherited.
    const withdrawn = await call('POST', `/cases/${caseId}/referrals/${referralId}/withdraw`, batxat, {
      reason: 'Trẻ sẽ khám ở trạm y tế Bát Xát',
    });
    expect(withdrawn.statusCode, withdrawn.body).toBe(200);
  });

  it('a declined transfer leaves the child, its case and its referral where they were', async () => {
    const { childId, caseId, referralId } = await childWithOpenReferral('Vàng Thị Dợ');
    const asked = await call('POST', `/children/${childId}/transfers`, yty, {
      toCommuneCode: '02701',
      reason: 'Gia đình có thể chuyển về Bát Xát',
    });
    expect(asked.statusCode, asked.body).toBe(201);
    const transferId = (asked.json() as { _id: string })._id;
    const noReason = await call('POST', `/transfers/${transferId}/decline`, batxat, {});
    expect(noReason.statusCode).toBe(400);
    expect((noReason.json() as { problems: Problem[] }).problems.map((p) => p.field)).toContain('reason');
    const declined = await call('POST', `/transfers/${transferId}/decline`, batxat, {
      reason: 'Gia đình không cư trú tại Bát Xát',
    });
    expect(declined.statusCode, declined.body).toBe(200);
    expect(declined.json()).toMatchObject({ status: 'DECLINED', declineReason: 'Gia đình không cư trú tại Bát Xát' });
    expect((await call('POST', `/transfers/${transferId}/accept`, batxat)).statusCode).toBe(409);

    expect((await call('GET', `/children/${childId}`, yty)).json()).toMatchObject({ communeCode: '02704' });
    expect((await call('GET', `/children/${childId}`, batxat)).statusCode).toBe(404);
    expect((await call('GET', `/cases/${caseId}`, yty)).statusCode).toBe(200);
    expect((await referrals.commands.view(referralId)).referral).toMatchObject({
      state: 'REQUESTED',
      fromUnitCode: '02704',
    });
    const history = (await call('GET', `/children/${childId}/history`, yty)).json() as { entries: HistoryEntry[] };
    expect(history.entries.map((e) => e.kind)).toEqual(['registered', 'transfer-requested', 'transfer-declined']);
    // The child may be offered again once the first answer is in.
    const again = await call('POST', `/children/${childId}/transfers`, yty, {
      toCommuneCode: '02707',
      reason: 'Gia đình chuyển về A Mú Sung',
    });
    expect(again.statusCode, again.body).toBe(201);
  });
});
