import mongoose, { Schema, type Connection, type Model } from 'mongoose';
import type { CloudEvent, ReferralEventType } from '@ecd/contracts';

/** A referral made from a case, as intake follows it: a read model built from referral events. */
export interface CaseReferral {
  _id: string; // referral id
  caseId: string;
  communeCode: string;
  sector: string;
  urgency: string;
  facilityId: string;
  state: string;
  requestedAt?: string;
  acceptBy?: string;
  completeBy?: string;
  escalationLevel: number;
  /** The highest escalation level the referral ever reached (escalationLevel resets on acceptance). */
  maxEscalationLevel?: number;
  /** The child referred (from referral.requested), so reports can count children reached. */
  childId?: string;
  acceptedAt?: string;
  completedAt?: string;
  serviceRecordId?: string;
  /**
   * One of the referral's effects failed for good (e.g. the facility was never told): the commune
   * must act (withdraw and refer again). Cleared by nothing but a new referral.
   */
  needsAttention?: { at: string; failedEffect: string; problem: string };
  /** Sequence of the last event applied (referral event ids are `<referralId>:<n>`). */
  lastSeq: number;
  updatedAt: string;
}

const caseReferralSchema = new Schema<CaseReferral>(
  {
    _id: { type: String },
    caseId: { type: String, required: true },
    communeCode: { type: String, required: true },
    sector: String,
    urgency: String,
    facilityId: String,
    state: String,
    requestedAt: String,
    acceptBy: String,
    completeBy: String,
    escalationLevel: Number,
    maxEscalationLevel: Number,
    childId: String,
    acceptedAt: String,
    completedAt: String,
    serviceRecordId: String,
    needsAttention: { type: { at: String, failedEffect: String, problem: String }, default: undefined, _id: false },
    lastSeq: { type: Number, required: true },
    updatedAt: String,
  },
  { collection: 'case_referrals', versionKey: false, strict: 'throw' },
);
caseReferralSchema.index({ communeCode: 1, caseId: 1 });

/** The per-referral sequence number in a referral event id, so redelivered or stale events change nothing. */
export function sequenceOf(eventId: string): number {
  const n = Number(eventId.slice(eventId.lastIndexOf(':') + 1));
  if (!Number.isInteger(n) || n < 1) throw new Error(`event id ${eventId} carries no sequence number`);
  return n;
}

/** The fields one referral event sets; each case reads its own event type's data. */
export function referralEventFields(event: CloudEvent<ReferralEventType>): Partial<CaseReferral> {
  const { data } = event;
  const fields: Partial<CaseReferral> = {
    caseId: data.caseId,
    communeCode: data.fromUnitCode,
    sector: data.sector,
    urgency: data.urgency,
    facilityId: data.facilityId,
    state: data.state,
    lastSeq: sequenceOf(event.id),
    updatedAt: data.at,
  };
  switch (event.type) {
    case 'referral.requested.v1':
      Object.assign(fields, {
        requestedAt: event.data.at,
        acceptBy: event.data.acceptBy,
        escalationLevel: 0,
        childId: event.data.childId,
      });
      break;
    case 'referral.accepted.v1':
      Object.assign(fields, { completeBy: event.data.completeBy, escalationLevel: 0, acceptedAt: event.data.at });
      break;
    case 'referral.deadline_extended.v1':
      Object.assign(
        fields,
        event.data.deadline === 'ACCEPT' ? { acceptBy: event.data.extendedTo } : { completeBy: event.data.extendedTo },
      );
      fields.escalationLevel = 0;
      break;
    case 'referral.escalated.v1':
      fields.escalationLevel = event.data.level;
      break;
    case 'referral.completed.v1':
      fields.serviceRecordId = event.data.serviceRecordId;
      fields.completedAt = event.data.at;
      break;
    case 'referral.needs_attention.v1':
      fields.needsAttention = {
        at: event.data.at,
        failedEffect: event.data.failedEffect,
        problem: event.data.problem,
      };
      break;
    default:
      break;
  }
  for (const key of Object.keys(fields) as (keyof CaseReferral)[]) {
    if (fields[key] === undefined) delete fields[key];
  }
  return fields;
}

export function createCaseReferralModel(connection: Connection): Model<CaseReferral> {
  return connection.model<CaseReferral>('CaseReferral', caseReferralSchema);
}

export class CaseReferralRepository {
  constructor(readonly model: Model<CaseReferral>) {}

  /** Applies a referral event; an event at or below the referral's last sequence changes nothing. */
  async apply(event: CloudEvent<ReferralEventType>): Promise<boolean> {
    const { referralId } = event.data;
    const fields = referralEventFields(event);
    const seq = fields.lastSeq!;
    for (let attempt = 0; attempt < 5; attempt++) {
      const current = await this.model.findById(referralId).lean<CaseReferral>();
      if (current && current.lastSeq >= seq) return false;
      if (!current) {
        try {
          await this.model.collection.insertOne({
            _id: referralId,
            escalationLevel: 0,
            ...fields,
            maxEscalationLevel: fields.escalationLevel ?? 0,
          } as never);
          return true;
        } catch (error) {
          if ((error as { code?: number }).code !== 11000) throw error;
          continue;
        }
      }
      const set =
        fields.escalationLevel !== undefined && fields.escalationLevel > (current.maxEscalationLevel ?? 0)
          ? { ...fields, maxEscalationLevel: fields.escalationLevel }
          : fields;
      const result = await this.model.collection.updateOne({ _id: referralId as never, lastSeq: current.lastSeq }, {
        $set: set,
      } as never);
      if (result.modifiedCount === 1) return true;
    }
    throw new Error(`could not apply ${event.id}: too many concurrent changes`);
  }

  /** Referrals of the given communes that need attention (a failed effect), newest first. */
  async needingAttention(communeCodes: readonly string[]): Promise<CaseReferral[]> {
    return this.model
      .find({
        communeCode: mongoose.trusted({ $in: [...communeCodes] }),
        needsAttention: mongoose.trusted({ $exists: true }),
      })
      .sort({ updatedAt: -1 })
      .lean<CaseReferral[]>();
  }

  /** Every referral made from the given communes (reports); the caller decides which communes it may see. */
  async fromCommunes(communeCodes: readonly string[]): Promise<CaseReferral[]> {
    // Connections sanitise filters (an operator from a request is neutralised); this one is ours.
    return this.model.find({ communeCode: mongoose.trusted({ $in: [...communeCodes] }) }).lean<CaseReferral[]>();
  }

  /**
   * Referrals of the cases that moved with a child: finished ones move here; open ones move when
   * their workflow's `referral.transferred` arrives (and here too, so the case reads whole at once).
   */
  async moveCases(caseIds: readonly string[], fromCommuneCode: string, toCommuneCode: string): Promise<void> {
    await this.model.collection.updateMany(
      { caseId: { $in: [...caseIds] }, communeCode: fromCommuneCode },
      { $set: { communeCode: toCommuneCode } },
    );
  }

  /** Referrals of the given cases, whichever commune they are with. */
  async ofCases(caseIds: readonly string[]): Promise<CaseReferral[]> {
    return this.model.find({ caseId: mongoose.trusted({ $in: [...caseIds] }) }).lean<CaseReferral[]>();
  }

  /** Referrals of a case of the commune, oldest first. */
  async forCase(communeCode: string, caseId: string): Promise<CaseReferral[]> {
    return this.model.find({ communeCode, caseId }).sort({ requestedAt: 1 }).lean<CaseReferral[]>();
  }
}
