import Type from 'typebox';
import { Sectors } from '../enums';
import { FacilityId } from '../fields';
import { Actor } from './referral-events';

const UnitCode = Type.String({ pattern: '^[0-9]{2,5}$' });

export const FacilityLevels = ['commune', 'district', 'province'] as const;
export type FacilityLevel = (typeof FacilityLevels)[number];

/**
 * A service point in the directory, as its owning sector service announces it: which sectors it
 * serves, which services it gives, where it sits and whom it serves, whether it takes referrals.
 * Each event carries the whole entry with a revision, so a read model keeps the newest and a
 * replay of the topic rebuilds the directory. Built to grow into the service directory (welfare
 * desks, catchment communes) without a new version: those are more entries and more services.
 */
const FacilityEntry = {
  facilityId: FacilityId,
  name: Type.String({ minLength: 1, maxLength: 200 }),
  /** Sectors whose referrals it takes; a referral naming another sector is refused. */
  sectors: Type.Array(Type.Enum(Sectors), { minItems: 1, maxItems: Sectors.length, uniqueItems: true }),
  /** Services it gives (the sector service's service-record kinds, e.g. vaccination). */
  services: Type.Array(Type.String({ minLength: 1, maxLength: 60, pattern: '^[a-z0-9-]+$' }), {
    maxItems: 50,
    uniqueItems: true,
  }),
  /** The administrative unit it sits in. */
  unitCode: UnitCode,
  level: Type.Enum(FacilityLevels),
  /** Communes it serves besides its own unit; absent when it serves its own unit only. */
  catchmentUnitCodes: Type.Optional(Type.Array(UnitCode, { maxItems: 500, uniqueItems: true })),
  /** False while it takes no referrals (closed, merged); referrals to it are refused. */
  active: Type.Boolean(),
  /** Bumped at every change; a read model ignores an entry older than what it holds. */
  revision: Type.Integer({ minimum: 1 }),
  at: Type.String({ format: 'date-time' }),
  by: Type.Optional(Actor),
};

export const FacilityRegisteredV1 = Type.Object(FacilityEntry, { additionalProperties: false });
export const FacilityUpdatedV1 = Type.Object(FacilityEntry, { additionalProperties: false });
