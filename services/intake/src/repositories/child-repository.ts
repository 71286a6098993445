import { Schema, type Connection, type Model } from 'mongoose';
import type { ChildRecord } from '../domain/child';
import { earlierRequest, insertOnce, type IdempotentInsert } from './idempotent-insert';

const caregiverSchema = new Schema({ name: String, relationship: String, phone: String }, { _id: false });

const childSchema = new Schema<ChildRecord & { requestFingerprint?: string }>(
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
  },
  { collection: 'children', versionKey: false, strict: 'throw' },
);
// Every query names the commune first; the duplicate check adds the name key and date of birth.
childSchema.index({ communeCode: 1, nameKey: 1, dateOfBirth: 1 });

export function createChildModel(connection: Connection): Model<ChildRecord> {
  return connection.model<ChildRecord>('Child', childSchema);
}

const publicProjection = { requestFingerprint: 0 } as const;

const escapeRegex = (text: string) => text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

/** The commune's child register. Every method takes the commune code: no query crosses communes. */
export class ChildRepository {
  constructor(readonly model: Model<ChildRecord>) {}

  /** Registers once per id (derived from an Idempotency-Key); see insertOnce. */
  insertOnce(record: ChildRecord, requestFingerprint: string): Promise<IdempotentInsert<ChildRecord>> {
    return insertOnce(this.model.collection, record, requestFingerprint, { communeCode: record.communeCode });
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
