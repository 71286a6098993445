import Type from 'typebox';
import {
  FacilityId,
  ProtectionStages,
  ProtectionSteps,
  ReferralReason,
  ReportSources,
  RiskLevels,
  Sectors,
  Urgencies,
} from '@ecd/contracts';

const Text = (maxLength: number, description?: string) =>
  Type.String({ minLength: 1, maxLength, ...(description ? { description } : {}) });
const PersonName = Type.String({ minLength: 1, maxLength: 120, pattern: "^[\\p{L}\\p{M}][\\p{L}\\p{M} '\\-]*$" });
const LocalDate = Type.String({ format: 'date', description: 'YYYY-MM-DD' });

/** Form 01 (Mẫu 01): the report. Everything but the source, dates and the risk flag is sealed. */
export const ReportBody = Type.Object(
  {
    source: Type.Enum(ReportSources),
    receivedAt: Type.Optional(
      Type.String({
        format: 'date-time',
        description: 'When the information was received (default: now); every statutory clock counts from it',
      }),
    ),
    seriousRisk: Type.Boolean({ description: "The child's life, health or dignity is reported at serious risk" }),
    child: Type.Object(
      {
        fullName: PersonName,
        dateOfBirth: Type.Optional(LocalDate),
        sex: Type.Optional(Type.Enum(['female', 'male'])),
        childId: Type.Optional(Type.String({ format: 'uuid', description: "The child's id in intake's register" })),
        address: Type.Optional(Text(300)),
      },
      { additionalProperties: false },
    ),
    reporter: Type.Optional(
      Type.Object(
        { name: Type.Optional(Text(120)), contact: Type.Optional(Text(120)), relationship: Type.Optional(Text(120)) },
        { additionalProperties: false },
      ),
    ),
    report: Type.Object(
      { description: Text(5000, 'What happened, as reported'), place: Type.Optional(Text(300)) },
      { additionalProperties: false },
    ),
  },
  { additionalProperties: false },
);

/** Form 02 (Mẫu 02): initial risk assessment. */
export const RiskAssessmentBody = Type.Object(
  {
    seriousRisk: Type.Boolean(),
    riskLevel: Type.Enum(RiskLevels),
    findings: Text(5000),
  },
  { additionalProperties: false },
);

export const EmergencyMeasureBody = Type.Object(
  {
    measure: Type.Enum(['temporary-separation', 'medical-care', 'safe-place', 'police-protection', 'other']),
    description: Text(5000),
    takenAt: Type.Optional(Type.String({ format: 'date-time' })),
  },
  { additionalProperties: false },
);

/** Form 03 (Mẫu 03): detailed assessment and the case meeting's minutes. */
export const CaseMeetingBody = Type.Object(
  {
    heldOn: LocalDate,
    participants: Type.Array(Text(200), { minItems: 1, maxItems: 30 }),
    detailedAssessment: Text(10000),
    minutes: Text(10000),
  },
  { additionalProperties: false },
);

/** Form 04 (Mẫu 04): the support and intervention plan, with the bodies that carry it out. */
export const PlanBody = Type.Object(
  {
    objectives: Text(5000),
    actions: Type.Array(
      Type.Object(
        { body: Text(200), action: Text(2000), sector: Type.Optional(Type.Enum(Sectors)) },
        { additionalProperties: false },
      ),
      { minItems: 1, maxItems: 30 },
    ),
    reviewBy: Type.String({ format: 'date-time', description: 'When the plan is reviewed (Art. 30)' }),
  },
  { additionalProperties: false },
);

/** Form 05 (Mẫu 05): the chairman's decision approving the plan. */
export const ApprovalBody = Type.Object(
  { decisionNumber: Text(60), note: Type.Optional(Text(2000)) },
  { additionalProperties: false },
);

export const ImplementationBody = Type.Object({ note: Type.Optional(Text(2000)) }, { additionalProperties: false });

export const ReviewBody = Type.Object(
  { summary: Text(5000), riskLevel: Type.Enum(RiskLevels) },
  { additionalProperties: false },
);

/** Form 06 (Mẫu 06): closure, with the risk at closure. */
export const ClosureBody = Type.Object(
  { riskAtClosure: Type.Enum(RiskLevels), summary: Text(5000) },
  { additionalProperties: false },
);

export const TeamBody = Type.Object(
  { userId: Type.String({ minLength: 1, maxLength: 100, pattern: '^[A-Za-z0-9._@-]+$' }) },
  { additionalProperties: false },
);

export const CaseReferralBody = Type.Object(
  {
    sector: Type.Enum(Sectors.filter((s) => s !== 'protection')),
    urgency: Type.Enum(Urgencies),
    facilityId: FacilityId,
    reason: ReferralReason,
  },
  { additionalProperties: false },
);

export const CaseParams = Type.Object({ caseId: Type.String({ format: 'uuid' }) }, { additionalProperties: false });

export const IdempotencyHeaders = Type.Object({
  'idempotency-key': Type.Optional(Type.String({ minLength: 8, maxLength: 128, pattern: '^[A-Za-z0-9_:-]+$' })),
});
export const RequiredIdempotencyHeaders = Type.Object({
  'idempotency-key': Type.String({ minLength: 8, maxLength: 128, pattern: '^[A-Za-z0-9_:-]+$' }),
});

const Clock = Type.Object({
  step: Type.Enum(ProtectionSteps),
  dueAt: Type.String(),
  state: Type.String(),
  doneAt: Type.Optional(Type.String()),
  late: Type.Optional(Type.Boolean()),
  escalation: Type.Object({
    level: Type.Integer(),
    unitCode: Type.Optional(Type.String()),
    acknowledged: Type.Boolean(),
  }),
});

/** What the case list shows: stage and deadlines, no names and no details. */
export const CaseSummary = Type.Object({
  _id: Type.String(),
  communeCode: Type.String(),
  stage: Type.Enum(ProtectionStages),
  urgency: Type.String(),
  seriousRisk: Type.Boolean(),
  source: Type.String(),
  receivedAt: Type.String(),
  childId: Type.Optional(Type.String()),
  openedAt: Type.String(),
  updatedAt: Type.String(),
  clocks: Type.Array(Clock),
});

export const CaseDetails = Type.Object({
  ...CaseSummary.properties,
  team: Type.Array(Type.String()),
  forms: Type.Record(Type.String(), Type.Unknown()),
  history: Type.Array(Type.Unknown()),
});

export const CaseList = Type.Object({ items: Type.Array(CaseSummary) });

export const ReferralStarted = Type.Object({ referralId: Type.String(), created: Type.Boolean() });
