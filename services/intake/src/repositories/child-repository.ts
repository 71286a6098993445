import { Schema, type Connection, type Model } from 'mongoose';
import type { ChildRecord } from '../domain/child';
import { earlierRequest, insertOnce, type IdempotentInsert } from './idempotent-insert';

const caregiverSchema = new Schema({ name: String, relationship: String, phone: String }, { _id: false });

const childSchema = new Schema<ChildRecord & { requestFingerprint?: string; distinctRegistration?: string }>(
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

const publicProjection = { requestFingerprint: 0, distinctRegistration: 0 } as const;

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
      if ((error as { code?: number }).code === 11000) throw new PossibleDuplicateError('same name and date of birth');
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
