import { Schema, type Model } from 'mongoose';
import type { Logger } from 'pino';
import type { CloudEvent } from '@ecd/contracts';
import type { EventPublisher } from './event-publisher';

/**
 * Transactional outbox without multi-document transactions: pending events live inside the
 * aggregate's own document, keyed by event id, and are written in the same single-document write
 * as the state change. FerretDB v1 has no positional `$` and ignores conditional `$pull`, so
 * entries are removed with `$unset` on `outbox.<eventId>`, which both it and MongoDB support.
 */
export interface OutboxEntry {
  seq: number;
  event: CloudEvent;
}

export const outboxSchemaFields = {
  outbox: { type: Schema.Types.Mixed, default: () => ({}) },
  outboxPending: { type: Number, default: 0, index: true },
};

export interface OutboxDocumentFields {
  outbox: Record<string, OutboxEntry>;
  outboxPending: number;
}

let lastSeq = 0;
/** Monotonic within a process, so a document's events keep the order they were staged in. */
function nextSeq(): number {
  lastSeq = Math.max(lastSeq + 1, Date.now() * 1000);
  return lastSeq;
}

function assertStorableId(id: string): void {
  if (id.includes('.') || id.startsWith('$')) throw new Error(`event id ${id} cannot be an outbox key`);
}

/** Fields to include in a new document so its first events are staged with it. */
export function stageOnInsert(events: CloudEvent[]): OutboxDocumentFields {
  const outbox: Record<string, OutboxEntry> = {};
  for (const event of events) {
    assertStorableId(event.id);
    outbox[event.id] = { seq: nextSeq(), event };
  }
  return { outbox, outboxPending: events.length };
}

/** `$set` / `$inc` operators that stage events in the same update as the state change. */
export function stageOnUpdate(events: CloudEvent[]): {
  $set: Record<string, OutboxEntry>;
  $inc: { outboxPending: number };
} {
  const $set: Record<string, OutboxEntry> = {};
  for (const event of events) {
    assertStorableId(event.id);
    $set[`outbox.${event.id}`] = { seq: nextSeq(), event };
  }
  return { $set, $inc: { outboxPending: events.length } };
}

export interface OutboxRelayOptions {
  // eslint-disable-next-line @typescript-eslint/no-explicit-any -- any aggregate model with the outbox fields
  models: Model<any>[];
  publisher: EventPublisher;
  logger: Logger;
  pollIntervalMs?: number;
  batchSize?: number;
}

/**
 * Publishes staged events and then removes them. A crash between the two re-publishes on restart
 * (at-least-once); consumers de-duplicate by event id.
 */
export class OutboxRelay {
  private timer: NodeJS.Timeout | undefined;
  private running: Promise<void> | undefined;
  private stopped = true;
  private wakeAgain = false;
  private consecutiveFailures = 0;

  constructor(private readonly options: OutboxRelayOptions) {}

  start(): void {
    this.stopped = false;
    this.schedule(0);
  }

  /** Called after a write so events leave within milliseconds instead of at the next poll. */
  nudge(): void {
    if (this.stopped) return;
    if (this.running) {
      this.wakeAgain = true;
      return;
    }
    this.schedule(0);
  }

  private schedule(delay: number): void {
    if (this.timer) clearTimeout(this.timer);
    this.timer = setTimeout(() => void this.pass(), delay);
  }

  private async pass(): Promise<void> {
    if (this.stopped || this.running) return;
    this.running = (async () => {
      try {
        await this.drainOnce();
        this.consecutiveFailures = 0;
      } catch (error) {
        this.consecutiveFailures++;
        this.options.logger.warn(
          { err: error, failures: this.consecutiveFailures },
          'outbox relay pass failed; will retry',
        );
      }
    })();
    await this.running;
    this.running = undefined;
    if (this.stopped) return;
    const backoff = Math.min(250 * 2 ** this.consecutiveFailures, 5000);
    const again = this.wakeAgain;
    this.wakeAgain = false;
    this.schedule(again ? 0 : this.consecutiveFailures > 0 ? backoff : (this.options.pollIntervalMs ?? 250));
  }

  /** One pass over every model: publishes all pending events; returns how many were published. */
  async drainOnce(): Promise<number> {
    let published = 0;
    for (const model of this.options.models) {
      const docs = await model.collection
        .find({ outboxPending: { $gt: 0 } }, { projection: { outbox: 1 } })
        .limit(this.options.batchSize ?? 100)
        .toArray();
      for (const doc of docs) {
        const entries = Object.entries((doc.outbox ?? {}) as Record<string, OutboxEntry>).sort(
          ([, a], [, b]) => a.seq - b.seq,
        );
        if (entries.length === 0) continue;
        await this.options.publisher.publish(entries.map(([, entry]) => entry.event));
        for (const [id] of entries) {
          await model.collection.updateOne(
            { _id: doc._id, [`outbox.${id}`]: { $exists: true } },
            { $unset: { [`outbox.${id}`]: '' }, $inc: { outboxPending: -1 } },
          );
        }
        published += entries.length;
      }
    }
    return published;
  }

  async stop(): Promise<void> {
    this.stopped = true;
    if (this.timer) clearTimeout(this.timer);
    await this.running;
  }
}
