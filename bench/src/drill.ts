import { mkdirSync, writeFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { Client } from '@temporalio/client';
import { exportJWK, generateKeyPair } from 'jose';
import mongoose from 'mongoose';
import pino from 'pino';
import { createKafkaClient } from '@ecd/messaging';
import { ReferralCommands, connectTemporal } from '@ecd/referral-client';
import { repo, type ServiceProcesses, type ServiceSpec } from '../../infra/local/stack/service-processes';
import { ConsumerLagWatch, ReferralEventTap } from './kafka-watch';
import { ReferralLoad, call, communes, type TrackedReferral } from './load';
import { signIn } from '../../tests/support/sign-in';
import { flag, option, runStamp } from './options';
import { markdownTable } from './report';
import {
  benchServices,
  infraDown,
  infraPid,
  infraUp,
  publishShortPreschoolPolicy,
  startServices,
  stopOnInterrupt,
  urls,
  type InfraServer,
} from './stack';

/**
 * `npm run drill`: under a steady load, kill -9 and restart, one at a time, every service process,
 * the Temporal server, Kafka and FerretDB; then check that nothing was lost or duplicated anywhere
 * a referral should be (workflow, Kafka, facility inbox, intake case), that every due escalation
 * fired, and report the recovery time per fault. Exits 1 on any loss or duplicate.
 */
const log = (line: string) => process.stdout.write(`${new Date().toISOString().slice(11, 19)} drill: ${line}\n`);
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

interface FaultResult {
  fault: string;
  killedAt: number;
  /** Kill → the restarted process answers again (service /readyz, or `infra up` done). */
  restartSeconds: number;
  /** Kill → a referral requested at the kill is in the facility inbox and accepted (the whole loop works). */
  recoverySeconds?: number;
  errorsDuringFault: number;
}

async function main() {
  const rate = Number(option('rate', '1'));
  const downSeconds = Number(option('down-seconds', '3'));
  const settleSeconds = Number(option('settle-seconds', '10'));
  const escalateAfter = Number(option('escalate-after', '10'));
  const keepInfra = flag('keep-infra');
  const faults = option(
    'faults',
    'referrals,intake,health,education,protection,identity,temporal,kafka,ferretdb',
  ).split(',');
  const runName = runStamp('drill');
  const resultsDir = resolve(repo, 'bench/results');
  mkdirSync(resultsDir, { recursive: true });

  log(`run ${runName}: ${rate} referrals/s, faults ${faults.join(', ')}`);
  const infra = await infraUp(false);
  // The identity provider signs with a key that survives its restart (as any production
  // provider's would); otherwise a restart would sign every member of staff out.
  const { privateKey } = await generateKeyPair('ES256', { extractable: true });
  const jwk = JSON.stringify({ ...(await exportJWK(privateKey)), alg: 'ES256', kid: `${runName}-key` });
  const specs: ServiceSpec[] = benchServices(infra, runName).map((spec) =>
    spec.name === 'identity' ? { ...spec, env: (i) => ({ ...spec.env(i), OIDC_SIGNING_JWK: jwk }) } : spec,
  );
  let processes: ServiceProcesses = await startServices(infra, specs);
  stopOnInterrupt(async () => {
    await processes.stopAll();
    if (!keepInfra) await infraDown();
  });
  await publishShortPreschoolPolicy(infra, runName, escalateAfter);

  const kafka = createKafkaClient({
    clientId: runName,
    brokers: infra.KAFKA_BROKERS!.split(','),
    logger: pino({ level: 'silent' }),
  });
  const tap = new ReferralEventTap(kafka, `${runName}_drill-tap`);
  const load = new ReferralLoad({
    runName,
    preschoolShare: Number(option('preschool-share', '0.1')),
    referralsPerCase: 8,
    inboxPollMs: 200,
    intakeSampleEvery: 1_000_000,
    intakePollMs: 500,
    retryForever: true,
    log,
  });
  const results: FaultResult[] = [];
  let failed: boolean | undefined;
  try {
    await tap.start();
    await load.signInStaff();
    const expectedCases = Math.ceil((rate * faults.length * (downSeconds + settleSeconds + 40)) / 8) + 20;
    await load.openCases(expectedCases);
    log(`${expectedCases} cases opened; steady load starts`);
    load.startHealthStaff(4);
    let loadRunning = true;
    const steady = (async () => {
      while (loadRunning) await load.runPhase('steady', rate, 5, 10_000);
    })();
    await sleep(settleSeconds * 1000);

    for (const fault of faults) {
      const errorsBefore = load.errors.length;
      const killedAt = Date.now();
      // The probe: what a person would try right after the fault. For identity, signing in; for
      // the preschools' service, a preschool referral showing in its inbox; otherwise a health
      // referral through the whole loop (intake → workflow → Kafka → inbox → accept).
      const probe =
        fault === 'identity' ? Promise.resolve() : load.refer('probe', fault === 'education' ? 'education' : 'health');
      await kill(fault, processes);
      log(`${fault}: killed (kill -9)`);
      await sleep(downSeconds * 1000);
      if (isInfra(fault)) {
        await infraUp(true);
      } else {
        const spec = specs.find((s) => s.name === fault)!;
        processes.start(spec);
        await processes.waitReady(spec, 120_000);
      }
      const restartSeconds = (Date.now() - killedAt) / 1000;
      log(`${fault}: restarted after ${restartSeconds.toFixed(1)} s`);
      await probe;
      const recoveredAt = await recovery(fault, load);
      const result: FaultResult = {
        fault,
        killedAt,
        restartSeconds,
        ...(recoveredAt ? { recoverySeconds: (recoveredAt - killedAt) / 1000 } : {}),
        errorsDuringFault: load.errors.length - errorsBefore,
      };
      results.push(result);
      log(
        `${fault}: ${recoveredAt ? `recovered ${result.recoverySeconds!.toFixed(1)} s after the kill` : 'NOT recovered within 180 s'}`,
      );
      await sleep(settleSeconds * 1000);
    }
    loadRunning = false;
    await steady;
    log('load stopped; waiting for every health referral to be accepted and every due escalation to fire…');
    await load.drain(240_000);
    const preschool = load.referrals.filter((r) => r.sector === 'education' && r.referralId);
    await waitFor(
      () => {
        const escalated = new Set(
          tap.events.filter((e) => e.type === 'referral.escalated.v1').map((e) => e.referralId),
        );
        return preschool.every((r) => escalated.has(r.referralId!));
      },
      (escalateAfter + 120) * 1000,
    );
    // Verify only once every consumer has read everything: late is not lost.
    const lagWatch = new ConsumerLagWatch(kafka, runName);
    await lagWatch.start();
    const caughtUp = await waitFor(() => {
      const last = lagWatch.samples.slice(-2);
      return last.length === 2 && last.every((s) => Object.values(s.lag).every((n) => n === 0));
    }, 240_000);
    await lagWatch.stop();
    log(caughtUp ? 'every consumer group has caught up (lag 0)' : 'consumer lag did not reach 0 within 240 s');

    const findings = await verify(load, tap, infra, runName);
    const report = drillReport(runName, rate, results, findings, load);
    writeFileSync(
      resolve(resultsDir, `${runName}.json`),
      JSON.stringify({ run: runName, rate, results, findings }, null, 2),
    );
    writeFileSync(resolve(resultsDir, `${runName}.md`), report);
    process.stdout.write(`\n${report}\n`);
    failed = findings.problems.length > 0;
    log(failed ? `FAILED: ${findings.problems.length} problems` : 'passed: nothing lost, nothing duplicated');
  } finally {
    await load.stop();
    await tap.stop();
    await processes.stopAll();
    if (!keepInfra) await infraDown();
  }
  process.exit(failed === false ? 0 : 1);

  async function kill(fault: string, running: ServiceProcesses): Promise<void> {
    if (isInfra(fault)) {
      const pid = infraPid(fault);
      if (!pid) throw new Error(`${fault} is not running`);
      process.kill(pid, 'SIGKILL');
      while (infraPid(fault)) await sleep(50);
    } else {
      await running.stop(fault, 'SIGKILL');
    }
    processes = running;
  }
}

/** When the probe of a fault succeeded (ms since the epoch), or undefined after 180 s. */
async function recovery(fault: string, load: ReferralLoad): Promise<number | undefined> {
  const deadline = Date.now() + 180_000;
  if (fault === 'identity') {
    // A member of staff can sign in again.
    while (Date.now() < deadline) {
      const ok = await signIn(urls.identity, communes[0]!.intake.username, communes[0]!.intake.password).then(
        () => true,
        () => false,
      );
      if (ok) return Date.now();
      await sleep(250);
    }
    return undefined;
  }
  const tracked = load.referrals.findLast((r) => r.phase === 'probe')!;
  if (fault === 'education') {
    // The preschool sees the probe referral in its inbox.
    const staff = communes.find((c) => c.code === tracked.commune)!.preschool;
    while (Date.now() < deadline) {
      const item = await call('GET', `${urls.education}/inbox/${tracked.referralId}`, load.tokenOf(staff.username));
      if (item.status === 200) return Date.now();
      await sleep(250);
    }
    return undefined;
  }
  return (await waitFor(() => tracked.acceptedAt !== undefined, deadline - Date.now()))
    ? tracked.acceptedAt
    : undefined;
}

const isInfra = (fault: string): fault is InfraServer => ['kafka', 'temporal', 'ferretdb'].includes(fault);

async function waitFor(test: () => boolean, timeoutMs: number): Promise<boolean> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (test()) return true;
    await sleep(250);
  }
  return test();
}

