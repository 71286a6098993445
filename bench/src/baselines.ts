import { randomUUID } from 'node:crypto';
import { resolve } from 'node:path';
import { Client, Connection } from '@temporalio/client';
import { NativeConnection, Worker } from '@temporalio/worker';
import type { Kafka } from 'kafkajs';
import pino from 'pino';
import { ensureTopics } from '@ecd/messaging';
import { connectDatabase } from '@ecd/service-kit';
import { distribution, rate, type Distribution } from './stats';

/**
 * Baselines measured on the same servers in the same run: what Kafka, Temporal and FerretDB cost
 * by themselves, so each figure of ours can be read as a multiple of the engines' floor.
 */
export interface Baselines {
  kafkaRoundTripMs: Distribution;
  temporalStartMs: Distribution;
  temporalUpdateMs: Distribution;
  /** Start + one update, back to back, at the load's concurrency: the engine's ceiling for referrals. */
  temporalStartUpdatePerSecond: number;
  temporalTimerLatenessMs: Distribution;
  ferretInsertFindMs: Distribution;
  /**
   * FerretDB v1 (SQLite) pushes a filter down to SQL only when it is `_id` alone; any other filter
   * reads and decodes the whole collection. Measured on a 2000-document collection.
   */
  ferretFilterShapes: { byIdMs: Distribution; byIdAndFieldMs: Distribution; byFieldMs: Distribution };
}

const quiet = pino({ level: 'warn' });

export async function kafkaRoundTrip(kafka: Kafka, runName: string, count: number): Promise<Distribution> {
  const topic = `bench.baseline.${runName}`;
  // A new topic's leader takes a moment on a loaded machine: creating it is retried like a send.
  await sendWithRetry(() => ensureTopics(kafka, [topic], 1));
  // As our publisher does: idempotent, acks from all replicas.
  const producer = kafka.producer({ idempotent: true, maxInFlightRequests: 1 });
  const consumer = kafka.consumer({ groupId: `${runName}_baseline`, maxWaitTimeInMs: 100 });
  await producer.connect();
  await consumer.connect();
  await consumer.subscribe({ topics: [topic], fromBeginning: true });
  const waiting = new Map<string, (at: number) => void>();
  let assigned!: () => void;
  const joined = new Promise<void>((r) => (assigned = r));
  consumer.on(consumer.events.GROUP_JOIN, () => assigned());
  await consumer.run({
    eachMessage: async ({ message }) => {
      waiting.get(message.key!.toString())?.(Date.now());
    },
  });
  await joined;
  const samples: number[] = [];
  try {
    for (let i = 0; i < count; i++) {
      const key = randomUUID();
      const received = new Promise<number>((r) => waiting.set(key, r));
      const sent = Date.now();
      await sendWithRetry(() =>
        producer.send({ topic, acks: -1, messages: [{ key, value: JSON.stringify({ sent }) }] }),
      );
      samples.push((await received) - sent);
      waiting.delete(key);
    }
  } finally {
    await consumer.disconnect();
    await producer.disconnect();
  }
  return distribution(samples);
}

/** A topic created a moment ago may not have its leader yet: try again for a few seconds. */
async function sendWithRetry(send: () => Promise<unknown>): Promise<void> {
  for (let attempt = 1; ; attempt++) {
    try {
      await send();
      return;
    } catch (error) {
      if (attempt >= 25) throw error;
      await new Promise((r) => setTimeout(r, 200));
    }
  }
}

export async function temporalBaselines(
  address: string,
  runName: string,
  count: number,
  concurrency: number,
  seconds: number,
): Promise<
  Pick<Baselines, 'temporalStartMs' | 'temporalUpdateMs' | 'temporalStartUpdatePerSecond' | 'temporalTimerLatenessMs'>
