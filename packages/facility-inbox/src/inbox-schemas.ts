import Type, { type TSchema } from 'typebox';
import {
  FacilityDetailFields,
  FacilityId,
  ReferralActionReason,
  ReferralId,
  ReferralStates,
  ServiceOutcome,
} from '@ecd/contracts';

export const InboxItemView = Type.Object({
  _id: Type.String(),
  facilityId: Type.String(),
  caseId: Type.String(),
  childId: Type.Optional(Type.String()),
  sector: Type.String(),
  urgency: Type.String(),
  state: Type.String(),
  fromUnitCode: Type.String(),
  reason: Type.Optional(Type.String()),
  requestedAt: Type.Optional(Type.String()),
  acceptBy: Type.Optional(Type.String()),
  completeBy: Type.Optional(Type.String()),
  dueAt: Type.Optional(Type.String()),
  escalationLevel: Type.Integer(),
  serviceRecordId: Type.Optional(Type.String()),
  updatedAt: Type.String(),
});

export const ReferralStateView = Type.Object({
  referralId: Type.String(),
  caseId: Type.String(),
  state: Type.String(),
  facilityId: Type.String(),
  acceptBy: Type.Optional(Type.String()),
  completeBy: Type.Optional(Type.String()),
  escalation: Type.Object({ level: Type.Integer(), acknowledged: Type.Boolean() }),
  outcome: Type.Optional(Type.Object({ text: Type.String(), serviceRecordId: Type.String() })),
});

export const FacilityParams = Type.Object({ facilityId: FacilityId }, { additionalProperties: false });

export const ReferralParams = Type.Object({ referralId: ReferralId }, { additionalProperties: false });

export const InboxQuery = Type.Object(
  {
    state: Type.Optional(Type.Enum(ReferralStates)),
    limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 500 })),
  },
  { additionalProperties: false },
);

export const DeclineBody = Type.Object({ reason: ReferralActionReason }, { additionalProperties: false });

/** Says which facts a kind's record must carry (checked by the completion route). */
function detailsDescription(kinds: readonly string[], recordDetails: Readonly<Record<string, TSchema>>) {
  const required = kinds.flatMap((kind) => {
    const schema = recordDetails[kind];
    const fields = schema && 'required' in schema && Array.isArray(schema.required) ? schema.required : [];
    return fields.length ? [`${kind}: ${fields.join(', ')}`] : [];
  });
  return required.length ? { description: `Facts the record must carry, by kind: ${required.join('; ')}` } : {};
}

/** A completion carries the service record; `kind` is one of the sector's record kinds. */
export const completeBody = (kinds: readonly string[], recordDetails: Readonly<Record<string, TSchema>> = {}) =>
  Type.Object(
    {
      kind: Type.Enum([...kinds]),
      date: Type.String({ format: 'date' }),
      summary: ServiceOutcome,
      details: Type.Optional(
        Type.Record(
          Type.String({ pattern: '^[a-zA-Z][a-zA-Z0-9]{0,39}$' }),
          Type.Union([Type.String({ maxLength: 200 }), Type.Number(), Type.Boolean()]),
          {
            maxProperties: 20,
            ...detailsDescription(kinds, recordDetails),
          },
        ),
      ),
    },
    { additionalProperties: false },
  );

export const ServiceRecordView = Type.Object({
  _id: Type.String(),
  referralId: Type.String(),
  facilityId: Type.String(),
  caseId: Type.String(),
  kind: Type.String(),
  date: Type.String(),
  summary: Type.String(),
  details: Type.Optional(Type.Record(Type.String(), Type.Union([Type.String(), Type.Number(), Type.Boolean()]))),
  recordedBy: Type.String(),
  recordedAt: Type.String(),
  status: Type.String(),
});

export const FacilityView = Type.Object({
  _id: Type.String(),
  name: Type.String(),
  sector: Type.String(),
  sectors: Type.Array(Type.String()),
  services: Type.Optional(Type.Array(Type.String())),
  active: Type.Boolean(),
  revision: Type.Integer(),
  unitCode: Type.String(),
  level: Type.String(),
  catchmentUnitCodes: Type.Optional(Type.Array(Type.String())),
  hours: Type.Optional(Type.String()),
  capacityNotes: Type.Optional(Type.String()),
  contact: FacilityDetailFields.contact,
});
