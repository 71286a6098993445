import mongoose, { Schema, type Connection, type Model } from 'mongoose';
import type { CloudEvent, ReferralEventType } from '@ecd/contracts';
import { projectReferralEvent, sequenceOf, type InboxItem } from './inbox-projection';

/**
 * The facility inbox read model. Every query takes the facility: a staff member can never list
 * another facility's queue by forgetting a filter.
 */
export class InboxRepository {
  readonly model: Model<InboxItem>;

  constructor(connection: Connection) {
    const schema = new Schema<InboxItem>(
      {
        _id: String,
        facilityId: { type: String, required: true },
        caseId: String,
        childId: String,
        sector: String,
        urgency: String,
        state: String,
        fromUnitCode: String,
        reason: String,
        requestedAt: String,
        acceptBy: String,
        completeBy: String,
        dueAt: String,
        escalationLevel: Number,
        serviceRecordId: String,
        lastSeq: Number,
        updatedAt: String,
      },
      { collection: 'inbox_items', versionKey: false },
    );
    schema.index({ facilityId: 1, dueAt: 1 });
    this.model = connection.model<InboxItem>('InboxItem', schema);
  }

  /**
   * Applies a referral event if it is newer than what the item shows (per-referral sequence):
   * a redelivered or stale event changes nothing. Returns whether it changed the item.
   */
  async apply(event: CloudEvent<ReferralEventType>, ownsFacility: (facilityId: string) => boolean): Promise<boolean> {
    const seq = sequenceOf(event.id);
    for (let attempt = 0; attempt < 5; attempt++) {
      const current = await this.model.findById(event.data.referralId).lean<InboxItem>();
      if (current && current.lastSeq >= seq) return false;
      const fields = projectReferralEvent(event, current);
      if (!ownsFacility(event.data.facilityId)) return false;
      const { dueAt, ...rest } = fields;
      const update = dueAt ? { $set: { ...rest, dueAt } } : { $set: rest, $unset: { dueAt: '' } };
      if (!current) {
        try {
          await this.model.collection.insertOne({ escalationLevel: 0, ...rest, ...(dueAt ? { dueAt } : {}) } as never);
          return true;
        } catch (error) {
          if ((error as { code?: number }).code !== 11000) throw error;
          continue; // created concurrently: apply on top of it
        }
      }
      // Optimistic: only if nobody applied another event in between.
      const result = await this.model.collection.updateOne(
        { _id: current._id as never, lastSeq: current.lastSeq },
        update as never,
      );
      if (result.modifiedCount === 1) return true;
    }
    throw new Error(`could not apply ${event.id}: too many concurrent changes`);
  }

  /** The facility's queue, most urgent first: open items by due time, then the rest by last change. */
  async inbox(facilityId: string, options: { states?: string[]; limit?: number } = {}): Promise<InboxItem[]> {
    const filter: Record<string, unknown> = { facilityId };
    // Connections sanitise filters (an operator from a request is neutralised); this one is ours.
    if (options.states?.length) filter.state = mongoose.trusted({ $in: options.states });
    const items = await this.model
      .find(filter)
      .sort({ updatedAt: -1 })
      .limit(options.limit ?? 200)
      .lean<InboxItem[]>();
    const open = items.filter((i) => i.dueAt).sort((a, b) => a.dueAt!.localeCompare(b.dueAt!));
    return [...open, ...items.filter((i) => !i.dueAt)];
  }

  async item(facilityId: string, referralId: string): Promise<InboxItem | null> {
    return this.model.findOne({ _id: referralId, facilityId }).lean<InboxItem>();
  }
}