> {
  const taskQueue = `${runName}_baseline`;
  const nativeConnection = await NativeConnection.connect({ address });
  const worker = await Worker.create({
    connection: nativeConnection,
    taskQueue,
    workflowsPath: resolve(import.meta.dirname, 'baseline-workflows.ts'),
  });
  const running = worker.run();
  const connection = await Connection.connect({ address });
  const client = new Client({ connection });
  const startAndUpdate = async () => {
    const t0 = Date.now();
    const handle = await client.workflow.start('emptyWorkflow', {
      taskQueue,
      workflowId: `${runName}-empty-${randomUUID()}`,
    });
    const t1 = Date.now();
    await handle.executeUpdate('touch');
    return [t1 - t0, Date.now() - t1] as const;
  };
  try {
    await startAndUpdate(); // the first one pays for the worker's start
    const starts: number[] = [];
    const updates: number[] = [];
    for (let i = 0; i < count; i++) {
      const [s, u] = await startAndUpdate();
      starts.push(s);
      updates.push(u);
    }
    // Ceiling: start + update pairs with `concurrency` clients, for `seconds`.
    let done = 0;
    const from = Date.now();
    const until = from + seconds * 1000;
    await Promise.all(
      Array.from({ length: concurrency }, async () => {
        while (Date.now() < until) {
          await startAndUpdate();
          done++;
        }
      }),
    );
    const perSecond = rate(done, from, Date.now());
    const lateness = await Promise.all(
      Array.from(
        { length: 20 },
        () =>
          client.workflow.execute('timerWorkflow', {
            taskQueue,
            workflowId: `${runName}-timer-${randomUUID()}`,
            args: [2000],
          }) as Promise<number>,
      ),
    );
    return {
      temporalStartMs: distribution(starts),
      temporalUpdateMs: distribution(updates),
      temporalStartUpdatePerSecond: Math.round(perSecond * 10) / 10,
      temporalTimerLatenessMs: distribution(lateness),
    };
  } finally {
    worker.shutdown();
    await running;
    await connection.close();
    await nativeConnection.close();
  }
}

export async function ferretInsertFind(mongoUrl: string, runName: string, count: number): Promise<Distribution> {
  // connectDatabase: the same one-connection setting the services get on FerretDB (ADR 0006).
  const db = await connectDatabase(`${mongoUrl}/${runName}_baseline`, quiet);
  const collection = db.collection<{ _id: string; n: number; at: string }>('baseline');
  const samples: number[] = [];
  try {
    for (let i = 0; i < count; i++) {
      const t0 = Date.now();
      const _id = randomUUID();
      await collection.insertOne({ _id, n: i, at: new Date().toISOString() });
      await collection.findOne({ _id });
      samples.push(Date.now() - t0);
    }
  } finally {
    await db.close();
  }
  return distribution(samples);
}

/** One collection of 2000 inbox-sized documents; the same lookup by `_id` alone, `_id` + a field, a field. */
export async function ferretFilterShapes(
  mongoUrl: string,
  runName: string,
  count: number,
): Promise<Baselines['ferretFilterShapes']> {
  const db = await connectDatabase(`${mongoUrl}/${runName}_baseline`, quiet);
  const collection = db.collection<{ _id: string; lastSeq: number; facilityId: string; reason: string }>('shapes');
  try {
    await collection.insertMany(
      Array.from({ length: 2000 }, (_, i) => ({
        _id: `item-${i}`,
        lastSeq: 1,
        facilityId: i % 2 ? 'TYT-02704' : 'TYT-02701',
        reason: 'Tiêm chủng quá hạn '.repeat(10),
      })),
    );
    const byIdMs: number[] = [];
    const byIdAndFieldMs: number[] = [];
    const byFieldMs: number[] = [];
    for (let i = 0; i < count; i++) {
      const _id = `item-${(i * 37) % 2000}`;
      let t0 = performance.now();
      await collection.findOne({ _id });
      byIdMs.push(performance.now() - t0);
      t0 = performance.now();
      await collection.findOne({ _id, lastSeq: 1 });
      byIdAndFieldMs.push(performance.now() - t0);
      t0 = performance.now();
      await collection.find({ facilityId: 'TYT-02704', lastSeq: 1 }).limit(50).toArray();
      byFieldMs.push(performance.now() - t0);
    }
    return {
      byIdMs: distribution(byIdMs),
      byIdAndFieldMs: distribution(byIdAndFieldMs),
      byFieldMs: distribution(byFieldMs),
    };
  } finally {
    await db.close();
  }
}
