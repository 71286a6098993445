import { execFileSync, spawn, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { createWriteStream, existsSync, mkdirSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { resolve } from 'node:path';

export const repo = resolve(import.meta.dirname, '../../..');

/** Every service of the stack, its port and the environment it needs beyond the infrastructure. */
export interface ServiceSpec {
  name: string;
  port: number;
  env: (infra: Record<string, string>) => Record<string, string>;
  /** Extra node flags, e.g. `--cpu-prof` when the benchmark profiles this service. */
  nodeArgs?: string[];
}

/**
 * The services of the stack in start order, with the ports of `npm start`: identity first (the
 * others fetch its keys to verify sign-ins), the staff portal last (the gateway to all of them).
 */
export const serviceBasePorts = {
  identity: 4400,
  referrals: 4100,
  intake: 4101,
  health: 4102,
  education: 4103,
  protection: 4104,
  welfare: 4105,
  reporting: 4106,
  portal: 4000,
} as const;
export type StackServiceName = keyof typeof serviceBasePorts;
export const stackServiceNames = Object.keys(serviceBasePorts) as StackServiceName[];

/** How one run of the stack is laid out, so `npm start`, the bench and the tests share one description. */
export interface StackLayout {
  /** KAFKA_BROKERS, TEMPORAL_ADDRESS, MONGO_URL of the servers (`.infra/<profile>/env`). */
  infra: Record<string, string>;
  /** Added to every service's port: 0 for `npm start`, 20000 for the bench, its own for a test. */
  portOffset: number;
  /**
   * Prefix of databases, consumer groups and task queues, so several stacks share one set of
   * servers; without it the services' own names (ecd_<service>, <service>, referrals).
   */
  namespace?: string;
  /** The protection service's keyring (`<id>:<base64 key>`) and the id that seals new values. */
  protectionKeys: { keys: string; keyId: string };
  /** The portal's session secret; sessions live in its database and outlive a restart. */
  sessionSecret: string;
  logLevel?: string;
  /** More identity settings, e.g. the bench's long token lifetime. */
  identityEnv?: Record<string, string>;
}

export const servicePort = (name: StackServiceName, portOffset: number) => serviceBasePorts[name] + portOffset;

export function stackUrls(portOffset: number): Record<StackServiceName, string> {
  return Object.fromEntries(
    stackServiceNames.map((name) => [name, `http://127.0.0.1:${servicePort(name, portOffset)}`]),
  ) as Record<StackServiceName, string>;
}

/** The server URL with a database name, keeping any query string. */
function databaseUrl(base: string, database: string): string {
  const url = new URL(base);
  url.pathname = `/${database}`;
  return url.toString();
}

/** Every service of the stack, each with the environment that ties it to the others and to the servers. */
export function describeStack(layout: StackLayout): ServiceSpec[] {
  const { infra, portOffset, namespace } = layout;
  const urls = stackUrls(portOffset);
  const issuer = urls.identity;
  const logLevel: Record<string, string> = layout.logLevel ? { LOG_LEVEL: layout.logLevel } : {};
  const named = (name: string): Record<string, string> =>
    namespace
      ? { MONGO_URL: databaseUrl(infra.MONGO_URL!, `${namespace}_${name}`), KAFKA_GROUP_ID: `${namespace}_${name}` }
      : { MONGO_URL: databaseUrl(infra.MONGO_URL!, `ecd_${name}`) };
  const referralsQueue: Record<string, string> = namespace ? { TEMPORAL_TASK_QUEUE: `${namespace}_referrals` } : {};
  const backend = (name: string) => ({
    KAFKA_BROKERS: infra.KAFKA_BROKERS!,
    TEMPORAL_ADDRESS: infra.TEMPORAL_ADDRESS!,
    ...named(name),
    ...referralsQueue,
    OIDC_ISSUER: issuer,
    OIDC_JWKS_URL: `${issuer}/jwks`,
    ...logLevel,
  });
  const database = (name: string) => ({ MONGO_URL: named(name).MONGO_URL! });
  const env: Record<StackServiceName, () => Record<string, string>> = {
    identity: () => ({
      ISSUER: issuer,
      ...database('identity'),
      PORTAL_REDIRECT_URIS: `${urls.portal}/auth/callback`,
      PORTAL_POST_LOGOUT_REDIRECT_URIS: `${urls.portal}/`,
      ...logLevel,
      ...layout.identityEnv,
    }),
    referrals: () => backend('referrals'),
    intake: () => backend('intake'),
    health: () => backend('health'),
    education: () => backend('education'),
    welfare: () => backend('welfare'),
    protection: () => ({
      ...backend('protection'),
      ...(namespace
        ? { TEMPORAL_TASK_QUEUE: `${namespace}_protection`, TEMPORAL_REFERRALS_TASK_QUEUE: `${namespace}_referrals` }
        : {}),
      PROTECTION_ENCRYPTION_KEYS: layout.protectionKeys.keys,
      PROTECTION_ENCRYPTION_KEY_ID: layout.protectionKeys.keyId,
    }),
    reporting: () => ({
      ...backend('reporting'),
      ...(namespace ? { TEMPORAL_TASK_QUEUE: `${namespace}_reporting` } : {}),
    }),
    portal: () => ({
      PUBLIC_URL: urls.portal,
      OIDC_ISSUER: issuer,
      INTAKE_URL: urls.intake,
      HEALTH_URL: urls.health,
      EDUCATION_URL: urls.education,
      PROTECTION_URL: urls.protection,
      WELFARE_URL: urls.welfare,
      ...database('portal'),
      SESSION_SECRET: layout.sessionSecret,
      KAFKA_BROKERS: infra.KAFKA_BROKERS!,
      ...(namespace ? { KAFKA_GROUP_ID: `${namespace}_portal` } : {}),
      ...logLevel,
    }),
  };
  return stackServiceNames.map((name) => ({ name, port: servicePort(name, portOffset), env: env[name] }));
}

/**
 * The protection service's keyring for `npm start`: from the environment if set, else a key made
 * once and kept in the git-ignored state directory, so a restart still opens what it sealed.
 */
export function localProtectionKeys(stateDir: string): StackLayout['protectionKeys'] {
  if (process.env.PROTECTION_ENCRYPTION_KEYS && process.env.PROTECTION_ENCRYPTION_KEY_ID) {
    return { keys: process.env.PROTECTION_ENCRYPTION_KEYS, keyId: process.env.PROTECTION_ENCRYPTION_KEY_ID };
  }
  const file = resolve(stateDir, 'protection-encryption-keys');
  if (!existsSync(file)) {
    mkdirSync(stateDir, { recursive: true });
    writeFileSync(file, `dev1:${randomBytes(32).toString('base64')}\n`, { mode: 0o600 });
  }
  return { keys: readFileSync(file, 'utf8').trim(), keyId: 'dev1' };
}

/** Where a runner of a profile keeps its pids, logs and demo day: ECD_INFRA_STATE, else .infra/<profile>. */
export function stackStateDir(profile = process.env.ECD_INFRA_PROFILE ?? 'dev'): string {
  return resolve(process.env.ECD_INFRA_STATE ?? resolve(repo, `.infra/${profile}`));
}

/** The portal's session secret, kept like the keyring above: a restart keeps people signed in. */
export function localSessionSecret(stateDir: string): string {
  if (process.env.SESSION_SECRET) return process.env.SESSION_SECRET;
  const file = resolve(stateDir, 'portal-session-secret');
  if (!existsSync(file)) {
    mkdirSync(stateDir, { recursive: true });
    writeFileSync(file, `${randomBytes(32).toString('base64url')}\n`, { mode: 0o600 });
  }
  return readFileSync(file, 'utf8').trim();
}

export function readInfraEnv(profile: string, stateDir = resolve(repo, `.infra/${profile}`)): Record<string, string> {
  const text = readFileSync(resolve(stateDir, 'env'), 'utf8');
  return Object.fromEntries(
    text
      .split('\n')
      .filter((l) => l.includes('='))
      .map((l) => [l.slice(0, l.indexOf('=')), l.slice(l.indexOf('=') + 1)]),
  );
}

/**
 * A process's identity: its boot and its start time (clock ticks after boot, field 22 of
 * /proc/<pid>/stat, kept across exec). Pid files hold "<pid> <identity>" (the same format as
 * `record_pid` in infra/local/lib/common.sh), so a reused pid is never taken for ours.
 */
export function processIdentity(pid: number): string | undefined {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    const bootId = readFileSync('/proc/sys/kernel/random/boot_id', 'utf8').trim();
    return `${bootId}/${fields[19]}`;
  } catch {
    return undefined;
  }
}

export interface PidRecord {
  pid: number;
  identity: string;
}

export function writePidRecord(file: string, pid: number): void {
  mkdirSync(resolve(file, '..'), { recursive: true });
  writeFileSync(file, `${pid} ${processIdentity(pid) ?? 'gone'}\n`);
}

export function readPidRecord(file: string): PidRecord | undefined {
  try {
    const [pid, identity] = readFileSync(file, 'utf8').trim().split(/\s+/);
    return pid && identity ? { pid: Number(pid), identity } : undefined;
  } catch {
    return undefined;
  }
}

/** The recorded process if it still runs and is the one recorded (not a pid reused since). */
export function liveRecordedPid(file: string): number | undefined {
  const record = readPidRecord(file);
  return record && processIdentity(record.pid) === record.identity ? record.pid : undefined;
}

export const isAlive = (pid: number) => processIdentity(pid) !== undefined;

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** SIGTERM, then SIGKILL after `graceMs`; resolves once the process is gone. Only for verified pids. */
export async function terminate(pid: number, graceMs = 20_000): Promise<void> {
  const identity = processIdentity(pid);
  if (!identity) return;
  const gone = () => processIdentity(pid) !== identity || zombie(pid);
  try {
    process.kill(pid, 'SIGTERM');
  } catch {
    return;
  }
  const deadline = Date.now() + graceMs;
  while (!gone() && Date.now() < deadline) await sleep(100);
  if (!gone()) {
    try {
      process.kill(pid, 'SIGKILL');
    } catch {
      return;
    }
    while (!gone()) await sleep(100);
  }
}

function zombie(pid: number): boolean {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    return stat.slice(stat.lastIndexOf(')') + 2).startsWith('Z');
  } catch {
    return true;
  }
}

