import Type from 'typebox';
import { Sectors } from '@ecd/contracts';
import { PersonName } from './case-schemas';

const Consenter = Type.Object(
  {
    name: PersonName,
    relationship: Type.Enum(['parent', 'guardian'], { description: 'Who may consent for a child' }),
  },
  { additionalProperties: false },
);

export const RecordConsentBody = Type.Object(
  {
    givenBy: Consenter,
    childAssent: Type.Optional(
      Type.Boolean({ description: 'The child agrees too; required (true) when the child is 7 or over' }),
    ),
    sharingWith: Type.Array(Type.Enum(Sectors), {
      minItems: 1,
      maxItems: Sectors.length,
      uniqueItems: true,
      description: 'Sectors the child’s data may be shared with through referrals',
    }),
    givenOn: Type.String({ format: 'date', description: 'YYYY-MM-DD, the day consent was given' }),
    note: Type.Optional(Type.String({ maxLength: 1000 })),
  },
  { additionalProperties: false },
);

export const WithdrawConsentBody = Type.Object(
  {
    withdrawnBy: Type.Object(
      {
        name: PersonName,
        relationship: Type.Enum(['parent', 'guardian', 'child']),
      },
      { additionalProperties: false },
    ),
    withdrawnOn: Type.String({ format: 'date', description: 'YYYY-MM-DD' }),
    reason: Type.String({ minLength: 3, maxLength: 1000 }),
  },
  { additionalProperties: false },
);

const PersonView = Type.Object({ name: Type.String(), relationship: Type.String() });

export const ConsentView = Type.Object({
  _id: Type.String(),
  childId: Type.String(),
  communeCode: Type.String(),
  givenBy: PersonView,
  childAssent: Type.Optional(Type.Boolean()),
  sharingWith: Type.Array(Type.String()),
  givenOn: Type.String(),
  recordedAt: Type.String(),
  recordedBy: Type.String(),
  note: Type.Optional(Type.String()),
  inForce: Type.Boolean(),
  withdrawal: Type.Optional(
    Type.Object({
      on: Type.String(),
      by: PersonView,
      reason: Type.String(),
      recordedAt: Type.String(),
      recordedBy: Type.String(),
    }),
  ),
});

export const ConsentParams = Type.Object(
  { childId: Type.String({ format: 'uuid' }), consentId: Type.String({ format: 'uuid' }) },
  { additionalProperties: false },
);
