import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { randomUUID } from 'node:crypto';
import type { Actor, ReferralHistoryEntry } from '../../services/referrals/src/domain/referral-types';
import { advanceTo, createReferralTestRig, type ReferralTestRig } from '../support/referral-worker';

/**
 * ReferralWorkflow on the real time-skipping test server, with the real activities (FerretDB,
 * Kafka) and the pre-2025 three-level ladder: Xã Y Tý (02686) → Huyện Bát Xát (082) → Tỉnh Lào
 * Cai (10). Tests run in calendar order because the test server's clock only moves forward.
 */
const commune = '02686';
const facilityId = 'TYT-02686';
const intake: Actor = { userId: 'intake-1', role: 'intake-staff', unitCode: commune };
const nurse: Actor = { userId: 'nurse-1', role: 'health-staff', unitCode: commune, facilityId };
const manager: Actor = { userId: 'manager-1', role: 'facility-manager', unitCode: commune, facilityId };
const officer: Actor = { userId: 'officer-1', role: 'protection-officer', unitCode: commune };

let rig: ReferralTestRig;

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
  // Wait until the workflow has planned its deadlines.
  for (let i = 0; i < 100; i++) {
    const { referral } = await rig.commands.view(referralId);
    if (referral.acceptBy) return referralId;
    await new Promise((r) => setTimeout(r, 50));
  }
  throw new Error('referral never planned its deadlines');
}

/** The timeline as the policy gives it; checks each timer fired at or after its instant, never before. */
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

beforeAll(async () => {
  rig = await createReferralTestRig({ ladder: 'three-level' });
});
afterAll(async () => {
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
});
