/** A child's sex as the WHO standards (and the intake service) record it. */
export type Sex = 'male' | 'female';

/** The WHO 2006 tables this package ships. */
export type LmsIndicator = 'weight-for-age' | 'length-height-for-age' | 'weight-for-length' | 'weight-for-height';

/** One row: the key (age in days, or length/height in cm), then the Box-Cox power L, median M, CV S. */
export type LmsRow = readonly [key: number, L: number, M: number, S: number];

/** LMS parameters at one point of a table. */
export interface Lms {
  L: number;
  M: number;
  S: number;
}

/**
 * One WHO table for one sex. Rows are evenly spaced: row `i` has key `first + i * step`
 * (checked by the tests), so a lookup is an index computation.
 */
export interface LmsTable {
  indicator: LmsIndicator;
  sex: Sex;
  key: 'ageDays' | 'lengthCm' | 'heightCm';
  first: number;
  step: number;
  rows: readonly LmsRow[];
}

/**
 * LMS parameters at `key`: the row itself when `key` falls on one, otherwise linear interpolation
 * between the two neighbouring rows (as WHO's anthro software does for a length or height with more
 * than one decimal). Undefined outside the table.
 */
export function lmsAt(table: LmsTable, key: number): Lms | undefined {
  if (!Number.isFinite(key)) return undefined;
  const position = (key - table.first) / table.step;
  // Keys are decimals such as 45.3: absorb the binary floating-point error of the division.
  const nearest = Math.round(position);
  const exact = Math.abs(position - nearest) < 1e-9;
  const index = exact ? nearest : Math.floor(position);
  const last = table.rows.length - 1;
  if (index < 0 || index > last || (!exact && index === last)) return undefined;
  const low = table.rows[index]!;
  if (exact) return { L: low[1], M: low[2], S: low[3] };
  const high = table.rows[index + 1]!;
  const t = position - index;
  return {
    L: low[1] + t * (high[1] - low[1]),
    M: low[2] + t * (high[2] - low[2]),
    S: low[3] + t * (high[3] - low[3]),
  };
}
