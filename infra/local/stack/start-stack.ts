import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { relative, resolve } from 'node:path';
import {
  DemoLoadFailure,
  describeDemoReport,
  emptyDemoReport,
  loadDemoData,
  loadProtectionDemoData,
} from './demo-data';
import {
  ServiceProcesses,
  ServiceStartFailure,
  commandLine,
  describeStack,
  liveRecordedPid,
  localProtectionKeys,
  localSessionSecret,
  logTail,
  portOwner,
  readInfraEnv,
  recordedServices,
  repo,
  serviceEntry,
  servicePort,
  stackServiceNames,
  stackStateDir,
  stackUrls,
  terminate,
  writePidRecord,
  type ServiceSpec,
} from './service-processes';

/**
 * `npm start` (after infra/local/bin/start has installed): the servers, every service as its own
 * process, the demo data, the URLs. All or nothing: whatever fails while starting stops what this
 * start launched and names the cause and the log. What a killed earlier run left behind (recorded
 * pids, this checkout's services holding our ports) is stopped first. One runner per state
 * directory: a second one says so and leaves the first alone.
 *
 * Flags (or variables): --profile (ECD_INFRA_PROFILE, dev), the state directory (ECD_INFRA_STATE,
 * .infra/<profile>), --service-port-offset (ECD_SERVICE_PORT_OFFSET, 0), --namespace
 * (ECD_STACK_NAMESPACE: prefix of databases, consumer groups, task queues), --demo-children
 * (ECD_DEMO_CHILDREN, 200), ECD_STACK_READY_SECONDS (300), --use-running-servers (KAFKA_BROKERS, TEMPORAL_ADDRESS, MONGO_URL of
 * servers someone else runs; the runner then neither starts nor stops servers).
 */

const servers = ['ferretdb', 'kafka', 'temporal'] as const;

function option(name: string, variable: string, fallback: string): string {
  const args = process.argv.slice(2);
  for (let i = 0; i < args.length; i++) {
    if (args[i] === `--${name}`) return args[i + 1] ?? '';
    if (args[i]!.startsWith(`--${name}=`)) return args[i]!.slice(name.length + 3);
  }
  return process.env[variable] ?? fallback;
}

export interface RunnerSettings {
  profile: string;
  stateDir: string;
  portOffset: number;
  namespace: string | undefined;
  demoChildren: number;
  /** How long the services may take to be ready (a busy two-core machine needs minutes). */
  readySeconds: number;
  /** Servers someone else runs (the tests'); undefined: this runner manages the profile's servers. */
  runningServers: Record<string, string> | undefined;
}

function settings(): RunnerSettings {
  const profile = option('profile', 'ECD_INFRA_PROFILE', 'dev');
  const useRunning = process.argv.includes('--use-running-servers');
  const { KAFKA_BROKERS, TEMPORAL_ADDRESS, MONGO_URL } = process.env;
  if (useRunning && !(KAFKA_BROKERS && TEMPORAL_ADDRESS && MONGO_URL)) {
    fail('--use-running-servers needs KAFKA_BROKERS, TEMPORAL_ADDRESS and MONGO_URL');
  }
  const portOffset = Number(option('service-port-offset', 'ECD_SERVICE_PORT_OFFSET', '0'));
  const demoChildren = Number(option('demo-children', 'ECD_DEMO_CHILDREN', '200'));
  if (!Number.isInteger(portOffset) || portOffset < 0) fail('--service-port-offset must be a whole number ≥ 0');
  if (!Number.isInteger(demoChildren) || demoChildren < 0) fail('--demo-children must be a whole number ≥ 0');
  return {
    profile,
    stateDir: stackStateDir(profile),
    portOffset,
    namespace: option('namespace', 'ECD_STACK_NAMESPACE', '') || undefined,
    demoChildren,
    readySeconds: Number(process.env.ECD_STACK_READY_SECONDS ?? 300),
    runningServers: useRunning
      ? { KAFKA_BROKERS: KAFKA_BROKERS!, TEMPORAL_ADDRESS: TEMPORAL_ADDRESS!, MONGO_URL: MONGO_URL! }
      : undefined,
  };
}

