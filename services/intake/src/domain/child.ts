import { randomUUID } from 'node:crypto';
import { HttpProblem } from '@ecd/service-kit';
import { findEthnicGroup, findSpecialCircumstanceGroup, normaliseVietnameseName } from '@ecd/screening';
import { ageInMonths, MAX_AGE_MONTHS } from './child-age';

export interface Caregiver {
  name: string;
  relationship: string;
  phone?: string;
}

export interface RegisterChildCommand {
  fullName: string;
  dateOfBirth: string;
  sex: 'female' | 'male';
  ethnicityCode: string;
  communeCode: string;
  village?: string;
  caregivers: Caregiver[];
  birthRegistered: boolean;
  specialCircumstances?: string[];
  disability?: boolean;
}

/** A child in the commune's register. `nameKey` is the normalised name duplicate checks compare. */
export interface ChildRecord extends RegisterChildCommand {
  _id: string;
  nameKey: string;
  registeredAt: string;
  registeredBy: string;
}

/** Checks a date of birth: a real calendar date, not in the future, a child of at most 8 years. */
export function checkDateOfBirth(dateOfBirth: string, now: Date, field: string): number {
  const dob = new Date(`${dateOfBirth}T00:00:00Z`);
  if (Number.isNaN(dob.getTime()) || dob.toISOString().slice(0, 10) !== dateOfBirth) {
    throw new HttpProblem(400, `${field} is not a real calendar date`, [
      { field, problem: 'is not a real calendar date' },
    ]);
  }
  const months = ageInMonths(dateOfBirth, now);
  if (months < 0) {
    throw new HttpProblem(400, `${field} is in the future`, [{ field, problem: 'is in the future' }]);
  }
  if (months > MAX_AGE_MONTHS) {
    throw new HttpProblem(422, 'the child is older than 8 years; this programme serves children up to 8', [
      { field, problem: 'makes the child older than 8 years' },
    ]);
  }
  return months;
}

/** A register entry from a validated request: reference codes checked, name key computed. */
export function registerChild(
  command: RegisterChildCommand,
  options: { now: Date; registeredBy: string; childId?: string },
): ChildRecord {
  checkDateOfBirth(command.dateOfBirth, options.now, 'dateOfBirth');
  const problems: { field: string; problem: string }[] = [];
  if (!findEthnicGroup(command.ethnicityCode)) {
    problems.push({
      field: 'ethnicityCode',
      problem: `"${command.ethnicityCode}" is not an ethnic group code (01–54)`,
    });
  }
  command.specialCircumstances?.forEach((code, i) => {
    if (!findSpecialCircumstanceGroup(code)) {
      problems.push({
        field: `specialCircumstances.${i}`,
        problem: `"${code}" is not one of the 14 groups of Law on Children Art. 10`,
      });
    }
  });
  if (problems.length > 0) {
    throw new HttpProblem(400, problems.map((p) => `${p.field} ${p.problem}`).join('; '), problems);
  }
  return {
    _id: options.childId ?? randomUUID(),
    ...command,
    ...(command.specialCircumstances
      ? { specialCircumstances: command.specialCircumstances.map((c) => findSpecialCircumstanceGroup(c)!.code) }
      : {}),
    nameKey: normaliseVietnameseName(command.fullName),
    registeredAt: options.now.toISOString(),
    registeredBy: options.registeredBy,
  };
}