/** Which process listens on a TCP port of 127.0.0.1 (from `ss`), if any. */
export function portOwner(port: number): number | undefined {
  try {
    const out = execFileSync('ss', ['-Hltnp', `sport = :${port}`], { encoding: 'utf8' });
    const match = /pid=(\d+)/.exec(out);
    return match ? Number(match[1]) : undefined;
  } catch {
    return undefined;
  }
}

export function commandLine(pid: number): string {
  try {
    return readFileSync(`/proc/${pid}/cmdline`, 'utf8').split('\0').join(' ').trim();
  } catch {
    return '';
  }
}

/** The entry point of a service of this checkout: a process running it is one of ours. */
export const serviceEntry = (name: string) => resolve(repo, `services/${name}/src/server.ts`);

export const servicePidFile = (pidDir: string, name: string) => resolve(pidDir, `service-${name}.pid`);

/** Pid files of services recorded in a state directory's pid folder. */
export function recordedServices(pidDir: string): { name: string; file: string }[] {
  if (!existsSync(pidDir)) return [];
  return readdirSync(pidDir)
    .filter((f) => /^service-.+\.pid$/.test(f))
    .map((f) => ({ name: f.slice('service-'.length, -'.pid'.length), file: resolve(pidDir, f) }));
}

/** Last lines of a log, for a message that names the cause. */
export function logTail(file: string, lines = 5): string {
  try {
    return readFileSync(file, 'utf8').trimEnd().split('\n').slice(-lines).join('\n');
  } catch {
    return '';
  }
}

