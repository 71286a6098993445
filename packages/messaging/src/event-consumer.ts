import { Partitioners, type Consumer, type IHeaders, type Kafka, type KafkaMessage, type Producer } from 'kafkajs';
import type { Logger } from 'pino';
import { Counter } from 'prom-client';
import { InvalidEventError, Topics, assertValidEvent, type CloudEvent, type EventType } from '@ecd/contracts';
import { fromKafkaMessage } from './wire-format';

/** A handler's way to say "this event can never be applied": it goes to the dead-letter topic at once. */
export class PermanentEventError extends Error {
  override name = 'PermanentEventError';
}

export type EventHandler<T extends EventType = EventType> = (
  event: CloudEvent<T>,
  context: { logger: Logger },
) => Promise<void>;
/** Handlers by event type; each receives its own event type. */
export type EventHandlers = { [T in EventType]?: EventHandler<T> };

/** One handler for several event types (e.g. every referral event), each event typed as their union. */
export function handlersFor<T extends EventType>(types: readonly T[], handler: EventHandler<T>): EventHandlers {
  const handlers: EventHandlers = {};
  // The handler takes any of `types`; the consumer only calls it with an event of the type it is filed under.
  for (const type of types) Object.assign(handlers, { [type]: handler });
  return handlers;
}

export interface EventConsumerOptions {
  kafka: Kafka;
  groupId: string;
  topics: string[];
  logger: Logger;
  /** Handlers by event type; events of other types on the subscribed topics are skipped on purpose. */
  handlers: EventHandlers;
  /** Attempts for an error that is not transient before the message is dead-lettered. */
  maxAttempts?: number;
  retryDelayMs?: (attempt: number) => number;
  /** Transient errors (a database or server that is down) are retried until it comes back. */
  isTransient?: (error: unknown) => boolean;
  fromBeginning?: boolean;
}

const transientNames = new Set([
  'MongoNetworkError',
  'MongoServerSelectionError',
  'MongoNotConnectedError',
  'MongoTopologyClosedError',
  'MongooseServerSelectionError',
  'KafkaJSConnectionError',
  'KafkaJSNumberOfRetriesExceeded',
  'ServiceError',
  'ConnectionError',
]);

export function isTransientInfrastructureError(error: unknown): boolean {
  for (let e: unknown = error; e instanceof Error; e = e.cause) {
    if (transientNames.has(e.name)) return true;
    if (/ECONNREFUSED|ECONNRESET|UNAVAILABLE|connection .*closed/i.test(e.message)) return true;
  }
  return false;
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/**
 * At-least-once consumer: an offset is committed only after its message was handled or
 * dead-lettered. Handlers must therefore be idempotent (they see redeliveries after a crash).
 */
export class EventConsumerRunner {
  private readonly consumer: Consumer;
  private readonly deadLetters: Producer;
  private stopping = false;
  private readonly maxAttempts: number;
  private readonly retryDelayMs: (attempt: number) => number;
  private readonly isTransient: (error: unknown) => boolean;
  /** Messages sent to the dead-letter topic, by topic: register it with the service's `/metrics`. */
  readonly deadLettered = new Counter({
    name: 'events_dead_lettered_total',
    help: 'Messages this consumer could never apply and sent to the dead-letter topic, by topic',
    labelNames: ['topic'],
    registers: [],
  });

  constructor(private readonly options: EventConsumerOptions) {
    this.consumer = options.kafka.consumer({
      groupId: options.groupId,
      sessionTimeout: 30_000,
      heartbeatInterval: 3000,
    });
    this.deadLetters = options.kafka.producer({
      idempotent: true,
      maxInFlightRequests: 1,
      createPartitioner: Partitioners.DefaultPartitioner,
    });
    this.maxAttempts = options.maxAttempts ?? 5;
    this.retryDelayMs = options.retryDelayMs ?? ((attempt) => Math.min(200 * 2 ** (attempt - 1), 5000));
    this.isTransient = options.isTransient ?? isTransientInfrastructureError;
  }

  async start(): Promise<void> {
    await this.deadLetters.connect();
    await this.consumer.connect();
    await this.consumer.subscribe({ topics: this.options.topics, fromBeginning: this.options.fromBeginning ?? true });
    await this.consumer.run({
      autoCommit: false,
      eachMessage: async ({ topic, partition, message, heartbeat }) => {
        await this.handleMessage(topic, partition, message, heartbeat);
        await this.consumer.commitOffsets([{ topic, partition, offset: (BigInt(message.offset) + 1n).toString() }]);
      },
    });
  }

  private async handleMessage(
    topic: string,
    partition: number,
    message: KafkaMessage,
    heartbeat: () => Promise<void>,
  ): Promise<void> {
    const raw = fromKafkaMessage(message);
    let event: CloudEvent;
    try {
      assertValidEvent(raw);
      event = raw;
    } catch (error) {
      const reason = error instanceof InvalidEventError ? error.message : String(error);
      await this.deadLetter(topic, partition, message, reason);
      return;
    }
    const handler = this.options.handlers[event.type] as EventHandler | undefined;
    if (!handler) return;
    const logger = this.options.logger.child({
      eventId: event.id,
      eventType: event.type,
      caseId: event.subject,
      correlationId: event.correlationid,
    });
    for (let attempt = 1; ; attempt++) {
      try {
        await handler(event, { logger });
        return;
      } catch (error) {
        const permanent = error instanceof PermanentEventError;
        const transient = !permanent && this.isTransient(error);
        if (permanent || (!transient && attempt >= this.maxAttempts) || this.stopping) {
          if (this.stopping && !permanent) throw error; // leave uncommitted; redelivered after restart
          logger.error({ err: error, attempt }, 'event handler failed; sending to dead-letter topic');
          await this.deadLetter(
            topic,
            partition,
            message,
            `handler failed after ${attempt} attempt(s): ${String(error)}`,
          );
          return;
        }
        logger.warn({ err: error, attempt, transient }, 'event handler failed; retrying');
        await sleep(this.retryDelayMs(Math.min(attempt, 6)));
        await heartbeat();
      }
    }
  }

  private async deadLetter(topic: string, partition: number, message: KafkaMessage, reason: string): Promise<void> {
    const headers: IHeaders = {
      ...message.headers,
      dlq_reason: reason.slice(0, 2000),
      dlq_topic: topic,
      dlq_partition: String(partition),
      dlq_offset: message.offset,
      dlq_consumer_group: this.options.groupId,
    };
    await this.deadLetters.send({
      topic: Topics.deadLetter,
      acks: -1,
      messages: [{ key: message.key, value: message.value, headers }],
    });
    this.deadLettered.inc({ topic });
    this.options.logger.warn({ topic, partition, offset: message.offset, reason }, 'message dead-lettered');
  }

  /** Stops fetching, lets the in-flight message finish and commit, then leaves the group. */
  async stop(): Promise<void> {
    this.stopping = true;
    await this.consumer.disconnect();
    await this.deadLetters.disconnect();
  }
}
