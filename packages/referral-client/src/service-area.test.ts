import { describe, expect, it } from 'vitest';
import { isWithinArea, servesCommune, servesReferral, unitAndAbove } from './service-area';

describe('the service-area rule of the directory', () => {
  const station = { sectors: ['health', 'nutrition'], unitCode: '02704', catchmentUnitCodes: ['02704'] };
  const regionalCentre = { sectors: ['health'], unitCode: '02701', catchmentUnitCodes: ['10'] };

  it('a commune station serves its own commune, not the next one', () => {
    expect(servesCommune(station, '02704')).toBe(true);
    expect(servesCommune(station, '02701')).toBe(false);
  });

  it('a facility whose catchment is the province serves every commune within it', () => {
    expect(servesCommune(regionalCentre, '02704')).toBe(true);
    expect(servesCommune(regionalCentre, '02713')).toBe(true);
    // A commune of the three-level data (before July 2025) lies within the same province.
    expect(servesCommune(regionalCentre, '02686')).toBe(true);
  });

  it('a district catchment serves the district’s communes (three-level data)', () => {
    const districtCentre = { sectors: ['health'], unitCode: '02680', catchmentUnitCodes: ['082'] };
    expect(servesCommune(districtCentre, '02686')).toBe(true);
    expect(servesCommune(districtCentre, '02893')).toBe(false);
  });

  it('an entry without a catchment serves its own unit only', () => {
    expect(servesCommune({ sectors: ['education'], unitCode: '02707' }, '02707')).toBe(true);
    expect(servesCommune({ sectors: ['education'], unitCode: '02707' }, '02704')).toBe(false);
  });

  it('a referral needs the sector and the commune', () => {
    expect(servesReferral(station, 'nutrition', '02704')).toBe(true);
    expect(servesReferral(station, 'education', '02704')).toBe(false);
    expect(servesReferral(station, 'health', '02707')).toBe(false);
  });

  it('a unit unknown to the data is only itself', () => {
    expect(unitAndAbove('99999')).toEqual(['99999']);
    expect(isWithinArea('99999', '10')).toBe(false);
    expect(isWithinArea('02704', '10')).toBe(true);
    expect(isWithinArea('02704', '02704')).toBe(true);
    expect(isWithinArea('10', '02704')).toBe(false);
  });
});
