import mongoose, { Schema, type Connection, type Model } from 'mongoose';
import { createEvent, type CloudEvent, type FacilityDetails } from '@ecd/contracts';
import { outboxSchemaFields, stageOnInsert, stageOnUpdate, type OutboxDocumentFields } from '@ecd/messaging';
import type { Actor } from '@ecd/referral-client';

/**
 * A service point that receives referrals: a health station, a preschool, a district centre. Its
 * details are the directory's (`FacilityDetails` in @ecd/contracts); `services` left out means
 * every service of the owning sector.
 */
export interface Facility extends Omit<FacilityDetails, 'services'> {
  _id: string; // facility code, e.g. TYT-02704
  /** The sector service that owns it (its inbox lives there): health, education, … */
  sector: string;
  services?: string[];
}

/** A facility as registered: whether it takes referrals, and the revision the directory has. */
export interface RegisteredFacility extends Facility {
  active: boolean;
  revision: number;
}

/** What an administered change found. */
export type RegisterChange =
  | { outcome: 'changed'; facility: RegisteredFacility }
  | { outcome: 'missing' }
  | { outcome: 'stale'; current: RegisteredFacility };

const SOURCE = (sector: string) => `/services/${sector}`;
/** Details a PUT may remove: absent from the new details, they are unset. */
const optionalDetails = ['catchmentUnitCodes', 'hours', 'capacityNotes', 'contact'] as const;

/**
 * The owner's register of its facilities. Every registration and change is staged in the same
 * write as a `facility.registered` / `facility.updated` event (outbox), so the directory that
 * intake and protection check referrals against never misses one.
 */
export class FacilityRegister {
  readonly model: Model<RegisteredFacility & OutboxDocumentFields>;

  constructor(
    connection: Connection,
    /** The services its facilities give (the sector's service-record kinds). */
    readonly services: readonly string[] = [],
  ) {
    const schema = new Schema<RegisteredFacility & OutboxDocumentFields>(
      {
        _id: String,
        name: { type: String, required: true },
        sector: { type: String, required: true },
        sectors: { type: [String], required: true },
        services: { type: [String], default: undefined },
        unitCode: { type: String, required: true, index: true },
        level: { type: String, required: true },
        catchmentUnitCodes: { type: [String], default: undefined },
        hours: String,
        capacityNotes: String,
        contact: { type: { phone: String, address: String }, default: undefined, _id: false },
        active: { type: Boolean, required: true },
        revision: { type: Number, required: true },
        ...outboxSchemaFields,
      },
      { collection: 'facilities', versionKey: false },
    );
    this.model = connection.model<RegisteredFacility & OutboxDocumentFields>('Facility', schema);
  }

  /** The directory event for a facility at a revision: the whole entry. */
  private event(
    type: 'facility.registered.v1' | 'facility.updated.v1',
    facility: RegisteredFacility,
    at: string,
    by?: Actor,
  ): CloudEvent {
    return createEvent({
      id: `${facility._id}:rev${facility.revision}`,
      type,
      source: SOURCE(facility.sector),
      subject: facility._id,
      time: at,
      data: {
        facilityId: facility._id,
        name: facility.name,
        sectors: facility.sectors,
        services: facility.services ?? [...this.services],
        unitCode: facility.unitCode,
        level: facility.level,
        ...(facility.catchmentUnitCodes?.length ? { catchmentUnitCodes: facility.catchmentUnitCodes } : {}),
        ...(facility.hours ? { hours: facility.hours } : {}),
        ...(facility.capacityNotes ? { capacityNotes: facility.capacityNotes } : {}),
        ...(facility.contact && (facility.contact.phone || facility.contact.address)
          ? { contact: facility.contact }
          : {}),
        active: facility.active,
        revision: facility.revision,
        at,
        ...(by ? { by } : {}),
      },
    });
  }

  /**
   * Registers facilities not registered yet (never overwrites an edited record), and announces
   * any registered before the directory existed. Returns how many events were staged.
   */
  async seed(facilities: readonly Facility[]): Promise<number> {
    let staged = 0;
    const at = new Date().toISOString();
    for (const facility of facilities) {
      if (await this.register(facility, at)) staged++;
    }
    // Records from before the directory: announce them once, as they are.
    const unannounced = await this.model.find({ revision: mongoose.trusted({ $exists: false }) }).lean<Facility[]>();
    for (const old of unannounced) {
      const known = facilities.find((f) => f._id === old._id);
      const registered: RegisteredFacility = {
        ...old,
        sectors: old.sectors?.length ? old.sectors : (known?.sectors ?? []),
        active: true,
        revision: 1,
      };
      const stage = stageOnUpdate([this.event('facility.registered.v1', registered, at)]);
      const result = await this.model.collection.updateOne({ _id: old._id as never, revision: { $exists: false } }, {
        $set: { ...stage.$set, sectors: registered.sectors, active: true, revision: 1 },
        $inc: stage.$inc,
      } as never);
      staged += result.modifiedCount;
    }
    return staged;
  }

