import { mkdirSync, writeFileSync } from 'node:fs';
import { cpus, totalmem } from 'node:os';
import { resolve } from 'node:path';
import pino from 'pino';
import { createKafkaClient } from '@ecd/messaging';
import { repo } from '../../infra/local/stack/service-processes';
import { ferretFilterShapes, ferretInsertFind, kafkaRoundTrip, temporalBaselines, type Baselines } from './baselines';
import { capacity, capacityRules, phaseVerdict } from './capacity';
import { ConsumerLagWatch, ReferralEventTap } from './kafka-watch';
import { ReferralLoad, type TrackedReferral } from './load';
import { flag, option, parsePhases, runStamp } from './options';
import { ProcessMonitor, type ProcessFigures } from './process-monitor';
import { chartSvg, markdownTable, ms, num } from './report';
import {
  benchServices,
  infraDown,
  infraPid,
  infraServers,
  infraUp,
  publishShortPreschoolPolicy,
  servicePortOffset,
  startServices,
  stopOnInterrupt,
} from './stack';
import { distribution, perSecond, rate, ratio, type Distribution } from './stats';

/**
 * `npm run bench`: the whole stack as `npm start` runs it (bench profile, own ports), simulated
 * intake and facility staff over HTTP, and the engines' own baselines in the same run. Results in
 * bench/results/<run>.{json,md,svg}. Flags: see README ("Benchmark and fault drill").
 */
const log = (line: string) => process.stdout.write(`${new Date().toISOString().slice(11, 19)} bench: ${line}\n`);