interface Findings {
  referrals: number;
  checked: { workflow: number; inbox: number; intake: number; kafka: number };
  escalationsDue: number;
  escalationsFired: number;
  kafkaRedeliveries: number;
  problems: string[];
}

/**
 * Every referral, everywhere it should be, each transition once, every due escalation fired. The
 * read models are read once each from their service's database (a whole-collection read costs one
 * scan on FerretDB, where a lookup per referral through the API would cost one scan each); a
 * sample is also read through the APIs, so what staff see is checked too.
 */
async function verify(
  load: ReferralLoad,
  tap: ReferralEventTap,
  infra: Record<string, string>,
  runName: string,
): Promise<Findings> {
  const problems: string[] = [];
  const connection = await connectTemporal(infra.TEMPORAL_ADDRESS!);
  const commands = new ReferralCommands(new Client({ connection }), `${runName}_referrals`);
  const created = load.referrals.filter((r) => r.referralId);
  const unanswered = load.referrals.filter((r) => !r.referralId);
  for (const r of unanswered) problems.push(`referral request ${r.idempotencyKey} (case ${r.caseId}) never answered`);
  const findings: Findings = {
    referrals: created.length,
    checked: { workflow: 0, inbox: 0, intake: 0, kafka: 0 },
    escalationsDue: 0,
    escalationsFired: 0,
    kafkaRedeliveries: 0,
    problems,
  };

  // Kafka: per referral and event type, exactly one event id (the same id twice is a redelivery).
  const eventIds = new Map<string, Map<string, Set<string>>>();
  const seenIds = new Set<string>();
  for (const e of tap.events) {
    if (seenIds.has(e.id)) findings.kafkaRedeliveries++;
    seenIds.add(e.id);
    const types = eventIds.get(e.referralId) ?? new Map<string, Set<string>>();
    eventIds.set(e.referralId, types);
    const key = e.type === 'referral.escalated.v1' ? `${e.type}#${String(e.data.level)}` : e.type;
    const ids = types.get(key) ?? new Set<string>();
    ids.add(e.id);
    types.set(key, ids);
  }

  // Each referral key must be one referral: a retried request never makes a second.
  const perKey = new Map<string, Set<string>>();
  for (const r of created) perKey.set(r.idempotencyKey, (perKey.get(r.idempotencyKey) ?? new Set()).add(r.referralId!));
  for (const [key, ids] of perKey) if (ids.size > 1) problems.push(`Idempotency-Key ${key} made ${ids.size} referrals`);

  // The read models, once each.
  const read = async <T>(service: string, collection: string): Promise<T[]> => {
    const db = await mongoose.createConnection(`${infra.MONGO_URL}/${runName}_${service}`).asPromise();
    try {
      return (await db.collection(collection).find({}).toArray()) as T[];
    } finally {
      await db.close();
    }
  };
  type Item = { _id: string; state: string; escalationLevel?: number };
  const inboxItems = [
    ...(await read<Item>('health', 'inbox_items')),
    ...(await read<Item>('education', 'inbox_items')),
  ];
  const caseReferrals = await read<Item & { caseId: string }>('intake', 'case_referrals');
  const cases = await read<{ _id: string; timeline: { id: string; kind: string }[] }>('intake', 'cases');
  const group = <T extends { _id: string }>(rows: T[]) => {
    const map = new Map<string, T[]>();
    for (const row of rows) map.set(row._id, [...(map.get(row._id) ?? []), row]);
    return map;
  };
  const inboxById = group(inboxItems);
  const caseReferralById = group(caseReferrals);
  const caseById = new Map(cases.map((c) => [c._id, c]));

  // The workflows, 16 at a time.
  const views = new Map<string, Awaited<ReturnType<ReferralCommands['view']>>>();
  let next = 0;
  await Promise.all(
    Array.from({ length: 16 }, async () => {
      while (next < created.length) {
        const id = created[next++]!.referralId!;
        const view = await commands.view(id).catch((error: unknown) => {
          problems.push(`${id}: no workflow (${(error as Error).message})`);
          return undefined;
        });
        if (view) views.set(id, view);
      }
    }),
  );

  const now = Date.now();
  for (const r of created) {
    const id = r.referralId!;
    const view = views.get(id);
    if (!view) continue;
    findings.checked.workflow++;
    const expected = r.sector === 'health' ? 'ACCEPTED' : 'REQUESTED';
    if (view.referral.state !== expected)
      problems.push(`${id}: workflow state ${view.referral.state}, expected ${expected}`);
    const count = (action: string) => view.history.filter((h) => h.action === action).length;
    if (count('REQUESTED') !== 1)
      problems.push(`${id}: REQUESTED recorded ${count('REQUESTED')} times in the workflow`);
    if (r.sector === 'health' && count('ACCEPTED') !== 1)
      problems.push(`${id}: ACCEPTED recorded ${count('ACCEPTED')} times in the workflow`);
    const due = r.sector === 'education' && !!view.referral.acceptBy && Date.parse(view.referral.acceptBy) < now - 2000;
    if (due) {
      findings.escalationsDue++;
      if (view.referral.escalation.level >= 1) findings.escalationsFired++;
      else problems.push(`${id}: accept deadline ${view.referral.acceptBy} passed but no escalation in the workflow`);
      if (count('ESCALATED') !== 1)
        problems.push(`${id}: ESCALATED recorded ${count('ESCALATED')} times in the workflow`);
    }

    // Kafka.
    const types = eventIds.get(id);
    const once = (type: string) => {
      const n = types?.get(type)?.size ?? 0;
      if (n !== 1) problems.push(`${id}: ${type} on Kafka with ${n} distinct event ids, expected 1`);
    };
    once('referral.requested.v1');
    if (r.sector === 'health') once('referral.accepted.v1');
    if (due) once('referral.escalated.v1#1');
    findings.checked.kafka++;

    // The facility inbox (health station or preschool).
    const items = inboxById.get(id) ?? [];
    if (items.length !== 1) problems.push(`${id}: ${items.length} times in ${r.facilityId}'s inbox`);
    else {
      findings.checked.inbox++;
      if (items[0]!.state !== expected) problems.push(`${id}: inbox state ${items[0]!.state}, expected ${expected}`);
      if (due && (items[0]!.escalationLevel ?? 0) < 1) problems.push(`${id}: inbox shows no escalation`);
    }

    // The intake case: the referral once, its state, one timeline entry per event.
    const onCase = (caseReferralById.get(id) ?? []).filter((x) => x.caseId === r.caseId);
    if (onCase.length !== 1) problems.push(`${id}: on its intake case ${onCase.length} times`);
    else {
      findings.checked.intake++;
      if (onCase[0]!.state !== expected) problems.push(`${id}: intake shows ${onCase[0]!.state}, expected ${expected}`);
      if (due && (onCase[0]!.escalationLevel ?? 0) < 1) problems.push(`${id}: intake shows no escalation`);
    }
    const entries = (caseById.get(r.caseId)?.timeline ?? []).filter((t) => t.id.startsWith(`${id}:`));
    const times = (kind: string) => entries.filter((t) => t.kind === kind).length;
    if (times('referral.requested') !== 1)
      problems.push(`${id}: referral.requested ${times('referral.requested')} times on the case timeline`);
    if (r.sector === 'health' && times('referral.accepted') !== 1)
      problems.push(`${id}: referral.accepted ${times('referral.accepted')} times on the case timeline`);
    if (due && times('referral.escalated') < 1) problems.push(`${id}: no referral.escalated on the case timeline`);
    if (new Set(entries.map((t) => t.id)).size !== entries.length)
      problems.push(`${id}: duplicate timeline entries on the case`);
  }

  // What staff see, through the APIs, for a sample: the same as the read models.
  for (const r of created.filter((_, i) => i % Math.max(1, Math.floor(created.length / 20)) === 0)) {
    const commune = communes.find((c) => c.code === r.commune)!;
    const staff = r.sector === 'health' ? commune.healthStation : commune.preschool;
    const item = await call(
      'GET',
      `${r.sector === 'health' ? urls.health : urls.education}/inbox/${r.referralId}`,
      load.tokenOf(staff.username),
    );
    if (item.status !== 200) problems.push(`${r.referralId}: GET inbox item answered ${item.status}`);
    const kase = await call('GET', `${urls.intake}/cases/${r.caseId}`, load.tokenOf(commune.intake.username));
    const listed = ((kase.body as { referrals?: { referralId: string }[] }).referrals ?? []).filter(
      (x) => x.referralId === r.referralId,
    );
    if (listed.length !== 1) problems.push(`${r.referralId}: GET case lists it ${listed.length} times`);
  }

  // No duplicate cases from repeated "open case" requests: each commune lists exactly the cases opened.
  for (const commune of communes) {
    const list = await call('GET', `${urls.intake}/cases?limit=1`, load.tokenOf(commune.intake.username));
    const total = (list.body as { total: number }).total;
    const opened = load.casesOpened.filter((c) => c.commune === commune.code).length;
    if (total !== opened) problems.push(`commune ${commune.code}: intake lists ${total} cases, ${opened} were opened`);
  }
  await connection.close();
  return findings;
}

