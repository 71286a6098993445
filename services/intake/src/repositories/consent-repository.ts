import { Schema, type Connection, type Model } from 'mongoose';
import type { ConsentRecord } from '../domain/consent';
import { insertOnce, type IdempotentInsert } from './idempotent-insert';

type ConsentDocument = ConsentRecord & { requestFingerprint: string };

const person = { name: String, relationship: String };

const consentSchema = new Schema<ConsentDocument>(
  {
    _id: { type: String },
    childId: { type: String, required: true },
    communeCode: { type: String, required: true },
    givenBy: person,
    childAssent: Boolean,
    sharingWith: [String],
    givenOn: { type: String, required: true },
    recordedAt: { type: String, required: true },
    recordedBy: { type: String, required: true },
    note: String,
    withdrawal: { on: String, by: person, reason: String, recordedAt: String, recordedBy: String },
    requestFingerprint: { type: String, required: true },
  },
  { collection: 'consents', versionKey: false, strict: 'throw' },
);
consentSchema.index({ communeCode: 1, childId: 1 });

export function createConsentModel(connection: Connection): Model<ConsentDocument> {
  return connection.model<ConsentDocument>('Consent', consentSchema);
}

const publicProjection = { requestFingerprint: 0 } as const;

/** Consents to share children's data, kept by the commune that recorded them. */
export class ConsentRepository {
  constructor(readonly model: Model<ConsentDocument>) {}

  /** Records once per id (derived from an Idempotency-Key); see insertOnce. */
  insertOnce(record: ConsentRecord, requestFingerprint: string): Promise<IdempotentInsert<ConsentRecord>> {
    return insertOnce(this.model.collection, record, requestFingerprint, { communeCode: record.communeCode });
  }

  async forChild(communeCode: string, childId: string): Promise<ConsentRecord[]> {
    return this.model.find({ communeCode, childId }, publicProjection).sort({ recordedAt: 1 }).lean<ConsentRecord[]>();
  }

  async find(communeCode: string, childId: string, consentId: string): Promise<ConsentRecord | null> {
    return this.model.findOne({ _id: consentId, communeCode, childId }, publicProjection).lean<ConsentRecord>();
  }

  /** Moves the child's consents to the receiving commune (they stay in force there); their ids. */
  async moveChild(fromCommuneCode: string, childId: string, toCommuneCode: string): Promise<string[]> {
    const ids = (await this.model.find({ communeCode: fromCommuneCode, childId }, { _id: 1 }).lean()).map((c) => c._id);
    await this.model.collection.updateMany(
      { communeCode: fromCommuneCode, childId },
      { $set: { communeCode: toCommuneCode } },
    );
    return ids;
  }

  /** Records a withdrawal once; false when the consent was already withdrawn (or is not there). */
  async withdraw(
    communeCode: string,
    childId: string,
    consentId: string,
    withdrawal: NonNullable<ConsentRecord['withdrawal']>,
  ): Promise<boolean> {
    const result = await this.model.collection.updateOne(
      { _id: consentId as never, communeCode, childId, withdrawal: { $exists: false } },
      { $set: { withdrawal } },
    );
    return result.modifiedCount === 1;
  }
}
