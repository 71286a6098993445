import Type from 'typebox';
import type { Static } from 'typebox';
import { Sectors, Urgencies, findProblems } from '@ecd/contracts';
import type { FieldProblem, Sector, Urgency } from '@ecd/contracts';

export type WindowUnit = 'hours' | 'workingDays';

/**
 * A length of time: calendar hours (holidays and nights count) or working days (counted by the
 * working-day calendar, see `WorkingDayCalendar.addWorkingDays`).
 */
export interface Window {
  amount: number;
  unit: WindowUnit;
}

/**
 * Service-level policy for referrals of one sector and urgency. Policies are versioned data: a
 * running referral keeps the version it started with.
 */
export interface SlaPolicy {
  id: string;
  version: number;
  sector: Sector;
  urgency: Urgency;
  /** From the referral being sent to the receiving facility accepting or declining it. */
  acceptWithin: Window;
  /** From acceptance to the service being completed (for protection: the support plan drafted). */
  completeWithin: Window;
  /** Reminders to the receiving facility, as fractions (0 < f < 1) of the window that is running. */
  reminderAt: number[];
  /** Time between escalation levels once a deadline is missed. */
  escalationInterval: Window;
  /** Role ids allowed to extend a deadline; empty when the deadline cannot be extended. */
  allowedExtensionRoles: string[];
  /** Legal source or rationale of the numbers. */
  source: string;
}

const HoursWindowSchema = Type.Object(
  { amount: Type.Number({ exclusiveMinimum: 0, maximum: 8760 }), unit: Type.Literal('hours') },
  { additionalProperties: false },
);
const WorkingDaysWindowSchema = Type.Object(
  { amount: Type.Integer({ minimum: 1, maximum: 260 }), unit: Type.Literal('workingDays') },
  { additionalProperties: false },
);

/** A window: a positive number of hours, or a positive whole number of working days. */
export const WindowSchema = Type.Union([HoursWindowSchema, WorkingDaysWindowSchema]);

/** Validates SLA policy documents (e.g. a province's overrides loaded from configuration). */
export const SlaPolicySchema = Type.Object(
  {
    id: Type.String({ minLength: 1, maxLength: 64 }),
    version: Type.Integer({ minimum: 1 }),
    sector: Type.Enum(Sectors),
    urgency: Type.Enum(Urgencies),
    acceptWithin: WindowSchema,
    completeWithin: WindowSchema,
    reminderAt: Type.Array(Type.Number({ exclusiveMinimum: 0, exclusiveMaximum: 1 }), {
      maxItems: 10,
      uniqueItems: true,
    }),
    escalationInterval: WindowSchema,
    allowedExtensionRoles: Type.Array(Type.String({ minLength: 1, maxLength: 64 }), { uniqueItems: true }),
    source: Type.String({ minLength: 1 }),
  },
  { additionalProperties: false },
);

// The hand-written interface and the schema must describe the same documents.
type SchemaPolicy = Static<typeof SlaPolicySchema>;
type Same<A, B> = [A] extends [B] ? ([B] extends [A] ? true : false) : false;
const _policyMatchesSchema: Same<SchemaPolicy, SlaPolicy> = true;

/** Problems with a policy document; empty when it is a valid {@link SlaPolicy}. */
export function validateSlaPolicy(document: unknown): FieldProblem[] {
  return findProblems(SlaPolicySchema, document);
}

/**
 * The policy for a sector and urgency: the highest version among `policies`, or undefined when
 * none matches (callers decide; nothing is silently defaulted).
 */
export function findPolicy(policies: readonly SlaPolicy[], sector: Sector, urgency: Urgency): SlaPolicy | undefined {
  let found: SlaPolicy | undefined;
  for (const policy of policies) {
    if (policy.sector !== sector || policy.urgency !== urgency) continue;
    if (!found || policy.version > found.version) found = policy;
  }
  return found;
}

