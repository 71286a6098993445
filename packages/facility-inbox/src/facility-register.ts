import { Schema, type Connection, type Model } from 'mongoose';

/** A service point that receives referrals: a health station, a preschool, a district centre. */
export interface Facility {
  _id: string; // facility code, e.g. TYT-02704
  name: string;
  sector: 'health' | 'education';
  /** Administrative unit the facility sits in (commune code). */
  unitCode: string;
  level: 'commune' | 'district' | 'province';
  capacityNotes?: string;
}

export class FacilityRegister {
  readonly model: Model<Facility>;

  constructor(connection: Connection) {
    const schema = new Schema<Facility>(
      {
        _id: String,
        name: { type: String, required: true },
        sector: { type: String, required: true },
        unitCode: { type: String, required: true, index: true },
        level: { type: String, required: true },
        capacityNotes: String,
      },
      { collection: 'facilities', versionKey: false },
    );
    this.model = connection.model<Facility>('Facility', schema);
  }

  /** Adds facilities not registered yet (plain inserts: never overwrites an edited record). */
  async seed(facilities: readonly Facility[]): Promise<void> {
    for (const facility of facilities) {
      try {
        await this.model.collection.insertOne({ ...facility } as never);
      } catch (error) {
        if ((error as { code?: number }).code !== 11000) throw error;
      }
    }
  }

  async find(code: string): Promise<Facility | null> {
    return this.model.findById(code).lean<Facility>();
  }

  async list(filter: { unitCode?: string } = {}): Promise<Facility[]> {
    return this.model
      .find(filter.unitCode ? { unitCode: filter.unitCode } : {})
      .sort({ _id: 1 })
      .lean<Facility[]>();
  }

  async codes(): Promise<Set<string>> {
    return new Set((await this.model.find({}, { _id: 1 }).lean<{ _id: string }[]>()).map((f) => f._id));
  }
}
