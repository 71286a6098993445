import { execFile } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { resolve } from 'node:path';
import { promisify } from 'node:util';
import { publishShortPolicyVersion } from '../../infra/local/stack/short-policy';
import {
  ServiceProcesses,
  describeStack,
  liveRecordedPid,
  readInfraEnv,
  repo,
  stackUrls,
  type ServiceSpec,
} from '../../infra/local/stack/service-processes';

const run = promisify(execFile);

/**
 * The bench's own infrastructure profile (`bench`: ports + 20000, data wiped at every start) and
 * its own service ports (`BENCH_SERVICE_PORT_OFFSET`, default 20000: identity 24400, referrals
 * 24100, intake 24101, health 24102, education 24103, protection 24104), so a benchmark never disturbs `npm start`
 * (dev) or `npm test` (test) on the same machine.
 */
export const profile = 'bench';
export const stateDir = resolve(repo, `.infra/${profile}`);
export const servicePortOffset = Number(process.env.BENCH_SERVICE_PORT_OFFSET ?? 20_000);
export const urls = stackUrls(servicePortOffset);

export type InfraServer = 'kafka' | 'temporal' | 'ferretdb';
export const infraServers: InfraServer[] = ['ferretdb', 'kafka', 'temporal'];

const infraScript = resolve(repo, 'infra/local/bin/infra');

/** `infra up` on the bench profile; `keepData` for a restart after a kill (the drill). */
export async function infraUp(keepData: boolean): Promise<Record<string, string>> {
  await run('bash', [infraScript, 'up'], {
    env: { ...process.env, ECD_INFRA_PROFILE: profile, ECD_INFRA_KEEP_DATA: keepData ? '1' : '0' },
    maxBuffer: 16 * 1024 * 1024,
  });
  return readInfraEnv(profile);
}

export async function infraDown(): Promise<void> {
  await run('bash', [infraScript, 'down'], { env: { ...process.env, ECD_INFRA_PROFILE: profile } });
}

/** The pid `infra up` recorded for a server (the server process itself: java, temporal, ferretdb), while it runs. */
export function infraPid(server: InfraServer): number | undefined {
  return liveRecordedPid(resolve(stateDir, `pids/${server}.pid`));
}

/**
 * Every service of `npm start`, each its own process, on the bench ports and databases. Databases
 * carry the run's name so each run starts empty even when the servers are reused.
 */
export function benchServices(
  infra: Record<string, string>,
  runName: string,
  profiled: string[] = [],
  profileDir = resolve(repo, 'bench/results/profiles'),
): ServiceSpec[] {
  const specs = describeStack({
    infra,
    portOffset: servicePortOffset,
    namespace: runName,
    // One key per run, kept for the run, so a restarted protection service opens what it sealed.
    protectionKeys: { keys: `bench1:${randomBytes(32).toString('base64')}`, keyId: 'bench1' },
    sessionSecret: randomBytes(32).toString('base64url'),
    logLevel: process.env.BENCH_SERVICE_LOG_LEVEL ?? 'warn',
    // Tokens outlive the longest run, so the load never pauses to sign in again.
    identityEnv: { ACCESS_TOKEN_TTL_SECONDS: '7200' },
  });
  return specs.map((spec) =>
    profiled.includes(spec.name)
      ? // One directory per service: node writes a profile per thread (main, tsx's loader), named by pid and thread.
        { ...spec, nodeArgs: ['--cpu-prof', `--cpu-prof-dir=${profileDir}/${spec.name}`] }
      : spec,
  );
}

export async function startServices(
  infra: Record<string, string>,
  specs: ServiceSpec[],
  logDir = resolve(stateDir, 'logs'),
): Promise<ServiceProcesses> {
  const processes = new ServiceProcesses(infra, logDir);
  for (const spec of specs) processes.start(spec);
  for (const spec of specs) await processes.waitReady(spec, 120_000);
  return processes;
}

/**
 * Publishes education/routine version 2 with an accept window of `acceptSeconds`, as an
 * administrator would publish a new policy version: preschool referrals then fall due within the
 * run, so escalation lateness is measured under load (the end-to-end test does the same).
 */
export async function publishShortPreschoolPolicy(
  infra: Record<string, string>,
  runName: string,
  acceptSeconds: number,
): Promise<void> {
  await publishShortPolicyVersion(`${infra.MONGO_URL}/${runName}_referrals`, 'education.routine', { acceptSeconds });
}

/** Ctrl-C (or SIGTERM) stops what the run started — services, then the bench servers — before exiting. */
export function stopOnInterrupt(cleanup: () => Promise<void>): void {
  let stopping = false;
  const stop = (signal: NodeJS.Signals) => {
    if (stopping) return;
    stopping = true;
    process.stdout.write(`\n${signal}: stopping what this run started…\n`);
    void cleanup().finally(() => process.exit(130));
  };
  process.once('SIGINT', stop);
  process.once('SIGTERM', stop);
}
