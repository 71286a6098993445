import mongoose, { Schema, type Connection, type Model } from 'mongoose';
import type { FieldCipher, SealedField } from '../domain/field-cipher';

export const CareStatuses = ['receiving-care', 'not-receiving-care'] as const;
export type CareStatus = (typeof CareStatuses)[number];

/** A child in one or more of the 14 groups; who the child is and the care details are sealed. */
export interface RegisterEntry {
  _id: string;
  communeCode: string;
  /** The child's id in intake's register, when known. */
  childId?: string;
  birthYear: number;
  sex: 'female' | 'male';
  groups: { code: string; subGroup?: string }[];
  care: { status: CareStatus; since: string };
  sealed: { child: SealedField; care?: SealedField };
  recordedBy: string;
  updatedAt: string;
  /** Fingerprint of the request that added the entry: a retry with another body is refused. */
  requestFingerprint?: string;
}

export interface RegisterEntryView extends Omit<RegisterEntry, 'sealed'> {
  child: { fullName: string; dateOfBirth: string; village?: string };
  careDetails?: { provider?: string; measures?: string };
}

const entrySchema = new Schema<RegisterEntry>(
  {
    _id: String,
    communeCode: { type: String, required: true, index: true },
    childId: String,
    birthYear: Number,
    sex: String,
    groups: [Schema.Types.Mixed],
    care: Schema.Types.Mixed,
    sealed: Schema.Types.Mixed,
    recordedBy: String,
    updatedAt: String,
    requestFingerprint: String,
  },
  { collection: 'special_circumstances', versionKey: false },
);

/**
 * The special-circumstances register of each commune (Law on Children Art. 10): the data behind
 * the indicator "100% of children in special circumstances are cared for". Group codes and care
 * status stay plain so they can be counted; names and care details are sealed.
 */
export class SpecialCircumstanceRegister {
  readonly model: Model<RegisterEntry>;

  constructor(
    connection: Connection,
    private readonly cipher: FieldCipher,
  ) {
    this.model = connection.model<RegisterEntry>('SpecialCircumstanceEntry', entrySchema);
  }

  private context = (id: string, field: string) => `special_circumstances/${id}/${field}`;

  /**
   * Adds an entry under an id derived from the request's Idempotency-Key: a retry finds it added
   * (`created: false`) and `sameRequest` says whether it carried the same body.
   */
  async add(
    entry: Omit<RegisterEntry, 'sealed' | 'requestFingerprint'>,
    child: RegisterEntryView['child'],
    careDetails: RegisterEntryView['careDetails'],
    requestFingerprint: string,
  ): Promise<{ created: boolean; sameRequest: boolean }> {
    const sealed: RegisterEntry['sealed'] = { child: this.cipher.seal(child, this.context(entry._id, 'child')) };
    if (careDetails) sealed.care = this.cipher.seal(careDetails, this.context(entry._id, 'care'));
    try {
      await this.model.collection.insertOne({ ...entry, sealed, requestFingerprint } as never);
      return { created: true, sameRequest: true };
    } catch (error) {
      if ((error as { code?: number }).code !== 11000) throw error;
      const earlier = await this.model
        .findOne({ _id: entry._id, communeCode: entry.communeCode })
        .lean<RegisterEntry>();
      if (!earlier) throw error;
      return { created: false, sameRequest: earlier.requestFingerprint === requestFingerprint };
    }
  }

  async updateCare(
    communeCode: string,
    id: string,
    care: RegisterEntry['care'],
    careDetails: RegisterEntryView['careDetails'],
  ): Promise<boolean> {
    const result = await this.model.collection.updateOne({ _id: id as never, communeCode }, {
      $set: {
        care,
        updatedAt: new Date().toISOString(),
        ...(careDetails ? { 'sealed.care': this.cipher.seal(careDetails, this.context(id, 'care')) } : {}),
      },
    } as never);
    return result.matchedCount === 1;
  }

  private open(entry: RegisterEntry): RegisterEntryView {
    const { sealed, requestFingerprint: _f, ...rest } = entry;
    return {
      ...rest,
      child: this.cipher.open(sealed.child, this.context(entry._id, 'child')),
      ...(sealed.care ? { careDetails: this.cipher.open(sealed.care, this.context(entry._id, 'care')) } : {}),
    };
  }

  /** Key rotation: re-seals with the active key what an older key sealed; returns how many fields changed. */
  async resealWithActiveKey(): Promise<number> {
    let changed = 0;
    for await (const doc of this.model.collection.find({}, { projection: { sealed: 1 } })) {
      const set: Record<string, SealedField> = {};
      for (const [field, sealed] of Object.entries((doc.sealed ?? {}) as Record<string, SealedField>)) {
        if (!this.cipher.isStale(sealed)) continue;
        const context = this.context(String(doc._id), field);
        set[`sealed.${field}`] = this.cipher.seal(this.cipher.open(sealed, context), context);
      }
      if (Object.keys(set).length === 0) continue;
      await this.model.collection.updateOne({ _id: doc._id }, { $set: set });
      changed += Object.keys(set).length;
    }
    return changed;
  }

  async list(communeCode: string, options: { group?: string; status?: CareStatus } = {}): Promise<RegisterEntryView[]> {
    const entries = await this.model.find({ communeCode }).sort({ updatedAt: -1 }).limit(1000).lean<RegisterEntry[]>();
    return entries
      .filter((e) => !options.group || e.groups.some((g) => g.code === options.group))
      .filter((e) => !options.status || e.care.status === options.status)
      .map((e) => this.open(e));
  }

  async find(communeCode: string, id: string): Promise<RegisterEntryView | null> {
    const entry = await this.model.findOne({ _id: id, communeCode }).lean<RegisterEntry>();
    return entry ? this.open(entry) : null;
  }

  /** Children and those receiving care, per group, over the given communes (no names). */
  async summary(communeCodes: string[]) {
    const entries = await this.model
      .find({ communeCode: mongoose.trusted({ $in: communeCodes }) }, { groups: 1, care: 1 })
      .lean<Pick<RegisterEntry, 'groups' | 'care'>[]>();
    const perGroup = new Map<string, { children: number; receivingCare: number }>();
    for (const entry of entries) {
      for (const code of new Set(entry.groups.map((g) => g.code))) {
        const counts = perGroup.get(code) ?? { children: 0, receivingCare: 0 };
        counts.children++;
        if (entry.care.status === 'receiving-care') counts.receivingCare++;
        perGroup.set(code, counts);
      }
    }
    const cared = entries.filter((e) => e.care.status === 'receiving-care').length;
    return {
      children: entries.length,
      receivingCare: cared,
      /** The national indicator: share of children in special circumstances who are cared for. */
      caredForShare: entries.length === 0 ? null : cared / entries.length,
      groups: [...perGroup].map(([code, counts]) => ({ code, ...counts })).sort((a, b) => a.code.localeCompare(b.code)),
    };
  }
}
