import Type from 'typebox';
import { Sectors } from '../enums';

const UnitCode = Type.String({ pattern: '^[0-9]{2,5}$', description: 'Official administrative unit code' });
const Id = Type.String({ minLength: 1, maxLength: 64 });

/**
 * case.opened carries ids and what other sectors need to route work; never the child's name,
 * address or protection details (data minimisation, Decree 56 Art. 33).
 */
export const CaseOpenedV1 = Type.Object(
  {
    caseId: Id,
    childId: Id,
    communeCode: UnitCode,
    childAgeMonths: Type.Integer({ minimum: 0, maximum: 107 }),
    concerns: Type.Array(Type.Enum(Sectors), { maxItems: 5 }),
    openedAt: Type.String({ format: 'date-time' }),
    openedBy: Type.Optional(Id),
  },
  { additionalProperties: false },
);

/** Emitted by the CaseScreeningWorkflow when it starts: the screening is due by `dueAt`. */
export const CaseScreeningScheduledV1 = Type.Object(
  {
    caseId: Id,
    dueAt: Type.String({ format: 'date-time' }),
    policy: Type.String({ minLength: 1 }),
  },
  { additionalProperties: false },
);

export const CaseScreeningOverdueV1 = Type.Object(
  {
    caseId: Id,
    dueAt: Type.String({ format: 'date-time' }),
    communeCode: UnitCode,
  },
  { additionalProperties: false },
);
