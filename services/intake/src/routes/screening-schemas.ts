import Type from 'typebox';

const Finding = Type.Object({
  id: Type.String(),
  code: Type.String(),
  domain: Type.String(),
  severity: Type.String(),
  text: Type.String(),
  textVi: Type.String(),
  details: Type.Optional(Type.Record(Type.String(), Type.Union([Type.String(), Type.Number(), Type.Boolean()]))),
});

const SuggestedReferral = Type.Object({
  service: Type.String(),
  sector: Type.String(),
  urgency: Type.String(),
  reason: Type.String(),
  reasonVi: Type.String(),
  findingIds: Type.Array(Type.String()),
});

export const ScreeningView = Type.Object({
  screeningId: Type.String(),
  at: Type.String(),
  today: Type.String(),
  by: Type.String(),
  ageMonths: Type.Integer(),
  findings: Type.Array(Finding),
  suggestedReferrals: Type.Array(SuggestedReferral),
});

/**
 * The screening form: the @ecd/screening input without what the case already knows (the child's
 * date of birth and sex) and without `today` (the service's clock, Vietnam time). Checked by
 * `validateScreeningInput`, so problems name the same fields as here.
 */
export const ScreeningBody = Type.Object(
  {
    child: Type.Optional(
      Type.Object(
        {
          birthRegistered: Type.Optional(Type.Boolean()),
          enrolledInPreschool: Type.Optional(Type.Boolean()),
          specialCircumstances: Type.Optional(Type.Array(Type.String())),
          disability: Type.Optional(Type.Boolean()),
        },
        { description: 'Defaults from the child register when the case is for a registered child' },
      ),
    ),
    measurements: Type.Optional(Type.Unknown({ description: 'date, weightKg, lengthCm or heightCm, oedema' })),
    vaccinations: Type.Optional(Type.Unknown({ description: 'doses given: [{ vaccine, dose, date }]' })),
    developmentObservations: Type.Optional(Type.Unknown({ description: 'warning-sign id → observed' })),
  },
  { additionalProperties: true },
);
