import { randomUUID } from 'node:crypto';
import { Schema, type Connection, type Model } from 'mongoose';

/** One access to children's records: who, what, which records, when, from where. */
export interface AuditEntry {
  _id: string;
  at: string;
  actor: { userId: string; role: string; unitCode?: string };
  action: 'read' | 'search' | 'create' | 'update';
  resource: 'child' | 'case' | 'screening' | 'referral' | 'consent';
  /** The records touched (ids); for a search, the records it returned. */
  resourceIds: string[];
  method: string;
  route: string;
  status: number;
  requestId: string;
  ip: string;
}

/**
 * Append-only: this repository can add entries and read them, nothing else (no update, no
 * delete), so the trail cannot be edited through the service.
 */
export class AuditLog {
  readonly #model: Model<AuditEntry>;

  constructor(connection: Connection) {
    const schema = new Schema<AuditEntry>(
      {
        _id: String,
        at: { type: String, required: true },
        actor: { userId: String, role: String, unitCode: String },
        action: { type: String, required: true },
        resource: { type: String, required: true },
        resourceIds: { type: [String], index: true },
        method: String,
        route: String,
        status: Number,
        requestId: String,
        ip: String,
      },
      { collection: 'audit_log', versionKey: false },
    );
    this.#model = connection.model<AuditEntry>('AuditEntry', schema);
  }

  init(): Promise<unknown> {
    return this.#model.init();
  }

  async append(entry: Omit<AuditEntry, '_id'>): Promise<void> {
    await this.#model.collection.insertOne({ _id: randomUUID(), ...entry } as never);
  }

  /** Who touched a record, newest first (for data-subject requests and oversight). */
  async forRecord(resourceId: string, limit = 100): Promise<AuditEntry[]> {
    return this.#model.find({ resourceIds: resourceId }).sort({ at: -1 }).limit(limit).lean<AuditEntry[]>();
  }
}
