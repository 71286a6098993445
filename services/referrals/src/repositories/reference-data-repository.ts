import { Schema, type Connection } from 'mongoose';
import type { Sector, Urgency } from '@ecd/contracts';
import { AdministrativeUnitRegister } from '@ecd/referral-client';
import {
  WorkingDayCalendar,
  validateSlaPolicy,
  type AdministrativeEdition,
  type EscalationLadder,
  type HolidayCalendarData,
  type SlaPolicy,
} from '@ecd/referral-policy';
import type { ReferralReferenceData } from '../activities/referral-activities';

type PolicyDocument = SlaPolicy & { _id: string; createdAt: string };
type CalendarDocument = HolidayCalendarData & { _id: number };

const windowShape = { amount: Number, unit: String };

function createModels(connection: Connection) {
  const policy = new Schema<PolicyDocument>(
    {
      _id: String,
      id: { type: String, required: true },
      version: { type: Number, required: true },
      sector: { type: String, required: true },
      urgency: { type: String, required: true },
      acceptWithin: windowShape,
      completeWithin: windowShape,
      reminderAt: [Number],
      escalationInterval: windowShape,
      allowedExtensionRoles: [String],
      source: String,
      createdAt: String,
    },
    { collection: 'sla_policies', versionKey: false },
  );
  // A policy version is immutable: a change is a new version, and a running referral keeps its own.
  policy.index({ id: 1, version: 1 }, { unique: true });
  policy.index({ sector: 1, urgency: 1, version: -1 });
  const calendar = new Schema<CalendarDocument>(
    { _id: Number, year: Number, holidays: [Schema.Types.Mixed], extraWorkingDays: [Schema.Types.Mixed] },
    { collection: 'holiday_calendars', versionKey: false },
  );
  return {
    policies: connection.model<PolicyDocument>('SlaPolicy', policy),
    calendars: connection.model<CalendarDocument>('HolidayCalendar', calendar),
  };
}

export interface ReferenceSeed {
  policies: readonly SlaPolicy[];
  calendars: readonly HolidayCalendarData[];
}

/**
 * SLA policies, holiday calendars and the administrative ladder: data, not code, because they
 * change by law and by province. Read often, changed rarely: cached for `cacheMs`. The ladder is
 * the configured edition of the official list plus administrators' imports (`units`).
 */
export class ReferenceDataRepository implements ReferralReferenceData {
  private readonly models: ReturnType<typeof createModels>;
  private cached: { at: number; calendar?: Promise<WorkingDayCalendar> } = { at: 0 };
  /** The administrative units escalation climbs; applies `administrative-unit.*` events. */
  readonly units: AdministrativeUnitRegister;

  private readonly cacheMs: number;

  constructor(connection: Connection, options: { edition?: AdministrativeEdition; cacheMs?: number } = {}) {
    this.cacheMs = options.cacheMs ?? 60_000;
    this.models = createModels(connection);
    this.units = new AdministrativeUnitRegister(connection, options.edition ?? 'two-level');
  }

  async init(): Promise<void> {
    const { policies, calendars } = this.models;
    await Promise.all([policies.init(), calendars.init(), this.units.model.init()]);
  }

  /**
   * Loads data that is not there yet; never overwrites what an administrator changed. Plain
   * inserts that ignore duplicates, not upserts: FerretDB v1 drops empty arrays from an upsert's
   * `$setOnInsert` (e.g. a policy with no extension roles).
   */
  async seed(seed: ReferenceSeed): Promise<void> {
    const insertAbsent = async (insert: () => Promise<unknown>) => {
      try {
        await insert();
      } catch (error) {
        if ((error as { code?: number }).code !== 11000) throw error;
      }
    };
    for (const p of seed.policies) {
      const problems = validateSlaPolicy(p);
      if (problems.length) throw new Error(`policy ${p.id} v${p.version} is invalid: ${JSON.stringify(problems)}`);
      await insertAbsent(() =>
        this.models.policies.collection.insertOne({
          ...p,
          _id: `${p.id}@${p.version}`,
          createdAt: new Date().toISOString(),
        } as never),
      );
    }
    for (const c of seed.calendars) {
      await insertAbsent(() => this.models.calendars.collection.insertOne({ ...c, _id: c.year } as never));
    }
    this.cached = { at: 0 };
  }

  /** Adds a new version of a policy; earlier versions stay for the referrals that use them. */
  async publishPolicyVersion(policy: SlaPolicy): Promise<void> {
    const problems = validateSlaPolicy(policy);
    if (problems.length) throw new Error(`policy ${policy.id} v${policy.version} is invalid`);
    await this.models.policies.create({
      ...policy,
      _id: `${policy.id}@${policy.version}`,
      createdAt: new Date().toISOString(),
    });
  }

  async activePolicy(sector: Sector, urgency: Urgency): Promise<SlaPolicy> {
    const found = await this.models.policies
      .findOne({ sector, urgency }, { _id: 0, createdAt: 0 })
      .sort({ version: -1 })
      .lean<SlaPolicy>();
    if (!found) throw new Error(`no SLA policy for ${sector}/${urgency}; seed the reference data`);
    return found;
  }

  private fresh(): void {
    if (Date.now() - this.cached.at > this.cacheMs) this.cached = { at: Date.now() };
  }

  calendar(): Promise<WorkingDayCalendar> {
    this.fresh();
    this.cached.calendar ??= this.models.calendars
      .find({}, { _id: 0 })
      .lean<HolidayCalendarData[]>()
      .then((years) => new WorkingDayCalendar(years));
    return this.cached.calendar;
  }

  ladder(): Promise<EscalationLadder> {
    return this.units.ladder();
  }
}