/** Like {@link findPolicy}, but throws when no policy matches. */
export function requirePolicy(policies: readonly SlaPolicy[], sector: Sector, urgency: Urgency): SlaPolicy {
  const policy = findPolicy(policies, sector, urgency);
  if (!policy) throw new Error(`No SLA policy for ${sector}/${urgency}`);
  return policy;
}

const hours = (amount: number): Window => ({ amount, unit: 'hours' });
const workingDays = (amount: number): Window => ({ amount, unit: 'workingDays' });
const REMINDERS = [0.5, 0.8];

/**
 * Role ids used by the default policies. They name who may extend a deadline; the identity
 * service must issue the same ids.
 */
export const ExtensionRoles = {
  facilityManager: 'facility-manager',
  schoolPrincipal: 'school-principal',
  educationOfficer: 'education-officer',
  communeChairman: 'commune-chairman',
} as const;

const PRODUCT_DEFAULT =
  'No statutory deadline: product default, to be reviewed with the provincial department responsible.';

function policy(
  sector: Sector,
  urgency: Urgency,
  acceptWithin: Window,
  completeWithin: Window,
  escalationInterval: Window,
  allowedExtensionRoles: string[],
  source: string,
): SlaPolicy {
  return {
    id: `${sector}.${urgency}`,
    version: 1,
    sector,
    urgency,
    acceptWithin,
    completeWithin,
    reminderAt: [...REMINDERS],
    escalationInterval,
    allowedExtensionRoles,
    source,
  };
}

function healthLike(sector: 'health' | 'nutrition'): SlaPolicy[] {
  const what = sector === 'health' ? 'health' : 'nutrition';
  return [
    policy(
      sector,
      'routine',
      workingDays(2),
      workingDays(10),
      workingDays(2),
      [ExtensionRoles.facilityManager],
      `Routine ${what} referral (e.g. a screening follow-up, a missed vaccination): the receiving facility ` +
        `accepts within 2 working days and gives the service within 10. ${PRODUCT_DEFAULT}`,
    ),
    policy(
      sector,
      'urgent',
      hours(24),
      workingDays(5),
      hours(12),
      [ExtensionRoles.facilityManager],
      `Urgent ${what} referral (e.g. severe acute malnutrition, weight-for-height below −3 SD): treatment must ` +
        `not wait for office days, so acceptance is within 24 calendar hours and the service within 5 working ` +
        `days. ${PRODUCT_DEFAULT}`,
    ),
    policy(
      sector,
      'emergency',
      hours(2),
      hours(24),
      hours(1),
      [],
      `Emergency ${what} referral (life at risk): accepted within 2 calendar hours and served within 24, ` +
        `day or night, without extension. ${PRODUCT_DEFAULT}`,
    ),
  ];
}

const BIRTH_REGISTRATION =
  'Law on Civil Status 2014 (60/2014/QH13) Art. 15: parents register a birth within 60 days, and the commune ' +
  'civil-status officer checks on and urges the registration of every child in time; Art. 16: the officer ' +
  'registers the birth as soon as the papers are complete (procedure detailed in Decree 123/2015/NĐ-CP).';

/**
 * Birth registration at the commune civil-status officer. The registration itself is statutory
 * (on the day the papers are complete); the windows around it — reaching the family, who must
 * bring the papers — are product defaults and say so.
 */
