/**
 * `npm run bench:sign-in`: what anonymous sign-in starts cost the portal. Starts the identity
 * provider and the portal as their own processes (bench ports: 24400, 24000), sends `--starts`
 * anonymous `GET /sign-in` (default 100,000) from `--addresses` loopback source addresses
 * (127.0.0.2 …, default 100, as many attackers), `--concurrency` at a time, and reports the
 * portal's resident memory (VmRSS from /proc) before, every tenth of the way, and after, with how
 * many starts were redirected to the provider (302) and how many were refused (429).
 *
 * The portal needs Kafka for its live updates and identity its database: `KAFKA_BROKERS` and
 * `MONGO_URL` if set, else the bench profile's
 * servers (`infra up`, as `npm run bench`). `--starts-per-minute` sets the portal's per-address
 * limit (default: very high, so every start is a real sign-in start, the worst case for memory).
 * A measurement, not a test: it asserts nothing; the report goes to stdout and
 * bench/results/sign-in-flood_<time>.md.
 */
import { readFileSync, writeFileSync, mkdirSync } from 'node:fs';
import { Agent, request } from 'node:http';
import { resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { ServiceProcesses, repo, servicePort, type ServiceSpec } from '../../infra/local/stack/service-processes';
import { infraUp, servicePortOffset, urls } from './stack';
import { statusFieldMb } from './stats';

const { values } = parseArgs({
  options: {
    starts: { type: 'string', default: '100000' },
    addresses: { type: 'string', default: '100' },
    concurrency: { type: 'string', default: '32' },
    'starts-per-minute': { type: 'string', default: '1000000' },
  },
});
const starts = Number(values.starts);
const addresses = Number(values.addresses);
const concurrency = Number(values.concurrency);

const infra =
  process.env.KAFKA_BROKERS && process.env.MONGO_URL
    ? { KAFKA_BROKERS: process.env.KAFKA_BROKERS, MONGO_URL: process.env.MONGO_URL }
    : await infraUp(false);
const portalUrl = urls.portal;
const issuer = urls.identity;
const specs: ServiceSpec[] = [
  {
    name: 'identity',
    port: servicePort('identity', servicePortOffset),
    env: () => ({
      ISSUER: issuer,
      MONGO_URL: `${infra.MONGO_URL}/sign_in_flood_identity`,
      PORTAL_REDIRECT_URIS: `${portalUrl}/auth/callback`,
      LOG_LEVEL: 'warn',
    }),
  },
  {
    name: 'portal',
    port: servicePort('portal', servicePortOffset),
    env: () => ({
      PUBLIC_URL: portalUrl,
      OIDC_ISSUER: issuer,
      MONGO_URL: `${infra.MONGO_URL}/sign_in_flood_portal`,
      KAFKA_BROKERS: infra.KAFKA_BROKERS!,
      KAFKA_GROUP_ID: `sign-in-flood-${Date.now()}`,
      SIGN_IN_STARTS_PER_MINUTE: values['starts-per-minute'],
      LOG_LEVEL: 'error',
    }),
  },
];
const processes = new ServiceProcesses({}, resolve(repo, '.infra/bench/sign-in-flood-logs'));
const stop = async () => {
  await processes.stopAll();
};
process.once('SIGINT', () => void stop().then(() => process.exit(130)));

const rssMb = () => statusFieldMb(readFileSync(`/proc/${processes.pid('portal')}/status`, 'utf8'), 'VmRSS') ?? NaN;

try {
  for (const spec of specs) processes.start(spec);
  for (const spec of specs) await processes.waitReady(spec, 120_000);
  // One keep-alive pool per source address: each looks like a different client to the portal.
  const agents = Array.from(
    { length: addresses },
    (_, i) =>
      new Agent({
        keepAlive: true,
        maxSockets: concurrency,
        localAddress: `127.0.${1 + Math.floor((i + 1) / 254)}.${((i + 1) % 254) + 1}`,
      }),
  );
  const startOne = (i: number) =>
    new Promise<number>((resolvePromise, reject) => {
      const req = request(`${portalUrl}/sign-in?return=%2Fcases`, { agent: agents[i % addresses] }, (response) => {
        response.resume();
        response.on('end', () => resolvePromise(response.statusCode ?? 0));
      });
      req.on('error', reject);
      req.end();
    });

  // Warm-up (discovery, JIT), then the baseline.
  for (let i = 0; i < 200; i++) await startOne(i);
  const samples: { done: number; rssMb: number }[] = [{ done: 0, rssMb: rssMb() }];
  const statuses = new Map<number, number>();
  let next = 0;
  const began = Date.now();
  const worker = async () => {
    while (next < starts) {
      const i = next++;
      const status = await startOne(i);
      statuses.set(status, (statuses.get(status) ?? 0) + 1);
      if ((i + 1) % (starts / 10) === 0) samples.push({ done: i + 1, rssMb: rssMb() });
    }
  };
  await Promise.all(Array.from({ length: concurrency }, worker));
  const seconds = (Date.now() - began) / 1000;
  await new Promise((r) => setTimeout(r, 5_000));
  const settled = rssMb();
  const peak = statusFieldMb(readFileSync(`/proc/${processes.pid('portal')}/status`, 'utf8'), 'VmHWM') ?? NaN;

  const lines = [
    `# Sign-in flood: ${starts.toLocaleString('en')} anonymous sign-in starts`,
    '',
    `\`npm run bench:sign-in -- --starts ${starts} --addresses ${addresses} --concurrency ${concurrency} --starts-per-minute ${values['starts-per-minute']}\`, ${new Date().toISOString()}, Node ${process.version}`,
    '',
    `${seconds.toFixed(1)} s (${Math.round(starts / seconds)} starts/s); answers: ${[...statuses].map(([s, n]) => `${s} × ${n}`).join(', ')}`,
    '',
    '| starts done | portal RSS (MB) |',
    '| ---: | ---: |',
    ...samples.map((s) => `| ${s.done.toLocaleString('en')} | ${s.rssMb.toFixed(1)} |`),
    `| 5 s after the last | ${settled.toFixed(1)} |`,
    '',
    `Portal high-water mark over its life (VmHWM): ${peak.toFixed(1)} MB.`,
  ];
  console.log(lines.join('\n'));
  mkdirSync(resolve(repo, 'bench/results'), { recursive: true });
  const stamp = new Date().toISOString().replace(/[-:T]/g, '').slice(0, 14);
  writeFileSync(resolve(repo, `bench/results/sign-in-flood_${stamp}.md`), `${lines.join('\n')}\n`);
  for (const agent of agents) agent.destroy();
} finally {
  await stop();
}
