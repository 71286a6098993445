import Type, { type TString } from 'typebox';

/**
 * Limits of the fields that travel from an HTTP body into a workflow and an event, defined once.
 * Route schemas, workflow validators and event schemas all use these, so anything the edge
 * accepts the event can carry (a reason the edge took but the event refused once blocked a
 * referral for ever). Change a limit here and every layer follows.
 */

/** Limits a validator outside TypeBox (a workflow's update validator) applies to a text field. */
export interface TextLimits {
  minLength: number;
  maxLength: number;
  pattern?: string;
}

/** At least one character that is not white space: a reason of blanks says nothing. */
const SAYS_SOMETHING = '\\S';

const limitsOf = new WeakMap<TString, TextLimits>();

const limitedString = (limits: TextLimits, description: string): TString => {
  const schema = Type.String({ ...limits, description });
  limitsOf.set(schema, limits);
  return schema;
};
const text = (minLength: number, maxLength: number, description: string): TString =>
  limitedString({ minLength, maxLength, pattern: SAYS_SOMETHING }, description);

/** Why a child is referred; the receiving facility reads it. */
export const ReferralReason = text(
  3,
  1000,
  'What service the child needs; seen by the receiving facility (never what happened to the child)',
);

/** Why a referral is declined, withdrawn, redirected, extended or closed unresolved. */
export const ReferralActionReason = text(3, 1000, 'Why, in a sentence the other sector understands');

/** What the facility did: the completion's summary, carried as the referral's outcome. */
export const ServiceOutcome = text(3, 1000, 'What was done for the child (the service record summary)');

/** A note on acknowledging an escalation. */
export const EscalationNote = text(1, 1000, 'Who does what next');

/** A facility's code in the directory, e.g. TYT-02704 (health station of commune 02704). */
export const FacilityId = limitedString(
  { minLength: 1, maxLength: 64, pattern: '^[A-Za-z0-9_-]+$' },
  'Facility code of the directory, e.g. TYT-02704',
);

/**
 * A referral's id: a UUID for a new referral, `<uuid>-r<n>` for the referral a redirect starts.
 * One format for every route and event that names a referral.
 */
export const ReferralId = limitedString(
  {
    minLength: 36,
    maxLength: 100,
    pattern: '^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}(-r[0-9]{1,3})*$',
  },
  'Referral id (UUID; `-r<n>` for a redirected referral)',
);

const UnitCode = Type.String({ pattern: '^[0-9]{2,5}$', description: 'Official administrative unit code' });
const ActorId = Type.String({ minLength: 1, maxLength: 100 });

/** Who did something: a user id and role, never a name (names stay in the owning service). */
export const Actor = Type.Object(
  {
    userId: ActorId,
    role: Type.String({ minLength: 1, maxLength: 40 }),
    unitCode: Type.Optional(UnitCode),
    facilityId: Type.Optional(ActorId),
  },
  { additionalProperties: false },
);

/** The limits of one of the text fields above (the same numbers its schema carries). */
export function textLimits(schema: TString): TextLimits {
  const limits = limitsOf.get(schema);
  if (!limits) throw new Error('not a text field of @ecd/contracts');
  return limits;
}

/** The problem with `value` under `limits`, or undefined when it fits. Pure: workflows use it. */
export function textProblem(value: unknown, limits: TextLimits): string | undefined {
  if (typeof value !== 'string') return 'must be a string';
  if (value.length < limits.minLength || value.length > limits.maxLength) {
    return `must be ${limits.minLength}–${limits.maxLength} characters (got ${value.length})`;
  }
  if (limits.pattern !== undefined && !new RegExp(limits.pattern, 'u').test(value)) {
    return `must match ${limits.pattern}`;
  }
  return undefined;
}