function drillReport(
  runName: string,
  rate: number,
  results: FaultResult[],
  findings: Findings,
  load: ReferralLoad,
): string {
  const probes: TrackedReferral[] = load.referrals.filter((r) => r.phase === 'probe');
  return [
    `# Fault drill ${runName}`,
    '',
    `Steady load: ${rate} referrals/s (10% to a preschool that never accepts, with a ${'seconds-long'} accept window, so escalations fall due during the drill). Each fault: kill -9, down 3 s, restart. Recovery is measured from the kill by a probe started at the kill: for identity, until a member of staff can sign in; for education, until a preschool referral requested at the kill (retried with its Idempotency-Key) shows in the preschool's inbox; otherwise until a health referral requested at the kill has gone through the whole loop (intake → workflow → Kafka → inbox → accepted). Verification starts once every consumer group's lag is 0.`,
    '',
    markdownTable(
      [
        'fault (kill -9)',
        'restarted after',
        'recovered after (probe succeeded)',
        'failed requests (all repeated until answered)',
      ],
      results.map((r) => [
        r.fault,
        `${r.restartSeconds.toFixed(1)} s`,
        r.recoverySeconds === undefined ? '**not recovered**' : `${r.recoverySeconds.toFixed(1)} s`,
        r.errorsDuringFault,
      ]),
    ),
    '',
    `Referrals: ${findings.referrals} created (${probes.length} probes). Checked: ${findings.checked.workflow} workflows, ${findings.checked.kafka} on Kafka, ${findings.checked.inbox} in facility inboxes, ${findings.checked.intake} on intake cases. Escalations due: ${findings.escalationsDue}, fired: ${findings.escalationsFired}. Kafka redeliveries (same event id again, absorbed by idempotent consumers): ${findings.kafkaRedeliveries}.`,
    '',
    findings.problems.length === 0
      ? '**Passed**: zero lost, zero duplicated.'
      : `**Failed**: ${findings.problems.length} problems:\n\n${findings.problems
          .slice(0, 100)
          .map((p) => `- ${p}`)
          .join('\n')}`,
    '',
  ].join('\n');
}

main().catch((error: unknown) => {
  process.stderr.write(`drill: ${(error as Error).stack ?? String(error)}\n`);
  process.exit(1);
});
