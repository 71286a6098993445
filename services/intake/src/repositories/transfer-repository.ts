import mongoose, { Schema, type Connection, type Model } from 'mongoose';
import type { RecordActor } from '../domain/child-record';
import { insertOnce, type IdempotentInsert } from './idempotent-insert';

export const TransferStatuses = ['PENDING', 'ACCEPTING', 'ACCEPTED', 'DECLINED'] as const;
export type TransferStatus = (typeof TransferStatuses)[number];

/**
 * A child's move from one commune to another: asked by the sending commune's intake staff,
 * answered by the receiving commune's. ACCEPTING is the acceptance under way (the referral
 * workflows are told first, then the records move): a repeated accept finishes it, a decline
 * can no longer come in between.
 */
export interface ChildTransfer {
  _id: string;
  childId: string;
  /** What the receiving commune needs to recognise the child before accepting. */
  child: { fullName: string; dateOfBirth: string; sex: string };
  fromCommuneCode: string;
  toCommuneCode: string;
  reason: string;
  status: TransferStatus;
  requestedAt: string;
  requestedBy: RecordActor;
  decidedAt?: string;
  decidedBy?: RecordActor;
  declineReason?: string;
  /** What followed the child on acceptance. */
  moved?: { caseIds: string[]; referralIds: string[]; consentIds: string[] };
}

const actor = { userId: String, role: String, unitCode: String };

type TransferDocument = ChildTransfer & { requestFingerprint: string };

const transferSchema = new Schema<TransferDocument>(
  {
    _id: { type: String },
    childId: { type: String, required: true, index: true },
    child: { fullName: String, dateOfBirth: String, sex: String },
    fromCommuneCode: { type: String, required: true },
    toCommuneCode: { type: String, required: true },
    reason: { type: String, required: true },
    status: { type: String, required: true },
    requestedAt: { type: String, required: true },
    requestedBy: actor,
    decidedAt: String,
    decidedBy: actor,
    declineReason: String,
    moved: { caseIds: [String], referralIds: [String], consentIds: [String] },
    requestFingerprint: { type: String, required: true },
  },
  { collection: 'child_transfers', versionKey: false, strict: 'throw' },
);
transferSchema.index({ toCommuneCode: 1, status: 1 });

export function createTransferModel(connection: Connection): Model<TransferDocument> {
  return connection.model<TransferDocument>('ChildTransfer', transferSchema);
}

const publicProjection = { requestFingerprint: 0 } as const;

// FerretDB 1.24's findAndModify takes no projection: the fingerprint is left out here.
const withoutFingerprint = (found: TransferDocument | null): ChildTransfer | null => {
  if (!found) return null;
  const { requestFingerprint: _f, ...transfer } = found;
  return transfer;
};

/** Transfers between communes; every query names the commune that may see the transfer. */
export class TransferRepository {
  constructor(readonly model: Model<TransferDocument>) {}

  insertOnce(record: ChildTransfer, requestFingerprint: string): Promise<IdempotentInsert<ChildTransfer>> {
    return insertOnce(this.model.collection, record, requestFingerprint, { fromCommuneCode: record.fromCommuneCode });
  }

  /** A transfer the commune sent or received. */
  async findFor(communeCode: string, transferId: string): Promise<ChildTransfer | null> {
    return this.model
      .findOne(
        { _id: transferId, $or: [{ fromCommuneCode: communeCode }, { toCommuneCode: communeCode }] },
        publicProjection,
      )
      .lean<ChildTransfer>();
  }

  /** Transfers waiting for the commune's answer, oldest first. */
  async incoming(communeCode: string): Promise<ChildTransfer[]> {
    return this.model
      .find({ toCommuneCode: communeCode, status: 'PENDING' }, publicProjection)
      .sort({ requestedAt: 1 })
      .limit(200)
      .lean<ChildTransfer[]>();
  }

  /** Every transfer of the child, oldest first. */
  async forChild(childId: string): Promise<ChildTransfer[]> {
    return this.model.find({ childId }, publicProjection).sort({ requestedAt: 1 }).lean<ChildTransfer[]>();
  }

  /** PENDING (or an acceptance under way) → ACCEPTING, by the receiving commune; null when not so. */
  async beginAcceptance(toCommuneCode: string, transferId: string, by: RecordActor): Promise<ChildTransfer | null> {
    return this.model
      .findOneAndUpdate(
        // Connections sanitise filters (an operator from a request is neutralised); this one is ours.
        { _id: transferId, toCommuneCode, status: mongoose.trusted({ $in: ['PENDING', 'ACCEPTING'] }) },
        { $set: { status: 'ACCEPTING', decidedBy: by } },
        { returnDocument: 'after' },
      )
      .lean<TransferDocument>()
      .then(withoutFingerprint);
  }

  async finishAcceptance(transferId: string, decidedAt: string, moved: NonNullable<ChildTransfer['moved']>) {
    await this.model.updateOne(
      { _id: transferId, status: 'ACCEPTING' },
      { $set: { status: 'ACCEPTED', decidedAt, moved } },
    );
  }

  /** PENDING → DECLINED by the receiving commune; null when it was not pending. */
  async decline(
    toCommuneCode: string,
    transferId: string,
    decision: { decidedAt: string; decidedBy: RecordActor; declineReason: string },
  ): Promise<ChildTransfer | null> {
    return this.model
      .findOneAndUpdate(
        { _id: transferId, toCommuneCode, status: 'PENDING' },
        { $set: { status: 'DECLINED', ...decision } },
        { returnDocument: 'after' },
      )
      .lean<TransferDocument>()
      .then(withoutFingerprint);
  }
}