function fail(message: string): never {
  process.stderr.write(`start: ${message}\n`);
  process.exit(2);
}

const say = (line: string) => process.stdout.write(`${line}\n`);
/** A path as a person would type it: relative inside the current directory, else absolute. */
const shown = (path: string) => {
  const near = relative(process.cwd(), path);
  return near && !near.startsWith('..') ? near : path;
};

/** A start that could not finish: the cause in one line and the log that tells more. */
class StartFailure extends Error {
  constructor(
    message: string,
    readonly log: string,
  ) {
    super(message);
  }
}

async function main() {
  const s = settings();
  const pidDir = resolve(s.stateDir, 'pids');
  const logDir = resolve(s.stateDir, 'logs');
  const runnerFile = resolve(pidDir, 'stack.pid');
  const startedServersFile = resolve(s.stateDir, 'stack-started-servers');
  const urls = stackUrls(s.portOffset);

  // One runner per state directory; a second start leaves the first alone.
  const running = liveRecordedPid(runnerFile);
  if (running !== undefined && running !== process.pid) {
    process.stderr.write(
      `start: npm start is already running here (pid ${running}); the staff portal is at ${urls.portal}. ` +
        'Stop it with Ctrl-C in its terminal (or `npm run infra:down`) before starting again.\n',
    );
    process.exit(1);
  }
  mkdirSync(pidDir, { recursive: true });
  writePidRecord(runnerFile, process.pid);

  let processes: ServiceProcesses | undefined;
  let infraUp: ChildProcess | undefined;
  let startedServers: string[] = [];
  let started = false;
  let stopping = false;

  const stopLaunched = async () => {
    infraUp?.kill('SIGTERM');
    await processes?.stopAll();
    if (startedServers.length > 0) await infraCommand(s, ['down', ...startedServers], 'ignore').done;
    rmSync(startedServersFile, { force: true });
    rmSync(resolve(s.stateDir, 'stack.json'), { force: true });
    if (liveRecordedPid(runnerFile) === process.pid) rmSync(runnerFile, { force: true });
  };
  const shutdown = async (code: number) => {
    if (stopping) return;
    stopping = true;
    say(started ? '\nstopping what this start launched…' : '\nstart interrupted: stopping what it launched…');
    await stopLaunched();
    say('stopped.');
    process.exit(code);
  };
  process.on('SIGINT', () => void shutdown(started ? 0 : 130));
  process.on('SIGTERM', () => void shutdown(started ? 0 : 143));

  try {
    await stopLeftovers(s, pidDir);

    let infra: Record<string, string>;
    if (s.runningServers) {
      infra = s.runningServers;
    } else {
      // Servers this start launches are its own to stop; so are those a killed earlier start
      // launched (it recorded them), which this one adopts.
      const adopted = existsSync(startedServersFile)
        ? readFileSync(startedServersFile, 'utf8').split('\n').filter(Boolean)
        : [];
      startedServers = servers.filter(
        (server) => adopted.includes(server) || liveRecordedPid(resolve(pidDir, `${server}.pid`)) === undefined,
      );
      writeFileSync(startedServersFile, startedServers.join('\n') + '\n');
      const up = infraCommand(s, ['up'], 'inherit');
      infraUp = up.child;
      if ((await up.done) !== 0) {
        throw new StartFailure('the servers (Kafka, Temporal, FerretDB) did not start', logDir);
      }
      infraUp = undefined;
      infra = readInfraEnv(s.profile, s.stateDir);
    }

    const layout = { infra, portOffset: s.portOffset, ...(s.namespace ? { namespace: s.namespace } : {}) };
    const specs = describeStack({
      ...layout,
      protectionKeys: localProtectionKeys(s.stateDir),
      sessionSecret: localSessionSecret(s.stateDir),
    });
    // For `npm run service:dev`, which runs one of these services in place of the stack's process.
    writeFileSync(resolve(s.stateDir, 'stack.json'), JSON.stringify(layout, null, 2));
    processes = new ServiceProcesses(infra, logDir, pidDir);
    for (const spec of specs) processes.start(spec);
    try {
      await processes.waitAllReady(specs, s.readySeconds * 1000);
    } catch (error) {
      if (error instanceof ServiceStartFailure) {
        throw new StartFailure(explainServiceFailure(error, specs), error.log);
      }
      throw error;
    }

    const report = emptyDemoReport();
    if (s.demoChildren > 0) {
      try {
        const day = demoDay(s.stateDir);
        const loaded = await loadDemoData(
          { intakeUrl: urls.intake, identityUrl: urls.identity, healthUrl: urls.health, educationUrl: urls.education },
          s.demoChildren,
          day,
        );
        Object.assign(report, await loadProtectionDemoData(urls.protection, urls.identity, loaded));
      } catch (error) {
        if (error instanceof DemoLoadFailure) {
          const service = specs.find((spec) => error.url.startsWith(`http://127.0.0.1:${spec.port}`));
          throw new StartFailure(error.message, service ? processes.logFile(service.name) : logDir);
        }
        throw error;
      }
      writeFileSync(resolve(s.stateDir, 'demo-report.json'), JSON.stringify(report, null, 2));
    }

    started = true;
    processes.onUnexpectedExit = (name, code, signal) => {
      say(
        `${name} stopped (${code !== null ? `code ${code}` : signal}); see ${shown(processes!.logFile(name))}. ` +
          'The other services keep running; `kill -USR2 ' +
          `${process.pid}\` (or the end of \`npm run service:dev -- ${name}\`) starts it again.`,
      );
    };
    process.on('SIGUSR2', () => void restartStopped(processes!, specs));
    const temporalUi = s.runningServers
      ? undefined
      : `http://127.0.0.1:${process.env.TEMPORAL_UI_PORT ?? Number(infra.TEMPORAL_ADDRESS!.split(':')[1]) + 1000}`;
    say(
      [
        '',
        'Early-childhood referral network is running.',
        `  staff portal       ${urls.portal}  (open this in a browser; demo staff in services/identity/README.md)`,
        ...specs
          .filter((spec) => spec.name !== 'portal')
          .map((spec) => `  ${spec.name.padEnd(18)} http://127.0.0.1:${spec.port}  (API docs: /docs, health: /readyz)`),
        ...(temporalUi && s.profile === 'dev' ? [`  Temporal Web UI    ${temporalUi}`] : []),
        `  Kafka              ${infra.KAFKA_BROKERS}`,
        `  FerretDB           ${infra.MONGO_URL}`,
        `  logs               ${shown(logDir)}/`,
        '',
        ...(s.demoChildren > 0
          ? [
              `Demo data (${s.demoChildren} children, made for ${demoDayText(s.stateDir)}; \`npm run demo:reset\` starts over):`,
              ...describeDemoReport(report).map((line) => `  ${line}`),
              '',
            ]
          : []),
        'A restart keeps every record; Ctrl-C stops what this command started.',
        '',
      ].join('\n'),
    );
  } catch (error) {
    if (stopping) return;
    stopping = true;
    const cause = error instanceof Error ? error.message : String(error);
    const log = error instanceof StartFailure ? error.log : logDir;
    process.stderr.write(`\nstart failed: ${cause}\n  log: ${shown(log)}\n`);
    const tail = log.endsWith('.log') ? logTail(log) : '';
    if (tail) process.stderr.write(`${tail.replace(/^/gm, '  | ')}\n`);
    await stopLaunched();
    process.stderr.write('stopped everything this start launched.\n');
    process.exit(1);
  }
}

