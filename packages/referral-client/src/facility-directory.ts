import { Schema, type Connection, type Model } from 'mongoose';
import type { CloudEvent, FacilityEventType, FacilityLevel, FieldProblem, Sector } from '@ecd/contracts';

/** A service point as the directory knows it: the latest facility event of its owner. */
export interface DirectoryEntry {
  _id: string; // facility id
  name: string;
  sectors: Sector[];
  services: string[];
  unitCode: string;
  level: FacilityLevel;
  catchmentUnitCodes?: string[];
  active: boolean;
  revision: number;
  updatedAt: string;
}

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
      const result = await this.model.collection.updateOne({ _id: _id as never, revision: current.revision }, {
        $set: fields,
        ...(entry.catchmentUnitCodes ? {} : { $unset: { catchmentUnitCodes: '' } }),
      } as never);
      if (result.modifiedCount === 1) return true;
    }
    throw new Error(`could not apply ${event.id}: too many concurrent changes`);
  }

  async find(facilityId: string): Promise<DirectoryEntry | null> {
    return this.model.findById(facilityId).lean<DirectoryEntry>();
  }

  async list(filter: { sector?: Sector } = {}): Promise<DirectoryEntry[]> {
    return this.model
      .find(filter.sector ? { sectors: filter.sector } : {})
      .sort({ _id: 1 })
      .lean<DirectoryEntry[]>();
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
    return undefined;
  }
}
