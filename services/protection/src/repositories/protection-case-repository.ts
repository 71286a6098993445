import { Schema, type Connection, type Model } from 'mongoose';
import type { ProtectionStage, Urgency } from '@ecd/contracts';
import type { FieldCipher, SealedField } from '../domain/field-cipher';
import type { StepClock } from '../workflows/definitions';

/** The forms of Decree 56 Chapter III whose contents are sensitive and kept sealed. */
export const SealedForms = [
  'child',
  'reporter',
  'report', // Mẫu 01
  'riskAssessment', // Mẫu 02
  'emergencyMeasure',
  'caseMeeting', // Mẫu 03 and the meeting minutes
  'plan', // Mẫu 04
  'approval', // Mẫu 05
  'implementation',
  'review',
  'closure', // Mẫu 06
] as const;
export type SealedForm = (typeof SealedForms)[number];

/** What anyone with access to the case list may see: no names, no details. */
export interface ProtectionCaseSummary {
  _id: string;
  communeCode: string;
  stage: ProtectionStage;
  urgency: Urgency;
  seriousRisk: boolean;
  source: string;
  receivedAt: string;
  childId?: string;
  openedAt: string;
  updatedAt: string;
  clocks: StepClock[];
}

export interface ProtectionCaseRecord extends ProtectionCaseSummary {
  /** User ids of the protection officers with a role on the case: the only officers who read details. */
  team: string[];
  openedBy: string;
  idempotencyKey: string;
  requestFingerprint: string;
  sealed: Partial<Record<SealedForm, SealedField>>;
}

const caseSchema = new Schema<ProtectionCaseRecord>(
  {
    _id: String,
    communeCode: { type: String, required: true, index: true },
    stage: { type: String, required: true },
    urgency: String,
    seriousRisk: Boolean,
    source: String,
    receivedAt: String,
    childId: String,
    openedAt: String,
    updatedAt: String,
    clocks: [Schema.Types.Mixed],
    team: [String],
    openedBy: String,
    idempotencyKey: { type: String, required: true, unique: true },
    requestFingerprint: String,
    sealed: Schema.Types.Mixed,
  },
  { collection: 'protection_cases', versionKey: false },
);

export const createProtectionCaseModel = (connection: Connection) =>
  connection.model<ProtectionCaseRecord>('ProtectionCase', caseSchema);

export class IdempotencyConflictError extends Error {
  override name = 'IdempotencyConflictError';
}

const summaryProjection = { team: 0, sealed: 0, idempotencyKey: 0, requestFingerprint: 0, openedBy: 0 } as const;

/**
 * Protection cases, always looked up within a commune. Sensitive forms are sealed here, on the
 * way in, and opened only through `details`, which the routes call after checking the caller's
 * role on the case.
 */
export class ProtectionCaseRepository {
  constructor(
    readonly model: Model<ProtectionCaseRecord>,
    private readonly cipher: FieldCipher,
  ) {}

  private seal(caseId: string, form: SealedForm, value: unknown): SealedField {
    return this.cipher.seal(value, `protection_cases/${caseId}/${form}`);
  }

  /** Inserts a new case with its first sealed forms; a repeated idempotency key returns the first. */
  async insert(
    record: Omit<ProtectionCaseRecord, 'sealed'>,
    forms: Partial<Record<SealedForm, unknown>>,
  ): Promise<{ record: ProtectionCaseRecord; created: boolean }> {
    const sealed: Partial<Record<SealedForm, SealedField>> = {};
    for (const [form, value] of Object.entries(forms)) {
      if (value !== undefined) sealed[form as SealedForm] = this.seal(record._id, form as SealedForm, value);
    }
    const full = { ...record, sealed };
    try {
      await this.model.collection.insertOne(full as never);
      return { record: full, created: true };
    } catch (error) {
      if ((error as { code?: number }).code !== 11000) throw error;
      const existing = await this.model.collection.findOne<ProtectionCaseRecord>({
        idempotencyKey: record.idempotencyKey,
      });
      if (!existing) throw error;
      if (existing.requestFingerprint !== record.requestFingerprint) {
        throw new IdempotencyConflictError('this Idempotency-Key was already used for a different report');
      }
      return { record: existing, created: false };
    }
  }

  async find(communeCode: string, caseId: string): Promise<ProtectionCaseRecord | null> {
    return this.model.findOne({ _id: caseId, communeCode }).lean<ProtectionCaseRecord>();
  }

  async summary(communeCode: string, caseId: string): Promise<ProtectionCaseSummary | null> {
    return this.model.findOne({ _id: caseId, communeCode }, summaryProjection).lean<ProtectionCaseSummary>();
  }

  async list(communeCode: string, limit = 100): Promise<ProtectionCaseSummary[]> {
    return this.model
      .find({ communeCode }, summaryProjection)
      .sort({ receivedAt: -1 })
      .limit(limit)
      .lean<ProtectionCaseSummary[]>();
  }

  /** Seals a form and records the public state the workflow answered with, in one write. */
  async recordStep(
    communeCode: string,
    caseId: string,
    form: SealedForm,
    value: unknown,
    state: { stage: ProtectionStage; seriousRisk: boolean; clocks: StepClock[] },
  ): Promise<void> {
    await this.model.collection.updateOne({ _id: caseId as never, communeCode }, {
      $set: {
        [`sealed.${form}`]: this.seal(caseId, form, value),
        stage: state.stage,
        seriousRisk: state.seriousRisk,
        clocks: state.clocks,
        updatedAt: new Date().toISOString(),
      },
    } as never);
  }

  /** Records the public state the workflow reports (its clocks open and escalate between steps). */
  async recordState(
    communeCode: string,
    caseId: string,
    state: { stage: ProtectionStage; seriousRisk: boolean; clocks: StepClock[] },
  ): Promise<void> {
    await this.model.collection.updateOne({ _id: caseId as never, communeCode }, {
      $set: { stage: state.stage, seriousRisk: state.seriousRisk, clocks: state.clocks },
    } as never);
  }

  async addToTeam(communeCode: string, caseId: string, userId: string, team: string[]): Promise<void> {
    if (team.includes(userId)) return;
    await this.model.collection.updateOne({ _id: caseId as never, communeCode }, {
      $set: { team: [...team, userId], updatedAt: new Date().toISOString() },
    } as never);
  }

  /** The case's sealed forms, opened. */
  details(record: ProtectionCaseRecord): Partial<Record<SealedForm, unknown>> {
    const opened: Partial<Record<SealedForm, unknown>> = {};
    for (const [form, sealed] of Object.entries(record.sealed ?? {})) {
      opened[form as SealedForm] = this.cipher.open(sealed, `protection_cases/${record._id}/${form}`);
    }
    return opened;
  }

  /**
   * Key rotation: re-seals, with the active key, every form sealed with another key; returns how
   * many forms changed. Run after adding a new active key and before removing the old one.
   */
  async resealWithActiveKey(): Promise<number> {
    let changed = 0;
    const cursor = this.model.collection.find({}, { projection: { sealed: 1 } });
    for await (const doc of cursor) {
      const set: Record<string, SealedField> = {};
      for (const [form, sealed] of Object.entries((doc.sealed ?? {}) as Record<string, SealedField>)) {
        if (!this.cipher.isStale(sealed)) continue;
        const context = `protection_cases/${String(doc._id)}/${form}`;
        set[`sealed.${form}`] = this.cipher.seal(this.cipher.open(sealed, context), context);
      }
      if (Object.keys(set).length === 0) continue;
      await this.model.collection.updateOne({ _id: doc._id }, { $set: set });
      changed += Object.keys(set).length;
    }
    return changed;
  }
}
