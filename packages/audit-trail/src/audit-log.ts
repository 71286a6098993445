import { createHash, randomUUID } from 'node:crypto';
import mongoose, { Schema, type Connection, type Model } from 'mongoose';

/** What kind of a child's record an entry covers. */
export type AuditResource =
  | 'child'
  | 'case'
  | 'screening'
  | 'referral'
  | 'consent'
  | 'protection-case'
  | 'register-entry'
  | 'inbox-item'
  | 'service-record'
  | 'audit-trail'
  /** A facility of the service directory (its administration, not a child's record). */
  | 'facility'
  /** A unit's report of a period (aggregates, no child's record): its reads, changes and exports. */
  | 'report';

/** One access to children's records: who, what, which records, when, from where. */
export interface AuditEntry {
  _id: string;
  /** Position in the chain: 1, 2, 3, … per database. */
  seq: number;
  at: string;
  actor: { userId: string; role: string; unitCode?: string; facilityId?: string };
  /** The commune (or other unit) whose records these are: what the audit API scopes by. */
  unitCode?: string;
  action: 'read' | 'search' | 'create' | 'update';
  resource: AuditResource;
  /** Every record touched (ids); for a search, every record it returned. Never truncated. */
  resourceIds: string[];
  method: string;
  route: string;
  status: number;
  requestId: string;
  /** The client's address (behind the portal: the address the portal saw, see trustProxy). */
  ip: string;
  /** Hash of the entry before (`''` for the first): an edited or removed entry breaks the chain. */
  prevHash: string;
  hash: string;
}

export type NewAuditEntry = Omit<AuditEntry, '_id' | 'seq' | 'prevHash' | 'hash'>;

/** The entry's hash: SHA-256 over the previous hash and the entry's fields in a fixed order. */
export function auditEntryHash(entry: Omit<AuditEntry, '_id' | 'hash'>): string {
  const canonical = JSON.stringify([
    entry.seq,
    entry.at,
    [entry.actor.userId, entry.actor.role, entry.actor.unitCode ?? null, entry.actor.facilityId ?? null],
    entry.unitCode ?? null,
    entry.action,
    entry.resource,
    entry.resourceIds,
    entry.method,
    entry.route,
    entry.status,
    entry.requestId,
    entry.ip,
  ]);
  return createHash('sha256').update(`${entry.prevHash}\n${canonical}`).digest('hex');
}

/** What checking the chain found. */
export interface AuditChainCheck {
  entries: number;
  intact: boolean;
  /** The first entry whose hash or link does not match (edited, inserted or after a removal). */
  brokenAt?: number;
}

/**
 * Append-only and hash-chained: this repository can add entries and read them, nothing else, and
 * each entry carries the hash of the one before, so an entry edited or removed in the database
 * is found by `verify`. Appends of one process are serialised; another process appending the
 * same `seq` loses on the unique index and retries after the new tail.
 */
export class AuditLog {
  readonly #model: Model<AuditEntry>;
  #tail: { seq: number; hash: string } | undefined;
  #queue: Promise<unknown> = Promise.resolve();

  constructor(connection: Connection) {
    const schema = new Schema<AuditEntry>(
      {
        _id: String,
        seq: { type: Number, required: true, unique: true },
        at: { type: String, required: true },
        actor: { userId: String, role: String, unitCode: String, facilityId: String },
        unitCode: { type: String, index: true },
        action: { type: String, required: true },
        resource: { type: String, required: true },
        resourceIds: { type: [String], index: true },
        method: String,
        route: String,
        status: Number,
        requestId: String,
        ip: String,
        prevHash: String,
        hash: String,
      },
      { collection: 'audit_log', versionKey: false },
    );
    this.#model = connection.models.AuditEntry ?? connection.model<AuditEntry>('AuditEntry', schema);
  }

  init(): Promise<unknown> {
    return this.#model.init();
  }

  private async tail(): Promise<{ seq: number; hash: string }> {
    if (this.#tail) return this.#tail;
    const last = await this.#model.findOne({}, { seq: 1, hash: 1 }).sort({ seq: -1 }).lean<AuditEntry>();
    this.#tail = last ? { seq: last.seq, hash: last.hash } : { seq: 0, hash: '' };
    return this.#tail;
  }

  append(entry: NewAuditEntry): Promise<void> {
    const run = this.#queue.then(async () => {
      for (let attempt = 0; ; attempt++) {
        const tail = await this.tail();
        const linked = { ...entry, seq: tail.seq + 1, prevHash: tail.hash };
        const full: AuditEntry = { _id: randomUUID(), ...linked, hash: auditEntryHash(linked) };
        try {
          await this.#model.collection.insertOne(full as never);
          this.#tail = { seq: full.seq, hash: full.hash };
          return;
        } catch (error) {
          this.#tail = undefined;
          if ((error as { code?: number }).code !== 11000 || attempt >= 10) throw error;
        }
      }
    });
    this.#queue = run.catch(() => undefined);
    return run;
  }

  /** Who touched a record, newest first (for data-subject requests and oversight). */
  async forRecord(resourceId: string, limit = 100): Promise<AuditEntry[]> {
    return this.#model.find({ resourceIds: resourceId }).sort({ seq: -1 }).limit(limit).lean<AuditEntry[]>();
  }

  /** Entries about the records of these units, newest first, optionally of one record. */
  async forUnits(unitCodes: string[], options: { resourceId?: string; limit?: number } = {}): Promise<AuditEntry[]> {
    return this.#model
      .find({
        unitCode: mongoose.trusted({ $in: unitCodes }),
        ...(options.resourceId ? { resourceIds: options.resourceId } : {}),
      })
      .sort({ seq: -1 })
      .limit(options.limit ?? 100)
      .lean<AuditEntry[]>();
  }

  /** Walks the whole chain and recomputes every hash. */
  async verify(): Promise<AuditChainCheck> {
    let prevHash = '';
    let expected = 1;
    let entries = 0;
    for await (const entry of this.#model.find({}).sort({ seq: 1 }).lean<AuditEntry>().cursor()) {
      entries++;
      const { _id: _i, hash, ...rest } = entry;
      if (entry.seq !== expected || entry.prevHash !== prevHash || auditEntryHash(rest) !== hash) {
        return { entries, intact: false, brokenAt: expected };
      }
      prevHash = hash;
      expected++;
    }
    return { entries, intact: true };
  }
}
