import { resolve } from 'node:path';
import { execFileSync } from 'node:child_process';
import { ServiceProcesses, readInfraEnv, repo, stackServices } from './service-processes';
import { loadDemoData, loadProtectionDemoData } from './demo-data';

/** `npm start`: services as separate processes on the dev infrastructure, demo data, URLs. */
async function main() {
  const profile = 'dev';
  const infra = readInfraEnv(profile);
  const processes = new ServiceProcesses(infra, resolve(repo, `.infra/${profile}/logs`));
  let stopping = false;
  const stop = async (code: number) => {
    if (stopping) return;
    stopping = true;
    process.stdout.write('\nstopping services…\n');
    await processes.stopAll();
    if (process.env.ECD_STARTED_INFRA === '1') {
      execFileSync('bash', [resolve(repo, 'infra/local/bin/infra'), 'down'], { stdio: 'inherit' });
    }
    process.exit(code);
  };
  process.on('SIGINT', () => void stop(0));
  process.on('SIGTERM', () => void stop(0));

  for (const spec of stackServices) processes.start(spec);
  try {
    for (const spec of stackServices) await processes.waitReady(spec);
  } catch (error) {
    process.stderr.write(`start: ${(error as Error).message}\n`);
    await stop(1);
    return;
  }
  const loaded = await loadDemoData({
    intakeUrl: 'http://127.0.0.1:4101',
    identityUrl: 'http://127.0.0.1:4400',
    healthUrl: 'http://127.0.0.1:4102',
    educationUrl: 'http://127.0.0.1:4103',
  });
  const protectionCases = await loadProtectionDemoData('http://127.0.0.1:4104', 'http://127.0.0.1:4400');
  const temporalUi = `http://127.0.0.1:${Number(infra.TEMPORAL_ADDRESS!.split(':')[1]) + 1000}`;
  process.stdout.write(
    [
      '',
      'Early-childhood referral network is running.',
      `  staff portal       http://127.0.0.1:4000  (open this in a browser; demo staff in services/identity/README.md)`,
      `  demo data          new: ${loaded.children} children, ${loaded.consents} consents, ${loaded.cases} cases, ` +
        `${loaded.screenings} screenings, ${loaded.referrals} referrals, ${loaded.facilityActions} facility actions, ` +
        `${protectionCases} protection cases (a restart adds none)`,
      ...stackServices
        .filter((s) => s.name !== 'portal')
        .map((s) => `  ${s.name.padEnd(18)} http://127.0.0.1:${s.port}  (API docs: /docs, health: /readyz)`),
      `  Temporal Web UI    ${temporalUi}`,
      `  Kafka              ${infra.KAFKA_BROKERS}`,
      `  FerretDB           ${infra.MONGO_URL}`,
      `  logs               .infra/${profile}/logs/`,
      '',
      'Ctrl-C stops what this command started.',
      '',
    ].join('\n'),
  );
}

void main();