/** Stops what a killed earlier run left: recorded service pids, and this checkout's services on our ports. */
async function stopLeftovers(s: RunnerSettings, pidDir: string): Promise<void> {
  await Promise.all(
    recordedServices(pidDir).map(async ({ name, file }) => {
      const pid = liveRecordedPid(file);
      if (pid !== undefined) {
        say(`start: stopping ${name} (pid ${pid}), left running by an earlier start`);
        await terminate(pid);
      }
      rmSync(file, { force: true });
    }),
  );
  await Promise.all(
    stackServiceNames.map(async (name) => {
      const port = servicePort(name, s.portOffset);
      const owner = portOwner(port);
      // Ours only when it runs this checkout's service: anything else is left alone (and named if it blocks us).
      if (owner !== undefined && commandLine(owner).includes(serviceEntry(name))) {
        say(`start: stopping pid ${owner} (this checkout's ${name}), which held port ${port}`);
        await terminate(owner);
      }
    }),
  );
}

function explainServiceFailure(error: ServiceStartFailure, specs: ServiceSpec[]): string {
  const spec = specs.find((candidate) => candidate.name === error.service);
  if (spec && /EADDRINUSE/.test(logTail(error.log, 40))) {
    const owner = portOwner(spec.port);
    const who =
      owner !== undefined ? `pid ${owner} (${commandLine(owner).slice(0, 120) || 'unknown'})` : 'another process';
    return (
      `${spec.name} could not listen on 127.0.0.1:${spec.port}: the port is used by ${who}; ` +
      'stop it, or move the services with ECD_SERVICE_PORT_OFFSET'
    );
  }
  return error.message;
}

