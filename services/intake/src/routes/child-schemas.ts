import Type from 'typebox';
import { ErrorResponse } from '@ecd/service-kit';
import { CommuneCode, PersonName } from './case-schemas';

const Caregiver = Type.Object(
  {
    name: PersonName,
    relationship: Type.String({ minLength: 1, maxLength: 60, description: 'e.g. mother, father, grandmother' }),
    phone: Type.Optional(Type.String({ pattern: '^\\+?[0-9 .-]{8,15}$' })),
  },
  { additionalProperties: false },
);

export const RegisterChildBody = Type.Object(
  {
    fullName: PersonName,
    dateOfBirth: Type.String({ format: 'date', description: 'YYYY-MM-DD' }),
    sex: Type.Enum(['female', 'male']),
    ethnicityCode: Type.String({ pattern: '^[0-9]{2}$', description: 'Decision 1019/QĐ-TCTK code, 01–54' }),
    communeCode: CommuneCode,
    village: Type.Optional(Type.String({ minLength: 1, maxLength: 120 })),
    caregivers: Type.Array(Caregiver, { maxItems: 10 }),
    birthRegistered: Type.Boolean(),
    specialCircumstances: Type.Optional(
      Type.Array(Type.String({ minLength: 1, maxLength: 64 }), {
        uniqueItems: true,
        maxItems: 14,
        description: 'Codes (or ids) of the 14 groups of Law on Children Art. 10',
      }),
    ),
    disability: Type.Optional(Type.Boolean()),
    confirmedNotDuplicate: Type.Optional(
      Type.Boolean({ description: 'Register even though children with the same name and date of birth exist' }),
    ),
  },
  { additionalProperties: false },
);

export const ChildView = Type.Object({
  _id: Type.String(),
  fullName: Type.String(),
  nameKey: Type.String(),
  dateOfBirth: Type.String(),
  sex: Type.String(),
  ethnicityCode: Type.String(),
  communeCode: Type.String(),
  village: Type.Optional(Type.String()),
  caregivers: Type.Array(
    Type.Object({ name: Type.String(), relationship: Type.String(), phone: Type.Optional(Type.String()) }),
  ),
  birthRegistered: Type.Boolean(),
  specialCircumstances: Type.Optional(Type.Array(Type.String())),
  disability: Type.Optional(Type.Boolean()),
  registeredAt: Type.String(),
  registeredBy: Type.String(),
});

/** A 409: possible duplicates (listed), or an Idempotency-Key reused for another request. */
export const DuplicateProblem = Type.Object({
  ...ErrorResponse.properties,
  possibleDuplicates: Type.Optional(
    Type.Array(Type.Object({ childId: Type.String(), fullName: Type.String(), dateOfBirth: Type.String() })),
  ),
});

export const ChildSearchQuery = Type.Object(
  {
    q: Type.Optional(Type.String({ maxLength: 120 })),
    limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 200 })),
  },
  { additionalProperties: false },
);

export const ChildParams = Type.Object({ childId: Type.String({ format: 'uuid' }) }, { additionalProperties: false });
