import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { execFile } from 'node:child_process';
import { mkdirSync, writeFileSync } from 'node:fs';
import { resolve } from 'node:path';
import type { ServiceApp } from '@ecd/service-kit';
import type { IdentityService } from '../../services/identity/src/identity-service';
import type { IntakeService } from '../../services/intake/src/intake-service';
import type { ProtectionService } from '../../services/protection/src/protection-service';
import type { ReferralsService } from '../../services/referrals/src/referrals-service';
import type { FacilityService } from '@ecd/facility-inbox';
import { buildHealthService } from '../../services/health/src/health-service';
import { loadHealthConfig } from '../../services/health/src/config';
import { buildEducationService } from '../../services/education/src/education-service';
import { loadEducationConfig } from '../../services/education/src/config';
import { buildWelfareService } from '../../services/welfare/src/welfare-service';
import { loadWelfareConfig } from '../../services/welfare/src/config';
import type { ReportingService } from '../../services/reporting/src/reporting-service';
import { startReporting } from '../support/reporting';
import { signIn } from '../support/sign-in';
import { TEST_ISSUER, startIdentity, startIntake, startReferrals } from '../support/stack';
import { startProtection } from '../support/protection';
import { databaseUrl, infra, testLogger, uniqueName } from '../support/infra';

/**
 * Schemathesis (pinned in infra/local/versions.env, provisioned from PyPI) against each service's
 * own OpenAPI document, over real HTTP, signed in as a real staff member of that service: no 5xx,
 * nothing the schema forbids is accepted, every response has a documented status code, content
 * type and body. Zero findings; the reports go to test-results/fuzz/<service>/. The run is bounded
 * by the examples per operation (the whole file takes a few minutes on two cores).
 */
const reportRoot = resolve(import.meta.dirname, '../../test-results/fuzz');
const examplesPerOperation = Number(process.env.ECD_FUZZ_EXAMPLES ?? 10);
const checks = [
  'not_a_server_error',
  'status_code_conformance',
  'content_type_conformance',
  'response_schema_conformance',
  'negative_data_rejection',
].join(',');

const taskQueue = uniqueName('referrals');
let identity: IdentityService;
let identityUrl: string;
let referrals: ReferralsService;
let intake: IntakeService;
let health: FacilityService;
let education: FacilityService;
let welfare: FacilityService;
let reporting: ReportingService;
let protection: ProtectionService;

beforeAll(async () => {
  if (!infra().schemathesisPath) {
    throw new Error('schemathesis is missing: set SCHEMATHESIS_PATH or run `npm run infra:up` (test profile)');
  }
  ({ identity, url: identityUrl } = await startIdentity());
  referrals = await startReferrals(taskQueue);
  ({ intake } = await startIntake(identityUrl, { TEMPORAL_TASK_QUEUE: taskQueue }));
  const { kafkaBrokers, temporalAddress, mongoUrl } = infra();
  const facility = (name: string) => ({
    MONGO_URL: databaseUrl(mongoUrl, uniqueName(name)),
    KAFKA_BROKERS: kafkaBrokers,
    KAFKA_GROUP_ID: uniqueName(name),
    TEMPORAL_ADDRESS: temporalAddress,
    TEMPORAL_TASK_QUEUE: taskQueue,
    OIDC_ISSUER: TEST_ISSUER,
    OIDC_JWKS_URL: `${identityUrl}/jwks`,
  });
  health = await buildHealthService(loadHealthConfig(facility('health')), testLogger('health'));
  education = await buildEducationService(loadEducationConfig(facility('education')), testLogger('education'));
  welfare = await buildWelfareService(loadWelfareConfig(facility('welfare')), testLogger('welfare'));
  await Promise.all([health.start(), education.start(), welfare.start()]);
  reporting = await startReporting(identityUrl);
  ({ protection } = await startProtection(identityUrl, { TEMPORAL_REFERRALS_TASK_QUEUE: taskQueue }));
}, 180_000);

afterAll(async () => {
  await reporting?.stop();
  await protection?.stop();
  await welfare?.stop();
  await education?.stop();
  await health?.stop();
  await intake?.stop();
  await referrals?.stop();
  await identity?.stop();
});

interface FuzzRun {
  code: number;
  output: string;
}

/** Serves the app on a free port and runs schemathesis against its OpenAPI document. */
async function fuzz(name: string, app: ServiceApp, token: string): Promise<FuzzRun> {
  const url = await app.listen({ host: '127.0.0.1', port: 0 });
  const dir = resolve(reportRoot, name);
  mkdirSync(dir, { recursive: true });
  const document = await (await fetch(`${url}/docs/json`)).json();
  const schemaPath = resolve(dir, 'openapi.json');
  writeFileSync(schemaPath, JSON.stringify(document, null, 2));
  const args = [
    'run',
    schemaPath,
    '--url',
    url,
    '--header',
    `Authorization: Bearer ${token}`,
    '--checks',
    checks,
    '--max-examples',
    String(examplesPerOperation),
    '--seed',
    '20261201',
    // One worker: hypothesis describes its filters with ast.parse, which is not thread-safe on
    // Python 3.11 ("AST constructor recursion depth mismatch" with two workers).
    '--workers',
    '1',
    '--request-timeout',
    '30',
    '--continue-on-failure',
    '--report',
    'junit,ndjson',
    '--report-dir',
    dir,
    '--output-sanitize',
    'true',
  ];
  return new Promise((done) => {
    execFile(
      infra().schemathesisPath!,
      args,
      // Run from the report folder: schemathesis keeps its cache (.schemathesis/) in the working directory.
      { cwd: dir, maxBuffer: 64 * 1024 * 1024, env: { ...process.env, NO_COLOR: '1', SCHEMATHESIS_HOOKS: '' } },
      (error, stdout, stderr) => {
        const output = `${stdout}\n${stderr}`;
        writeFileSync(resolve(dir, 'report.txt'), output);
        done({ code: error ? (typeof error.code === 'number' ? error.code : 1) : 0, output });
      },
    );
  });
}

/** The part of schemathesis's output that names the findings, for the failure message. */
const findings = (output: string) => {
  const at = output.indexOf('FAILURES');
  return (at >= 0 ? output.slice(at) : output).slice(0, 20_000);
};

describe('schema-driven fuzzing of every service API: zero findings', () => {
  const services: [string, () => ServiceApp, [string, string]][] = [
    ['intake', () => intake.app, ['canbo.yty', 'yty-intake-01']],
    ['health', () => health.app, ['yte.yty', 'yty-health-01']],
    ['education', () => education.app, ['giaovien.yty', 'yty-teacher-01']],
    ['protection', () => protection.app, ['baove.yty', 'yty-protection-01']],
    ['welfare', () => welfare.app, ['xahoi.yty', 'yty-welfare-01']],
    ['reporting', () => reporting.app, ['chutich.yty', 'yty-chairman-01']],
  ];
  for (const [name, app, [user, password]] of services) {
    it(`${name}, signed in as ${user}`, { timeout: 600_000 }, async () => {
      const token = await signIn(identityUrl, user, password);
      const run = await fuzz(name, app(), token);
      expect(run.output, 'schemathesis tested no operation').toMatch(/operations? .*tested|Summary/i);
      expect(run.code, findings(run.output)).toBe(0);
    });
  }
});