/**
 * Runs each service as its own process (as in production), logging to `<logDir>/<name>.log`;
 * with a `pidDir`, records each pid (with its identity) so a later start or `infra down` can find
 * what a killed run left behind.
 */
export class ServiceProcesses {
  private readonly children = new Map<string, ChildProcess>();
  private readonly stopping = new Set<string>();
  /** Told when a service exits that nobody asked to stop. */
  onUnexpectedExit: ((name: string, code: number | null, signal: NodeJS.Signals | null) => void) | undefined;

  constructor(
    private readonly infra: Record<string, string>,
    private readonly logDir: string,
    private readonly pidDir?: string,
  ) {
    mkdirSync(logDir, { recursive: true });
  }

  logFile(name: string): string {
    return resolve(this.logDir, `${name}.log`);
  }

  start(spec: ServiceSpec): ChildProcess {
    const log = createWriteStream(this.logFile(spec.name), { flags: 'a' });
    const child = spawn(process.execPath, [...(spec.nodeArgs ?? []), '--import', 'tsx', serviceEntry(spec.name)], {
      cwd: repo,
      env: { ...process.env, ...spec.env(this.infra), PORT: String(spec.port), HOST: '127.0.0.1' },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    child.stdout!.pipe(log);
    child.stderr!.pipe(log);
    this.children.set(spec.name, child);
    this.stopping.delete(spec.name);
    const pidFile = this.pidDir && child.pid ? servicePidFile(this.pidDir, spec.name) : undefined;
    if (pidFile) writePidRecord(pidFile, child.pid!);
    child.once('exit', (code, signal) => {
      if (pidFile && readPidRecord(pidFile)?.pid === child.pid) rmSync(pidFile, { force: true });
      if (!this.stopping.has(spec.name) && this.children.get(spec.name) === child) {
        this.onUnexpectedExit?.(spec.name, code, signal);
      }
    });
    return child;
  }

  async waitReady(spec: ServiceSpec, timeoutMs = 90_000): Promise<void> {
    const deadline = Date.now() + timeoutMs;
    const child = this.children.get(spec.name);
    const log = this.logFile(spec.name);
    while (Date.now() < deadline) {
      if (child && (child.exitCode !== null || child.signalCode !== null)) {
        const how = child.exitCode !== null ? `with code ${child.exitCode}` : `on ${child.signalCode}`;
        throw new ServiceStartFailure(spec.name, `${spec.name} exited ${how} while starting`, log);
      }
      try {
        const response = await fetch(`http://127.0.0.1:${spec.port}/readyz`);
        // Ready only while our child still runs: a stranger answering on the port is not it.
        if (response.ok && child?.exitCode === null && child.signalCode === null) return;
      } catch {
        // not listening yet
      }
      await sleep(300);
    }
    throw new ServiceStartFailure(spec.name, `${spec.name} was not ready within ${timeoutMs / 1000}s`, log);
  }

  /**
   * Waits for every service at once and fails at the first that exits or overstays, so a start
   * that cannot succeed stops early instead of waiting for the services before it.
   */
  async waitAllReady(specs: ServiceSpec[], timeoutMs = 120_000): Promise<void> {
    const deadline = Date.now() + timeoutMs;
    const waiting = new Map(specs.map((spec) => [spec.name, spec]));
    while (waiting.size > 0) {
      for (const spec of waiting.values()) {
        const child = this.children.get(spec.name);
        if (child && (child.exitCode !== null || child.signalCode !== null)) {
          const how = child.exitCode !== null ? `with code ${child.exitCode}` : `on ${child.signalCode}`;
          throw new ServiceStartFailure(
            spec.name,
            `${spec.name} exited ${how} while starting`,
            this.logFile(spec.name),
          );
        }
      }
      await Promise.all(
        [...waiting.values()].map(async (spec) => {
          try {
            const response = await fetch(`http://127.0.0.1:${spec.port}/readyz`, { signal: AbortSignal.timeout(5000) });
            const child = this.children.get(spec.name);
            if (response.ok && child?.exitCode === null && child.signalCode === null) waiting.delete(spec.name);
          } catch {
            // not listening yet
          }
        }),
      );
      if (waiting.size === 0) return;
      if (Date.now() > deadline) {
        const late = [...waiting.keys()];
        throw new ServiceStartFailure(
          late[0]!,
          `${late.join(', ')} not ready within ${timeoutMs / 1000}s`,
          this.logFile(late[0]!),
        );
      }
      await sleep(300);
    }
  }

  /** SIGTERM (graceful: finish in-flight work, commit offsets) and wait; SIGKILL after 20 s. */
  async stop(name: string, signal: NodeJS.Signals = 'SIGTERM'): Promise<void> {
    const child = this.children.get(name);
    this.stopping.add(name);
    if (!child || child.exitCode !== null || child.signalCode !== null) return;
    const exited = new Promise<void>((r) => child.once('exit', () => r()));
    child.kill(signal);
    const timer = setTimeout(() => child.kill('SIGKILL'), 20_000);
    await exited;
    clearTimeout(timer);
  }

  /** The operating-system pid of a running service (for CPU and memory sampling). */
  pid(name: string): number | undefined {
    const child = this.children.get(name);
    return child && child.exitCode === null && child.signalCode === null ? child.pid : undefined;
  }

  /** Pids of every process this object started, running or not. */
  startedPids(): number[] {
    return [...this.children.values()].flatMap((c) => (c.pid ? [c.pid] : []));
  }

  async stopAll(): Promise<void> {
    await Promise.all([...this.children.keys()].reverse().map((name) => this.stop(name)));
  }
}

/** A service that did not come up, with the log that says why. */
export class ServiceStartFailure extends Error {
  override name = 'ServiceStartFailure';
  constructor(
    readonly service: string,
    message: string,
    readonly log: string,
  ) {
    super(message);
  }
}
