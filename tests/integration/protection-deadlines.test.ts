import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { TestWorkflowEnvironment } from '@temporalio/testing';
import { randomUUID } from 'node:crypto';
import { Topics } from '@ecd/contracts';
import { createKafkaClient, ensureTopics } from '@ecd/messaging';
import type { IdentityService } from '../../services/identity/src/identity-service';
import type { ProtectionService } from '../../services/protection/src/protection-service';
import type { Actor } from '../../services/protection/src/workflows/definitions';
import { EventTap } from '../support/event-tap';
import { eventually, infra, testLogger, uniqueName } from '../support/infra';
import { startProtection, timeSkippingEnvironment } from '../support/protection';
import { signIn } from '../support/sign-in';
import { startIdentity } from '../support/stack';

/**
 * ProtectionCaseWorkflow on the real time-skipping test server, inside the real protection service
 * (HTTP, FerretDB, Kafka consumer building the board), two-level ladder: Xã Y Tý (02704) → Tỉnh
 * Lào Cai (10). One test server per test: its clock only moves forward.
 */
const HOUR = 3_600_000;
let identity: { identity: IdentityService; url: string };
let officer: string;
let supervisor: string;
let env: TestWorkflowEnvironment;
let protection: ProtectionService;
let tap: EventTap;

beforeAll(async () => {
  identity = await startIdentity();
  [officer, supervisor] = await Promise.all([
    signIn(identity.url, 'baove.yty', 'yty-protection-01'),
    signIn(identity.url, 'giamsat.laocai', 'laocai-supervisor-01'),
  ]);
  const { kafkaBrokers } = infra();
  const kafka = createKafkaClient({
    clientId: uniqueName('tap'),
    brokers: kafkaBrokers.split(','),
    logger: testLogger('tap'),
  });
  // As the services do at start: topics are created explicitly (auto-creation is off).
  await ensureTopics(kafka, Object.values(Topics));
  tap = new EventTap(kafka, [Topics.protection]);
  await tap.start();
}, 120_000);
afterAll(async () => {
  await tap?.stop();
  await identity?.identity.stop();
});

beforeEach(async () => {
  env = await timeSkippingEnvironment();
  ({ protection } = await startProtection(
    identity.url,
    {},
    { temporal: { client: env.client, nativeConnection: env.nativeConnection } },
  ));
}, 120_000);
afterEach(async () => {
  await protection?.stop();
  await env?.teardown();
});

const inject = async (method: 'GET' | 'POST', url: string, token: string, payload?: unknown) => {
  const response = await protection.app.inject({
    method,
    url,
    headers: { authorization: `Bearer ${token}` },
    ...(payload !== undefined ? { payload: payload as object } : {}),
  });
  return { status: response.statusCode, body: response.json() as Record<string, any> }; // eslint-disable-line @typescript-eslint/no-explicit-any
};

async function advanceTo(instant: number) {
  const delta = instant - (await env.currentTimeMs());
  if (delta > 0) await env.sleep(delta);
}

/** Waits until the workflow has planned its clocks (the plan's is the last one it opens). */
async function planned(caseId: string) {
  return eventually(async () => {
    const { view } = await protection.commands.view(caseId);
    expect(view.clocks.map((c) => c.step)).toContain('PLAN');
    return view;
  });
}

const report = (seriousRisk: boolean) => ({
  source: 'hotline-111',
  seriousRisk,
  child: { fullName: 'Sùng Thị Pà', sex: 'female' },
  report: { description: 'Hotline 111 forwards a report of a child beaten at home', place: 'Thôn Lao Chải' },
});

const escalations = (caseId: string) =>
  tap.of(caseId, 'protection.step_escalated.v1').map((e) => e.event.data as Record<string, unknown>);

