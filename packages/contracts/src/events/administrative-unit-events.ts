import Type from 'typebox';
import { AdministrativeLevels } from '../enums';
import { Actor } from '../fields';

/**
 * An administrative unit's code: province 2 digits, district 3, commune 5 (Decision
 * 19/2025/QĐ-TTg and the statistics office's list before it); a village is its commune's code
 * and a local number (`02704-01`), villages having no official code.
 */
export const AdministrativeUnitCode = Type.String({ pattern: '^([0-9]{2}|[0-9]{3}|[0-9]{5}|[0-9]{5}-[0-9]{1,4})$' });
export const AdministrativeUnitName = Type.String({ minLength: 1, maxLength: 200 });

/** One administrative unit as an administrator set it: the whole unit, not a patch. */
export const AdministrativeUnitFields = {
  code: AdministrativeUnitCode,
  name: AdministrativeUnitName,
  level: Type.Enum(AdministrativeLevels),
  /** The unit one level up; absent for a province. */
  parentCode: Type.Optional(AdministrativeUnitCode),
};

/**
 * A unit added or changed by an import of reference data (a new commune, a renamed ward, a
 * commune moved to another province). Every service that holds an escalation ladder applies it
 * on top of the list shipped with the product. All events share one Kafka key, so a parent
 * always arrives before the units under it.
 */
export const AdministrativeUnitUpdatedV1 = Type.Object(
  {
    ...AdministrativeUnitFields,
    /** The import that carried the change (its rows are kept with it). */
    importId: Type.String({ minLength: 1, maxLength: 100 }),
    at: Type.String({ format: 'date-time' }),
    by: Actor,
  },
  { additionalProperties: false },
);

/** The Kafka key (CloudEvents subject) of every administrative-unit event: one partition, in order. */
export const ADMINISTRATIVE_UNITS_SUBJECT = 'administrative-units';
