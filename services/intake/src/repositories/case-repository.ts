import { Schema, type Connection, type Model } from 'mongoose';
import { stageOnInsert, stageOnUpdate, outboxSchemaFields, type OutboxDocumentFields } from '@ecd/messaging';
import type { CloudEvent } from '@ecd/contracts';
import type { CaseClosure, CaseRecord, ScreeningRecord, TimelineEntry } from '../domain/case';

type CaseDocument = CaseRecord &
  OutboxDocumentFields & {
    requestFingerprint: string;
    /** Screening id → fingerprint of the request that made it (idempotent retries). */
    screeningRequests?: Record<string, string>;
    /** Recorded timeline entry ids as keys (see `recordEvent`). */
    timelineIds?: Record<string, true>;
  };

const timelineEntrySchema = new Schema<TimelineEntry>(
  { id: String, at: String, kind: String, summary: String },
  { _id: false },
);

const caseSchema = new Schema<CaseDocument>(
  {
    _id: { type: String },
    childId: { type: String, required: true, index: true },
    child: {
      fullName: { type: String, required: true },
      dateOfBirth: { type: String, required: true },
      sex: { type: String, required: true },
      communeCode: { type: String, required: true, index: true },
    },
    concerns: [String],
    note: String,
    status: { type: String, required: true },
    openedAt: { type: String, required: true },
    openedBy: String,
    screeningDueAt: String,
    timeline: [timelineEntrySchema],
    /** Ids of the recorded timeline entries as keys: the idempotency check of `recordEvent`. */
    timelineIds: Schema.Types.Mixed,
    screenings: [Schema.Types.Mixed],
    screeningRequests: Schema.Types.Mixed,
    closure: { reason: String, note: String, closedAt: String, closedBy: String },
    idempotencyKey: { type: String, required: true, unique: true },
    requestFingerprint: { type: String, required: true },
    ...outboxSchemaFields,
  },
  { collection: 'cases', versionKey: false, strict: 'throw' },
);

export function createCaseModel(connection: Connection): Model<CaseDocument> {
  return connection.model<CaseDocument>('Case', caseSchema);
}

export class IdempotencyConflictError extends Error {
  override name = 'IdempotencyConflictError';
}

/** A timeline entry id as a field name (no `.` or leading `$`, which field paths forbid). */
export const timelineKey = (id: string) => id.replace(/[.$]/g, '_');

const publicProjection = {
  timelineIds: 0,
  outbox: 0,
  outboxPending: 0,
  requestFingerprint: 0,
  idempotencyKey: 0,
  screeningRequests: 0,
} as const;

export class CaseRepository {
  constructor(readonly model: Model<CaseDocument>) {}

  /**
   * Writes the case and its events in one document write. A repeated idempotency key returns the
   * case the first request made; the same key with a different request is refused.
   */
  async insertWithEvents(
    record: CaseRecord,
    events: CloudEvent[],
    requestFingerprint: string,
  ): Promise<{ record: CaseRecord; created: boolean }> {
    try {
      await this.model.collection.insertOne({ ...record, requestFingerprint, ...stageOnInsert(events) } as never);
      return { record, created: true };
    } catch (error) {
      if ((error as { code?: number }).code !== 11000) throw error;
      const existing = await this.model.collection.findOne<CaseDocument>(
        { idempotencyKey: record.idempotencyKey },
        { projection: { outbox: 0, outboxPending: 0 } },
      );
      if (!existing) throw error;
      if (existing.requestFingerprint !== requestFingerprint) {
        throw new IdempotencyConflictError('this Idempotency-Key was already used for a different request');
      }
      return { record: existing, created: false };
    }
  }

  /** A case of the commune; a case of another commune is not found. */
  async find(communeCode: string, caseId: string): Promise<CaseRecord | null> {
    return this.model.findOne({ _id: caseId, 'child.communeCode': communeCode }, publicProjection).lean<CaseRecord>();
  }

  /** The child as a case of the commune knows it (children opened inline are not in the register). */
  async childOfCase(communeCode: string, childId: string): Promise<CaseRecord['child'] | null> {
    const found = await this.model
      .findOne({ childId, 'child.communeCode': communeCode }, { child: 1 })
      .lean<Pick<CaseRecord, 'child'>>();
    return found?.child ?? null;
  }

  /** The commune's cases, newest first. */
  async list(
    communeCode: string,
    options: { status?: CaseRecord['status']; limit?: number } = {},
  ): Promise<CaseRecord[]> {
    const filter: Record<string, unknown> = { 'child.communeCode': communeCode };
    if (options.status) filter.status = options.status;
    return this.model
      .find(filter, publicProjection)
      .sort({ openedAt: -1 })
      .limit(options.limit ?? 100)
      .lean<CaseRecord[]>();
  }

  async count(communeCode: string, options: { status?: CaseRecord['status'] } = {}): Promise<number> {
    const filter: Record<string, unknown> = { 'child.communeCode': communeCode };
    if (options.status) filter.status = options.status;
    return this.model.countDocuments(filter);
  }

