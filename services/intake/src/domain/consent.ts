import type { Sector } from '@ecd/contracts';
import { HttpProblem } from '@ecd/service-kit';
import { ageInMonths } from './child-age';

/**
 * Consent to share a child's data with other sectors (Personal Data Protection Law 91/2025/QH15,
 * Decree 356/2025/NĐ-CP): given by a parent or guardian, with the child's own assent from age 7.
 */
export interface ConsentRecord {
  _id: string;
  childId: string;
  communeCode: string;
  givenBy: { name: string; relationship: 'parent' | 'guardian' };
  /** The child's own assent; required from the 7th birthday. */
  childAssent?: boolean;
  sharingWith: Sector[];
  givenOn: string;
  recordedAt: string;
  recordedBy: string;
  note?: string;
  withdrawal?: {
    on: string;
    by: { name: string; relationship: 'parent' | 'guardian' | 'child' };
    reason: string;
    recordedAt: string;
    recordedBy: string;
  };
}

export type RecordConsentCommand = Pick<ConsentRecord, 'givenBy' | 'childAssent' | 'sharingWith' | 'note'> & {
  givenOn: string;
};

/** From this age (in months) the child's own assent is needed as well. */
export const ASSENT_AGE_MONTHS = 7 * 12;

/**
 * Child protection needs no consent: the Law on Children (Art. 33, 50–51) and Decree 56 oblige
 * officials to act on a child at risk whatever the family agrees to. Every other sector does.
 */
export const sectorsNeedingConsent = (sector: Sector): boolean => sector !== 'protection';

/** A real calendar date (YYYY-MM-DD) that is not after today in Vietnam. */
export function checkPastDate(value: string, field: string, now: Date): Date {
  const date = new Date(`${value}T00:00:00Z`);
  if (Number.isNaN(date.getTime()) || date.toISOString().slice(0, 10) !== value) {
    throw new HttpProblem(400, `${field} is not a real calendar date`, [
      { field, problem: 'is not a real calendar date' },
    ]);
  }
  const vietnamToday = new Date(now.getTime() + 7 * 3_600_000).toISOString().slice(0, 10);
  if (value > vietnamToday)
    throw new HttpProblem(400, `${field} is in the future`, [{ field, problem: 'is in the future' }]);
  return date;
}

export function recordConsent(
  command: RecordConsentCommand,
  context: {
    consentId: string;
    childId: string;
    communeCode: string;
    dateOfBirth: string;
    now: Date;
    recordedBy: string;
  },
): ConsentRecord {
  const givenOn = checkPastDate(command.givenOn, 'givenOn', context.now);
  if (command.givenOn < context.dateOfBirth) {
    throw new HttpProblem(400, 'givenOn is before the child was born', [
      { field: 'givenOn', problem: 'is before the child’s date of birth' },
    ]);
  }
  if (ageInMonths(context.dateOfBirth, givenOn) >= ASSENT_AGE_MONTHS && command.childAssent !== true) {
    throw new HttpProblem(422, 'a child aged 7 or over must also agree to the sharing', [
      { field: 'childAssent', problem: 'must be true: the child was 7 or over on that day' },
    ]);
  }
  return {
    _id: context.consentId,
    childId: context.childId,
    communeCode: context.communeCode,
    givenBy: command.givenBy,
    ...(command.childAssent !== undefined ? { childAssent: command.childAssent } : {}),
    sharingWith: command.sharingWith,
    givenOn: command.givenOn,
    recordedAt: context.now.toISOString(),
    recordedBy: context.recordedBy,
    ...(command.note ? { note: command.note } : {}),
  };
}

/** Whether the child's consents in force allow sharing with the sector. */
export function consentAllows(consents: ConsentRecord[], sector: Sector): boolean {
  if (!sectorsNeedingConsent(sector)) return true;
  return consents.some((c) => !c.withdrawal && c.sharingWith.includes(sector));
}
