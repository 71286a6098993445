import { createEvent, type CloudEvent, type CorrectableChildField } from '@ecd/contracts';
import { HttpProblem, type StaffIdentity } from '@ecd/service-kit';
import { registerChild, type ChildRecord, type RegisterChildCommand } from './child';

/** Who did something to a child's record: never a name, only the account and its commune. */
export interface RecordActor {
  userId: string;
  role: string;
  unitCode: string;
}

export const recordActor = (staff: StaffIdentity & { unitCode: string }): RecordActor => ({
  userId: staff.userId,
  role: staff.role,
  unitCode: staff.unitCode,
});

/** One corrected field: what it said before and what it says now. */
export interface FieldChange {
  field: CorrectableChildField;
  previous?: unknown;
  value?: unknown;
}

/**
 * A step in the life of a child's record, kept inside the register entry (one write with the
 * change it describes), so the previous value of every correction and every move between
 * communes can be read back by each commune the child belonged to.
 */
export type ChildHistoryEntry =
  | {
      id: string;
      kind: 'corrected';
      at: string;
      by: RecordActor;
      communeCode: string;
      reason: string;
      changes: FieldChange[];
    }
  | {
      id: string;
      kind: 'transfer-requested' | 'transfer-accepted' | 'transfer-declined';
      at: string;
      by: RecordActor;
      communeCode: string;
      transferId: string;
      fromCommuneCode: string;
      toCommuneCode: string;
      reason: string;
    };

export type ChildCorrection = Partial<Pick<RegisterChildCommand, CorrectableChildField>>;

const same = (a: unknown, b: unknown) => JSON.stringify(a ?? null) === JSON.stringify(b ?? null);

/**
 * Applies a correction to a register entry: the corrected values are checked as a registration
 * checks them (real date of birth, ethnic group code, special-circumstance groups), the name key
 * follows the name, and every field that really changes is listed with its previous value.
 */
export function correctChild(
  child: ChildRecord,
  correction: ChildCorrection,
  options: { now: Date; correctionId: string; reason: string; by: RecordActor },
): { set: Partial<ChildRecord>; entry: ChildHistoryEntry; event: CloudEvent } {
  const { _id, nameKey: _k, registeredAt: _a, registeredBy: _b, ...current } = child;
  let merged: ChildRecord;
  try {
    merged = registerChild(
      { ...current, ...correction },
      {
        now: options.now,
        registeredBy: child.registeredBy,
        childId: _id,
      },
    );
  } catch (error) {
    // The registration's checks name the register's fields; the request names them under `changes`.
    if (!(error instanceof HttpProblem)) throw error;
    const problems = error.problems?.map((p) => ({ ...p, field: `changes.${p.field}` }));
    const message = problems?.map((p) => `${p.field} ${p.problem}`).join('; ') || error.message;
    throw new HttpProblem(error.statusCode, message, problems);
  }
  const changes: FieldChange[] = [];
  const set: Partial<ChildRecord> = {};
  for (const field of Object.keys(correction) as CorrectableChildField[]) {
    const previous = child[field];
    const value = merged[field];
    if (same(previous, value)) continue;
    changes.push({ field, ...(previous !== undefined ? { previous } : {}), ...(value !== undefined ? { value } : {}) });
    Object.assign(set, { [field]: value });
  }
  if (changes.length === 0) {
    const fields = Object.keys(correction);
    throw new HttpProblem(
      422,
      'the correction changes nothing: every value sent is already the one in the register',
      (fields.length > 0 ? fields : ['changes']).map((field) => ({
        field: fields.length > 0 ? `changes.${field}` : field,
        problem: fields.length > 0 ? 'is already this value' : 'names no field to correct',
      })),
    );
  }
  if (set.fullName !== undefined) set.nameKey = merged.nameKey;
  const at = options.now.toISOString();
  const entry: ChildHistoryEntry = {
    id: options.correctionId,
    kind: 'corrected',
    at,
    by: options.by,
    communeCode: child.communeCode,
    reason: options.reason,
    changes,
  };
  const event = createEvent({
    id: `${child._id}:corrected:${options.correctionId}`,
    type: 'child.corrected.v1',
    source: '/services/intake',
    subject: child._id,
    time: at,
    data: {
      childId: child._id,
      communeCode: child.communeCode,
      correctionId: options.correctionId,
      fields: changes.map((c) => c.field),
      reason: options.reason,
      at,
      by: options.by,
    },
  });
  return { set, entry, event };
}
