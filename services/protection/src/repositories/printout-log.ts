import { randomUUID } from 'node:crypto';
import { Schema, type Connection, type Model } from 'mongoose';

/** One request for a printable form of a case: who, which form, when, from where, and the answer. */
export interface PrintoutEntry {
  _id: string;
  at: string;
  actor: { userId: string; role: string; unitCode?: string };
  protectionCaseId: string;
  form: string;
  /** 200 when the PDF was handed out; a refusal (403, 404, 409) is recorded too. */
  status: number;
  requestId: string;
  ip: string;
}

/**
 * The trail of Decree 56 forms printed from the sealed record. Append-only: this repository adds
 * and reads entries, nothing else, so the trail cannot be edited through the service.
 */
export class PrintoutLog {
  readonly #model: Model<PrintoutEntry>;

  constructor(connection: Connection) {
    const schema = new Schema<PrintoutEntry>(
      {
        _id: String,
        at: { type: String, required: true },
        actor: { userId: String, role: String, unitCode: String },
        protectionCaseId: { type: String, required: true, index: true },
        form: String,
        status: Number,
        requestId: String,
        ip: String,
      },
      { collection: 'printout_log', versionKey: false },
    );
    this.#model = connection.model<PrintoutEntry>('PrintoutEntry', schema);
  }

  init(): Promise<unknown> {
    return this.#model.init();
  }

  async append(entry: Omit<PrintoutEntry, '_id'>): Promise<void> {
    await this.#model.collection.insertOne({ _id: randomUUID(), ...entry } as never);
  }

  /** Who printed what of a case, newest first. */
  async forCase(protectionCaseId: string, limit = 100): Promise<PrintoutEntry[]> {
    return this.#model.find({ protectionCaseId }).sort({ at: -1 }).limit(limit).lean<PrintoutEntry[]>();
  }
}
