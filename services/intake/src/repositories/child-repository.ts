import { Schema, type Connection, type Model } from 'mongoose';
import type { CloudEvent } from '@ecd/contracts';
import { outboxSchemaFields, stageOnUpdate, type OutboxDocumentFields } from '@ecd/messaging';
import type { ChildRecord } from '../domain/child';
import type { ChildHistoryEntry } from '../domain/child-record';
import { earlierRequest, insertOnce, type IdempotentInsert } from './idempotent-insert';

const caregiverSchema = new Schema({ name: String, relationship: String, phone: String }, { _id: false });

/** What the register stores beside the entry itself. */
export interface ChildDocumentFields extends Partial<OutboxDocumentFields> {
  requestFingerprint?: string;
  distinctRegistration?: string;
  /** Corrections and moves between communes, oldest first, with the previous values. */
  history?: ChildHistoryEntry[];
  /** History entry ids as keys: a retried correction finds its entry (FerretDB-safe `$exists`). */
  historyIds?: Record<string, true>;
  /** Bumped at every correction, so two corrections racing each other cannot both record a previous value. */
  revision?: number;
  /** The transfer to another commune waiting for that commune's answer: one at a time. */
  pendingTransferId?: string;
}

const childSchema = new Schema<ChildRecord & ChildDocumentFields>(
  {
    _id: { type: String },
    fullName: { type: String, required: true },
    nameKey: { type: String, required: true },
    dateOfBirth: { type: String, required: true },
    sex: { type: String, required: true },
    ethnicityCode: { type: String, required: true },
    communeCode: { type: String, required: true },
    village: String,
    caregivers: [caregiverSchema],
    birthRegistered: { type: Boolean, required: true },
    specialCircumstances: [String],
    disability: Boolean,
    registeredAt: { type: String, required: true },
    registeredBy: { type: String, required: true },
    requestFingerprint: String,
    distinctRegistration: String,
    history: [Schema.Types.Mixed],
    historyIds: Schema.Types.Mixed,
    revision: Number,
    pendingTransferId: String,
    ...outboxSchemaFields,
  },
  { collection: 'children', versionKey: false, strict: 'throw' },
);
// Every query names the commune first; the duplicate check adds the name key and date of birth.
// Unique with `distinctRegistration`, so the check and the insert are one atomic step: of two
// registrations of the same name and date of birth racing each other, the second fails on this
// index (and is answered as a duplicate) unless the officer confirmed it is a different child
// (then `distinctRegistration` is the child's own id instead of '').
childSchema.index({ communeCode: 1, nameKey: 1, dateOfBirth: 1, distinctRegistration: 1 }, { unique: true });

export function createChildModel(connection: Connection): Model<ChildRecord> {
  return connection.model<ChildRecord>('Child', childSchema);
}

const publicProjection = {
  requestFingerprint: 0,
  distinctRegistration: 0,
  history: 0,
  historyIds: 0,
  revision: 0,
  pendingTransferId: 0,
  outbox: 0,
  outboxPending: 0,
} as const;

/** A register entry with what the record-keeping routes need beside it. */
export type StoredChild = ChildRecord & Pick<ChildDocumentFields, 'history' | 'revision' | 'pendingTransferId'>;

const isDuplicateKey = (error: unknown) => (error as { code?: number }).code === 11000;

/** A registration that collided with another child of the same name and date of birth. */
export class PossibleDuplicateError extends Error {
  override name = 'PossibleDuplicateError';
}

const escapeRegex = (text: string) => text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

/** The commune's child register. Every method takes the commune code: no query crosses communes. */
export class ChildRepository {
  constructor(readonly model: Model<ChildRecord>) {}

  /**
   * Registers once per id (derived from an Idempotency-Key); see insertOnce. Throws
   * `PossibleDuplicateError` when another child with the same name key and date of birth got in
   * first and the officer did not confirm this one is different.
   */
  async insertOnce(
    record: ChildRecord,
    requestFingerprint: string,
    confirmedDistinct = false,
  ): Promise<IdempotentInsert<ChildRecord>> {
    const stored = await insertOnce(
      this.model.collection,
      { ...record, distinctRegistration: confirmedDistinct ? record._id : '' },
      requestFingerprint,
      { communeCode: record.communeCode },
    ).catch((error: unknown) => {
      if (isDuplicateKey(error)) throw new PossibleDuplicateError('same name and date of birth');
      throw error;
    });
    const { distinctRegistration: _r, ...child } = stored.record;
    return { ...stored, record: child };
  }

  /** The registration an earlier request with this id made in the commune. */
  earlierRequest(communeCode: string, childId: string) {
    return earlierRequest<ChildRecord>(this.model.collection, childId, { communeCode });
  }