async function main() {
  const phases = parsePhases(option('phases', '5:30,10:30,20:30,40:30'));
  const concurrency = Number(option('concurrency', '64'));
  const preschoolShare = Number(option('preschool-share', '0.1'));
  const escalateAfter = Number(option('escalate-after', '10'));
  const referralsPerCase = Number(option('referrals-per-case', '8'));
  const baselineCount = Number(option('baseline-count', '100'));
  const profiled = option('cpu-prof', '').split(',').filter(Boolean);
  const keepInfra = flag('keep-infra');
  const runName = runStamp('bench');
  const resultsDir = resolve(repo, 'bench/results');
  const profileDir = resolve(resultsDir, 'profiles', runName);
  mkdirSync(profileDir, { recursive: true });

  log(
    `run ${runName}: phases ${phases.map((p) => `${p.rate}/s×${p.seconds}s`).join(', ')}, concurrency ${concurrency}`,
  );
  log('starting Kafka, Temporal and FerretDB (bench profile, fresh data)…');
  const infra = await infraUp(false);
  log(`infrastructure: ${infra.KAFKA_BROKERS}, ${infra.TEMPORAL_ADDRESS}, ${infra.MONGO_URL}`);
  const specs = benchServices(infra, runName, profiled, profileDir);
  log(`starting ${specs.map((s) => `${s.name}:${s.port}`).join(', ')}…`);
  const processes = await startServices(infra, specs);
  stopOnInterrupt(async () => {
    await processes.stopAll();
    if (!keepInfra) await infraDown();
  });
  await publishShortPreschoolPolicy(infra, runName, escalateAfter);

  const kafka = createKafkaClient({
    clientId: runName,
    brokers: infra.KAFKA_BROKERS!.split(','),
    logger: pino({ level: 'error' }),
  });
  const load = new ReferralLoad({
    runName,
    preschoolShare,
    referralsPerCase,
    inboxPollMs: Number(option('inbox-poll-ms', '250')),
    intakeSampleEvery: Number(option('intake-sample-every', '10')),
    intakePollMs: Number(option('intake-poll-ms', '250')),
    retryForever: false,
    log,
  });
  const pids = () => ({
    ...Object.fromEntries(specs.map((s) => [s.name, processes.pid(s.name)])),
    ...Object.fromEntries(infraServers.map((s) => [s, infraPid(s)])),
    'load generator (bench)': process.pid,
  });

  try {
    log('baselines: Kafka produce→consume, Temporal start + update and timers, FerretDB insert + find…');
    const baselines: Baselines = {
      kafkaRoundTripMs: await kafkaRoundTrip(kafka, runName, baselineCount),
      ...(await temporalBaselines(infra.TEMPORAL_ADDRESS!, runName, baselineCount, Math.min(concurrency, 32), 10)),
      ferretInsertFindMs: await ferretInsertFind(infra.MONGO_URL!, runName, baselineCount),
      ferretFilterShapes: await ferretFilterShapes(infra.MONGO_URL!, runName, Math.min(baselineCount, 30)),
    };
    log(
      `baselines: kafka p50 ${ms(baselines.kafkaRoundTripMs.p50)}, temporal start p50 ${ms(baselines.temporalStartMs.p50)}, ` +
        `update p50 ${ms(baselines.temporalUpdateMs.p50)}, ${baselines.temporalStartUpdatePerSecond} start+update/s, ` +
        `timer lateness p99 ${ms(baselines.temporalTimerLatenessMs.p99)}, ferret p50 ${ms(baselines.ferretInsertFindMs.p50)}`,
    );

    await load.signInStaff();
    const total = phases.reduce((sum, p) => sum + p.rate * p.seconds, 0);
    // Enough cases for what the stack can take, not for every referral offered: an overloaded phase
    // skips most of its referrals, and opening cases (each starts a screening workflow) is slow here.
    const caseCount = Number(option('cases', String(Math.min(Math.ceil(total / referralsPerCase) + 10, 250))));
    log(`opening ${caseCount} cases (not timed)…`);
    const casesFrom = Date.now();
    await load.openCases(caseCount);
    log(`cases opened in ${((Date.now() - casesFrom) / 1000).toFixed(1)} s`);

    const lagWatch = new ConsumerLagWatch(kafka, runName);
    const tap = new ReferralEventTap(kafka, `${runName}_bench-tap`);
    await tap.start();
    const monitor = new ProcessMonitor(pids);
    // Let the case-opening backlog settle so the first phase starts from a quiet stack.
    await new Promise((r) => setTimeout(r, 5000));
    await lagWatch.start();
    monitor.begin();
    load.startHealthStaff();
    const start = Date.now();
    const phaseResults: PhaseResult[] = [];
    for (const [i, phase] of phases.entries()) {
      const name = `${i + 1}: ${phase.rate}/s`;
      log(`phase ${name} for ${phase.seconds} s…`);
      const result = await load.runPhase(name, phase.rate, phase.seconds, concurrency);
      // Capacity counts a phase only if its backlog drains within the limit: wait for it (bounded)
      // before climbing, so each phase starts from a drained stack.
      const drainSeconds = await load.drainPhase(name, capacityRules.drainLimitSeconds * 1000);
      phaseResults.push({ name, ...phase, ...result, drainSeconds });
      log(
        `phase ${name} done: ${load.referrals.filter((r) => r.phase === name && r.referralId).length} referrals requested, ` +
          (drainSeconds === undefined
            ? `backlog not drained within ${capacityRules.drainLimitSeconds} s`
            : `drained ${drainSeconds.toFixed(1)} s after`),
      );
    }
    const loadEnd = Date.now();
    log('draining: waiting for every health referral to be accepted and the sampled ones to show at intake…');
    const drained = await load.drain(120_000);
    const drainSeconds = (Date.now() - loadEnd) / 1000;
    log(`drained: ${drained} after ${drainSeconds.toFixed(1)} s`);
    // The last preschool referrals fall due `escalateAfter` s after they were requested.
    const preschool = load.referrals.filter((r) => r.sector === 'education' && r.referralId);
    const escalationDeadline = Date.now() + (escalateAfter + 60) * 1000;
    while (Date.now() < escalationDeadline) {
      const escalated = new Set(tap.events.filter((e) => e.type === 'referral.escalated.v1').map((e) => e.referralId));
      if (preschool.every((r) => escalated.has(r.referralId!))) break;
      await new Promise((r) => setTimeout(r, 500));
    }
    const end = Date.now();
    const figures = monitor.end();
    await load.stop();
    await lagWatch.stop();
    await tap.stop();

    const report = summarise({
      runName,
      phases: phaseResults,
      referrals: load.referrals,
      events: tap.events,
      baselines,
      figures,
      lag: lagWatch.samples,
      start,
      end,
      drained,
      drainSeconds,
      errors: load.errors,
      inboxPolls: load.inboxPolls,
      options: {
        concurrency,
        preschoolShare,
        escalateAfter,
        referralsPerCase,
        servicePortOffset,
        profiled,
        intakeSampleEvery: Number(option('intake-sample-every', '10')),
      },
    });
    writeFileSync(resolve(resultsDir, `${runName}.json`), JSON.stringify(report.json, null, 2));
    writeFileSync(resolve(resultsDir, `${runName}.md`), report.markdown);
    writeFileSync(resolve(resultsDir, `${runName}.svg`), report.svg);
    process.stdout.write(`\n${report.markdown}\n`);
    log(`results: bench/results/${runName}.{json,md,svg}`);
  } finally {
    await load.stop();
    log('stopping services…');
    await processes.stopAll();
    if (!keepInfra) await infraDown();
    if (profiled.length) log(`CPU profiles: ${profileDir}`);
  }
}

