import { Schema, type Connection, type Model } from 'mongoose';
import type { AdministrativeLevel, AdministrativeUnitEventType, CloudEvent } from '@ecd/contracts';
import {
  escalationLadderOf,
  type AdministrativeEdition,
  type AdministrativeUnit,
  type EscalationLadder,
} from '@ecd/referral-policy';

/** One unit as an administrator last set it (an `administrative-unit.updated` event). */
export interface AdministrativeUnitChange {
  _id: string; // unit code
  name: string;
  level: AdministrativeLevel;
  parentCode?: string;
  importId: string;
  at: string;
}

/**
 * The administrative units a service scopes and escalates by: the edition shipped with the
 * product (`@ecd/referral-policy`, the official list) with the changes administrators imported
 * since (topic `ecd.administrative-units.v1`) on top. The shipped list is code, versioned with the
 * product; only the changes live in this service's database (`administrative_unit_changes`), so a
 * start writes nothing and every instance of a service reads the same changes.
 */
export class AdministrativeUnitRegister {
  readonly model: Model<AdministrativeUnitChange>;
  #cached: { at: number; ladder: Promise<EscalationLadder> } | undefined;

  constructor(
    connection: Connection,
    readonly edition: AdministrativeEdition,
    /** How long another instance's change may take to show here (this instance's shows at once). */
    private readonly cacheMs = 10_000,
  ) {
    const schema = new Schema<AdministrativeUnitChange>(
      {
        _id: String,
        name: { type: String, required: true },
        level: { type: String, required: true },
        parentCode: String,
        importId: { type: String, required: true },
        at: { type: String, required: true },
      },
      { collection: 'administrative_unit_changes', versionKey: false },
    );
    this.model = connection.model<AdministrativeUnitChange>('AdministrativeUnitChange', schema);
  }

  /** The ladder now: the edition with every stored change applied. */
  ladder(): Promise<EscalationLadder> {
    if (!this.#cached || Date.now() - this.#cached.at > this.cacheMs) {
      const ladder = this.load();
      this.#cached = { at: Date.now(), ladder };
      ladder.catch(() => (this.#cached = undefined));
    }
    return this.#cached.ladder;
  }

  private async load(): Promise<EscalationLadder> {
    const changes = await this.model.find().sort({ at: 1 }).lean<AdministrativeUnitChange[]>();
    const base = escalationLadderOf(this.edition);
    if (changes.length === 0) return base;
    return base.withUnits(
      changes.map(({ _id, name, level, parentCode }): AdministrativeUnit =>
        parentCode ? { code: _id, name, level, parentCode } : { code: _id, name, level },
      ),
    );
  }

  /**
   * Applies a unit change unless the stored one is newer (a redelivery changes nothing). The
   * importing service checked the whole import against its ladder before announcing it, and the
   * events of an import arrive in order (one Kafka key), so parents come before their units.
   */
  async apply(event: CloudEvent<AdministrativeUnitEventType>): Promise<boolean> {
    const { data } = event;
    const current = await this.model.findById(data.code, { at: 1 }).lean<{ at: string }>();
    if (current && current.at > data.at) return false;
    await this.model.collection.replaceOne(
      { _id: data.code as never },
      {
        name: data.name,
        level: data.level,
        ...(data.parentCode ? { parentCode: data.parentCode } : {}),
        importId: data.importId,
        at: data.at,
      },
      { upsert: true },
    );
    this.#cached = undefined;
    return true;
  }
}
