import Type, { type Static } from 'typebox';
import { Sectors } from '../enums';
import { FacilityId } from '../fields';
import { Actor } from './referral-events';

const UnitCode = Type.String({ pattern: '^[0-9]{2,5}$', description: 'Official administrative unit code' });

export const FacilityLevels = ['commune', 'district', 'province'] as const;
export type FacilityLevel = (typeof FacilityLevels)[number];

const words = (minLength: number, maxLength: number, description: string) =>
  Type.String({ minLength, maxLength, pattern: '\\S', description });

/**
 * A facility's details as people administer them (the portal's directory page, the owner's
 * administration routes) and as every event carries them: one definition, so what a route
 * accepts the event can hold and a read model can show. Change a limit here and both follow.
 */
export const FacilityDetailFields = {
  name: words(1, 200, 'Name as the family knows it, e.g. Trạm Y tế xã Y Tý'),
  /** Sectors whose referrals it takes; a referral naming another sector is refused. */
  sectors: Type.Array(Type.Enum(Sectors), { minItems: 1, maxItems: Sectors.length, uniqueItems: true }),
  /** Services it gives (the owning sector service's service-record kinds, e.g. vaccination). */
  services: Type.Array(Type.String({ minLength: 1, maxLength: 60, pattern: '^[a-z0-9-]+$' }), {
    maxItems: 50,
    uniqueItems: true,
  }),
  /** The administrative unit it sits in. */
  unitCode: UnitCode,
  level: Type.Enum(FacilityLevels),
  /**
   * Units whose children it serves: communes, or a province/district for every commune within it.
   * Absent: its own unit only (entries announced before catchments existed).
   */
  catchmentUnitCodes: Type.Optional(Type.Array(UnitCode, { minItems: 1, maxItems: 500, uniqueItems: true })),
  /** Opening hours as posted at the door, e.g. "Thứ 2–6, 7:00–17:00; trực 24/24". */
  hours: Type.Optional(words(1, 200, 'Opening hours as posted')),
  /** What it can take on (beds, a specialist, a class for children with disabilities). */
  capacityNotes: Type.Optional(words(1, 500, 'What it can take on')),
  /** How a commune officer reaches it (a desk phone, not a person's private number). */
  contact: Type.Optional(
    Type.Object(
      {
        phone: Type.Optional(Type.String({ minLength: 3, maxLength: 30, pattern: '^[0-9+() .-]+$' })),
        address: Type.Optional(words(1, 300, 'Where it is')),
      },
      { additionalProperties: false },
    ),
  ),
};

/**
 * A service point in the directory, as its owning sector service announces it: which sectors it
 * serves, which services it gives, where it sits and whom it serves, whether it takes referrals.
 * Each event carries the whole entry with a revision, so a read model keeps the newest and a
 * replay of the topic rebuilds the directory. The service directory (welfare desks, catchments,
 * hours, contact) grew into it without a new version: the added fields are optional.
 */
const FacilityEntry = {
  facilityId: FacilityId,
  ...FacilityDetailFields,
  /** False while it takes no referrals (closed, merged); referrals to it are refused. */
  active: Type.Boolean(),
  /** Bumped at every change; a read model ignores an entry older than what it holds. */
  revision: Type.Integer({ minimum: 1 }),
  at: Type.String({ format: 'date-time' }),
  by: Type.Optional(Actor),
};

export const FacilityRegisteredV1 = Type.Object(FacilityEntry, { additionalProperties: false });
export const FacilityUpdatedV1 = Type.Object(FacilityEntry, { additionalProperties: false });

/** A facility's administered details, as one object (the fields above). */
export const FacilityDetails = Type.Object(FacilityDetailFields, { additionalProperties: false });
export type FacilityDetails = Static<typeof FacilityDetails>;
