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
    concerns: Type.Array(Type.Enum(Sectors), { maxItems: Sectors.length }),
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

/** Intake screened the case's child: the screening deadline is met. Findings stay in intake. */
export const CaseScreenedV1 = Type.Object(
  {
    caseId: Id,
    screeningId: Id,
    communeCode: UnitCode,
    screenedAt: Type.String({ format: 'date-time' }),
    suggestedSectors: Type.Array(Type.Enum(Sectors), { maxItems: Sectors.length, uniqueItems: true }),
  },
  { additionalProperties: false },
);

export const CaseClosureReasons = [
  'services-received',
  'no-needs-found',
  'moved-away',
  'family-declined',
  'transferred',
  'child-died',
  'other',
] as const;

/** Intake closed the case, with a reason. Open referrals must be finished or withdrawn first. */
export const CaseClosedV1 = Type.Object(
  {
    caseId: Id,
    communeCode: UnitCode,
    reason: Type.Enum(CaseClosureReasons),
    closedAt: Type.String({ format: 'date-time' }),
  },
  { additionalProperties: false },
);