  /** Adds a facility at revision 1, active; false when its code is taken. */
  private async register(facility: Facility, at: string, by?: Actor): Promise<RegisteredFacility | undefined> {
    const registered: RegisteredFacility = { ...facility, active: true, revision: 1 };
    try {
      await this.model.collection.insertOne({
        ...registered,
        ...stageOnInsert([this.event('facility.registered.v1', registered, at, by)]),
      } as never);
      return registered;
    } catch (error) {
      if ((error as { code?: number }).code !== 11000) throw error;
      return undefined;
    }
  }

  /** Registers a new facility administered in the product; undefined when the code is taken. */
  async create(facility: Facility, by: Actor): Promise<RegisteredFacility | undefined> {
    return this.register(facility, new Date().toISOString(), by);
  }

  /**
   * Replaces a facility's details (not its owner, code or active flag) when `revision` is the
   * one held: someone else's change in between is not overwritten ('stale', with what is held).
   */
  async update(
    facilityId: string,
    details: Omit<Facility, '_id' | 'sector'>,
    revision: number,
    by: Actor,
  ): Promise<RegisterChange> {
    const current = await this.find(facilityId);
    if (!current) return { outcome: 'missing' };
    if (current.revision !== revision) return { outcome: 'stale', current };
    const next: RegisteredFacility = {
      _id: current._id,
      sector: current.sector,
      ...details,
      active: current.active,
      revision: current.revision + 1,
    };
    const stage = stageOnUpdate([this.event('facility.updated.v1', next, new Date().toISOString(), by)]);
    const removed = [...optionalDetails, 'services' as const].filter((name) => next[name] === undefined);
    const { _id, ...fields } = next;
    const result = await this.model.collection.updateOne({ _id: facilityId as never, revision }, {
      $set: { ...stage.$set, ...fields },
      $inc: stage.$inc,
      ...(removed.length ? { $unset: Object.fromEntries(removed.map((name) => [name, ''])) } : {}),
    } as never);
    if (result.modifiedCount === 1) return { outcome: 'changed', facility: next };
    const now = await this.find(facilityId);
    return now ? { outcome: 'stale', current: now } : { outcome: 'missing' };
  }

  /**
   * Opens or closes a facility to referrals; the directory learns it through the outbox. With
   * `revision`, only from that revision (a stale page does not undo a newer change).
   */
  async setActive(facilityId: string, active: boolean, by?: Actor, revision?: number): Promise<RegisterChange> {
    for (let attempt = 0; attempt < 5; attempt++) {
      const current = await this.find(facilityId);
      if (!current) return { outcome: 'missing' };
      if (revision !== undefined && current.revision !== revision) return { outcome: 'stale', current };
      if (current.active === active) return { outcome: 'changed', facility: current };
      const next: RegisteredFacility = { ...current, active, revision: current.revision + 1 };
      const stage = stageOnUpdate([this.event('facility.updated.v1', next, new Date().toISOString(), by)]);
      const result = await this.model.collection.updateOne({ _id: facilityId as never, revision: current.revision }, {
        $set: { ...stage.$set, active, revision: next.revision },
        $inc: stage.$inc,
      } as never);
      if (result.modifiedCount === 1) return { outcome: 'changed', facility: next };
    }
    throw new Error(`could not change facility ${facilityId}: too many concurrent changes`);
  }

  async find(code: string): Promise<RegisteredFacility | null> {
    return this.model.findById(code, { outbox: 0, outboxPending: 0 }).lean<RegisteredFacility>();
  }

  async list(filter: { unitCodes?: readonly string[] } = {}): Promise<RegisteredFacility[]> {
    return this.model
      .find(filter.unitCodes ? { unitCode: mongoose.trusted({ $in: [...filter.unitCodes] }) } : {}, {
        outbox: 0,
        outboxPending: 0,
      })
      .sort({ _id: 1 })
      .lean<RegisteredFacility[]>();
  }

  /** The service-record kinds a facility gives (its own list, else all of its owner's). */
  servicesOf(facility: Pick<Facility, 'services'>): readonly string[] {
    return facility.services ?? this.services;
  }

  async codes(): Promise<Set<string>> {
    return new Set((await this.model.find({}, { _id: 1 }).lean<{ _id: string }[]>()).map((f) => f._id));
  }
}
