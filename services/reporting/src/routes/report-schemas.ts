import Type from 'typebox';
import { ReportStates } from '../domain/report-cycle';
import { PERIOD_ID_PATTERN } from '../domain/reporting-periods';

/** Limits of the narrative the plans ask for (results, difficulties, proposals). */
const NarrativeText = Type.String({ maxLength: 8000 });
const Reason = Type.String({ minLength: 3, maxLength: 1000, pattern: '\\S' });

export const PeriodParams = Type.Object(
  { periodId: Type.String({ pattern: PERIOD_ID_PATTERN, description: '2026-S1 (semi-annual) or 2026-Y (annual)' }) },
  { additionalProperties: false },
);
export const ReportParams = Type.Object(
  {
    reportId: Type.String({
      pattern: '^20[0-9]{2}-(S1|Y)_[0-9]{2,5}$',
      description: '<period>_<unit code>, e.g. 2026-S1_02704',
    }),
  },
  { additionalProperties: false },
);
export const UnitQuery = Type.Object(
  { unitCode: Type.Optional(Type.String({ pattern: '^[0-9]{2,5}$' })) },
  { additionalProperties: false },
);

export const NarrativeBody = Type.Object(
  {
    narrative: Type.Object(
      { results: NarrativeText, difficulties: NarrativeText, proposals: NarrativeText },
      { additionalProperties: false },
    ),
    /** The activities of the period (trainings, communication, models), as the unit describes them. */
    activities: Type.String({ maxLength: 8000 }),
  },
  { additionalProperties: false },
);
export const ReasonBody = Type.Object({ reason: Reason }, { additionalProperties: false });

export const FrozenValueView = Type.Object({
  indicatorId: Type.String(),
  version: Type.Integer(),
  numerator: Type.Integer(),
  denominator: Type.Integer(),
  value: Type.Union([Type.Number(), Type.Null()]),
  target2025: Type.String(),
  target2030: Type.String(),
});

const Actor = Type.Object({ userId: Type.String(), role: Type.String(), unitCode: Type.Optional(Type.String()) });

export const ReportView = Type.Object({
  _id: Type.String(),
  periodId: Type.String(),
  unitCode: Type.String(),
  unitName: Type.String(),
  level: Type.String(),
  parentUnitCode: Type.Optional(Type.String()),
  state: Type.Enum(ReportStates),
  dueDate: Type.String(),
  dueOn: Type.String(),
  dueAt: Type.String(),
  narrative: Type.Object({ results: Type.String(), difficulties: Type.String(), proposals: Type.String() }),
  activities: Type.String(),
  /** Frozen at submission; absent on a draft (see currentValues). */
  values: Type.Optional(Type.Array(FrozenValueView)),
  /** The unit's figures now (drafts and returned reports only). */
  currentValues: Type.Optional(Type.Array(FrozenValueView)),
  submittedAt: Type.Optional(Type.String()),
  approvedAt: Type.Optional(Type.String()),
  returnReason: Type.Optional(Type.String()),
  history: Type.Array(
    Type.Object({
      at: Type.String(),
      action: Type.String(),
      by: Type.Optional(Actor),
      reason: Type.Optional(Type.String()),
    }),
  ),
  alerts: Type.Array(
    Type.Object({
      kind: Type.String(),
      at: Type.String(),
      workingDaysBefore: Type.Optional(Type.Integer()),
      toUnitCode: Type.Optional(Type.String()),
    }),
  ),
});

export const OpenPeriodView = Type.Object({
  periodId: Type.String(),
  dueDate: Type.String(),
  opened: Type.Array(Type.String()),
  existing: Type.Array(Type.String()),
});

export const CompletenessView = Type.Object({
  periodId: Type.String(),
  unitCode: Type.String(),
  units: Type.Array(
    Type.Object({
      unitCode: Type.String(),
      unitName: Type.String(),
      level: Type.String(),
      parentUnitCode: Type.Optional(Type.String()),
      state: Type.Union([Type.Enum(ReportStates), Type.Literal('not-opened')]),
      dueOn: Type.Optional(Type.String()),
      late: Type.Boolean(),
      escalatedTo: Type.Optional(Type.String()),
    }),
  ),
  counts: Type.Record(Type.String(), Type.Integer()),
});

export const IndicatorValuesView = Type.Object({
  periodId: Type.String(),
  unitCode: Type.String(),
  values: Type.Array(FrozenValueView),
});
