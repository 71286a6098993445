import { mkdirSync, writeFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { temporal } from '@temporalio/proto';
import { randomUUID } from 'node:crypto';
import type { Actor, ReferralHistoryEntry } from '@ecd/referral-client';
import { advanceTo, createReferralTestRig, type ReferralTestRig } from '../support/referral-worker';

/**
 * ReferralWorkflow on the real time-skipping test server, with the real activities (FerretDB,
 * Kafka) and the pre-2025 three-level ladder: Xã Y Tý (02686) → Huyện Bát Xát (082) → Tỉnh Lào
 * Cai (10). Each test gets its own test server (its clock only moves forward, and the server's
 * time-skipping lock must not leak from one test into the next).
 */
const commune = '02686';
const facilityId = 'TYT-02686';
const intake: Actor = { userId: 'intake-1', role: 'intake-staff', unitCode: commune };
const nurse: Actor = { userId: 'nurse-1', role: 'health-staff', unitCode: commune, facilityId };
const manager: Actor = { userId: 'manager-1', role: 'facility-manager', unitCode: commune, facilityId };
const officer: Actor = { userId: 'officer-1', role: 'protection-officer', unitCode: commune };

let rig: ReferralTestRig;
/** Referrals each test started: their histories become replay fixtures (RECORD_HISTORIES=1). */
const started: string[] = [];
const historiesDir = resolve(import.meta.dirname, '../fixtures/referral-histories');

async function refer(requestedAt: string, overrides: Record<string, unknown> = {}) {
  await advanceTo(rig.env, requestedAt);
  const { referralId } = await rig.commands.request({
    caseId: randomUUID(),
    childId: randomUUID(),
    sector: 'health',
    urgency: 'routine',
    facilityId,
    fromUnitCode: commune,
    reason: 'Overdue measles vaccination (9 months)',
    requestedBy: intake,
    requestedAt,
    ...overrides,
  });
  started.push(referralId);
  // Wait until the workflow has planned its deadlines.
  for (let i = 0; i < 100; i++) {
    const { referral } = await rig.commands.view(referralId);
    if (referral.acceptBy) return referralId;
    await new Promise((r) => setTimeout(r, 50));
  }
  throw new Error('referral never planned its deadlines');
}

/** The timeline as the policy gives it; checks each timer fired at or after its instant, never before. */
/** Waits (in real time, without skipping) until the referral's workflow has closed. */
async function settled(id: string) {
  const handle = rig.env.client.workflow.getHandle(id);
  for (let i = 0; i < 200; i++) {
    if ((await handle.describe()).status.name !== 'RUNNING') return handle.result();
    await new Promise((r) => setTimeout(r, 50));
  }
  throw new Error(`referral ${id} did not close`);
}

const timeline = (history: ReferralHistoryEntry[]) =>
  history.map((h) => {
    if (h.details?.firedAt) expect(Date.parse(h.details.firedAt as string)).toBeGreaterThanOrEqual(Date.parse(h.at));
    return {
      at: h.at,
      action: h.action,
      ...(h.details?.level !== undefined ? { level: h.details.level } : {}),
      ...(h.action === 'ESCALATED' || h.action === 'REMINDER_DUE' ? { unit: h.unitCode } : {}),
    };
  });

beforeEach(async () => {
  rig = await createReferralTestRig({ ladder: 'three-level' });
});
afterEach(async (context) => {
  if (process.env.RECORD_HISTORIES === '1') {
    mkdirSync(historiesDir, { recursive: true });
    for (const [index, id] of started.entries()) {
      for (const workflowId of [id, `${id}-r1`]) {
        const history = await rig.env.client.workflow
          .getHandle(workflowId)
          .fetchHistory()
          .catch(() => undefined);
        if (!history) continue;
        const name = `${context.task.name.replace(/[^a-z0-9]+/gi, '-').slice(0, 60)}-${index}${workflowId === id ? '' : '-r1'}`;
        const { History } = temporal.api.history.v1;
        writeFileSync(resolve(historiesDir, `${name}.pb`), History.encode(History.fromObject(history)).finish());
      }
    }
  }
  started.splice(0);
  await rig?.close();
});

describe('ReferralWorkflow on the time-skipping server', () => {
  it('never accepted, across Tết 2027: reminders at 50% and 80%, escalation to levels 1, 2, 3 at the policy’s instants, then daily reminders at the top', async () => {
    // Thursday 4 Feb 2027, 10:00 in Hà Nội; Tết closes offices 5–11 Feb (with the substitute days).
    const id = await refer('2027-02-04T03:00:00.000Z');
    const { referral } = await rig.commands.view(id);
    // health/routine: accept within 2 working days → Fri 12 Feb, Mon 15 Feb (end of day, UTC+7).
    expect(referral.acceptBy).toBe('2027-02-15T16:59:59.999Z');
    expect(referral.policy).toEqual({ id: 'health.routine', version: 1 });

    await advanceTo(rig.env, '2027-02-21T00:00:00.000Z');
    const { history } = await rig.commands.view(id);
    expect(timeline(history)).toEqual([
      { at: '2027-02-04T03:00:00.000Z', action: 'REQUESTED' },
      { at: '2027-02-09T22:00:00.000Z', action: 'REMINDER_DUE', level: 0, unit: commune },
      { at: '2027-02-13T09:23:59.999Z', action: 'REMINDER_DUE', level: 0, unit: commune },
      // Level 1 at the deadline itself: the commune's own leadership and protection officer.
      { at: '2027-02-15T16:59:59.999Z', action: 'ESCALATED', level: 1, unit: commune },
      // Each next level 2 working days later (escalationInterval of health/routine).
      { at: '2027-02-17T16:59:59.999Z', action: 'ESCALATED', level: 2, unit: '082' },
      { at: '2027-02-19T16:59:59.999Z', action: 'ESCALATED', level: 3, unit: '10' },
      // Top of the ladder: a reminder every day until someone acts.
      { at: '2027-02-20T16:59:59.999Z', action: 'REMINDER_DUE', level: 3, unit: '10' },
    ]);
  });

  it('an acknowledgement stops further escalation', async () => {
    const id = await refer('2027-03-01T02:00:00.000Z'); // Monday 09:00: acceptBy end of Wed 3 March
    await advanceTo(rig.env, '2027-03-04T00:00:00.000Z');
    expect((await rig.commands.view(id)).referral.escalation).toMatchObject({ level: 1, unitCode: commune });
    const acknowledged = await rig.commands.acknowledgeEscalation(id, officer, 'Called the station; nurse on leave');
    expect(acknowledged.escalation.acknowledged).toBe(true);
    await advanceTo(rig.env, '2027-03-20T00:00:00.000Z');
    const { history } = await rig.commands.view(id);
    expect(history.filter((h) => h.action === 'ESCALATED').map((h) => h.details?.level)).toEqual([1]);
    expect(history.filter((h) => h.action === 'REMINDER_DUE' && h.details?.level !== 0)).toEqual([]);
    expect(history.at(-1)).toMatchObject({ action: 'ESCALATION_ACKNOWLEDGED', by: officer });
    // Still not accepted, but owned: the officer can close it unresolved.
    const closed = await rig.commands.closeUnresolved(id, officer, 'Family moved to another province');
    expect(closed.state).toBe('CLOSED_UNRESOLVED');
    await settled(id);
  });

  it('accepted and completed in time: the loop closes with the service record, no reminder or escalation', async () => {
    const id = await refer('2027-03-22T01:30:00.000Z');
    const accepted = await rig.commands.accept(id, nurse);
    expect(accepted.state).toBe('ACCEPTED');
    // health/routine: complete within 10 working days of acceptance (Mon 22 → Mon 5 April).
    expect(accepted.completeBy).toBe('2027-04-05T16:59:59.999Z');
    await advanceTo(rig.env, '2027-03-23T02:00:00.000Z');
    expect((await rig.commands.startService(id, nurse)).state).toBe('IN_SERVICE');
    const completed = await rig.commands.complete(id, nurse, 'Measles vaccine given', 'svc-rec-001');
    expect(completed).toMatchObject({ state: 'COMPLETED', outcome: { serviceRecordId: 'svc-rec-001' } });
    const result = await settled(id);
    expect(result.state).toBe('COMPLETED');
    const { history } = await rig.commands.view(id);
    expect(history.map((h) => h.action)).toEqual(['REQUESTED', 'ACCEPTED', 'IN_SERVICE', 'COMPLETED']);
  });

  it('illegal actions are refused with a clear reason', async () => {
    const id = await refer('2027-03-24T01:00:00.000Z');
    await expect(rig.commands.complete(id, nurse, 'done', 'svc-1')).rejects.toMatchObject({
      type: 'InvalidTransition',
      message: 'cannot complete: the referral is not accepted yet',
    });
    const otherFacility: Actor = { ...nurse, facilityId: 'TYT-02692' };
    await expect(rig.commands.accept(id, otherFacility)).rejects.toMatchObject({
      type: 'NotPermitted',
      message: 'this referral is not addressed to your facility',
    });
    await rig.commands.accept(id, nurse);
    await expect(rig.commands.accept(id, nurse)).rejects.toMatchObject({
      type: 'InvalidTransition',
      message: 'cannot accept: the referral is accepted',
    });
    await expect(rig.commands.extendDeadline(id, nurse, 'busy', '2027-05-01T00:00:00.000Z')).rejects.toMatchObject({
      type: 'NotPermitted',
      message: 'your role cannot extend this deadline; allowed: facility-manager',
    });
    await expect(rig.commands.acknowledgeEscalation(id, officer)).rejects.toMatchObject({
      message: 'there is no escalation to acknowledge',
    });
    await expect(rig.commands.acknowledgeEscalation(id, nurse)).rejects.toMatchObject({ type: 'NotPermitted' });
    await expect(rig.commands.decline(id, nurse, 'too late')).rejects.toMatchObject({
      message: 'cannot decline: the referral is accepted',
    });
  });

  it('withdrawn by the referring commune; then accepting is refused', async () => {
    const id = await refer('2027-03-25T01:00:00.000Z');
    const otherCommune: Actor = { ...intake, unitCode: '02692' };
    await expect(rig.commands.withdraw(id, otherCommune, 'duplicate')).rejects.toMatchObject({ type: 'NotPermitted' });
    await expect(rig.commands.withdraw(id, intake, '')).rejects.toMatchObject({
      type: 'InvalidArgument',
      message: 'reason must be 3–1000 characters (got 0)',
    });
    expect((await rig.commands.withdraw(id, intake, 'Child already vaccinated in the district')).state).toBe(
      'WITHDRAWN',
    );
    await expect(rig.commands.accept(id, nurse)).rejects.toMatchObject({
      type: 'InvalidTransition',
      message: expect.stringMatching(/withdrawn|closed/),
    });
  });

  it('declined with a reason: the referring commune is told to refer again', async () => {
    const id = await refer('2027-03-26T01:00:00.000Z');
    await expect(rig.commands.decline(id, nurse, '   ')).rejects.toMatchObject({ type: 'InvalidArgument' });
    const declined = await rig.commands.decline(id, nurse, 'No paediatric nurse this month; refer to the district');
    expect(declined.state).toBe('DECLINED');
    await settled(id);
    const notified = await rig.database
      .collection('notifications')
      .find({ referralId: id, kind: 'DECLINED' })
      .toArray();
    expect(notified).toHaveLength(1);
    expect(notified[0]!.recipient).toEqual({ unitCode: commune });
  });

  it('redirected to another facility: a new referral with its own clock', async () => {
    const id = await refer('2027-03-29T01:00:00.000Z'); // Monday
    await advanceTo(rig.env, '2027-03-30T03:00:00.000Z'); // Tuesday 10:00
    const redirected = await rig.commands.redirect(id, nurse, 'TTYT-082', 'Needs the district health centre');
    expect(redirected).toMatchObject({ state: 'REDIRECTED', redirectedTo: 'TTYT-082' });
    await settled(id);
    const next = `${id}-r1`;
    let view = await rig.commands.view(next).catch(() => undefined);
    for (let i = 0; !view?.referral.acceptBy && i < 100; i++) {
      await new Promise((r) => setTimeout(r, 50));
      view = await rig.commands.view(next).catch(() => undefined);
    }
    expect(view!.referral).toMatchObject({ facilityId: 'TTYT-082', state: 'REQUESTED' });
    // New clock from the redirect (Tue 30 March): 2 working days → end of Thursday 1 April.
    expect(view!.referral.acceptBy).toBe('2027-04-01T16:59:59.999Z');
    expect(view!.history[0]).toMatchObject({ action: 'REQUESTED', details: { redirectedFrom: id } });
  });

  it('a deadline extended by an allowed role moves the escalation to the new deadline', async () => {
    const id = await refer('2027-04-05T01:00:00.000Z'); // Monday; acceptBy end of Wed 7 April
    await expect(
      rig.commands.extendDeadline(id, manager, 'Vaccine stock arrives Friday', '2027-04-06T00:00:00.000Z'),
    ).rejects.toMatchObject({ message: /newDeadline must be later than the current deadline/ });
    const extended = await rig.commands.extendDeadline(
      id,
      manager,
      'Vaccine stock arrives Friday',
      '2027-04-09T16:59:59.999Z',
    );
    expect(extended.acceptBy).toBe('2027-04-09T16:59:59.999Z');
    await advanceTo(rig.env, '2027-04-10T00:00:00.000Z');
    const { history } = await rig.commands.view(id);
    const escalations = history.filter((h) => h.action === 'ESCALATED');
    expect(escalations.map((h) => h.at)).toEqual(['2027-04-09T16:59:59.999Z']);
    expect(history.find((h) => h.action === 'DEADLINE_EXTENDED')?.details).toMatchObject({
      previous: '2027-04-07T16:59:59.999Z',
      extendedTo: '2027-04-09T16:59:59.999Z',
    });
  });

  it('a window across 30/4–1/5 skips the holidays and the substitute day', async () => {
    // Thursday 29 April 2027, 10:00; 30/4 (Fri), 1–2/5 weekend, 3/5 substitute day off.
    const id = await refer('2027-04-29T03:00:00.000Z');
    expect((await rig.commands.view(id)).referral.acceptBy).toBe('2027-05-05T16:59:59.999Z');
  });

  it('transferred to another commune while escalated: the escalation climbs the receiving commune’s ladder', async () => {
    const id = await refer('2027-03-01T02:00:00.000Z'); // Monday 09:00: acceptBy end of Wed 3 March
    await advanceTo(rig.env, '2027-03-04T00:00:00.000Z');
    expect((await rig.commands.view(id)).referral.escalation).toMatchObject({ level: 1, unitCode: commune });
    await rig.commands.acknowledgeEscalation(id, officer, 'Family is moving to Trịnh Tường');
    const receiving: Actor = { userId: 'intake-2', role: 'intake-staff', unitCode: '02692' };
    const transfer = { transferId: 'transfer-0001', fromUnitCode: commune, toUnitCode: '02692' };
    // Only the receiving commune's intake staff accept a child, and only from where the referral is.
    await expect(rig.commands.transferCommune(id, intake, transfer)).rejects.toMatchObject({ type: 'NotPermitted' });
    await expect(
      rig.commands.transferCommune(id, receiving, { ...transfer, transferId: 'transfer-0002', fromUnitCode: '02707' }),
    ).rejects.toMatchObject({
      type: 'InvalidTransition',
      message: `the referral is with commune ${commune}, not 02707`,
    });
    const moved = await rig.commands.transferCommune(id, receiving, transfer);
    expect(moved).toMatchObject({ state: 'REQUESTED', fromUnitCode: '02692', escalation: { level: 0 } });
    // The same transfer again is the same update, answered as the first time.
    expect(await rig.commands.transferCommune(id, receiving, transfer)).toMatchObject({ fromUnitCode: '02692' });

    await advanceTo(rig.env, '2027-03-12T00:00:00.000Z');
    const { history, referral } = await rig.commands.view(id);
    const transferred = history.findIndex((h) => h.action === 'TRANSFERRED');
    expect(history[transferred]).toMatchObject({
      unitCode: '02692',
      details: { previousUnitCode: commune, toUnitCode: '02692', transferId: 'transfer-0001' },
    });
    // Overdue already: level 1 at once at the receiving commune, then up its ladder.
    const after = history.slice(transferred + 1).filter((h) => h.action === 'ESCALATED');
    expect(after.map((h) => [h.details?.level, h.unitCode])).toEqual([
      [1, '02692'],
      [2, '082'],
      [3, '10'],
    ]);
    expect(after[0]!.at).toBe(history[transferred]!.at);
    expect(referral).toMatchObject({ fromUnitCode: '02692', escalation: { level: 3, unitCode: '10' } });
    // The sending commune no longer acts on it; the receiving one does.
    await expect(rig.commands.withdraw(id, intake, 'Family moved away')).rejects.toMatchObject({
      type: 'NotPermitted',
    });
    expect((await rig.commands.withdraw(id, receiving, 'Seen at the Trịnh Tường station')).state).toBe('WITHDRAWN');
    await settled(id);
  });

  it('an hours window does not skip holidays: a protection emergency on National Day', async () => {
    const id = await refer('2027-09-02T14:00:00.000Z', { sector: 'protection', urgency: 'emergency' });
    expect((await rig.commands.view(id)).referral.acceptBy).toBe('2027-09-03T02:00:00.000Z');
    await expect(rig.commands.extendDeadline(id, manager, 'x', '2027-09-04T00:00:00.000Z')).rejects.toMatchObject({
      type: 'NotPermitted',
      message: expect.stringMatching(/cannot be extended/),
    });
  });
});
