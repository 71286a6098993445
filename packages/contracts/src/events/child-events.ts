import Type from 'typebox';
import { Actor } from '../fields';

const UnitCode = Type.String({ pattern: '^[0-9]{2,5}$', description: 'Official administrative unit code' });
const Id = Type.String({ minLength: 1, maxLength: 100 });
const Instant = Type.String({ format: 'date-time' });

/**
 * Why a child's record was corrected, transferred or a transfer declined: read by the staff of
 * both communes. Defined here once, for the routes and the events (docs/adr/0011).
 */
export const ChildRecordReason = Type.String({
  minLength: 3,
  maxLength: 500,
  pattern: '\\S',
  description: 'Why, e.g. "the birth certificate gives 2023-04-12"; never what happened to the child',
});

/** The register fields a correction may change (the commune changes only by a transfer). */
export const CorrectableChildFields = [
  'fullName',
  'dateOfBirth',
  'sex',
  'ethnicityCode',
  'village',
  'caregivers',
  'birthRegistered',
  'specialCircumstances',
  'disability',
] as const;
export type CorrectableChildField = (typeof CorrectableChildFields)[number];

/**
 * A register entry was corrected. Names the fields, never their values (those stay in intake,
 * with the previous value in the child's history).
 */
export const ChildCorrectedV1 = Type.Object(
  {
    childId: Id,
    communeCode: UnitCode,
    correctionId: Id,
    fields: Type.Array(Type.Enum(CorrectableChildFields), {
      minItems: 1,
      maxItems: CorrectableChildFields.length,
      uniqueItems: true,
    }),
    reason: ChildRecordReason,
    at: Instant,
    by: Actor,
  },
  { additionalProperties: false },
);

/** The receiving commune accepted a child: the register entry, its cases, consents and open referrals moved. */
export const ChildTransferredV1 = Type.Object(
  {
    childId: Id,
    transferId: Id,
    fromCommuneCode: UnitCode,
    toCommuneCode: UnitCode,
    caseIds: Type.Array(Id, { maxItems: 500 }),
    referralIds: Type.Array(Id, { maxItems: 500 }),
    at: Instant,
    by: Actor,
  },
  { additionalProperties: false },
);