  /** Adds a screening and its timeline entry to a case of the commune; an open case becomes screened. */
  async addScreening(
    communeCode: string,
    caseId: string,
    screening: ScreeningRecord,
    requestFingerprint: string,
    events: CloudEvent[],
  ): Promise<{ screening: ScreeningRecord; created: boolean; sameRequest: boolean } | null> {
    const filter = { _id: caseId, 'child.communeCode': communeCode } as never;
    const staged = stageOnUpdate(events);
    const result = await this.model.collection.updateOne(
      // Not `'screenings.screeningId': {$ne}`: FerretDB v1 matches that whenever another screening
      // differs. The fingerprint map's key is checked with $exists, right on both servers.
      { ...(filter as object), [`screeningRequests.${screening.screeningId}`]: { $exists: false } } as never,
      {
        // The fingerprint sits beside the screenings, so a retry can be told from a different request.
        $set: { ...staged.$set, [`screeningRequests.${screening.screeningId}`]: requestFingerprint },
        $inc: staged.$inc,
        $push: {
          screenings: screening,
          timeline: {
            id: `${caseId}:screening:${screening.screeningId}`,
            at: screening.at,
            kind: 'case.screened',
            summary:
              `Screened: ${screening.findings.length} finding(s), ` +
              `${screening.suggestedReferrals.length} suggested referral(s)`,
          },
        },
      } as never,
    );
    if (result.matchedCount === 0) {
      const existing = await this.model.collection.findOne<
        CaseDocument & { screeningRequests?: Record<string, string> }
      >(filter, { projection: { screenings: 1, screeningRequests: 1 } });
      const earlier = existing?.screenings?.find((s) => s.screeningId === screening.screeningId);
      if (!existing || !earlier) return null;
      return {
        screening: earlier,
        created: false,
        sameRequest: existing.screeningRequests?.[screening.screeningId] === requestFingerprint,
      };
    }
    await this.model.collection.updateOne({ ...(filter as object), status: 'OPEN' } as never, {
      $set: { status: 'SCREENED' },
    });
    return { screening, created: true, sameRequest: true };
  }

  /** Closes a case of the commune that is not closed yet, with its event; false if it was already closed. */
  async close(
    communeCode: string,
    caseId: string,
    closure: CaseClosure,
    entry: TimelineEntry,
    events: CloudEvent[],
  ): Promise<boolean> {
    const staged = stageOnUpdate(events);
    const result = await this.model.collection.updateOne(
      { _id: caseId, 'child.communeCode': communeCode, status: { $ne: 'CLOSED' } } as never,
      { $set: { ...staged.$set, status: 'CLOSED', closure }, $inc: staged.$inc, $push: { timeline: entry } } as never,
    );
    return result.modifiedCount === 1;
  }

  /** Every case of the child in the commune (open or closed): what follows the child on a transfer. */
  async ofChild(communeCode: string, childId: string): Promise<CaseRecord[]> {
    return this.model
      .find({ childId, 'child.communeCode': communeCode }, publicProjection)
      .sort({ openedAt: 1 })
      .lean<CaseRecord[]>();
  }

  /** Moves a case to the receiving commune with its timeline entry, once (the entry id is the marker). */
  async moveToCommune(caseId: string, toCommuneCode: string, entry: TimelineEntry): Promise<void> {
    const marker = `timelineIds.${timelineKey(entry.id)}`;
    await this.model.collection.updateOne({ _id: caseId as never, [marker]: { $exists: false } }, {
      $push: { timeline: entry },
      $set: { 'child.communeCode': toCommuneCode, [marker]: true },
    } as never);
  }

  /** A corrected name, date of birth or sex reaches the copies the child's cases keep. */
  async correctChild(communeCode: string, childId: string, child: Partial<CaseRecord['child']>): Promise<void> {
    const set = Object.fromEntries(Object.entries(child).map(([field, value]) => [`child.${field}`, value]));
    if (Object.keys(set).length === 0) return;
    await this.model.collection.updateMany({ childId, 'child.communeCode': communeCode }, { $set: set });
  }

  /**
   * Idempotent: a redelivered event finds its timeline entry already there and changes nothing.
   * FerretDB v1 matches `{'timeline.id': {$ne: id}}` even when an entry has that id (the fault
   * drill found a redelivered event recorded twice), so each entry's id is also kept as a key of
   * `timelineIds`, which `$exists` checks correctly on FerretDB and MongoDB alike. The `$ne`
   * stays for entries recorded before the marker existed.
   */
  async recordEvent(caseId: string, entry: TimelineEntry, set: Partial<CaseRecord> = {}): Promise<boolean> {
    const marker = `timelineIds.${timelineKey(entry.id)}`;
    const result = await this.model.collection.updateOne(
      { _id: caseId as never, 'timeline.id': { $ne: entry.id }, [marker]: { $exists: false } },
      { $push: { timeline: entry }, $set: { ...set, [marker]: true } } as never,
    );
    return result.modifiedCount === 1;
  }
}
