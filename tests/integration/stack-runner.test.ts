import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, readFileSync, readdirSync } from 'node:fs';
import { createServer, type Server } from 'node:net';
import { relative, resolve } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { DemoReport } from '../../infra/local/stack/demo-data';
import { repo, serviceBasePorts, stackUrls } from '../../infra/local/stack/service-processes';
import { eventually, infra, uniqueName } from '../support/infra';
import { signIn } from '../support/sign-in';

/**
 * `npm start` as people use it (issue 16): the stack runner itself, as a process, on the test
 * servers, with its own state directory, service ports and database names, so it never touches a
 * developer's `npm start`. One state directory serves the three stories, in order: a start that
 * cannot bind a port leaves nothing running; a restart keeps what people changed and says so; a
 * runner killed with SIGKILL is cleaned up by the next start.
 */
describe('the stack runner (npm start) after people have used it', () => {
  const namespace = uniqueName('stack');
  const stateDir = resolve(repo, `test-results/stack-runner/${namespace}`);
  const demoChildren = 40;
  let portOffset: number;
  let urls: ReturnType<typeof stackUrls>;
  let running: Runner | undefined;

  interface Runner {
    child: ChildProcess;
    attempt: string;
    output: () => string;
    exited: Promise<number | null>;
  }

  /** Starts the runner the way `npm start` does (after install), marking its processes with an attempt id. */
  const startRunner = (): Runner => {
    const { kafkaBrokers, temporalAddress, mongoUrl } = infra();
    const attempt = uniqueName('attempt');
    const child = spawn(
      process.execPath,
      [
        '--import',
        'tsx',
        resolve(repo, 'infra/local/stack/start-stack.ts'),
        '--use-running-servers',
        '--demo-children',
        String(demoChildren),
      ],
      {
        cwd: repo,
        env: {
          ...process.env,
          KAFKA_BROKERS: kafkaBrokers,
          TEMPORAL_ADDRESS: temporalAddress,
          MONGO_URL: mongoUrl,
          ECD_INFRA_STATE: stateDir,
          ECD_SERVICE_PORT_OFFSET: String(portOffset),
          ECD_STACK_NAMESPACE: namespace,
          LOG_LEVEL: 'warn',
          // Inherited by every service it launches: how the test finds them in /proc.
          ECD_STACK_TEST_ATTEMPT: attempt,
        },
        stdio: ['ignore', 'pipe', 'pipe'],
      },
    );
    let text = '';
    child.stdout!.on('data', (chunk: Buffer) => (text += chunk.toString()));
    child.stderr!.on('data', (chunk: Buffer) => (text += chunk.toString()));
    const exited = new Promise<number | null>((r) => child.once('exit', (code) => r(code)));
    return { child, attempt, output: () => text, exited };
  };

  const untilRunning = async (runner: Runner) => {
    await Promise.race([
      eventually(() => expect(runner.output()).toContain('is running'), 900_000, 500),
      runner.exited.then((code) => {
        throw new Error(`the runner exited (${code}) before it was running:\n${runner.output()}`);
      }),
    ]);
  };

  const demoReport = () => JSON.parse(readFileSync(resolve(stateDir, 'demo-report.json'), 'utf8')) as DemoReport;

  const call = async (method: 'GET' | 'POST', url: string, token: string, body?: unknown) => {
    const response = await fetch(url, {
      method,
      headers: {
        authorization: `Bearer ${token}`,
        ...(body !== undefined ? { 'content-type': 'application/json' } : {}),
      },
      ...(body !== undefined ? { body: JSON.stringify(body) } : {}),
    });
    return { status: response.status, body: (await response.json()) as Record<string, unknown> };
  };

  beforeAll(async () => {
    portOffset = await freePortOffset();
    urls = stackUrls(portOffset);
  });

  afterAll(async () => {
    if (running && running.child.exitCode === null) {
      running.child.kill('SIGTERM');
      await running.exited;
    }
    // Whatever an assertion left behind (a killed runner's services), by the attempts' marks.
    for (const pid of processesMarked(namespace, 'ECD_STACK_NAMESPACE')) process.kill(pid, 'SIGKILL');
    // The state directory (logs) stays in the git-ignored test-results/ for a look after a failure.
  }, 120_000);

  it('a start whose service cannot bind its port stops everything it launched and names the cause', async () => {
    // Another program holds the portal's port: the six services before it start, the portal cannot.
    const blocker = await listen(urls.portal);
    try {
      const runner = startRunner();
      let seen = 0;
      const watch = setInterval(() => (seen = Math.max(seen, servicesMarked(runner.attempt).length)), 250);
      const code = await runner.exited;
      clearInterval(watch);
      expect(code).toBe(1);
      const output = runner.output();
      expect(output).toContain(
        `start failed: portal could not listen on 127.0.0.1:${serviceBasePorts.portal + portOffset}`,
      );
      expect(output).toContain(`log: ${relative(repo, resolve(stateDir, 'logs/portal.log'))}`);
      expect(output).toContain('stopped everything this start launched');
      // It had launched the services (the six before the portal came up) and left none running.
      expect(seen).toBeGreaterThanOrEqual(6);
      await nothingLeft(runner.attempt);
      expect(recordedPids()).toEqual([]);
    } finally {
      await new Promise((r) => blocker.close(r));
    }
  }, 600_000);

  it('a restart keeps what people changed, and the demo loader says so', async () => {
    const first = startRunner();
    running = first;
    await untilRunning(first);
    expect(demoReport().added.children).toBe(demoChildren);
    expect(demoReport().kept).toEqual([]);

    // As canbo.yty (Y Tý) would: the family declines one referral, so it is withdrawn and its case
    // closed; the preschool accepts another.
    const [officer, teacher] = await Promise.all([
      signIn(urls.identity, 'canbo.yty', 'yty-intake-01'),
      signIn(urls.identity, 'giaovien.yty', 'yty-teacher-01'),
    ]);
    const cases = (await call('GET', `${urls.intake}/cases?limit=100`, officer)).body.items as { _id: string }[];
    const requested: { caseId: string; referralId: string; sector: string }[] = [];
    for (const { _id } of cases) {
      const kase = (await call('GET', `${urls.intake}/cases/${_id}`, officer)).body;
      for (const r of kase.referrals as { referralId: string; state: string; sector: string }[]) {
        if (r.state === 'REQUESTED') requested.push({ caseId: _id, referralId: r.referralId, sector: r.sector });
      }
    }
    const declined = requested.find((r) => r.sector === 'health')!;
    const accepted = requested.find((r) => r.sector === 'education')!;
    expect(declined && accepted).toBeTruthy();

    const withdrawn = await call(
      'POST',
      `${urls.intake}/cases/${declined.caseId}/referrals/${declined.referralId}/withdraw`,
      officer,
      { reason: 'Gia đình từ chối' },
    );
    expect(withdrawn).toMatchObject({ status: 200, body: { state: 'WITHDRAWN' } });
    await eventually(async () => {
      const kase = (await call('GET', `${urls.intake}/cases/${declined.caseId}`, officer)).body;
      expect(kase.referrals).toContainEqual(expect.objectContaining({ state: 'WITHDRAWN' }));
    }, 30_000);
    const closed = await call('POST', `${urls.intake}/cases/${declined.caseId}/close`, officer, {
      reason: 'no-needs-found',
    });
    expect(closed).toMatchObject({ status: 200, body: { status: 'CLOSED' } });
    await eventually(
      async () =>
        expect((await call('GET', `${urls.education}/inbox/${accepted.referralId}`, teacher)).status).toBe(200),
      30_000,
    );
    const accept = await call('POST', `${urls.education}/inbox/${accepted.referralId}/accept`, teacher);
    expect(accept).toMatchObject({ status: 200, body: { state: 'ACCEPTED' } });
    await eventually(async () => {
      const kase = (await call('GET', `${urls.intake}/cases/${accepted.caseId}`, officer)).body;
      expect(kase.referrals).toContainEqual(
        expect.objectContaining({ referralId: accepted.referralId, state: 'ACCEPTED' }),
      );
    }, 30_000);

    // Ctrl-C: everything stops.
    first.child.kill('SIGINT');
    expect(await first.exited).toBe(0);
    await nothingLeft(first.attempt);

    const second = startRunner();
    running = second;
    await untilRunning(second);
    const report = demoReport();
    expect(report.added).toEqual(Object.fromEntries(Object.keys(report.added).map((kind) => [kind, 0])));
    expect(report.alreadyThere.children).toBe(demoChildren);
    expect(report.kept).toEqual(
      expect.arrayContaining([
        expect.objectContaining({ kind: 'cases', id: declined.caseId, found: 'closed (no-needs-found)' }),
        expect.objectContaining({ kind: 'referrals', id: declined.referralId, found: 'WITHDRAWN' }),
        expect.objectContaining({
          kind: 'referrals',
          id: accepted.referralId,
          found: 'ACCEPTED (the demo leaves it REQUESTED)',
        }),
      ]),
    );
    expect(report.kept).toHaveLength(3);
    expect(second.output()).toContain('kept because people changed them: 3');
    expect(second.output()).toContain(`referral ${accepted.referralId}: ACCEPTED (the demo leaves it REQUESTED)`);

    // The records are as the person left them (signed in again: the identity provider's key is new).
    const [officerAgain, teacherAgain] = await Promise.all([
      signIn(urls.identity, 'canbo.yty', 'yty-intake-01'),
      signIn(urls.identity, 'giaovien.yty', 'yty-teacher-01'),
    ]);
    const closedCase = (await call('GET', `${urls.intake}/cases/${declined.caseId}`, officerAgain)).body;
    expect(closedCase).toMatchObject({ status: 'CLOSED' });
    expect(closedCase.referrals).toEqual([
      expect.objectContaining({ referralId: declined.referralId, state: 'WITHDRAWN' }),
    ]);
    expect((await call('GET', `${urls.education}/inbox/${accepted.referralId}`, teacherAgain)).body).toMatchObject({
      state: 'ACCEPTED',
    });
  }, 2_400_000);

  it('after the runner is killed with SIGKILL, the next start stops what it left and comes up', async () => {
    const killed = running!;
    expect(killed.output()).toContain('is running');
    const orphans = servicesMarked(killed.attempt);
    expect(orphans).toHaveLength(Object.keys(serviceBasePorts).length);

    killed.child.kill('SIGKILL');
    await killed.exited;
    // Nobody stopped them: the services outlive their runner, still holding their ports.
    expect(servicesMarked(killed.attempt)).toEqual(orphans);

    const next = startRunner();
    running = next;
    await untilRunning(next);
    expect(next.output()).toContain('left running by an earlier start');
    await nothingLeft(killed.attempt);
    for (const base of Object.values(urls)) expect((await fetch(`${base}/readyz`)).status).toBe(200);
    expect(servicesMarked(next.attempt)).toHaveLength(orphans.length);
    expect(demoReport().added.children).toBe(0);

    next.child.kill('SIGTERM');
    expect(await next.exited).toBe(0);
    await nothingLeft(next.attempt);
    expect(recordedPids()).toEqual([]);
  }, 1_800_000);

  /** Pids the runner recorded (its own and its services'), as `infra down` would find them. */
  function recordedPids(): string[] {
    const dir = resolve(stateDir, 'pids');
    return existsSync(dir) ? readdirSync(dir) : [];
  }
});

