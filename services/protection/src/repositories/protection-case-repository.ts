import mongoose, { Schema, type Connection, type Model } from 'mongoose';
import type { ProtectionStage, Urgency } from '@ecd/contracts';
import type { FieldCipher, SealedField } from '../domain/field-cipher';
import type { ProtectionStepCommand } from '../commands/protection-case-commands';
import type { ProtectionCaseStart, StepClock } from '../workflows/definitions';

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
  /**
   * The workflow start, kept until Temporal confirmed it: the report is stored first, so a crash
   * before the start leaves this behind for the repair (`ProtectionCaseRepair`) to finish.
   */
  pendingStart?: ProtectionCaseStart;
}

/**
 * A step whose form is stored (sealed) but whose workflow update is not confirmed yet, by update
 * id (its own collection: one document per step, removed once the update is confirmed or refused).
 */
export interface PendingStep {
  _id: string;
  caseId: string;
  communeCode: string;
  command: ProtectionStepCommand;
  sealed: SealedField;
  at: string;
}

/** The public state a workflow update answered with, stored beside the forms. */
export interface PublicCaseState {
  stage: ProtectionStage;
  seriousRisk: boolean;
  clocks: StepClock[];
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
    pendingStart: Schema.Types.Mixed,
  },
  { collection: 'protection_cases', versionKey: false },
);

export const createProtectionCaseModel = (connection: Connection) =>
  connection.model<ProtectionCaseRecord>('ProtectionCase', caseSchema);

const pendingStepSchema = new Schema<PendingStep>(
  {
    _id: String,
    caseId: { type: String, required: true },
    communeCode: { type: String, required: true },
    command: Schema.Types.Mixed,
    sealed: Schema.Types.Mixed,
    at: { type: String, required: true, index: true },
  },
  { collection: 'protection_pending_steps', versionKey: false },
);

export const createPendingStepModel = (connection: Connection) =>
  connection.model<PendingStep>('ProtectionPendingStep', pendingStepSchema);

export class IdempotencyConflictError extends Error {
  override name = 'IdempotencyConflictError';
}

const summaryProjection = {
  team: 0,
  sealed: 0,
  idempotencyKey: 0,
  requestFingerprint: 0,
  openedBy: 0,
  pendingStart: 0,
} as const;

/**
 * Protection cases, always looked up within a commune. Sensitive forms are sealed here, on the
 * way in, and opened only through `details`, which the routes call after checking the caller's
 * role on the case.
 */
export class ProtectionCaseRepository {
  readonly pendingSteps: Model<PendingStep>;

  constructor(
    readonly model: Model<ProtectionCaseRecord>,
    private readonly cipher: FieldCipher,
  ) {
    this.pendingSteps = model.db.models.ProtectionPendingStep ?? createPendingStepModel(model.db);
  }

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

  /** Temporal confirmed the case's workflow: nothing left for the repair. */
  async markStarted(caseId: string): Promise<void> {
    await this.model.collection.updateOne({ _id: caseId as never }, { $unset: { pendingStart: '' } });
  }

  /** Cases whose workflow start was never confirmed, reported before `before`. */
  async withPendingStart(before: string, limit = 100): Promise<ProtectionCaseRecord[]> {
    return this.model
      .find({ pendingStart: mongoose.trusted({ $exists: true }), openedAt: mongoose.trusted({ $lt: before }) })
      .limit(limit)
      .lean<ProtectionCaseRecord[]>();
  }

  /** Steps whose update was not confirmed, begun before `before`. */
  async pendingStepsBefore(before: string, limit = 100): Promise<PendingStep[]> {
    return this.pendingSteps
      .find({ at: mongoose.trusted({ $lt: before }) })
      .sort({ at: 1 })
      .limit(limit)
      .lean<PendingStep[]>();
  }

  /**
   * First half of a step: the form, sealed, is stored as pending under the update's id before
   * the workflow hears of it. Returns the sealed form for `commitStep`.
   */
  async beginStep(
    communeCode: string,
    caseId: string,
    updateId: string,
    command: ProtectionStepCommand,
    value: unknown,
  ): Promise<SealedField> {
    const sealed = this.seal(caseId, command.form, value);
    const pending: PendingStep = { _id: updateId, caseId, communeCode, command, sealed, at: new Date().toISOString() };
    await this.pendingSteps.collection.replaceOne({ _id: updateId as never }, pending, { upsert: true });
    return sealed;
  }

  /**
   * Second half: the workflow took the step; the form becomes the case's, with the public state.
   * The pending entry goes last, so a crash in between is finished again by the repair.
   */
  async commitStep(
    caseId: string,
    updateId: string,
    form: SealedForm,
    sealed: SealedField,
    state: PublicCaseState,
  ): Promise<void> {
    await this.model.collection.updateOne({ _id: caseId as never }, {
      $set: {
        [`sealed.${form}`]: sealed,
        stage: state.stage,
        seriousRisk: state.seriousRisk,
        clocks: state.clocks,
        updatedAt: new Date().toISOString(),
      },
    } as never);
    await this.dropStep(updateId);
  }

  /** The step is settled (committed, or refused by the workflow): its pending entry goes. */
  async dropStep(updateId: string): Promise<void> {
    await this.pendingSteps.collection.deleteOne({ _id: updateId as never });
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
