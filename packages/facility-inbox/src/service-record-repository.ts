import { Schema, type Connection, type Model } from 'mongoose';

/** What a facility did for a referred child: owned by the sector's service, referenced by the referral. */
export interface ServiceRecord {
  _id: string;
  referralId: string;
  facilityId: string;
  caseId: string;
  kind: string;
  date: string;
  summary: string;
  details?: Record<string, string | number | boolean>;
  recordedBy: string;
  recordedAt: string;
  /** `pending` until the referral workflow accepted the completion; then `final`. */
  status: 'pending' | 'final';
}

export class ServiceRecordRepository {
  readonly model: Model<ServiceRecord>;

  constructor(connection: Connection) {
    const schema = new Schema<ServiceRecord>(
      {
        _id: String,
        referralId: { type: String, required: true, index: true },
        facilityId: { type: String, required: true, index: true },
        caseId: { type: String, required: true },
        kind: { type: String, required: true },
        date: { type: String, required: true },
        summary: { type: String, required: true },
        details: Schema.Types.Mixed,
        recordedBy: { type: String, required: true },
        recordedAt: { type: String, required: true },
        status: { type: String, required: true },
      },
      { collection: 'service_records', versionKey: false },
    );
    this.model = connection.model<ServiceRecord>('ServiceRecord', schema);
  }

  /**
   * One record per referral (its id derives from the referral), so a retried completion writes
   * once. `created` says whether this call wrote it: only the writer may discard it again.
   */
  async insertPending(record: Omit<ServiceRecord, 'status'>): Promise<{ record: ServiceRecord; created: boolean }> {
    try {
      await this.model.collection.insertOne({ ...record, status: 'pending' } as never);
      return { record: { ...record, status: 'pending' }, created: true };
    } catch (error) {
      if ((error as { code?: number }).code !== 11000) throw error;
      const existing = await this.model.findById(record._id).lean<ServiceRecord>();
      if (!existing) throw error;
      return { record: existing, created: false };
    }
  }

  async finalise(id: string): Promise<void> {
    await this.model.updateOne({ _id: id }, { $set: { status: 'final' } });
  }

  /**
   * Removes a record the workflow refused (never a final one). Only the request that wrote it
   * calls this, and only after the referral shows it was not completed with this record.
   */
  async discardPending(id: string): Promise<void> {
    await this.model.deleteOne({ _id: id, status: 'pending' });
  }

  async find(facilityId: string, id: string): Promise<ServiceRecord | null> {
    return this.model.findOne({ _id: id, facilityId }).lean<ServiceRecord>();
  }
}
