import { Schema, type Connection, type Model } from 'mongoose';
import type { CloudEvent, ProtectionEventType, ReferralEventType } from '@ecd/contracts';
import {
  boardEntryIdOf,
  byUrgencyAndTimeOverdue,
  projectBoardEvent,
  sequenceOf,
  type BoardEntry,
} from '../domain/board-entry';

const entrySchema = new Schema<BoardEntry>(
  {
    _id: String,
    kind: String,
    referralId: String,
    protectionCaseId: String,
    step: String,
    caseId: String,
    communeCode: String,
    sector: String,
    urgency: String,
    facilityId: String,
    state: String,
    reason: String,
    dueAt: String,
    level: Number,
    responsibleUnitCode: String,
    topOfLadder: Boolean,
    visibleTo: { type: [String], index: true },
    open: Boolean,
    closedBecause: String,
    acknowledged: Schema.Types.Mixed,
    owner: Schema.Types.Mixed,
    notes: [Schema.Types.Mixed],
    resolution: Schema.Types.Mixed,
    escalatedAt: String,
    lastSeq: Number,
    updatedAt: String,
  },
  { collection: 'escalation_board', versionKey: false },
);

/**
 * The escalation board read model, built from referral and protection events. Every query takes
 * the caller's unit: an officer never sees another area's entries by forgetting a filter.
 */
export class EscalationBoardRepository {
  readonly model: Model<BoardEntry>;

  constructor(connection: Connection) {
    this.model = connection.model<BoardEntry>('BoardEntry', entrySchema);
  }

  /** Applies an event if it is newer than what the entry shows; redeliveries change nothing. */
  async apply(event: CloudEvent<ReferralEventType | ProtectionEventType>): Promise<boolean> {
    const id = boardEntryIdOf(event);
    if (!id) return false;
    const seq = sequenceOf(event.id);
    for (let attempt = 0; attempt < 5; attempt++) {
      const current = await this.model.findById(id).lean<BoardEntry>();
      if (current && current.lastSeq >= seq) return false;
      const fields = projectBoardEvent(event, current);
      if (!fields) return false;
      if (!current) {
        try {
          await this.model.collection.insertOne({ _id: id, ...fields } as never);
          return true;
        } catch (error) {
          if ((error as { code?: number }).code !== 11000) throw error;
          continue; // created concurrently: apply on top of it
        }
      }
      // A new escalation level is not acknowledged yet.
      const unset = fields.escalatedAt && current.acknowledged ? { $unset: { acknowledged: '' } } : {};
      const result = await this.model.collection.updateOne({ _id: id as never, lastSeq: current.lastSeq }, {
        $set: fields,
        ...unset,
      } as never);
      if (result.modifiedCount === 1) return true;
    }
    throw new Error(`could not apply ${event.id}: too many concurrent changes`);
  }

  /** The open entries the unit's officers see, most urgent and longest overdue first. */
  async board(unitCode: string, options: { includeClosed?: boolean } = {}): Promise<BoardEntry[]> {
    const filter: Record<string, unknown> = { visibleTo: unitCode };
    if (!options.includeClosed) filter.open = true;
    const entries = await this.model.find(filter).limit(500).lean<BoardEntry[]>();
    return entries.sort(byUrgencyAndTimeOverdue);
  }

  async entry(unitCode: string, id: string): Promise<BoardEntry | null> {
    return this.model.findOne({ _id: id, visibleTo: unitCode }).lean<BoardEntry>();
  }

  async takeOwnership(unitCode: string, id: string, owner: NonNullable<BoardEntry['owner']>): Promise<void> {
    await this.model.collection.updateOne({ _id: id as never, visibleTo: unitCode }, { $set: { owner } });
  }

  async addNote(unitCode: string, id: string, note: NonNullable<BoardEntry['notes']>[number]): Promise<void> {
    await this.model.collection.updateOne({ _id: id as never, visibleTo: unitCode }, {
      $push: { notes: note },
    } as never);
  }

  async recordResolution(unitCode: string, id: string, resolution: NonNullable<BoardEntry['resolution']>) {
    await this.model.collection.updateOne({ _id: id as never, visibleTo: unitCode }, { $set: { resolution } });
  }
}