interface PhaseResult {
  name: string;
  rate: number;
  seconds: number;
  start: number;
  end: number;
  skipped: number;
  /** Seconds after the phase until its last health referral was accepted; undefined: not within the limit. */
  drainSeconds: number | undefined;
}

interface SummaryInput {
  runName: string;
  phases: PhaseResult[];
  referrals: TrackedReferral[];
  events: { type: string; referralId: string; data: Record<string, unknown>; receivedAt: number }[];
  baselines: Baselines;
  figures: ProcessFigures[];
  lag: { at: number; lag: Record<string, number> }[];
  start: number;
  end: number;
  drained: boolean;
  drainSeconds: number;
  errors: { at: number; what: string; status: number; body: string }[];
  inboxPolls: { at: number; value: number }[];
  options: Record<string, unknown>;
}

function summarise(input: SummaryInput) {
  const { baselines } = input;
  const inboxLatency = (rs: TrackedReferral[]) =>
    rs.filter((r) => r.inboxSeenAt && r.sector === 'health').map((r) => r.inboxSeenAt! - r.requestSentAt);
  const inboxLowerBound = (rs: TrackedReferral[]) =>
    rs
      .filter((r) => r.inboxPollStartedAt && r.sector === 'health')
      .map((r) => Math.max(0, r.inboxPollStartedAt! - r.requestSentAt));
  const intakeLatency = (rs: TrackedReferral[]) =>
    rs.filter((r) => r.intakeSeenAt).map((r) => r.intakeSeenAt! - r.acceptSentAt!);
  const escalations = (ids: Set<string>) => {
    const firstPerReferral = new Map<string, { fired: number; observed: number }>();
    for (const e of input.events) {
      if (e.type !== 'referral.escalated.v1' || !ids.has(e.referralId) || firstPerReferral.has(e.referralId)) continue;
      const due = Date.parse(String(e.data.dueAt));
      firstPerReferral.set(e.referralId, {
        fired: Date.parse(String(e.data.firedAt)) - due,
        observed: e.receivedAt - due,
      });
    }
    return [...firstPerReferral.values()];
  };

  // When each referral's requested and accepted events were read from Kafka: splits each latency
  // into the workflow's part (until the event is on Kafka) and the read models' part.
  const onKafka = new Map<string, number>();
  for (const e of input.events) {
    const key = `${e.referralId}:${e.type}`;
    if (!onKafka.has(key)) onKafka.set(key, e.receivedAt);
  }
  const kafkaLatency = (rs: TrackedReferral[], type: string, from: (r: TrackedReferral) => number | undefined) =>
    rs.flatMap((r) => {
      const at = onKafka.get(`${r.referralId}:${type}`);
      const start = from(r);
      return at !== undefined && start !== undefined ? [at - start] : [];
    });
  const phases = input.phases.map((phase) => {
    const rs = input.referrals.filter((r) => r.phase === phase.name);
    const created = rs.filter((r) => r.referralId);
    const acceptedInWindow = input.referrals.filter(
      (r) => r.acceptedAt && r.acceptedAt >= phase.start && r.acceptedAt < phase.end,
    );
    const healthCreated = created.filter((r) => r.sector === 'health');
    const preschoolIds = new Set(created.filter((r) => r.sector === 'education').map((r) => r.referralId!));
    const lateness = escalations(preschoolIds);
    return {
      phase: phase.name,
      offeredPerSecond: phase.rate,
      seconds: Math.round((phase.end - phase.start) / 100) / 10,
      requested: created.length,
      requestedPerSecond: Math.round(rate(created.length, phase.start, phase.end) * 10) / 10,
      acceptedPerSecond: Math.round(rate(acceptedInWindow.length, phase.start, phase.end) * 10) / 10,
      skippedAtConcurrencyLimit: phase.skipped,
      failedRequests: rs.length - created.length,
      healthReferrals: healthCreated.length,
      healthAccepted: healthCreated.filter((r) => r.acceptedAt).length,
      healthAcceptedByDrainEnd: healthCreated.filter(
        (r) => r.acceptedAt && r.acceptedAt <= phase.end + capacityRules.drainLimitSeconds * 1000,
      ).length,
      drainSeconds: phase.drainSeconds,
      requestHttpMs: distribution(created.map((r) => r.requestAnsweredAt! - r.requestSentAt)),
      requestToInboxMs: distribution(inboxLatency(rs)),
      requestToInboxLowerBoundMs: distribution(inboxLowerBound(rs)),
      requestToKafkaMs: distribution(kafkaLatency(healthCreated, 'referral.requested.v1', (r) => r.requestSentAt)),
      acceptToKafkaMs: distribution(kafkaLatency(healthCreated, 'referral.accepted.v1', (r) => r.acceptSentAt)),
      acceptHttpMs: distribution(rs.filter((r) => r.acceptedAt).map((r) => r.acceptedAt! - r.acceptSentAt!)),
      acceptToIntakeMs: distribution(intakeLatency(rs)),
      preschoolReferrals: preschoolIds.size,
      escalated: lateness.length,
      escalationLatenessMs: distribution(lateness.map((l) => l.fired)),
      escalationVisibleOnKafkaLatenessMs: distribution(lateness.map((l) => l.observed)),
      inboxReloadHttpMs: distribution(
        input.inboxPolls.filter((p) => p.at >= phase.start && p.at < phase.end).map((p) => p.value),
      ),
    };
  });

  const floorToInbox = sum(
    baselines.temporalStartMs.p50,
    baselines.kafkaRoundTripMs.p50,
    baselines.ferretInsertFindMs.p50,
  );
  const floorToIntake = sum(
    baselines.temporalUpdateMs.p50,
    baselines.kafkaRoundTripMs.p50,
    baselines.ferretInsertFindMs.p50,
  );
  const ratios = phases.map((p) => ({
    phase: p.phase,
    requestToInboxP50: ratio(p.requestToInboxMs.p50, floorToInbox),
    acceptToIntakeP50: ratio(p.acceptToIntakeMs.p50, floorToIntake),
    acceptedPerSecondVsStartUpdateCeiling: ratio(p.acceptedPerSecond, baselines.temporalStartUpdatePerSecond),
    escalationLatenessP99VsTimerP99: ratio(
      p.escalationLatenessMs.p99,
      Math.max(1, baselines.temporalTimerLatenessMs.p99 ?? 0),
    ),
  }));

  // Offered = the configured rate × the configured seconds (a phase's measured span also includes
  // waiting for its last answers).
  const outcomes = phases.map((p, i) => ({
    ...p,
    seconds: input.phases[i]!.seconds,
    requestToInboxP99Ms: p.requestToInboxMs.p99,
  }));
  const verdicts = outcomes.map((o) => phaseVerdict(o));
  const capacityPerSecond = capacity(outcomes);
  const at10 = phases.find((p) => p.offeredPerSecond === 10) ?? phases[0]!;
  const services = ['identity', 'referrals', 'intake', 'health', 'education', 'protection', 'welfare', 'portal'];
  const peakService = Math.max(...input.figures.filter((f) => services.includes(f.name)).map((f) => f.peakRssMb));
  const targets = [
    {
      target: `capacity ≥ 20 referrals/s accepted end to end (highest phase that kept up: every offered referral requested, its health referrals accepted within ${capacityRules.drainLimitSeconds} s, request→inbox p99 ≤ ${capacityRules.inboxP99LimitMs} ms)`,
      measured: `${capacityPerSecond}/s`,
      met: capacityPerSecond >= 20,
    },
    {
      target: 'capacity ≥ 0.5 × Temporal start+update pairs/s (same run, same server)',
      measured: `${capacityPerSecond}/s ÷ ${baselines.temporalStartUpdatePerSecond}/s = ${num(ratio(capacityPerSecond, baselines.temporalStartUpdatePerSecond), 2)}`,
      met: capacityPerSecond >= 0.5 * baselines.temporalStartUpdatePerSecond,
    },
    {
      target: `p99 request→inbox ≤ 1 s at 10/s (measured at ${at10.offeredPerSecond}/s)`,
      measured: ms(at10.requestToInboxMs.p99),
      met: (at10.requestToInboxMs.p99 ?? Infinity) <= 1000,
    },
    {
      target: `p99 accept→intake ≤ 1 s at 10/s (measured at ${at10.offeredPerSecond}/s)`,
      measured: ms(at10.acceptToIntakeMs.p99),
      met: (at10.acceptToIntakeMs.p99 ?? Infinity) <= 1000,
    },
    {
      target: `escalation lateness p99 ≤ 2 s at 10/s (measured at ${at10.offeredPerSecond}/s)`,
      measured: ms(at10.escalationLatenessMs.p99),
      met: (at10.escalationLatenessMs.p99 ?? Infinity) <= 2000,
    },
    {
      target: 'peak RSS ≤ 200 MB per service process (during the load)',
      measured: `${peakService} MB (${input.figures.find((f) => f.peakRssMb === peakService)?.name})`,
      met: peakService <= 200,
    },
  ];

  const requested = perSecond(
    input.referrals.filter((r) => r.requestAnsweredAt).map((r) => ({ at: r.requestAnsweredAt!, value: 1 })),
    input.start,
    input.end,
  );
  const accepted = perSecond(
    input.referrals.filter((r) => r.acceptedAt).map((r) => ({ at: r.acceptedAt!, value: 1 })),
    input.start,
    input.end,
  );
  const inboxOverTime = perSecond(
    input.referrals
      .filter((r) => r.inboxSeenAt)
      .map((r) => ({ at: r.requestSentAt, value: r.inboxSeenAt! - r.requestSentAt })),
    input.start,
    input.end,
  );
  const machine = {
    cpus: cpus().length,
    cpuModel: cpus()[0]?.model,
    memoryGb: Math.round(totalmem() / 2 ** 30),
    node: process.version,
  };
  const json = {
    run: input.runName,
    machine,
    options: input.options,
    phases,
    capacityPerSecond,
    verdicts,
    baselines,
    ratios,
    targets,
    processes: input.figures,
    drained: input.drained,
    drainSeconds: input.drainSeconds,
    errors: { count: input.errors.length, first: input.errors.slice(0, 20) },
    consumerLag: input.lag.map((s) => ({ second: Math.round((s.at - input.start) / 1000), ...s.lag })),
    perSecond: requested.map((b, i) => ({
      second: b.second,
      requested: b.count,
      accepted: accepted[i]?.count ?? 0,
      inboxP50: inboxOverTime[i]?.p50,
      inboxP99: inboxOverTime[i]?.p99,
    })),
  };

  const d = (x: Distribution) => `${ms(x.p50)} / ${ms(x.p95)} / ${ms(x.p99)} (n=${x.count})`;
  const markdown = [
    `# Benchmark ${input.runName}`,
    '',
    `Machine: ${machine.cpus} × ${machine.cpuModel}, ${machine.memoryGb} GB, Node ${machine.node}. Options: ${JSON.stringify(input.options)}.`,
    '',
    '## Targets',
    '',
    markdownTable(
      ['target', 'measured', 'met'],
      targets.map((t) => [t.target, t.measured, t.met ? 'yes' : '**no**']),
    ),
    '',
    '## Capacity',
    '',
    markdownTable(
      ['phase', 'offered/s', 'drained after', 'kept up', 'why not'],
      verdicts.map((v, i) => [
        v.phase,
        v.offeredPerSecond,
        phases[i]!.drainSeconds === undefined
          ? `> ${capacityRules.drainLimitSeconds} s`
          : `${phases[i]!.drainSeconds!.toFixed(1)} s`,
        v.keepsUp ? 'yes' : '**no**',
        v.reasons.join('; '),
      ]),
    ),
    '',
    '## Phases (latencies p50 / p95 / p99)',
    '',
    markdownTable(
      [
        'phase',
        'offered/s',
        'requested/s',
        'accepted/s',
        'skipped',
        'failed',
        'request HTTP',
        'request→inbox',
        'accept→intake',
        'escalation lateness (fired−due)',
        'escalation visible on Kafka−due',
      ],
      phases.map((p) => [
        p.phase,
        p.offeredPerSecond,
        p.requestedPerSecond,
        p.acceptedPerSecond,
        p.skippedAtConcurrencyLimit,
        p.failedRequests,
        d(p.requestHttpMs),
        d(p.requestToInboxMs),
        d(p.acceptToIntakeMs),
        d(p.escalationLatenessMs),
        d(p.escalationVisibleOnKafkaLatenessMs),
      ]),
    ),
    '',
    `Drained after the load: ${input.drained ? 'yes' : '**no**'} (${input.drainSeconds.toFixed(1)} s). Request→inbox is measured to the answer of the inbox poll that first listed the referral (upper bound; the poll's start gives a lower bound, p50 ${phases.map((p) => ms(p.requestToInboxLowerBoundMs.p50)).join(', ')}). Accept→intake on every ${String(input.options.intakeSampleEvery)}th accepted referral (a case read each time).`,
    '',
    "Where the time goes (p50 / p95 / p99): until the workflow's event is on Kafka, and how long a facility inbox reload takes.",
    '',
    markdownTable(
      [
        'phase',
        'request→requested event on Kafka',
        'accept→accepted event on Kafka',
        'facility inbox reload (GET /inbox)',
      ],
      phases.map((p) => [p.phase, d(p.requestToKafkaMs), d(p.acceptToKafkaMs), d(p.inboxReloadHttpMs)]),
    ),
    '',
    '## Baselines (same servers, same run; p50 / p95 / p99)',
    '',
    markdownTable(
      ['baseline', 'figure'],
      [
        ['Kafka produce→consume round trip (idempotent, acks=all)', d(baselines.kafkaRoundTripMs)],
        ['Temporal start of an empty workflow', d(baselines.temporalStartMs)],
        ['Temporal update round trip', d(baselines.temporalUpdateMs)],
        [`Temporal start + update pairs per second (≤32 clients)`, `${baselines.temporalStartUpdatePerSecond}/s`],
        ['Temporal 2 s timer lateness (workflow time)', d(baselines.temporalTimerLatenessMs)],
        ['FerretDB insert + find by id (one connection)', d(baselines.ferretInsertFindMs)],
        ['FerretDB findOne `{_id}` in 2000 documents', d(baselines.ferretFilterShapes.byIdMs)],
        [
          'FerretDB findOne `{_id, lastSeq}` in 2000 documents (not pushed down)',
          d(baselines.ferretFilterShapes.byIdAndFieldMs),
        ],
        ['FerretDB find `{facilityId, lastSeq}` limit 50 in 2000 documents', d(baselines.ferretFilterShapes.byFieldMs)],
      ],
    ),
    '',
    '## Our figures as multiples of the baselines',
    '',
    `Floors: request→inbox = Temporal start + Kafka round trip + FerretDB insert+find (p50s: ${ms(floorToInbox)}); accept→intake = Temporal update + Kafka + FerretDB (${ms(floorToIntake)}).`,
    '',
    markdownTable(
      [
        'phase',
        'request→inbox p50 ÷ floor',
        'accept→intake p50 ÷ floor',
        'accepted/s ÷ Temporal start+update/s',
        'escalation p99 ÷ timer p99',
      ],
      ratios.map((r) => [
        r.phase,
        num(r.requestToInboxP50),
        num(r.acceptToIntakeP50),
        num(r.acceptedPerSecondVsStartUpdateCeiling, 2),
        num(r.escalationLatenessP99VsTimerP99),
      ]),
    ),
    '',
    '## Processes (during the load)',
    '',
    markdownTable(
      ['process', 'CPU seconds', 'peak RSS during the load', 'high-water mark since start (VmHWM)'],
      input.figures.map((f) => [f.name, f.cpuSeconds.toFixed(1), `${f.peakRssMb} MB`, `${f.highWaterMb} MB`]),
    ),
    '',
    `Kafka consumer lag (max per group): ${['referrals', 'intake', 'health', 'education', 'protection', 'welfare']
      .map((g) => `${g} ${Math.max(0, ...input.lag.map((s) => s.lag[g] ?? 0))}`)
      .join(', ')}. Errors during the run: ${input.errors.length}.`,
    '',
    `Chart: ${input.runName}.svg`,
    '',
  ].join('\n');

  const marks = input.phases.map((p) => ({ x: (p.start - input.start) / 1000, label: p.name }));
  const svg = chartSvg({
    title: `${input.runName}: referrals per second, request→inbox latency and consumer lag`,
    requested,
    accepted,
    inboxLatency: inboxOverTime,
    lag: input.lag,
    start: input.start,
    marks,
  });
  return { json, markdown, svg };
}

function sum(...values: (number | undefined)[]): number | undefined {
  return values.some((v) => v === undefined) ? undefined : values.reduce<number>((a, b) => a + b!, 0);
}

main().then(
  () => process.exit(0),
  (error: unknown) => {
    process.stderr.write(`bench: ${(error as Error).stack ?? String(error)}\n`);
    process.exit(1);
  },
);
