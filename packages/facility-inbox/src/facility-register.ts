import mongoose, { Schema, type Connection, type Model } from 'mongoose';
import { createEvent, type CloudEvent, type FacilityLevel, type Sector } from '@ecd/contracts';
import { outboxSchemaFields, stageOnInsert, stageOnUpdate, type OutboxDocumentFields } from '@ecd/messaging';
import type { Actor } from '@ecd/referral-client';

/** The sector services that own facilities (each keeps their inboxes). */
export type FacilityOwner = 'health' | 'education' | 'welfare';

/** A service point that receives referrals: a health station, a preschool, a commune desk. */
export interface Facility {
  _id: string; // facility code, e.g. TYT-02704
  name: string;
  /** The sector service that owns it (its inbox lives there). */
  sector: FacilityOwner;
  /** Sectors whose referrals it takes (a health station takes health and nutrition). */
  sectors: Sector[];
  /**
   * The service-record kinds it gives, when it gives only some of its owner's (the welfare service
   * hosts welfare desks and civil-status officers); absent: all of them.
   */
  services?: string[];
  /** Administrative unit the facility sits in (commune code). */
  unitCode: string;
  level: FacilityLevel;
  capacityNotes?: string;
}

/** A facility as registered: whether it takes referrals, and the revision the directory has. */
export interface RegisteredFacility extends Facility {
  active: boolean;
  revision: number;
}

const SOURCE = (sector: string) => `/services/${sector}`;

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
    private readonly services: readonly string[] = [],
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
        capacityNotes: String,
        active: { type: Boolean, required: true },
        revision: { type: Number, required: true },
        ...outboxSchemaFields,
      },
      { collection: 'facilities', versionKey: false },
    );
    this.model = connection.model<RegisteredFacility & OutboxDocumentFields>('Facility', schema);
  }

  /** The directory event for a facility at a revision. */
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
        services: [...(facility.services ?? this.services)],
        unitCode: facility.unitCode,
        level: facility.level,
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
      const registered: RegisteredFacility = { ...facility, active: true, revision: 1 };
      try {
        await this.model.collection.insertOne({
          ...registered,
          ...stageOnInsert([this.event('facility.registered.v1', registered, at)]),
        } as never);
        staged++;
      } catch (error) {
        if ((error as { code?: number }).code !== 11000) throw error;
      }
    }
    // Records from before the directory: announce them once, as they are.
    const unannounced = await this.model.find({ revision: mongoose.trusted({ $exists: false }) }).lean<Facility[]>();
    for (const old of unannounced) {
      const known = facilities.find((f) => f._id === old._id);
      const registered: RegisteredFacility = {
        ...old,
        sectors: old.sectors?.length ? old.sectors : (known?.sectors ?? [old.sector]),
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

  /** Opens or closes a facility to referrals; the directory learns it through the outbox. */
  async setActive(facilityId: string, active: boolean, by?: Actor): Promise<RegisteredFacility | null> {
    for (let attempt = 0; attempt < 5; attempt++) {
      const current = await this.find(facilityId);
      if (!current) return null;
      if (current.active === active) return current;
      const next: RegisteredFacility = { ...current, active, revision: current.revision + 1 };
      const stage = stageOnUpdate([this.event('facility.updated.v1', next, new Date().toISOString(), by)]);
      const result = await this.model.collection.updateOne({ _id: facilityId as never, revision: current.revision }, {
        $set: { ...stage.$set, active, revision: next.revision },
        $inc: stage.$inc,
      } as never);
      if (result.modifiedCount === 1) return next;
    }
    throw new Error(`could not change facility ${facilityId}: too many concurrent changes`);
  }

  async find(code: string): Promise<RegisteredFacility | null> {
    return this.model.findById(code, { outbox: 0, outboxPending: 0 }).lean<RegisteredFacility>();
  }

  async list(filter: { unitCode?: string } = {}): Promise<RegisteredFacility[]> {
    return this.model
      .find(filter.unitCode ? { unitCode: filter.unitCode } : {}, { outbox: 0, outboxPending: 0 })
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
