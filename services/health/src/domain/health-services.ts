import type { Facility } from '@ecd/facility-inbox';

/** What a health or nutrition referral can end with (the service record's kind). */
export const healthRecordKinds = [
  'vaccination',
  'nutrition-counselling',
  'growth-monitoring',
  'developmental-assessment',
  'treatment',
  'onward-referral',
] as const;

/**
 * Demo facilities of Lào Cai (two-level government). Codes are illustrative; a deployment loads
 * its own register.
 */
export const demoHealthFacilities: readonly Facility[] = [
  {
    _id: 'TYT-02701',
    name: 'Trạm Y tế xã Bát Xát',
    sector: 'health',
    sectors: ['health', 'nutrition'],
    unitCode: '02701',
    level: 'commune',
  },
  {
    _id: 'TYT-02704',
    name: 'Trạm Y tế xã Y Tý',
    sector: 'health',
    sectors: ['health', 'nutrition'],
    unitCode: '02704',
    level: 'commune',
    catchmentUnitCodes: ['02704'],
    hours: 'Thứ 2–6, 7:00–17:00; trực 24/24',
  },
  {
    _id: 'TYT-02707',
    name: 'Trạm Y tế xã A Mú Sung',
    sector: 'health',
    sectors: ['health', 'nutrition'],
    unitCode: '02707',
    level: 'commune',
  },
  {
    _id: 'TYT-02710',
    name: 'Trạm Y tế xã Trịnh Tường',
    sector: 'health',
    sectors: ['health', 'nutrition'],
    unitCode: '02710',
    level: 'commune',
  },
  {
    _id: 'TTYT-10',
    name: 'Trung tâm Y tế khu vực Bát Xát',
    sector: 'health',
    sectors: ['health', 'nutrition'],
    unitCode: '02701',
    level: 'province',
    // A regional centre: children of every commune of the province may be sent there.
    catchmentUnitCodes: ['10'],
    hours: 'Thứ 2–Chủ nhật, 24/24',
    capacityNotes: 'Paediatrics, nutrition rehabilitation (severe acute malnutrition)',
  },
];
