import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { randomUUID } from 'node:crypto';
import { Partitioners, type Producer } from 'kafkajs';
import { Topics, createEvent } from '@ecd/contracts';
import {
  EventConsumerRunner,
  EventPublisher,
  PermanentEventError,
  createKafkaClient,
  ensureTopics,
  toKafkaMessage,
} from '@ecd/messaging';
import { EventTap } from '../support/event-tap';
import { eventually, infra, testLogger, uniqueName } from '../support/infra';

const opened = (caseId: string) =>
  createEvent({
    id: `${caseId}:opened`,
    type: 'case.opened.v1',
    source: '/tests',
    subject: caseId,
    data: {
      caseId,
      childId: randomUUID(),
      communeCode: '02704',
      childAgeMonths: 30,
      concerns: ['health'],
      openedAt: new Date().toISOString(),
    },
  });

/** The consumer runner on real Kafka: validation, retries, dead letters, nothing silently dropped. */
describe('EventConsumerRunner', () => {
  const kafka = createKafkaClient({
    clientId: 'consumer-test',
    brokers: infra().kafkaBrokers.split(','),
    logger: testLogger('k'),
  });
  let raw: Producer;
  let publisher: EventPublisher;
  let deadLetters: EventTap;
  let runner: EventConsumerRunner;
  const handled: string[] = [];
  const attempts = new Map<string, number>();

  beforeAll(async () => {
    await ensureTopics(kafka, Object.values(Topics));
    raw = kafka.producer({ createPartitioner: Partitioners.DefaultPartitioner });
    await raw.connect();
    publisher = new EventPublisher(kafka);
    deadLetters = new EventTap(kafka, [Topics.deadLetter]);
    await deadLetters.start();
    runner = new EventConsumerRunner({
      kafka,
      groupId: uniqueName('consumer-test'),
      topics: [Topics.cases],
      logger: testLogger('consumer'),
      maxAttempts: 3,
      retryDelayMs: () => 50,
      fromBeginning: false,
      handlers: {
        'case.opened.v1': async (event) => {
          const n = (attempts.get(event.id) ?? 0) + 1;
          attempts.set(event.id, n);
          const mode = event.data.childAgeMonths;
          if (mode === 31) throw new Error('handler bug');
          if (mode === 32) throw new PermanentEventError('case refers to an unknown commune');
          if (mode === 33 && n < 4)
            throw Object.assign(new Error('connect ECONNREFUSED 127.0.0.1:27017'), { name: 'MongoNetworkError' });
          handled.push(event.id);
        },
      },
    });
    await runner.start();
    await new Promise((r) => setTimeout(r, 3000)); // joined the group, partitions assigned
  });

  afterAll(async () => {
    await runner?.stop();
    await deadLetters?.stop();
    await publisher?.disconnect();
    await raw?.disconnect();
  });

  const reasonOf = (caseId: string) =>
    eventually(() => {
      const found = deadLetters.events.filter((e) => e.key === caseId);
      expect(found).toHaveLength(1);
      return found[0]!;
    });

  it('handles a valid event once', async () => {
    const event = opened(randomUUID());
    await publisher.publish([event]);
    await eventually(() => expect(handled).toContain(event.id));
    expect(attempts.get(event.id)).toBe(1);
  });

  it('an event that breaks its schema goes to the dead-letter topic with the reason', async () => {
    const caseId = randomUUID();
    const message = toKafkaMessage(opened(caseId));
    message.value = JSON.stringify({ caseId, childAgeMonths: 'two' });
    await raw.send({ topic: Topics.cases, messages: [message] });
    const dead = await reasonOf(caseId);
    expect(dead.topic).toBe(Topics.deadLetter);
    const headers = await deadLetterHeaders(caseId);
    expect(headers.dlq_reason).toMatch(/invalid case\.opened\.v1 event: .*data\.childAgeMonths/);
    expect(headers.dlq_topic).toBe(Topics.cases);
  });

  it('an unknown event type is dead-lettered, not dropped', async () => {
    const caseId = randomUUID();
    const message = toKafkaMessage(opened(caseId));
    message.headers = { ...message.headers, ce_type: 'case.teleported.v1' };
    await raw.send({ topic: Topics.cases, messages: [message] });
    await reasonOf(caseId);
    expect((await deadLetterHeaders(caseId)).dlq_reason).toMatch(/not a known event type: case\.teleported\.v1/);
  });

  it('a failing handler is retried, then dead-lettered with the reason; later events still flow', async () => {
    const failing = opened(randomUUID());
    failing.data.childAgeMonths = 31;
    const next = opened(randomUUID());
    await publisher.publish([failing, next]);
    await reasonOf(failing.subject);
    expect(attempts.get(failing.id)).toBe(3);
    expect((await deadLetterHeaders(failing.subject)).dlq_reason).toMatch(/after 3 attempt\(s\): Error: handler bug/);
    await eventually(() => expect(handled).toContain(next.id));
  });

  it('a permanent error is dead-lettered at once', async () => {
    const event = opened(randomUUID());
    event.data.childAgeMonths = 32;
    await publisher.publish([event]);
    await reasonOf(event.subject);
    expect(attempts.get(event.id)).toBe(1);
  });

  it('a transient infrastructure error is retried until it passes, beyond the attempt limit', async () => {
    const event = opened(randomUUID());
    event.data.childAgeMonths = 33;
    await publisher.publish([event]);
    await eventually(() => expect(handled).toContain(event.id));
    expect(attempts.get(event.id)).toBe(4);
    expect(deadLetters.events.filter((e) => e.key === event.subject)).toHaveLength(0);
  });

  /** Headers of the dead letter for a case, read straight off the topic. */
  async function deadLetterHeaders(caseId: string): Promise<Record<string, string>> {
    const consumer = kafka.consumer({ groupId: uniqueName('dlq-read') });
    await consumer.connect();
    await consumer.subscribe({ topics: [Topics.deadLetter], fromBeginning: true });
    const found = await new Promise<Record<string, string>>((resolve) => {
      void consumer.run({
        eachMessage: async ({ message }) => {
          if (message.key?.toString() !== caseId) return;
          resolve(Object.fromEntries(Object.entries(message.headers ?? {}).map(([k, v]) => [k, String(v)])));
        },
      });
    });
    await consumer.disconnect();
    return found;
  }
});
