import Type from 'typebox';
import { ChildRecordReason, CorrectableChildFields } from '@ecd/contracts';
import { CommuneCode } from './case-schemas';
import { RegisterChildBody } from './child-schemas';
import { TransferStatuses } from '../repositories/transfer-repository';

const registered = RegisterChildBody.properties;

/** The fields a correction may change, with the limits a registration applies to them. */
export const ChildCorrectionChanges = Type.Object(
  {
    fullName: Type.Optional(registered.fullName),
    dateOfBirth: Type.Optional(registered.dateOfBirth),
    sex: Type.Optional(registered.sex),
    ethnicityCode: Type.Optional(registered.ethnicityCode),
    village: registered.village,
    caregivers: Type.Optional(registered.caregivers),
    birthRegistered: Type.Optional(registered.birthRegistered),
    specialCircumstances: registered.specialCircumstances,
    disability: registered.disability,
  },
  { additionalProperties: false, minProperties: 1 },
);

export const CorrectChildBody = Type.Object(
  {
    changes: ChildCorrectionChanges,
    reason: ChildRecordReason,
  },
  { additionalProperties: false },
);

export const TransferChildBody = Type.Object(
  {
    toCommuneCode: CommuneCode,
    reason: ChildRecordReason,
  },
  { additionalProperties: false },
);

export const DeclineTransferBody = Type.Object({ reason: ChildRecordReason }, { additionalProperties: false });

export const TransferParams = Type.Object(
  { transferId: Type.String({ format: 'uuid' }) },
  { additionalProperties: false },
);

const Actor = Type.Object({ userId: Type.String(), role: Type.String(), unitCode: Type.String() });

export const TransferView = Type.Object({
  _id: Type.String(),
  childId: Type.String(),
  child: Type.Object({ fullName: Type.String(), dateOfBirth: Type.String(), sex: Type.String() }),
  fromCommuneCode: Type.String(),
  toCommuneCode: Type.String(),
  reason: Type.String(),
  status: Type.Enum(TransferStatuses),
  requestedAt: Type.String(),
  requestedBy: Actor,
  decidedAt: Type.Optional(Type.String()),
  decidedBy: Type.Optional(Actor),
  declineReason: Type.Optional(Type.String()),
  moved: Type.Optional(
    Type.Object({
      caseIds: Type.Array(Type.String()),
      referralIds: Type.Array(Type.String()),
      consentIds: Type.Array(Type.String()),
    }),
  ),
});

export const ChildHistoryView = Type.Object({
  childId: Type.String(),
  /** The commune the child belongs to now. */
  communeCode: Type.String(),
  entries: Type.Array(
    Type.Object({
      id: Type.String(),
      kind: Type.Enum(['registered', 'corrected', 'transfer-requested', 'transfer-accepted', 'transfer-declined']),
      at: Type.String(),
      by: Type.Object({ userId: Type.String(), role: Type.Optional(Type.String()), unitCode: Type.String() }),
      communeCode: Type.String(),
      reason: Type.Optional(Type.String()),
      changes: Type.Optional(
        Type.Array(
          Type.Object({
            field: Type.Enum(CorrectableChildFields),
            previous: Type.Optional(Type.Unknown()),
            value: Type.Optional(Type.Unknown()),
          }),
        ),
      ),
      transferId: Type.Optional(Type.String()),
      fromCommuneCode: Type.Optional(Type.String()),
      toCommuneCode: Type.Optional(Type.String()),
    }),
  ),
});
