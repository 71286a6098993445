import type { AdministrativeLevel } from '@ecd/contracts';
import { EscalationLadder, type AdministrativeUnit } from '../referral-deadlines';
import { laoCaiThreeLevelUnits } from './lao-cai-three-level';
import { laoCaiTwoLevelUnits } from './lao-cai-two-level';
import { officialThreeLevelList, officialThreeLevelListSource } from './official-three-level.data';
import { officialTwoLevelList, officialTwoLevelListSource } from './official-two-level.data';

/**
 * Which administrative units a deployment runs on:
 * - `official`: the 34 provinces and 3,321 communes in force since 1 July 2025 (Decision
 *   19/2025/QĐ-TTg), as published.
 * - `two-level` (the default): the same list, except that Lào Cai is the demo's own sample (province
 *   `10`, communes Y Tý 02704, Bát Xát 02701, …) in place of the official Lào Cai (province `15`,
 *   whose official commune codes differ and partly collide with the sample's: 02701 is officially
 *   Y Tý). Every other province is official, so Phường Ba Đình (00004, Hà Nội 01) works as is.
 * - `three-level`: the 63 provinces, 696 districts and 10,047 communes in force until 30 June 2025,
 *   for history, with the demo's three-level Lào Cai sample in place of the official one.
 */
export const AdministrativeEditions = ['two-level', 'official', 'three-level'] as const;
export type AdministrativeEdition = (typeof AdministrativeEditions)[number];

/** Where the shipped lists come from (cited in docs/adr/0022). */
export const administrativeUnitSources = {
  twoLevel: officialTwoLevelListSource,
  threeLevel: officialThreeLevelListSource,
} as const;

const LEVEL_BY_CODE_LENGTH: Record<number, AdministrativeLevel> = { 2: 'province', 3: 'district', 5: 'commune' };

/** Reads a generated list: `<code> <name>` a line, a unit belonging to the nearest shorter code above it. */
function parseList(text: string): AdministrativeUnit[] {
  const units: AdministrativeUnit[] = [];
  const open: AdministrativeUnit[] = [];
  for (const line of text.split('\n')) {
    const space = line.indexOf(' ');
    const code = line.slice(0, space);
    const level = LEVEL_BY_CODE_LENGTH[code.length];
    if (!level) throw new RangeError(`administrative unit list: unexpected line "${line}"`);
    while (open.length && open[open.length - 1]!.code.length >= code.length) open.pop();
    const parent = open[open.length - 1];
    const unit: AdministrativeUnit = parent
      ? { code, name: line.slice(space + 1), level, parentCode: parent.code }
      : { code, name: line.slice(space + 1), level };
    units.push(unit);
    open.push(unit);
  }
  return units;
}

/** `units` without `provinceCode` and everything under it, followed by `replacement`. */
function replaceProvince(
  units: readonly AdministrativeUnit[],
  provinceCode: string,
  replacement: readonly AdministrativeUnit[],
): AdministrativeUnit[] {
  const ladder = new EscalationLadder(units);
  const dropped = new Set(ladder.unitsWithin(provinceCode).map((u) => u.code));
  return [...units.filter((u) => !dropped.has(u.code)), ...replacement];
}

const cache = new Map<AdministrativeEdition, readonly AdministrativeUnit[]>();
const ladders = new Map<AdministrativeEdition, EscalationLadder>();
let officialThreeLevel: readonly AdministrativeUnit[] | undefined;

/** The official list since 1 July 2025: 34 provinces, 3,321 communes. */
export function officialTwoLevelUnits(): readonly AdministrativeUnit[] {
  return administrativeUnitsOf('official');
}

/** The official list until 30 June 2025: 63 provinces, 696 districts, 10,047 communes. */
export function officialThreeLevelUnits(): readonly AdministrativeUnit[] {
  officialThreeLevel ??= Object.freeze(parseList(officialThreeLevelList));
  return officialThreeLevel;
}

/** The units of an edition (parsed once, then shared; do not mutate). */
export function administrativeUnitsOf(edition: AdministrativeEdition = 'two-level'): readonly AdministrativeUnit[] {
  const cached = cache.get(edition);
  if (cached) return cached;
  let units: readonly AdministrativeUnit[];
  switch (edition) {
    case 'official':
      units = parseList(officialTwoLevelList);
      break;
    case 'two-level':
      units = replaceProvince(administrativeUnitsOf('official'), '15', laoCaiTwoLevelUnits);
      break;
    case 'three-level':
      units = replaceProvince(officialThreeLevelUnits(), '10', laoCaiThreeLevelUnits);
      break;
    default: {
      const unknown: never = edition;
      throw new RangeError(`unknown administrative edition ${String(unknown)}`);
    }
  }
  units = Object.freeze(units);
  cache.set(edition, units);
  return units;
}

/** The escalation ladder of an edition, built once. */
export function escalationLadderOf(edition: AdministrativeEdition = 'two-level'): EscalationLadder {
  let ladder = ladders.get(edition);
  if (!ladder) {
    ladder = new EscalationLadder(administrativeUnitsOf(edition));
    ladders.set(edition, ladder);
  }
  return ladder;
}
