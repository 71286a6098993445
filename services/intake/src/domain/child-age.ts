/** Completed months between a date of birth (YYYY-MM-DD) and an instant, as clinicians count them. */
export function ageInMonths(dateOfBirth: string, at: Date): number {
  const [y, m, d] = dateOfBirth.split('-').map(Number) as [number, number, number];
  let months = (at.getUTCFullYear() - y) * 12 + (at.getUTCMonth() + 1 - m);
  if (at.getUTCDate() < d) months -= 1;
  return months;
}

/** The programme covers children "up to 8 years old": every child who has not yet turned 9. */
export const MAX_AGE_MONTHS = 9 * 12 - 1;
