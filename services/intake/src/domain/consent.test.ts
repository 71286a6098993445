import { describe, expect, it } from 'vitest';
import { consentAllows, recordConsent, type ConsentRecord } from './consent';

const context = {
  consentId: '00000000-0000-8000-8000-000000000001',
  childId: 'child-1',
  communeCode: '02704',
  dateOfBirth: '2020-05-10',
  now: new Date('2026-11-22T03:00:00Z'),
  recordedBy: 'staff-0001',
};
const given = (sharingWith: ConsentRecord['sharingWith'], withdrawn = false): ConsentRecord => ({
  ...recordConsent(
    { givenBy: { name: 'Lò Thị Mai', relationship: 'parent' }, sharingWith, givenOn: '2026-01-05' },
    { ...context, dateOfBirth: '2022-01-01' },
  ),
  ...(withdrawn
    ? {
        withdrawal: {
          on: '2026-02-01',
          by: { name: 'Lò Thị Mai', relationship: 'parent' },
          reason: 'moved',
          recordedAt: '',
          recordedBy: '',
        },
      }
    : {}),
});

describe('consent', () => {
  it('allows a sector only while a consent naming it is in force; protection needs none', () => {
    expect(consentAllows([], 'health')).toBe(false);
    expect(consentAllows([], 'protection')).toBe(true);
    expect(consentAllows([given(['health'])], 'health')).toBe(true);
    expect(consentAllows([given(['health'])], 'education')).toBe(false);
    expect(consentAllows([given(['health'], true)], 'health')).toBe(false);
    expect(consentAllows([given(['health'], true), given(['health', 'welfare'])], 'health')).toBe(true);
  });

  it('asks the child’s assent from the 7th birthday, counted on the day consent was given', () => {
    const command = {
      givenBy: { name: 'Lò Thị Mai', relationship: 'parent' as const },
      sharingWith: ['health' as const],
    };
    const older = { ...context, dateOfBirth: '2019-11-21' };
    expect(() => recordConsent({ ...command, givenOn: '2026-11-20' }, older)).not.toThrow();
    expect(() => recordConsent({ ...command, givenOn: '2026-11-21' }, older)).toThrow(/7 or over/);
    expect(recordConsent({ ...command, givenOn: '2026-11-21', childAssent: true }, older).childAssent).toBe(true);
  });
});
