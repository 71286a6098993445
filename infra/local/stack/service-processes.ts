import { spawn, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { createWriteStream, existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
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

/** Services that verify sign-ins and act on referrals through Temporal. */
const facilityEnv = (name: string) => (i: Record<string, string>) => ({
  KAFKA_BROKERS: i.KAFKA_BROKERS!,
  TEMPORAL_ADDRESS: i.TEMPORAL_ADDRESS!,
  MONGO_URL: `${i.MONGO_URL}/ecd_${name}`,
  OIDC_ISSUER: 'http://127.0.0.1:4400',
  OIDC_JWKS_URL: 'http://127.0.0.1:4400/jwks',
});

/**
 * The protection service's keyring for `npm start`: from the environment if set, else a key made
 * once and kept in the git-ignored .infra/dev/, so a restart still opens what it sealed.
 */
function devEncryptionKeys(): { PROTECTION_ENCRYPTION_KEYS: string; PROTECTION_ENCRYPTION_KEY_ID: string } {
  if (process.env.PROTECTION_ENCRYPTION_KEYS && process.env.PROTECTION_ENCRYPTION_KEY_ID) {
    return {
      PROTECTION_ENCRYPTION_KEYS: process.env.PROTECTION_ENCRYPTION_KEYS,
      PROTECTION_ENCRYPTION_KEY_ID: process.env.PROTECTION_ENCRYPTION_KEY_ID,
    };
  }
  const file = resolve(repo, '.infra/dev/protection-encryption-keys');
  if (!existsSync(file)) {
    mkdirSync(resolve(repo, '.infra/dev'), { recursive: true });
    writeFileSync(file, `dev1:${randomBytes(32).toString('base64')}\n`, { mode: 0o600 });
  }
  return { PROTECTION_ENCRYPTION_KEYS: readFileSync(file, 'utf8').trim(), PROTECTION_ENCRYPTION_KEY_ID: 'dev1' };
}

/** The portal's session secret for `npm start`, kept like the keyring above: a restart keeps people signed in. */
function devSessionSecret(): { SESSION_SECRET: string } {
  if (process.env.SESSION_SECRET) return { SESSION_SECRET: process.env.SESSION_SECRET };
  const file = resolve(repo, '.infra/dev/portal-session-secret');
  if (!existsSync(file)) {
    mkdirSync(resolve(repo, '.infra/dev'), { recursive: true });
    writeFileSync(file, `${randomBytes(32).toString('base64url')}\n`, { mode: 0o600 });
  }
  return { SESSION_SECRET: readFileSync(file, 'utf8').trim() };
}

export const stackServices: ServiceSpec[] = [
  // First: the other services fetch its keys to verify sign-ins.
  {
    name: 'identity',
    port: 4400,
    env: (i) => ({ ISSUER: 'http://127.0.0.1:4400', MONGO_URL: `${i.MONGO_URL}/ecd_identity` }),
  },
  {
    name: 'referrals',
    port: 4100,
    env: (i) => ({
      KAFKA_BROKERS: i.KAFKA_BROKERS!,
      TEMPORAL_ADDRESS: i.TEMPORAL_ADDRESS!,
      MONGO_URL: `${i.MONGO_URL}/ecd_referrals`,
    }),
  },
  {
    name: 'intake',
    port: 4101,
    env: facilityEnv('intake'),
  },
  { name: 'health', port: 4102, env: facilityEnv('health') },
  { name: 'education', port: 4103, env: facilityEnv('education') },
  { name: 'protection', port: 4104, env: (i) => ({ ...facilityEnv('protection')(i), ...devEncryptionKeys() }) },
  // Last: the staff portal, the gateway to all of the above (its defaults are these addresses).
  {
    name: 'portal',
    port: 4000,
    env: (i) => ({ KAFKA_BROKERS: i.KAFKA_BROKERS!, MONGO_URL: `${i.MONGO_URL}/ecd_portal`, ...devSessionSecret() }),
  },
];

export function readInfraEnv(profile: string): Record<string, string> {
  const text = readFileSync(resolve(repo, `.infra/${profile}/env`), 'utf8');
  return Object.fromEntries(
    text
      .split('\n')
      .filter((l) => l.includes('='))
      .map((l) => [l.slice(0, l.indexOf('=')), l.slice(l.indexOf('=') + 1)]),
  );
}

/** Runs each service as its own process (as in production), logging to .infra/<profile>/logs. */
export class ServiceProcesses {
  private readonly children = new Map<string, ChildProcess>();

  constructor(
    private readonly infra: Record<string, string>,
    private readonly logDir: string,
  ) {
    mkdirSync(logDir, { recursive: true });
  }

  start(spec: ServiceSpec): ChildProcess {
    const log = createWriteStream(resolve(this.logDir, `${spec.name}.log`), { flags: 'a' });
    const child = spawn(
      process.execPath,
      [...(spec.nodeArgs ?? []), '--import', 'tsx', resolve(repo, `services/${spec.name}/src/server.ts`)],
      {
        cwd: repo,
        env: { ...process.env, ...spec.env(this.infra), PORT: String(spec.port), HOST: '127.0.0.1' },
        stdio: ['ignore', 'pipe', 'pipe'],
      },
    );
    child.stdout!.pipe(log);
    child.stderr!.pipe(log);
    this.children.set(spec.name, child);
    return child;
  }

  async waitReady(spec: ServiceSpec, timeoutMs = 90_000): Promise<void> {
    const deadline = Date.now() + timeoutMs;
    const child = this.children.get(spec.name);
    while (Date.now() < deadline) {
      if (child && child.exitCode !== null) {
        throw new Error(`${spec.name} exited with code ${child.exitCode}; see ${this.logDir}/${spec.name}.log`);
      }
      try {
        const response = await fetch(`http://127.0.0.1:${spec.port}/readyz`);
        if (response.ok) return;
      } catch {
        // not listening yet
      }
      await new Promise((r) => setTimeout(r, 300));
    }
    throw new Error(`${spec.name} was not ready within ${timeoutMs / 1000}s; see ${this.logDir}/${spec.name}.log`);
  }

  /** SIGTERM (graceful: finish in-flight work, commit offsets) and wait; SIGKILL after 20 s. */
  async stop(name: string, signal: NodeJS.Signals = 'SIGTERM'): Promise<void> {
    const child = this.children.get(name);
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

  async stopAll(): Promise<void> {
    await Promise.all([...this.children.keys()].reverse().map((name) => this.stop(name)));
  }
}
