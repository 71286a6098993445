import { Schema, type Connection, type Model } from 'mongoose';
import type {
  CloudEvent,
  FacilityDetails,
  FacilityEventType,
  FacilityLevel,
  FieldProblem,
  Sector,
} from '@ecd/contracts';
import { catchmentOf, servesCommune } from './service-area';

/** A service point as the directory knows it: the latest facility event of its owner. */
export interface DirectoryEntry {
  _id: string; // facility id
  name: string;
  sectors: Sector[];
  services: string[];
  unitCode: string;
  level: FacilityLevel;
  catchmentUnitCodes?: string[];
  hours?: string;
  capacityNotes?: string;
  contact?: FacilityDetails['contact'];
  active: boolean;
  revision: number;
  updatedAt: string;
}

/** The optional details an entry carries only when its owner gave them. */
const optionalDetails = ['catchmentUnitCodes', 'hours', 'capacityNotes', 'contact'] as const;

/** Why a referral may not go to a facility: the status and the field to name. */
export interface ReferralTargetRefusal {
  status: 409 | 422;
  message: string;
  problems: FieldProblem[];
}

/**
 * The facility directory read model, built from `facility.registered` / `facility.updated`
 * events (topic `ecd.facilities.v1`). Every service that starts referrals checks the target
 * here: it exists, it takes referrals, it serves the sector named.
 */
export class FacilityDirectory {
  readonly model: Model<DirectoryEntry>;

  constructor(connection: Connection) {
    const schema = new Schema<DirectoryEntry>(
      {
        _id: String,
        name: { type: String, required: true },
        sectors: { type: [String], required: true },
        services: { type: [String], default: [] },
        unitCode: { type: String, required: true },
        level: { type: String, required: true },
        catchmentUnitCodes: { type: [String], default: undefined },
        hours: String,
        capacityNotes: String,
        contact: { type: { phone: String, address: String }, default: undefined, _id: false },
        active: { type: Boolean, required: true },
        revision: { type: Number, required: true },
        updatedAt: { type: String, required: true },
      },
      { collection: 'facility_directory', versionKey: false },
    );
    this.model = connection.model<DirectoryEntry>('DirectoryEntry', schema);
  }

  /** Applies a facility event if it is newer than the entry (by revision); a redelivery changes nothing. */
  async apply(event: CloudEvent<FacilityEventType>): Promise<boolean> {
    const { data } = event;
    const entry: DirectoryEntry = {
      _id: data.facilityId,
      name: data.name,
      sectors: data.sectors,
      services: data.services,
      unitCode: data.unitCode,
      level: data.level,
      ...(data.catchmentUnitCodes ? { catchmentUnitCodes: data.catchmentUnitCodes } : {}),
      ...(data.hours ? { hours: data.hours } : {}),
      ...(data.capacityNotes ? { capacityNotes: data.capacityNotes } : {}),
      ...(data.contact ? { contact: data.contact } : {}),
      active: data.active,
      revision: data.revision,
      updatedAt: data.at,
    };
    for (let attempt = 0; attempt < 5; attempt++) {
      const current = await this.model.findById(entry._id, { revision: 1 }).lean<{ revision: number }>();
      if (current && current.revision >= entry.revision) return false;
      if (!current) {
        try {
          await this.model.collection.insertOne({ ...entry } as never);
          return true;
        } catch (error) {
          if ((error as { code?: number }).code !== 11000) throw error;
          continue; // registered concurrently: compare again
        }
      }
      const { _id, ...fields } = entry;
      // A detail the owner removed is removed here too.
      const removed = optionalDetails.filter((name) => entry[name] === undefined);
      const result = await this.model.collection.updateOne({ _id: _id as never, revision: current.revision }, {
        $set: fields,
        ...(removed.length ? { $unset: Object.fromEntries(removed.map((name) => [name, ''])) } : {}),
      } as never);
      if (result.modifiedCount === 1) return true;
    }
    throw new Error(`could not apply ${event.id}: too many concurrent changes`);
  }

  async find(facilityId: string): Promise<DirectoryEntry | null> {
    return this.model.findById(facilityId).lean<DirectoryEntry>();
  }

  /**
   * Entries of the directory; `servesCommune` keeps those whose catchment takes a child of that
   * commune (the rule intake refuses referrals by), `active` those taking referrals or not.
   */
  async list(filter: { sector?: Sector; servesCommune?: string; active?: boolean } = {}): Promise<DirectoryEntry[]> {
    const entries = await this.model
      .find({
        ...(filter.sector ? { sectors: filter.sector } : {}),
        ...(filter.active !== undefined ? { active: filter.active } : {}),
      })
      .sort({ _id: 1 })
      .lean<DirectoryEntry[]>();
    const commune = filter.servesCommune;
    return commune ? entries.filter((entry) => servesCommune(entry, commune)) : entries;
  }

  /**
   * Why a referral for `sector` may not go to `facilityId` (undefined when it may): the facility
   * must exist, take referrals, and serve the sector named, so consent for that sector is the
   * consent that matters. `fields` name the request fields that carry the facility and the sector
   * (a redirect names no sector: the facility field is at fault then).
   */
  async refusal(
    facilityId: string,
    sector: Sector,
    fields: { facility: string; sector?: string } = { facility: 'facilityId', sector: 'sector' },
    /** The child's commune: the facility's catchment must take it (left out, the area is not checked). */
    communeCode?: string,
  ): Promise<ReferralTargetRefusal | undefined> {
    const field = fields.facility;
    const entry = await this.find(facilityId);
    if (!entry) {
      return {
        status: 422,
        message: `facility ${facilityId} is not in the facility directory`,
        problems: [{ field, problem: `is not a facility of the directory: ${facilityId}` }],
      };
    }
    if (!entry.active) {
      return {
        status: 409,
        message: `facility ${facilityId} (${entry.name}) takes no referrals at present`,
        problems: [{ field, problem: `is inactive: ${facilityId}` }],
      };
    }
    if (!entry.sectors.includes(sector)) {
      return {
        status: 422,
        message:
          `facility ${facilityId} (${entry.name}) serves ${entry.sectors.join(', ')}, not ${sector}` +
          (sector === 'protection'
            ? ': protection referrals go only to protection services; report a child at risk with POST /protection-cases'
            : ''),
        problems: [
          fields.sector
            ? {
                field: fields.sector,
                problem: `is not served by ${facilityId} (it serves ${entry.sectors.join(', ')})`,
              }
            : { field, problem: `does not serve the ${sector} sector: ${facilityId}` },
        ],
      };
    }
    if (communeCode !== undefined && !servesCommune(entry, communeCode)) {
      const catchment = catchmentOf(entry).join(', ');
      return {
        status: 422,
        message:
          `facility ${facilityId} (${entry.name}) does not serve children of commune ${communeCode}: its ` +
          `catchment is ${catchment}; choose a facility whose catchment includes the commune or a unit above it`,
        problems: [{ field, problem: `does not serve commune ${communeCode} (its catchment: ${catchment})` }],
      };
    }
    return undefined;
  }
}
