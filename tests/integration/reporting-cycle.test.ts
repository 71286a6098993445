import { mkdirSync, writeFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { TestWorkflowEnvironment } from '@temporalio/testing';
import { temporal } from '@temporalio/proto';
import { Topics, createEvent, type CloudEvent } from '@ecd/contracts';
import { EventPublisher, createKafkaClient, ensureTopics } from '@ecd/messaging';
import { WorkingDayCalendar, vietnamHolidayCalendars } from '@ecd/referral-policy';
import type { IdentityService } from '../../services/identity/src/identity-service';
import type { ReportingService } from '../../services/reporting/src/reporting-service';
import { reportDeadlinePlan } from '../../services/reporting/src/domain/report-deadlines';
import { reportDeadlineWorkflowId } from '../../services/reporting/src/workflows/definitions';
import { eventually, infra, testLogger, uniqueName } from '../support/infra';
import { timeSkippingEnvironment } from '../support/protection';
import { advanceTo } from '../support/referral-worker';
import { startReporting } from '../support/reporting';
import { signIn } from '../support/sign-in';
import { startIdentity } from '../support/stack';

/**
 * The reporting cycle on the real servers: events of Lào Cai (two-level ladder: communes → province
 * 10) flow in over Kafka, the reporting service counts them, two communes submit, one is returned
 * and resubmits, the province approves, later events leave the approved figures alone, and a
 * commune that does not report escalates to the province at the due moment the working-day
 * calendar gives — on Temporal's time-skipping server, inside the real service.
 */
const PERIOD = '2027-S1';
const historiesDir = resolve(import.meta.dirname, '../fixtures/report-deadline-histories');

let identity: { identity: IdentityService; url: string };
let env: TestWorkflowEnvironment;
let reporting: ReportingService;
let publisher: EventPublisher;
const tokens: Record<'yty' | 'batxat' | 'amusung' | 'supervisor', string> = {
  yty: '',
  batxat: '',
  amusung: '',
  supervisor: '',
};

/** Calls the service in-process as a signed-in staff member (JSON body). */
const call = (method: 'GET' | 'POST' | 'PUT', url: string, token: string, body?: unknown) =>
  reporting.app.inject({
    method,
    url,
    headers: {
      authorization: `Bearer ${token}`,
      ...(body !== undefined ? { 'content-type': 'application/json' } : {}),
    },
    ...(body !== undefined ? { payload: JSON.stringify(body) } : {}),
  });

const source = 'tests/reporting-cycle';
const at = (date: string) => `${date}T03:00:00.000Z`;
const actor = { userId: 'test-staff', role: 'intake-staff' };

function caseOpened(caseId: string, childId: string, communeCode: string, date: string, ageMonths: number) {
  return createEvent({
    id: randomUUID(),
    type: 'case.opened.v1',
    source,
    subject: caseId,
    data: { caseId, childId, communeCode, childAgeMonths: ageMonths, concerns: ['health'], openedAt: at(date) },
  });
}
function screened(caseId: string, communeCode: string, date: string) {
  return createEvent({
    id: randomUUID(),
    type: 'case.screened.v1',
    source,
    subject: caseId,
    data: { caseId, screeningId: randomUUID(), communeCode, screenedAt: at(date), suggestedSectors: ['health'] },
  });
}
const referralRef = (referralId: string, caseId: string, communeCode: string, date: string) => ({
  referralId,
  caseId,
  sector: 'health' as const,
  urgency: 'routine' as const,
  facilityId: `TYT-${communeCode}`,
  fromUnitCode: communeCode,
  at: at(date),
});
function referred(referralId: string, caseId: string, childId: string, communeCode: string, date: string) {
  return createEvent({
    id: randomUUID(),
    type: 'referral.requested.v1',
    source,
    subject: caseId,
    data: {
      ...referralRef(referralId, caseId, communeCode, date),
      state: 'REQUESTED',
      childId,
      reason: 'Growth check',
      requestedBy: actor,
      acceptBy: at(date),
      policyId: 'health.routine',
      policyVersion: 1,
    },
  });
}
function completed(referralId: string, caseId: string, communeCode: string, date: string) {
  return createEvent({
    id: randomUUID(),
    type: 'referral.completed.v1',
    source,
    subject: caseId,
    data: {
      ...referralRef(referralId, caseId, communeCode, date),
      state: 'COMPLETED',
      by: actor,
      outcome: 'Measured and counselled',
      serviceRecordId: randomUUID(),
    },
  });
}

/** A child with a case, optionally screened, referred and served, on the given days of 2027. */
function child(
  communeCode: string,
  plan: { opened: string; ageMonths: number; screened?: string; referred?: string; completed?: string },
): CloudEvent[] {
  const caseId = randomUUID();
  const childId = randomUUID();
  const referralId = randomUUID();
  return [
    caseOpened(caseId, childId, communeCode, plan.opened, plan.ageMonths),
    ...(plan.screened ? [screened(caseId, communeCode, plan.screened)] : []),
    ...(plan.referred ? [referred(referralId, caseId, childId, communeCode, plan.referred)] : []),
    ...(plan.completed ? [completed(referralId, caseId, communeCode, plan.completed)] : []),
  ];
}

interface Value {
  indicatorId: string;
  numerator: number;
  denominator: number;
}
const valuesOf = async (unitCode: string): Promise<Value[]> => {
  const response = await call('GET', `/indicator-values/${PERIOD}?unitCode=${unitCode}`, tokens.supervisor);
  expect(response.statusCode).toBe(200);
  return response.json<{ values: Value[] }>().values;
};
const count = (values: Value[], id: string) => {
  const v = values.find((x) => x.indicatorId === id);
  return { numerator: v?.numerator ?? 0, denominator: v?.denominator ?? 0 };
};
const plus = (base: { numerator: number; denominator: number }, numerator: number, denominator: number) => ({
  numerator: base.numerator + numerator,
  denominator: base.denominator + denominator,
});

beforeAll(async () => {
  identity = await startIdentity();
  [tokens.yty, tokens.batxat, tokens.amusung, tokens.supervisor] = await Promise.all([
    signIn(identity.url, 'chutich.yty', 'yty-chairman-01'),
    signIn(identity.url, 'chutich.batxat', 'batxat-chairman-01'),
    signIn(identity.url, 'chutich.amusung', 'amusung-chairman-01'),
    signIn(identity.url, 'giamsat.laocai', 'laocai-supervisor-01'),
  ]);
  const kafka = createKafkaClient({
    clientId: uniqueName('reporting-test'),
    brokers: infra().kafkaBrokers.split(','),
    logger: testLogger('kafka'),
  });
  await ensureTopics(kafka, Object.values(Topics));
  publisher = new EventPublisher(kafka);
  await publisher.connect();
  env = await timeSkippingEnvironment();
  reporting = await startReporting(identity.url, {
    temporal: { client: env.client, nativeConnection: env.nativeConnection },
  });
}, 180_000);

afterAll(async () => {
  if (process.env.RECORD_HISTORIES === '1' && env) {
    mkdirSync(historiesDir, { recursive: true });
    for (const unit of ['02704', '02707']) {
      const history = await env.client.workflow
        .getHandle(reportDeadlineWorkflowId(`${PERIOD}_${unit}`))
        .fetchHistory()
        .catch(() => undefined);
      if (!history) continue;
      const { History } = temporal.api.history.v1;
      writeFileSync(
        resolve(historiesDir, `${PERIOD}-${unit}.pb`),
        History.encode(History.fromObject(history)).finish(),
      );
    }
  }
  await reporting?.stop();
  await env?.teardown();
  await publisher?.disconnect();
  await identity?.identity.stop();
});

describe('the reporting cycle of a small province', () => {
  it('counts events, freezes submitted figures, returns and approves level by level, and escalates a late commune at the calendar’s due moment', async () => {
    // The topics may hold other tests' events: wait until this consumer has read past them (a
    // case on every partition), then count from there.
    const fence = Array.from({ length: 30 }, () => caseOpened(randomUUID(), randomUUID(), '02722', '2025-01-02', 12));
    await publisher.publish(fence);
    await eventually(async () => {
      for (const event of fence) expect(await reporting.indicators.knowsCase(event.subject)).toBe(true);
    }, 60_000);
    const before = { yty: await valuesOf('02704'), batxat: await valuesOf('02701'), province: await valuesOf('10') };

    // Y Tý: one child screened, referred and served; one referred, not yet served.
    // Bát Xát: one child screened, referred and served.
    await publisher.publish([
      ...child('02704', {
        opened: '2027-01-10',
        ageMonths: 30,
        screened: '2027-02-01',
        referred: '2027-02-01',
        completed: '2027-03-01',
      }),
      ...child('02704', { opened: '2027-01-12', ageMonths: 50, referred: '2027-03-05' }),
      ...child('02701', {
        opened: '2027-02-02',
        ageMonths: 20,
        screened: '2027-02-03',
        referred: '2027-02-03',
        completed: '2027-02-20',
      }),
    ]);
    const expected = {
      yty: {
        reached: plus(count(before.yty, 'reached-needed-services'), 1, 2),
        screened: plus(count(before.yty, 'children-screened'), 1, 2),
      },
      batxat: { reached: plus(count(before.batxat, 'reached-needed-services'), 1, 1) },
      province: { reached: plus(count(before.province, 'reached-needed-services'), 2, 3) },
    };
    await eventually(async () => {
      expect(count(await valuesOf('02704'), 'reached-needed-services')).toEqual(expected.yty.reached);
      expect(count(await valuesOf('02704'), 'children-screened')).toEqual(expected.yty.screened);
      expect(count(await valuesOf('02701'), 'reached-needed-services')).toEqual(expected.batxat.reached);
      expect(count(await valuesOf('10'), 'reached-needed-services')).toEqual(expected.province.reached);
    }, 30_000);

    // The province opens the period: a report per commune and one for the province.
    const opened = await call('POST', `/reporting-periods/${PERIOD}/open`, tokens.supervisor);
    expect(opened.statusCode).toBe(200);
    expect(opened.json()).toMatchObject({ periodId: PERIOD, dueDate: '2027-05-15' });
    expect(opened.json<{ opened: string[] }>().opened).toEqual(
      expect.arrayContaining([`${PERIOD}_02704`, `${PERIOD}_02701`, `${PERIOD}_02707`, `${PERIOD}_10`]),
    );
    // A chairman does not open periods.
    expect((await call('POST', `/reporting-periods/${PERIOD}/open`, tokens.yty)).statusCode).toBe(403);

    const narrative = {
      narrative: {
        results: 'Tất cả trẻ được khám sàng lọc đã được theo dõi.',
        difficulties: 'Thôn xa, đường khó đi mùa mưa.',
        proposals: 'Bổ sung cộng tác viên thôn bản.',
      },
      activities: '2 buổi tập huấn cha mẹ; 1 buổi truyền thông.',
    };
    const report = (unit: string) => `/reports/${PERIOD}_${unit}`;
    expect((await call('PUT', `${report('02704')}/narrative`, tokens.yty, narrative)).statusCode).toBe(200);
    // A chairman writes only their commune's report, and reads no other.
    expect((await call('PUT', `${report('02701')}/narrative`, tokens.yty, narrative)).statusCode).toBe(404);
    expect((await call('GET', report('02701'), tokens.yty)).statusCode).toBe(404);
    // The province cannot submit before every commune is approved.
    const early = await call('POST', `${report('10')}/submit`, tokens.supervisor);
    expect(early.statusCode).toBe(409);
    expect(early.json<{ message: string }>().message).toContain('02704');

    // Two communes submit: their figures are frozen.
    const yty = await call('POST', `${report('02704')}/submit`, tokens.yty);
    expect(yty.statusCode).toBe(200);
    const frozen = yty.json<{ state: string; values: Value[] }>();
    expect(frozen.state).toBe('submitted');
    expect(count(frozen.values, 'reached-needed-services')).toEqual(expected.yty.reached);
    expect((await call('POST', `${report('02701')}/submit`, tokens.batxat)).statusCode).toBe(200);
    // Submitted twice: refused.
    expect((await call('POST', `${report('02704')}/submit`, tokens.yty)).statusCode).toBe(409);

    // Bát Xát is returned with a reason, corrected and resubmitted.
    expect((await call('POST', `${report('02701')}/return`, tokens.supervisor, {})).statusCode).toBe(400);
    const returned = await call('POST', `${report('02701')}/return`, tokens.supervisor, {
      reason: 'Thiếu phần khó khăn, vướng mắc',
    });
    expect(returned.statusCode).toBe(200);
    expect(returned.json()).toMatchObject({ state: 'returned', returnReason: 'Thiếu phần khó khăn, vướng mắc' });
    // A chairman does not approve.
    expect((await call('POST', `${report('02701')}/approve`, tokens.batxat)).statusCode).toBe(403);
    expect((await call('PUT', `${report('02701')}/narrative`, tokens.batxat, narrative)).statusCode).toBe(200);
    expect((await call('POST', `${report('02701')}/submit`, tokens.batxat)).statusCode).toBe(200);

    // The province approves both; an un-approval needs a reason and is recorded.
    for (const unit of ['02704', '02701']) {
      const approved = await call('POST', `${report(unit)}/approve`, tokens.supervisor);
      expect(approved.statusCode).toBe(200);
      expect(approved.json()).toMatchObject({ state: 'approved' });
    }
    expect((await call('POST', `${report('02704')}/unapprove`, tokens.supervisor, {})).statusCode).toBe(400);
    const unapproved = await call('POST', `${report('02704')}/unapprove`, tokens.supervisor, {
      reason: 'Số liệu cần đối chiếu lại',
    });
    expect(unapproved.json()).toMatchObject({ state: 'submitted' });
    expect((await call('POST', `${report('02704')}/approve`, tokens.supervisor)).statusCode).toBe(200);

    // Later events change the live figures, never the approved report.
    await publisher.publish(
      child('02704', {
        opened: '2027-03-01',
        ageMonths: 12,
        screened: '2027-03-02',
        referred: '2027-03-02',
        completed: '2027-03-20',
      }),
    );
    await eventually(async () => {
      expect(count(await valuesOf('02704'), 'reached-needed-services')).toEqual(plus(expected.yty.reached, 1, 1));
    }, 30_000);
    const afterwards = (await call('GET', report('02704'), tokens.yty)).json<{ state: string; values: Value[] }>();
    expect(afterwards.state).toBe('approved');
    expect(afterwards.values).toEqual(frozen.values);

    // The CSV export: the frozen figures against the targets, then the narrative.
    const csv = await call('GET', `${report('02704')}/export.csv`, tokens.yty);
    expect(csv.statusCode).toBe(200);
    expect(csv.headers['content-type']).toContain('text/csv');
    const reached = count(frozen.values, 'reached-needed-services');
    expect(csv.body).toContain(
      `Trẻ em được tiếp cận dịch vụ cần thiết (chuyển tuyến hoàn thành),1,${reached.numerator},${reached.denominator}`,
    );
    expect(csv.body).toContain('Thôn xa, đường khó đi mùa mưa.');
    const trail = await call('GET', '/audit-trail', tokens.supervisor);
    expect(trail.statusCode).toBe(200);
    expect(JSON.stringify(trail.json())).toContain('/reports/:reportId/export.csv');
    expect(JSON.stringify(trail.json())).toContain('/reports/:reportId/unapprove');

    // A Mú Sung never reports: reminded 7 and 2 working days before, escalated to the province
    // at the end of the working day the report is due (15 May 2027 is a Saturday: Monday 17 May).
    const plan = reportDeadlinePlan(new WorkingDayCalendar(vietnamHolidayCalendars), '2027-05-15');
    expect(plan.dueAt).toBe('2027-05-17T16:59:59.999Z');
    await advanceTo(env, '2027-05-18T01:00:00.000Z');
    const late = await eventually(async () => {
      const body = (await call('GET', report('02707'), tokens.supervisor)).json<{
        alerts: { kind: string; at: string; toUnitCode?: string; workingDaysBefore?: number }[];
      }>();
      expect(body.alerts.map((a) => a.kind)).toEqual(['reminder', 'reminder', 'escalation']);
      return body;
    });
    const escalation = late.alerts[2]!;
    expect(escalation.toUnitCode).toBe('10');
    expect(Date.parse(escalation.at)).toBeGreaterThanOrEqual(Date.parse(plan.dueAt));
    expect(Date.parse(escalation.at) - Date.parse(plan.dueAt)).toBeLessThan(60_000);
    // Each reminder fires at 08:00 on its working day (timers fire at or just after their instant).
    expect(late.alerts.slice(0, 2).map((a) => a.workingDaysBefore)).toEqual([7, 2]);
    for (const [index, reminder] of plan.reminders.entries()) {
      const fired = Date.parse(late.alerts[index]!.at) - Date.parse(reminder.at);
      expect(fired).toBeGreaterThanOrEqual(0);
      expect(fired).toBeLessThan(60_000);
    }
    // Y Tý submitted in time: no reminder, no escalation.
    const ytyAlerts = (await call('GET', report('02704'), tokens.yty)).json<{ alerts: unknown[] }>().alerts;
    expect(ytyAlerts).toEqual([]);

    const completeness = await call('GET', `/reporting-periods/${PERIOD}/completeness`, tokens.supervisor);
    expect(completeness.statusCode).toBe(200);
    const rows = completeness.json<{ units: { unitCode: string; state: string; escalatedTo?: string }[] }>().units;
    expect(rows.find((r) => r.unitCode === '02704')).toMatchObject({ state: 'approved' });
    expect(rows.find((r) => r.unitCode === '02701')).toMatchObject({ state: 'approved' });
    expect(rows.find((r) => r.unitCode === '02707')).toMatchObject({ state: 'draft', escalatedTo: '10' });

    // The late commune submits after all: its deadline workflow ends.
    expect((await call('POST', `${report('02707')}/submit`, tokens.amusung)).statusCode).toBe(200);
    await eventually(async () => {
      const description = await env.client.workflow.getHandle(reportDeadlineWorkflowId(`${PERIOD}_02707`)).describe();
      expect(description.status.name).toBe('COMPLETED');
    });
  }, 240_000);
});
