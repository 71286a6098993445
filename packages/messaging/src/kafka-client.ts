import { Kafka, logLevel, type Admin, type KafkaConfig, type LogEntry } from 'kafkajs';
import { Topics } from '@ecd/contracts';
import type { Logger } from 'pino';

export interface KafkaClientOptions {
  clientId: string;
  brokers: string[];
  logger: Logger;
  /** How long to wait for a broker before failing a connect, so a dead broker is named quickly. */
  connectionTimeoutMs?: number;
}

const levelNames: Record<number, 'error' | 'warn' | 'info' | 'debug'> = {
  [logLevel.ERROR]: 'error',
  [logLevel.WARN]: 'warn',
  [logLevel.INFO]: 'info',
  [logLevel.DEBUG]: 'debug',
};

/** The only place a kafkajs client is made, so a move to another client is a one-package change. */
export function createKafkaClient(options: KafkaClientOptions): Kafka {
  const log = options.logger.child({ component: 'kafka' });
  const config: KafkaConfig = {
    clientId: options.clientId,
    brokers: options.brokers,
    connectionTimeout: options.connectionTimeoutMs ?? 3000,
    retry: { initialRetryTime: 200, retries: 8, maxRetryTime: 5000 },
    logLevel: logLevel.WARN,
    logCreator:
      () =>
      ({ level, log: entry }: LogEntry) => {
        const { message, ...rest } = entry;
        // Bounded producer retries are deliberate (a stuck send must fail so the outbox or the
        // activity retries it); kafkajs warns about that on every connect.
        if (message.startsWith('Limiting retries for the idempotent producer')) return;
        log[levelNames[level] ?? 'info'](rest, message);
      },
  };
  return new Kafka(config);
}

/** Creates topics that do not exist yet; existing topics are left as they are. */
export async function ensureTopics(kafka: Kafka, topics: string[], numPartitions = 3): Promise<void> {
  const admin = kafka.admin();
  await admin.connect();
  try {
    const existing = new Set(await admin.listTopics());
    const missing = topics.filter((t) => !existing.has(t));
    if (missing.length > 0) {
      await admin.createTopics({
        waitForLeaders: true,
        topics: missing.map((topic) => ({
          topic,
          numPartitions,
          replicationFactor: 1,
          // The directory keeps the latest entry per facility for ever, so a new reader rebuilds it.
          ...(topic === Topics.facilities ? { configEntries: [{ name: 'cleanup.policy', value: 'compact' }] } : {}),
          // Every change since the shipped list: a service started later rebuilds its units from the start.
          ...(topic === Topics.administrativeUnits ? { configEntries: [{ name: 'retention.ms', value: '-1' }] } : {}),
        })),
      });
    }
  } finally {
    await admin.disconnect();
  }
}

/**
 * What a service does with Kafka at start: a client, a connected admin (kept for `/readyz`), and
 * the platform's topics created. A broker that does not answer is named in the error, so start-up
 * fails with one clear line instead of later.
 */
export async function connectKafka(options: {
  clientId: string;
  /** Comma-separated `host:port` list, as in `KAFKA_BROKERS`. */
  brokers: string;
  logger: Logger;
}): Promise<{ kafka: Kafka; admin: Admin }> {
  const kafka = createKafkaClient({
    clientId: options.clientId,
    brokers: options.brokers.split(','),
    logger: options.logger,
  });
  const admin = kafka.admin();
  try {
    await admin.connect();
    await ensureTopics(kafka, Object.values(Topics));
  } catch (error) {
    await admin.disconnect().catch(() => undefined);
    throw new Error(`cannot reach Kafka at ${options.brokers}: ${(error as Error).message}`, { cause: error });
  }
  return { kafka, admin };
}
