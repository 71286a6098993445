import type { Facility } from '@ecd/facility-inbox';

/**
 * What an education referral can end with: enrolment (universal preschool for 3–5-year-olds,
 * Resolution 218/2025/QH15), early intervention, an inclusive education plan for a child with a
 * disability (Circular 03/2018/TT-BGDĐT).
 */
export const educationRecordKinds = ['enrolment', 'early-intervention', 'inclusive-education-plan'] as const;

/** Demo preschools of Lào Cai (two-level government); codes are illustrative. */
export const demoPreschools: readonly Facility[] = [
  {
    _id: 'MN-02701',
    name: 'Trường Mầm non xã Bát Xát',
    sector: 'education',
    sectors: ['education'],
    unitCode: '02701',
    level: 'commune',
  },
  {
    _id: 'MN-02704',
    name: 'Trường Mầm non Y Tý',
    sector: 'education',
    sectors: ['education'],
    unitCode: '02704',
    level: 'commune',
  },
  {
    _id: 'MN-02707',
    name: 'Trường Mầm non A Mú Sung',
    sector: 'education',
    sectors: ['education'],
    unitCode: '02707',
    level: 'commune',
  },
  {
    _id: 'MN-02713',
    name: 'Trường Mầm non Sa Pa',
    sector: 'education',
    sectors: ['education'],
    unitCode: '02713',
    level: 'commune',
    capacityNotes: 'Inclusive education class; sign-language assistant',
  },
];