  async find(communeCode: string, childId: string): Promise<ChildRecord | null> {
    return this.model.findOne({ _id: childId, communeCode }, publicProjection).lean<ChildRecord>();
  }

  /** A register entry with its history, in whichever commune it is now (access is the caller's to check). */
  async findAnywhere(childId: string): Promise<StoredChild | null> {
    return this.model
      .findOne(
        { _id: childId },
        { requestFingerprint: 0, distinctRegistration: 0, historyIds: 0, outbox: 0, outboxPending: 0 },
      )
      .lean<StoredChild>();
  }

  /**
   * Applies a correction checked against the revision it was computed from, with its history
   * entry and event in the same write. 'stale' when another change got in first (compute again),
   * 'duplicate' when the corrected name and date of birth collide with another child of the commune.
   */
  async correct(
    child: StoredChild,
    set: Partial<ChildRecord>,
    entry: ChildHistoryEntry,
    events: CloudEvent[],
  ): Promise<'corrected' | 'stale' | 'duplicate'> {
    const staged = stageOnUpdate(events);
    try {
      const result = await this.model.collection.updateOne(
        {
          _id: child._id as never,
          communeCode: child.communeCode,
          revision: child.revision ?? { $exists: false },
          [`historyIds.${entry.id}`]: { $exists: false },
        },
        {
          $set: { ...set, ...staged.$set, [`historyIds.${entry.id}`]: true },
          $inc: { ...staged.$inc, revision: 1 },
          $push: { history: entry },
        } as never,
      );
      return result.modifiedCount === 1 ? 'corrected' : 'stale';
    } catch (error) {
      if (isDuplicateKey(error)) return 'duplicate';
      throw error;
    }
  }

  /** Marks a transfer as waiting; false when the child is not in the commune or another one waits. */
  async startTransfer(
    communeCode: string,
    childId: string,
    transferId: string,
    entry: ChildHistoryEntry,
  ): Promise<boolean> {
    const result = await this.model.collection.updateOne(
      { _id: childId as never, communeCode, pendingTransferId: { $exists: false } },
      {
        $set: { pendingTransferId: transferId, [`historyIds.${entry.id}`]: true },
        $push: { history: entry },
      } as never,
    );
    return result.modifiedCount === 1;
  }

  /** A declined transfer: the child stays, the decline is in its history. Idempotent. */
  async declineTransfer(childId: string, transferId: string, entry: ChildHistoryEntry): Promise<void> {
    await this.model.collection.updateOne(
      { _id: childId as never, pendingTransferId: transferId, [`historyIds.${entry.id}`]: { $exists: false } },
      {
        $unset: { pendingTransferId: '' },
        $set: { [`historyIds.${entry.id}`]: true },
        $push: { history: entry },
      } as never,
    );
  }

  /**
   * Moves the register entry to the receiving commune with its history entry and event, once. A
   * child of the same name and date of birth already in that commune does not block the move (it
   * may be a duplicate to merge, which is for staff to decide), so the entry is then marked distinct.
   */
  async moveToCommune(
    childId: string,
    transferId: string,
    toCommuneCode: string,
    entry: ChildHistoryEntry,
    events: CloudEvent[],
  ): Promise<void> {
    const staged = stageOnUpdate(events);
    const move = (distinct: boolean) =>
      this.model.collection.updateOne(
        { _id: childId as never, pendingTransferId: transferId, [`historyIds.${entry.id}`]: { $exists: false } },
        {
          $set: {
            communeCode: toCommuneCode,
            ...(distinct ? { distinctRegistration: childId } : {}),
            ...staged.$set,
            [`historyIds.${entry.id}`]: true,
          },
          $unset: { pendingTransferId: '' },
          $inc: staged.$inc,
          $push: { history: entry },
        } as never,
      );
    try {
      await move(false);
    } catch (error) {
      if (!isDuplicateKey(error)) throw error;
      await move(true);
    }
  }

  /** Children of the commune with the same normalised name and date of birth. */
  async possibleDuplicates(communeCode: string, nameKey: string, dateOfBirth: string): Promise<ChildRecord[]> {
    return this.model
      .find({ communeCode, nameKey, dateOfBirth }, publicProjection)
      .sort({ registeredAt: 1 })
      .limit(20)
      .lean<ChildRecord[]>();
  }

  /** Search by normalised name (substring of the name key), within the commune. */
  async search(communeCode: string, nameKey: string, limit = 50): Promise<ChildRecord[]> {
    const filter: Record<string, unknown> = { communeCode };
    if (nameKey) filter.nameKey = new RegExp(escapeRegex(nameKey));
    return this.model
      .find(filter, publicProjection)
      .sort({ nameKey: 1, dateOfBirth: 1 })
      .limit(limit)
      .lean<ChildRecord[]>();
  }
}
