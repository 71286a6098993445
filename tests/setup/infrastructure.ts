import { execFile } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { createConnection } from 'node:net';
import { resolve } from 'node:path';
import { promisify } from 'node:util';
import type { TestProject } from 'vitest/node';

/** What integration tests connect to; provided to them with `inject('infra')`. */
export interface Infrastructure {
  kafkaBrokers: string;
  temporalAddress: string;
  mongoUrl: string;
  /** The time-skipping test server binary, for workflow tests. */
  temporalTestServerPath: string | undefined;
  /** Schemathesis's `st` command, for the API fuzzer (infra/local provisions it). */
  schemathesisPath: string | undefined;
  source: 'environment' | 'testcontainers' | 'local';
}

declare module 'vitest' {
  export interface ProvidedContext {
    infra: Infrastructure;
  }
}

const repo = resolve(import.meta.dirname, '../..');
const run = promisify(execFile);

function answers(hostPort: string, timeoutMs = 3000): Promise<boolean> {
  const [host, port] = hostPort
    .replace(/^mongodb:\/\//, '')
    .split('/')[0]!
    .split(',')[0]!
    .split(':');
  return new Promise((done) => {
    const socket = createConnection({ host: host!, port: Number(port) });
    const finish = (ok: boolean) => {
      socket.destroy();
      done(ok);
    };
    socket.setTimeout(timeoutMs, () => finish(false));
    socket.once('connect', () => finish(true));
    socket.once('error', () => finish(false));
  });
}

/** Fails, naming every server that does not answer, instead of letting tests hang or skip. */
async function assertAnswering(infra: Infrastructure): Promise<void> {
  const checks: [string, string][] = [
    ['Kafka', infra.kafkaBrokers.split(',')[0]!],
    ['Temporal', infra.temporalAddress],
    ['the MongoDB-protocol database (FerretDB/MongoDB)', infra.mongoUrl],
  ];
  const missing: string[] = [];
  for (const [name, address] of checks) if (!(await answers(address))) missing.push(`${name} at ${address}`);
  if (missing.length > 0) {
    throw new Error(
      `integration tests need real servers, and these do not answer: ${missing.join('; ')} ` +
        `(infrastructure from ${infra.source}; run \`npm run infra:up\` or \`npm test\`, which provisions them)`,
    );
  }
}

function readEnvFile(path: string): Record<string, string> {
  return Object.fromEntries(
    readFileSync(path, 'utf8')
      .split('\n')
      .filter((line) => line.includes('='))
      .map((line) => [line.slice(0, line.indexOf('=')), line.slice(line.indexOf('=') + 1)]),
  );
}

async function containerRuntimeAnswers(): Promise<boolean> {
  try {
    const { getContainerRuntimeClient } = await import('testcontainers');
    await Promise.race([
      getContainerRuntimeClient(),
      new Promise((_, reject) => setTimeout(() => reject(new Error('timeout')), 5000)),
    ]);
    return true;
  } catch {
    return false;
  }
}

async function startContainers(): Promise<{ infra: Infrastructure; stop: () => Promise<void> }> {
  const { GenericContainer, Wait } = await import('testcontainers');
  const { KafkaContainer } = await import('@testcontainers/kafka');
  const { MongoDBContainer } = await import('@testcontainers/mongodb');
  const [kafka, mongo, temporal] = await Promise.all([
    new KafkaContainer('apache/kafka:3.9.1').withKraft().start(),
    new MongoDBContainer('mongo:7.0').start(),
    new GenericContainer('temporalio/temporal:1.5.1')
      .withCommand(['server', 'start-dev', '--ip', '0.0.0.0', '--headless'])
      .withExposedPorts(7233)
      .withWaitStrategy(Wait.forListeningPorts())
      .start(),
  ]);
  return {
    infra: {
      kafkaBrokers: `${kafka.getHost()}:${kafka.getMappedPort(9093)}`,
      temporalAddress: `${temporal.getHost()}:${temporal.getMappedPort(7233)}`,
      mongoUrl: `${mongo.getConnectionString()}/?directConnection=true`,
      temporalTestServerPath: process.env.TEMPORAL_TEST_SERVER_PATH,
      schemathesisPath: process.env.SCHEMATHESIS_PATH,
      source: 'testcontainers',
    },
    stop: async () => {
      await Promise.all([kafka.stop(), mongo.stop(), temporal.stop()]);
    },
  };
}

export default async function setup(project: TestProject) {
  const env = process.env;
  let stop: (() => Promise<void>) | undefined;
  let infra: Infrastructure;

  if (env.KAFKA_BROKERS && env.TEMPORAL_ADDRESS && env.MONGO_URL) {
    // 1. Explicit URLs win.
    infra = {
      kafkaBrokers: env.KAFKA_BROKERS,
      temporalAddress: env.TEMPORAL_ADDRESS,
      mongoUrl: env.MONGO_URL,
      temporalTestServerPath: env.TEMPORAL_TEST_SERVER_PATH,
      schemathesisPath: env.SCHEMATHESIS_PATH,
      source: 'environment',
    };
  } else if (env.ECD_USE_LOCAL_INFRA !== '1' && (await containerRuntimeAnswers())) {
    // 2. A container runtime answers: testcontainers.
    ({ infra, stop } = await startContainers());
  } else {
    // 3. The project's own local servers (test profile: its own ports, and empty data at every
    //    run unless ECD_INFRA_KEEP_DATA=1). They are stopped afterwards unless ECD_INFRA_KEEP=1.
    const infraCommand = resolve(repo, 'infra/local/bin/infra');
    const infraEnv = { ...env, ECD_INFRA_PROFILE: 'test' };
    try {
      await run('bash', [infraCommand, 'up'], { env: infraEnv, maxBuffer: 16 * 1024 * 1024 });
    } catch (error) {
      const stderr = (error as { stderr?: string }).stderr ?? '';
      throw new Error(`could not start the local test servers: ${stderr.trim().split('\n').slice(-3).join(' | ')}`, {
        cause: error,
      });
    }
    if (env.ECD_INFRA_KEEP !== '1') {
      stop = async () => {
        await run('bash', [infraCommand, 'down'], { env: infraEnv });
      };
    }
    const local = readEnvFile(resolve(repo, '.infra/test/env'));
    infra = {
      kafkaBrokers: local.KAFKA_BROKERS!,
      temporalAddress: local.TEMPORAL_ADDRESS!,
      mongoUrl: local.MONGO_URL!,
      temporalTestServerPath: local.TEMPORAL_TEST_SERVER_PATH,
      schemathesisPath: env.SCHEMATHESIS_PATH ?? local.SCHEMATHESIS_PATH,
      source: 'local',
    };
  }

  await assertAnswering(infra);
  project.provide('infra', infra);
  return async () => {
    await stop?.();
  };
}