function civilRegistration(): SlaPolicy[] {
  return [
    policy(
      'civil-registration',
      'routine',
      workingDays(2),
      workingDays(10),
      workingDays(2),
      [ExtensionRoles.communeChairman],
      `Routine birth-registration referral: ${BIRTH_REGISTRATION} Accept within 2 working days, register within ` +
        `10 (time for the family to bring the papers). ${PRODUCT_DEFAULT}`,
    ),
    policy(
      'civil-registration',
      'urgent',
      workingDays(1),
      workingDays(5),
      workingDays(1),
      [ExtensionRoles.communeChairman],
      `Urgent birth-registration referral (e.g. a child who needs a health-insurance card or a place in care): ` +
        `${BIRTH_REGISTRATION} Accept within 1 working day, register within 5. ${PRODUCT_DEFAULT}`,
    ),
    policy(
      'civil-registration',
      'emergency',
      hours(24),
      workingDays(2),
      hours(4),
      [],
      `Emergency birth-registration referral (e.g. an abandoned child to be registered before placement): ` +
        `${BIRTH_REGISTRATION} Accept within 24 calendar hours, register within 2 working days, without ` +
        `extension. ${PRODUCT_DEFAULT}`,
    ),
  ];
}

/**
 * Policies shipped with the product, one per sector and urgency (version 1). Statutory numbers
 * cite their source; the others are product defaults and say so.
 */
export const defaultSlaPolicies: readonly SlaPolicy[] = [
  policy(
    'protection',
    'emergency',
    hours(12),
    workingDays(5),
    hours(2),
    [],
    'Decree 56/2017/NĐ-CP Art. 26: where the child’s life, health or dignity is at serious risk, emergency ' +
      'measures or temporary separation within 12 hours of receiving the information; Art. 28: support and ' +
      'intervention plan drafted within 5 working days. Statutory, so not extendable.',
  ),
  policy(
    'protection',
    'urgent',
    hours(24),
    workingDays(5),
    hours(4),
    [],
    'Decree 56/2017/NĐ-CP Arts. 25–26: a report is received and assessed at once (24 calendar hours here); ' +
      'Art. 28: support and intervention plan drafted within 5 working days. Statutory, so not extendable.',
  ),
  policy(
    'protection',
    'routine',
    hours(24),
    workingDays(5),
    workingDays(1),
    [],
    'Decree 56/2017/NĐ-CP Arts. 25–26: every report is received and assessed at once (24 calendar hours ' +
      'here); Art. 28: support and intervention plan drafted within 5 working days. Statutory, so not extendable.',
  ),
  ...healthLike('health'),
  ...healthLike('nutrition'),
  policy(
    'education',
    'routine',
    workingDays(5),
    workingDays(20),
    workingDays(3),
    [ExtensionRoles.schoolPrincipal, ExtensionRoles.educationOfficer],
    'Routine education referral (preschool enrolment, inclusive education under Circular 03/2018/TT-BGDĐT): ' +
      `accepted within 5 working days, placement or plan within 20. ${PRODUCT_DEFAULT}`,
  ),
  policy(
    'education',
    'urgent',
    workingDays(2),
    workingDays(10),
    workingDays(1),
    [ExtensionRoles.schoolPrincipal, ExtensionRoles.educationOfficer],
    `Urgent education referral (e.g. a child out of school after a family crisis). ${PRODUCT_DEFAULT}`,
  ),
  policy(
    'education',
    'emergency',
    hours(24),
    workingDays(5),
    hours(4),
    [],
    'An education emergency is usually also a protection matter: open a protection referral too. ' + PRODUCT_DEFAULT,
  ),
  policy(
    'welfare',
    'routine',
    workingDays(5),
    workingDays(20),
    workingDays(3),
    [ExtensionRoles.communeChairman],
    `Routine social-welfare referral (e.g. social assistance, birth registration support). ${PRODUCT_DEFAULT}`,
  ),
  policy(
    'welfare',
    'urgent',
    workingDays(2),
    workingDays(10),
    workingDays(1),
    [ExtensionRoles.communeChairman],
    `Urgent social-welfare referral (e.g. a household left without income or shelter). ${PRODUCT_DEFAULT}`,
  ),
  policy(
    'welfare',
    'emergency',
    hours(24),
    workingDays(5),
    hours(4),
    [],
    `Emergency social-welfare referral (e.g. emergency relief, Decree 20/2021/NĐ-CP). ${PRODUCT_DEFAULT}`,
  ),
  ...civilRegistration(),
];