/** Service processes (node running a service's server.ts) among them. */
function servicesMarked(attempt: string): number[] {
  return processesMarked(attempt).filter((pid) => {
    try {
      return readFileSync(`/proc/${pid}/cmdline`, 'utf8').includes('/src/server.ts');
    } catch {
      return false;
    }
  });
}

/** No process of the attempt runs: the runner, its services, their helpers (esbuild) all gone. */
async function nothingLeft(attempt: string): Promise<void> {
  await eventually(() => expect(processesMarked(attempt)).toEqual([]), 10_000, 200);
}

/** Live processes whose environment carries `name=value` (what a runner passes to all it launches). */
function processesMarked(value: string, name = 'ECD_STACK_TEST_ATTEMPT'): number[] {
  const mark = `${name}=${value}`;
  const found: number[] = [];
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry) || Number(entry) === process.pid) continue;
    try {
      const stat = readFileSync(`/proc/${entry}/stat`, 'utf8');
      if (stat.slice(stat.lastIndexOf(')') + 2).startsWith('Z')) continue;
      if (readFileSync(`/proc/${entry}/environ`, 'utf8').split('\0').includes(mark)) found.push(Number(entry));
    } catch {
      // gone meanwhile, or not ours to read
    }
  }
  return found.sort((a, b) => a - b);
}

function listen(url: string): Promise<Server> {
  const server = createServer((socket) => socket.destroy());
  return new Promise((resolveListen, reject) => {
    server.once('error', reject);
    server.listen(Number(new URL(url).port), '127.0.0.1', () => resolveListen(server));
  });
}

/**
 * A service port offset whose seven ports are all free, below the kernel's ephemeral range
 * (32768–60999), where any outgoing connection may take a port a service wants to listen on.
 * ECD_STACK_TEST_PORT_OFFSET picks one.
 */
async function freePortOffset(): Promise<number> {
  const chosen = process.env.ECD_STACK_TEST_PORT_OFFSET;
  const candidates = chosen ? [Number(chosen)] : Array.from({ length: 29 }, (_, i) => 25_000 - i * 500);
  for (const offset of candidates) {
    const servers: Server[] = [];
    try {
      for (const base of Object.values(serviceBasePorts)) servers.push(await listen(`http://x:${base + offset}`));
      return offset;
    } catch {
      // taken: the next block
    } finally {
      await Promise.all(servers.map((s) => new Promise((r) => s.close(r))));
    }
  }
  throw new Error(`no free block of seven service ports at offsets ${candidates.join(', ')}`);
}
