import {
  EscalationLadder,
  laoCaiThreeLevelUnits,
  laoCaiTwoLevelUnits,
  type AdministrativeUnit,
} from '@ecd/referral-policy';
import type { Sector } from '@ecd/contracts';

/**
 * The administrative units the directory's rule is read against: the two-level government since
 * 1 July 2025, and the three-level one before it (children registered under an old code keep it).
 * Behind this one function so the country's full unit list (issue 15, another change) replaces
 * the sample here without touching the rule.
 */
const ladders = [laoCaiTwoLevelUnits, laoCaiThreeLevelUnits].map((units) => ({
  codes: new Set(units.map((u) => u.code)),
  ladder: new EscalationLadder(units),
}));

export function currentUnits(): readonly AdministrativeUnit[] {
  return laoCaiTwoLevelUnits;
}

/** The unit itself and every unit above it (commune, then district where there is one, then province). */
export function unitAndAbove(unitCode: string): string[] {
  const chain = new Set([unitCode]);
  for (const { codes, ladder } of ladders) {
    if (!codes.has(unitCode)) continue;
    for (const above of ladder.stepsAbove(unitCode)) chain.add(above.code);
  }
  return [...chain];
}

/** Whether `unitCode` is `areaCode` or lies within it. */
export const isWithinArea = (unitCode: string, areaCode: string): boolean => unitAndAbove(unitCode).includes(areaCode);

/** What the rule needs of a directory entry. */
export interface ServiceArea {
  sectors: readonly string[];
  unitCode: string;
  catchmentUnitCodes?: readonly string[];
}

/** The units whose children a facility serves: its catchment, or its own unit when it names none. */
export const catchmentOf = (facility: ServiceArea): readonly string[] =>
  facility.catchmentUnitCodes?.length ? facility.catchmentUnitCodes : [facility.unitCode];

/**
 * Whether a facility serves a child of `communeCode`: its catchment names the commune or a unit
 * above it (a district or provincial centre whose catchment is its province serves every commune
 * within).
 */
export function servesCommune(facility: ServiceArea, communeCode: string): boolean {
  const chain = unitAndAbove(communeCode);
  return catchmentOf(facility).some((code) => chain.includes(code));
}

/** Whether a facility serves a referral of `sector` for a child of `communeCode`. */
export const servesReferral = (facility: ServiceArea, sector: Sector, communeCode: string): boolean =>
  facility.sectors.includes(sector) && servesCommune(facility, communeCode);
