import { parse } from 'csv-parse/sync';
import Type from 'typebox';
import {
  AdministrativeLevels,
  AdministrativeUnitFields,
  findProblems,
  type AdministrativeLevel,
  type FieldProblem,
} from '@ecd/contracts';
import type { AdministrativeUnit, EscalationLadder } from '@ecd/referral-policy';

/** The columns of an import file, in this order, with a header row. */
export const IMPORT_COLUMNS = ['code', 'name', 'level', 'parent_code'] as const;
/** More rows than the whole pre-reform country (10,806 units) is not an import of units. */
export const MAX_IMPORT_ROWS = 12_000;

const UnitRow = Type.Object(AdministrativeUnitFields, { additionalProperties: false });
const CODE_SHAPE: Record<AdministrativeLevel, RegExp> = {
  province: /^[0-9]{2}$/,
  district: /^[0-9]{3}$/,
  commune: /^[0-9]{5}$/,
  village: /^[0-9]{5}-[0-9]{1,4}$/,
};
const columnOf = (field: string) => (field === 'parentCode' ? 'parent_code' : field);

/** One problem of an import: the file row (1 is the header) and the column at fault. */
export interface ImportProblem {
  row: number;
  column: string;
  problem: string;
}

export type ImportCheck =
  { ok: true; units: AdministrativeUnit[]; next: EscalationLadder } | { ok: false; problems: ImportProblem[] };

/** The problems in the shape every 4xx body uses: `row 3, parent_code`. */
export const asFieldProblems = (problems: readonly ImportProblem[]): FieldProblem[] =>
  problems.map((p) => ({ field: `row ${p.row}, ${p.column}`, problem: p.problem }));

/**
 * Reads and checks a CSV of administrative units (`code,name,level,parent_code`) against the
 * ladder it would change: every row's own shape, then the whole result (parents exist and sit
 * higher, no code twice), then the administrator's area. Nothing is applied unless every row
 * passes, so a half-imported country never exists.
 */
export function checkUnitImport(csv: string, ladder: EscalationLadder, administratorUnit?: string): ImportCheck {
  let records: { record: Record<string, string>; info: { lines: number } }[];
  try {
    records = parse(csv, { columns: true, bom: true, trim: true, skip_empty_lines: true, info: true });
  } catch (error) {
    const { lines, column } = error as { lines?: number; column?: string | number };
    return {
      ok: false,
      problems: [{ row: lines ?? 1, column: String(column ?? '(file)'), problem: (error as Error).message }],
    };
  }
  const header = csv
    .replace(/^\uFEFF/, '')
    .split(/\r?\n/, 1)[0]!
    .split(',')
    .map((c) => c.trim());
  const missing = IMPORT_COLUMNS.filter((c) => !header.includes(c));
  const unknown = header.filter((c) => !(IMPORT_COLUMNS as readonly string[]).includes(c));
  if (missing.length || unknown.length) {
    return {
      ok: false,
      problems: [
        ...missing.map((column) => ({ row: 1, column, problem: `the header lacks the column ${column}` })),
        ...unknown.map((column) => ({
          row: 1,
          column,
          problem: `is not a column (expected ${IMPORT_COLUMNS.join(',')})`,
        })),
      ],
    };
  }
  if (records.length === 0)
    return { ok: false, problems: [{ row: 2, column: 'code', problem: 'the file has no rows' }] };
  if (records.length > MAX_IMPORT_ROWS) {
    return {
      ok: false,
      problems: [{ row: MAX_IMPORT_ROWS + 2, column: 'code', problem: `more than ${MAX_IMPORT_ROWS} rows` }],
    };
  }

  const problems: ImportProblem[] = [];
  const units: AdministrativeUnit[] = [];
  const rowOf = new Map<string, number>();
  for (const { record, info } of records) {
    const row = info.lines;
    const candidate = {
      code: record.code ?? '',
      name: record.name ?? '',
      level: record.level ?? '',
      ...(record.parent_code ? { parentCode: record.parent_code } : {}),
    };
    const rowProblems = findProblems(UnitRow, candidate).map((p) => ({
      row,
      column: columnOf(p.field),
      problem: p.problem,
    }));
    const level = AdministrativeLevels.find((l) => l === candidate.level);
    if (rowProblems.length || !level) {
      problems.push(...rowProblems);
      continue;
    }
    if (!CODE_SHAPE[level].test(candidate.code)) {
      problems.push({ row, column: 'code', problem: `${candidate.code} is not the code of a ${level}` });
      continue;
    }
    if (level === 'province' && candidate.parentCode) {
      problems.push({ row, column: 'parent_code', problem: 'a province has no parent: leave it empty' });
      continue;
    }
    if (level !== 'province' && !candidate.parentCode) {
      problems.push({ row, column: 'parent_code', problem: `a ${level} needs the code of the unit it belongs to` });
      continue;
    }
    if (rowOf.has(candidate.code)) {
      problems.push({
        row,
        column: 'code',
        problem: `${candidate.code} is already on row ${rowOf.get(candidate.code)}`,
      });
      continue;
    }
    rowOf.set(candidate.code, row);
    units.push({ ...candidate, level });
  }
  // Parents: in the ladder or on a row of this file, and one level up or more.
  const inFile = new Map(units.map((u) => [u.code, u]));
  const rank: Record<AdministrativeLevel, number> = { province: 0, district: 1, commune: 2, village: 3 };
  for (const unit of units) {
    if (!unit.parentCode) continue;
    const parent =
      inFile.get(unit.parentCode) ?? (ladder.has(unit.parentCode) ? ladder.unit(unit.parentCode) : undefined);
    const row = rowOf.get(unit.code)!;
    if (!parent) {
      problems.push({
        row,
        column: 'parent_code',
        problem: `${unit.parentCode} is not a known unit nor a row of this file`,
      });
    } else if (rank[parent.level] >= rank[unit.level]) {
      problems.push({
        row,
        column: 'parent_code',
        problem: `a ${unit.level} cannot belong to ${parent.code}, a ${parent.level}`,
      });
    }
  }
  if (problems.length) return { ok: false, problems: problems.sort((a, b) => a.row - b.row) };

  let next: EscalationLadder;
  try {
    next = ladder.withUnits(units);
  } catch (error) {
    // A unit already in the ladder whose units would now sit at or above it (a demoted parent).
    const code = /unit ([0-9-]+)/.exec((error as Error).message)?.[1] ?? '';
    return {
      ok: false,
      problems: [{ row: rowOf.get(code) ?? 2, column: 'level', problem: (error as Error).message }],
    };
  }
  if (administratorUnit) {
    for (const unit of units) {
      // A province's administrator changes its own units, not the neighbour's.
      if (
        !next.isWithin(unit.code, administratorUnit) ||
        (ladder.has(unit.code) && !ladder.isWithin(unit.code, administratorUnit))
      ) {
        problems.push({
          row: rowOf.get(unit.code)!,
          column: 'code',
          problem: `${unit.code} lies outside your unit ${administratorUnit}`,
        });
      }
    }
    if (problems.length) return { ok: false, problems };
  }
  return { ok: true, units, next };
}