describe('protection deadlines on the time-skipping server', () => {
  it('no emergency measure within 12 hours: escalation to the province, and a board entry there', async () => {
    const opened = await inject('POST', '/protection-cases', officer, report(true));
    expect(opened.status, JSON.stringify(opened.body)).toBe(201);
    const caseId = opened.body._id as string;
    const view = await planned(caseId);
    const emergency = view.clocks.find((c) => c.step === 'EMERGENCY_MEASURE')!;
    const receivedAt = Date.parse(opened.body.receivedAt as string);
    expect(Date.parse(emergency.dueAt)).toBe(receivedAt + 12 * HOUR);

    await advanceTo(receivedAt + 12 * HOUR + 60_000);
    const escalated = await eventually(() => {
      const event = escalations(caseId).find((e) => e.step === 'EMERGENCY_MEASURE');
      expect(event).toBeDefined();
      return event!;
    });
    expect(escalated).toMatchObject({ level: 1, responsibleUnitCode: '10', at: emergency.dueAt, stage: 'REPORTED' });
    // The event says a step was missed, never what happened to whom.
    expect(JSON.stringify(tap.of(caseId))).not.toMatch(/Sùng|beaten|Lao Chải/);

    const entryId = `protection-${caseId}-EMERGENCY_MEASURE`;
    const board = await eventually(async () => {
      const answer = await inject('GET', '/board', supervisor);
      const entry = answer.body.items.find((i: { _id: string }) => i._id === entryId);
      expect(entry).toBeDefined();
      return entry;
    });
    expect(board).toMatchObject({ kind: 'protection-step', level: 1, responsibleUnitCode: '10', urgency: 'emergency' });
    // The commune's own officer sees it too.
    const own = await inject('GET', '/board', officer);
    expect(own.body.items.map((i: { _id: string }) => i._id)).toContain(entryId);

    // The supervisor acknowledges it through the board: the workflow records it, the entry shows it.
    const acknowledged = await inject('POST', `/board/${entryId}/acknowledge`, supervisor, { note: 'Gọi ngay cho xã' });
    expect(acknowledged.status, JSON.stringify(acknowledged.body)).toBe(200);
    await eventually(async () => {
      const entry = (await inject('GET', '/board', supervisor)).body.items.find(
        (i: { _id: string }) => i._id === entryId,
      );
      expect(entry.acknowledged).toMatchObject({ role: 'supervisor' });
    });
  });

  it('the emergency measure recorded in time: no escalation', async () => {
    const opened = await inject('POST', '/protection-cases', officer, report(true));
    const caseId = opened.body._id as string;
    await planned(caseId);
    const receivedAt = Date.parse(opened.body.receivedAt as string);

    await advanceTo(receivedAt + 3 * HOUR);
    const assessed = await inject('POST', `/protection-cases/${caseId}/risk-assessment`, officer, {
      seriousRisk: true,
      riskLevel: 'high',
      findings: 'Bruises; the father is drinking',
    });
    expect(assessed.status, JSON.stringify(assessed.body)).toBe(200);
    const measure = await inject('POST', `/protection-cases/${caseId}/emergency-measures`, officer, {
      measure: 'temporary-separation',
      description: 'Child placed with her grandmother',
    });
    expect(measure.status, JSON.stringify(measure.body)).toBe(200);
    expect(measure.body.clocks.find((c: { step: string }) => c.step === 'EMERGENCY_MEASURE')).toMatchObject({
      state: 'DONE',
      late: false,
    });

    await advanceTo(receivedAt + 13 * HOUR);
    const { view } = await protection.commands.view(caseId);
    expect(view.clocks.filter((c) => c.escalation.level > 0)).toEqual([]);
    await eventually(() => expect(tap.of(caseId, 'protection.emergency_measure_taken.v1')).toHaveLength(1));
    expect(escalations(caseId)).toEqual([]);
    const board = await inject('GET', '/board', supervisor);
    expect(board.body.items.filter((i: { caseId: string }) => i.caseId === caseId)).toEqual([]);
  });

  it('a plan not drafted within 5 working days across New Year 2027 escalates at the end of the fifth', async () => {
    // Received Wednesday 30/12/2026 09:00 in Lào Cai. Day 1 is Thursday 31/12; Friday 1/1 is New
    // Year's Day and 2–3/1 a weekend; days 2–5 are Monday 4/1 to Thursday 7/1, so the plan is due
    // at 23:59:59.999 Vietnam time on Thursday 7 January 2027.
    const receivedAt = Date.parse('2026-12-30T02:00:00.000Z');
    const due = '2027-01-07T16:59:59.999Z';
    await advanceTo(receivedAt);
    const caseId = randomUUID();
    const by: Actor = { userId: 'officer-1', role: 'protection-officer', unitCode: '02704' };
    await protection.commands.open({
      protectionCaseId: caseId,
      communeCode: '02704',
      source: 'school',
      receivedAt: new Date(receivedAt).toISOString(),
      seriousRisk: false,
      reportedBy: by,
    });
    const view = await planned(caseId);
    expect(view.clocks.find((c) => c.step === 'PLAN')!.dueAt).toBe(due);
    // Assessed and met in time; only the plan is late.
    await protection.commands.step(caseId, { form: 'riskAssessment', args: { by, seriousRisk: false } }, 'assess-1');
    await protection.commands.step(caseId, { form: 'caseMeeting', args: { by } }, 'meeting-1');

    await advanceTo(Date.parse('2027-01-06T17:00:00.000Z')); // end of day 4
    expect((await protection.commands.view(caseId)).view.clocks.find((c) => c.step === 'PLAN')!.escalation.level).toBe(
      0,
    );
    await advanceTo(Date.parse(due) + HOUR);
    const escalated = await eventually(() => {
      const event = escalations(caseId).find((e) => e.step === 'PLAN');
      expect(event).toBeDefined();
      return event!;
    });
    expect(escalated).toMatchObject({ level: 1, at: due, dueAt: due, responsibleUnitCode: '10', topOfLadder: true });
    expect(escalations(caseId).map((e) => e.step)).toEqual(['PLAN']);
    await eventually(async () => {
      const board = await inject('GET', '/board', supervisor);
      expect(board.body.items.find((i: { _id: string }) => i._id === `protection-${caseId}-PLAN`)).toMatchObject({
        reason: 'PLAN',
        dueAt: due,
        state: 'MEETING_HELD',
      });
    });
  });
});