async function restartStopped(processes: ServiceProcesses, specs: ServiceSpec[]): Promise<void> {
  for (const spec of specs) {
    if (processes.pid(spec.name) !== undefined) continue;
    const owner = portOwner(spec.port);
    if (owner !== undefined) {
      say(`${spec.name}: port ${spec.port} is held by pid ${owner}; not starting it again`);
      continue;
    }
    processes.start(spec);
    try {
      await processes.waitReady(spec, 120_000);
      say(`${spec.name} started again (pid ${processes.pid(spec.name)})`);
    } catch (error) {
      say(`${spec.name} did not start again: ${(error as Error).message}; see ${shown(processes.logFile(spec.name))}`);
    }
  }
}

/**
 * The day the demo data is made for, kept in the state directory: the children's ages and the
 * consents' dates follow from it, so a restart on a later day sends the same requests (and finds
 * them there) instead of new ones. `npm run demo:reset` forgets it.
 */
function demoDay(stateDir: string): Date {
  return new Date(`${demoDayText(stateDir)}T12:00:00+07:00`);
}

function demoDayText(stateDir: string): string {
  const file = resolve(stateDir, 'demo-data.json');
  if (existsSync(file)) {
    const { day } = JSON.parse(readFileSync(file, 'utf8')) as { day?: string };
    if (day && /^\d{4}-\d{2}-\d{2}$/.test(day)) return day;
  }
  const day = new Date(Date.now() + 7 * 3_600_000).toISOString().slice(0, 10);
  writeFileSync(file, JSON.stringify({ day }) + '\n');
  return day;
}

/** Runs `infra/local/bin/infra` on this runner's profile and state directory. */
function infraCommand(
  s: RunnerSettings,
  args: string[],
  stdio: 'inherit' | 'ignore',
): { child: ChildProcess; done: Promise<number> } {
  const child = spawn('bash', [resolve(repo, 'infra/local/bin/infra'), ...args], {
    env: { ...process.env, ECD_INFRA_PROFILE: s.profile, ECD_INFRA_STATE: s.stateDir },
    // The person sees the servers' progress; stdout stays for the runner's own lines.
    stdio: ['ignore', stdio === 'inherit' ? 'inherit' : 'ignore', stdio],
  });
  const done = new Promise<number>((r) => child.once('exit', (code) => r(code ?? 1)));
  return { child, done };
}

void main();
