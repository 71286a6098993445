import Type from 'typebox';
import { CaseClosureReasons, Sectors } from '@ecd/contracts';
import { ScreeningView } from './screening-schemas';

/** Vietnamese names: letters with diacritics, spaces, apostrophes and hyphens. */
export const PersonName = Type.String({
  minLength: 1,
  maxLength: 120,
  pattern: "^[\\p{L}\\p{M}][\\p{L}\\p{M} '\\-]*$",
});
export const CommuneCode = Type.String({
  pattern: '^[0-9]{5}$',
  description: 'Official 5-digit commune code (Decision 19/2025/QĐ-TTg)',
});

export const OpenCaseBody = Type.Object(
  {
    childId: Type.Optional(
      Type.String({ format: 'uuid', description: 'A child of the register (POST /children), instead of `child`' }),
    ),
    child: Type.Optional(
      Type.Object(
        {
          fullName: PersonName,
          dateOfBirth: Type.String({ format: 'date', description: 'YYYY-MM-DD' }),
          sex: Type.Enum(['female', 'male']),
          communeCode: CommuneCode,
        },
        { additionalProperties: false },
      ),
    ),
    concerns: Type.Array(Type.Enum(Sectors), { minItems: 1, maxItems: Sectors.length, uniqueItems: true }),
    note: Type.Optional(Type.String({ maxLength: 2000 })),
  },
  { additionalProperties: false },
);

/** A referral whose facility or case may never have heard of it: the commune must act. */
export const NeedsAttention = Type.Object({
  at: Type.String(),
  failedEffect: Type.String({
    description: 'What failed for good, e.g. referral.requested.v1 (the facility was not told)',
  }),
  problem: Type.String(),
});

const TimelineEntry = Type.Object({
  id: Type.String(),
  at: Type.String(),
  kind: Type.String(),
  summary: Type.String(),
});

export const CaseView = Type.Object({
  _id: Type.String(),
  childId: Type.String(),
  child: Type.Object({
    fullName: Type.String(),
    dateOfBirth: Type.String(),
    sex: Type.String(),
    communeCode: Type.String(),
  }),
  concerns: Type.Array(Type.String()),
  note: Type.Optional(Type.String()),
  status: Type.String(),
  openedAt: Type.String(),
  openedBy: Type.Optional(Type.String()),
  screeningDueAt: Type.Optional(Type.String()),
  closure: Type.Optional(
    Type.Object({
      reason: Type.String(),
      note: Type.Optional(Type.String()),
      closedAt: Type.String(),
      closedBy: Type.String(),
    }),
  ),
  timeline: Type.Array(TimelineEntry),
  screenings: Type.Optional(Type.Array(ScreeningView)),
  referrals: Type.Optional(
    Type.Array(
      Type.Object({
        referralId: Type.String(),
        sector: Type.String(),
        urgency: Type.Optional(Type.String()),
        facilityId: Type.String(),
        state: Type.String(),
        requestedAt: Type.Optional(Type.String()),
        acceptBy: Type.Optional(Type.String()),
        completeBy: Type.Optional(Type.String()),
        escalationLevel: Type.Integer(),
        maxEscalationLevel: Type.Optional(Type.Integer()),
        childId: Type.Optional(Type.String()),
        acceptedAt: Type.Optional(Type.String()),
        completedAt: Type.Optional(Type.String()),
        serviceRecordId: Type.Optional(Type.String()),
        needsAttention: Type.Optional(NeedsAttention),
        updatedAt: Type.Optional(Type.String()),
      }),
    ),
  ),
});

export const CaseListQuery = Type.Object(
  {
    status: Type.Optional(Type.Enum(['OPEN', 'SCREENED', 'REFERRED', 'CLOSED'])),
    limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 500 })),
  },
  { additionalProperties: false },
);

export const CaseList = Type.Object({ total: Type.Integer(), items: Type.Array(CaseView) });

export const CaseParams = Type.Object({ caseId: Type.String({ format: 'uuid' }) }, { additionalProperties: false });

export const IdempotencyHeaders = Type.Object({
  'idempotency-key': Type.Optional(Type.String({ minLength: 8, maxLength: 128, pattern: '^[A-Za-z0-9_:-]+$' })),
});

export const CloseCaseBody = Type.Object(
  {
    reason: Type.Enum(CaseClosureReasons),
    note: Type.Optional(Type.String({ minLength: 1, maxLength: 2000 })),
  },
  { additionalProperties: false },
);
