import { describe, expect, it } from 'vitest';
import { Sectors, Urgencies } from '@ecd/contracts';
import { defaultSlaPolicies, findPolicy, requirePolicy, validateSlaPolicy } from './sla-policy';
import type { SlaPolicy } from './sla-policy';

const get = (sector: SlaPolicy['sector'], urgency: SlaPolicy['urgency']) =>
  requirePolicy(defaultSlaPolicies, sector, urgency);

describe('default SLA policies', () => {
  it('are valid policy documents with a source each', () => {
    for (const policy of defaultSlaPolicies) {
      expect(validateSlaPolicy(policy)).toEqual([]);
      expect(policy.source.length).toBeGreaterThan(20);
    }
  });

  it('cover every sector and urgency exactly once', () => {
    expect(defaultSlaPolicies).toHaveLength(Sectors.length * Urgencies.length);
    const keys = new Set(defaultSlaPolicies.map((p) => `${p.sector}/${p.urgency}`));
    expect(keys.size).toBe(defaultSlaPolicies.length);
    expect(new Set(defaultSlaPolicies.map((p) => p.id)).size).toBe(defaultSlaPolicies.length);
  });

  it('follow Decree 56 for child protection', () => {
    const emergency = get('protection', 'emergency');
    expect(emergency.acceptWithin).toEqual({ amount: 12, unit: 'hours' });
    expect(emergency.completeWithin).toEqual({ amount: 5, unit: 'workingDays' });
    expect(emergency.source).toMatch(/Art\. 26/);
    expect(emergency.allowedExtensionRoles).toEqual([]);
    for (const urgency of ['urgent', 'routine'] as const) {
      expect(get('protection', urgency).acceptWithin).toEqual({ amount: 24, unit: 'hours' });
      expect(get('protection', urgency).completeWithin).toEqual({ amount: 5, unit: 'workingDays' });
    }
  });

  it('give health and nutrition the same windows', () => {
    expect(get('health', 'routine').acceptWithin).toEqual({ amount: 2, unit: 'workingDays' });
    expect(get('health', 'routine').completeWithin).toEqual({ amount: 10, unit: 'workingDays' });
    expect(get('health', 'urgent').acceptWithin).toEqual({ amount: 24, unit: 'hours' });
    expect(get('health', 'urgent').completeWithin).toEqual({ amount: 5, unit: 'workingDays' });
    expect(get('health', 'emergency').acceptWithin).toEqual({ amount: 2, unit: 'hours' });
    for (const urgency of Urgencies) {
      const { acceptWithin, completeWithin, escalationInterval, reminderAt } = get('nutrition', urgency);
      expect({ acceptWithin, completeWithin, escalationInterval, reminderAt }).toEqual({
        acceptWithin: get('health', urgency).acceptWithin,
        completeWithin: get('health', urgency).completeWithin,
        escalationInterval: get('health', urgency).escalationInterval,
        reminderAt: get('health', urgency).reminderAt,
      });
    }
  });

  it('give education and welfare 5 working days to accept and 20 to complete', () => {
    for (const sector of ['education', 'welfare'] as const) {
      expect(get(sector, 'routine').acceptWithin).toEqual({ amount: 5, unit: 'workingDays' });
      expect(get(sector, 'routine').completeWithin).toEqual({ amount: 20, unit: 'workingDays' });
    }
  });

  it('cite the Law on Civil Status and Decree 123/2015 for birth registration', () => {
    for (const urgency of Urgencies) {
      expect(get('civil-registration', urgency).source).toMatch(/Law on Civil Status 2014.*Decree 123\/2015\/NĐ-CP/);
    }
    expect(get('civil-registration', 'routine').acceptWithin).toEqual({ amount: 2, unit: 'workingDays' });
    expect(get('civil-registration', 'emergency').allowedExtensionRoles).toEqual([]);
  });

  it('remind at 50% and 80% of the window', () => {
    for (const policy of defaultSlaPolicies) expect(policy.reminderAt).toEqual([0.5, 0.8]);
  });
});

describe('findPolicy', () => {
  const v1 = get('health', 'routine');
  const v2: SlaPolicy = { ...v1, version: 2, acceptWithin: { amount: 1, unit: 'workingDays' } };

  it('returns the highest version for the sector and urgency', () => {
    expect(findPolicy([v2, v1], 'health', 'routine')).toBe(v2);
    expect(findPolicy([v1, v2], 'health', 'routine')).toBe(v2);
    expect(findPolicy(defaultSlaPolicies, 'protection', 'emergency')?.id).toBe('protection.emergency');
  });

  it('returns undefined when nothing matches, and requirePolicy throws', () => {
    expect(findPolicy([v1], 'health', 'urgent')).toBeUndefined();
    expect(() => requirePolicy([v1], 'education', 'routine')).toThrow('No SLA policy for education/routine');
  });
});

describe('SlaPolicySchema', () => {
  const good = get('protection', 'emergency');

  it('rejects a bad policy document field by field', () => {
    const problems = validateSlaPolicy({
      ...good,
      sector: 'housing',
      completeWithin: { amount: 1.5, unit: 'workingDays' },
      extra: true,
    });
    expect(problems).toEqual(
      expect.arrayContaining([
        { field: 'extra', problem: 'is not an allowed field' },
        { field: 'sector', problem: 'must be equal to one of the allowed values' },
        { field: 'completeWithin.amount', problem: 'must be integer' },
      ]),
    );
  });

  it('rejects unknown window units, bad reminder fractions, missing fields and version 0', () => {
    expect(validateSlaPolicy({ ...good, acceptWithin: { amount: 3, unit: 'days' } })).toContainEqual({
      field: 'acceptWithin',
      problem: 'must match a schema in anyOf',
    });
    expect(validateSlaPolicy({ ...good, acceptWithin: { amount: 0, unit: 'hours' } })).not.toEqual([]);
    expect(validateSlaPolicy({ ...good, reminderAt: [0.5, 1.2] })).toEqual([
      { field: 'reminderAt.1', problem: 'must be < 1' },
    ]);
    expect(validateSlaPolicy({ ...good, reminderAt: [0.5, 0.5] })).toEqual([
      { field: 'reminderAt', problem: 'must not have duplicate items' },
    ]);
    const { source: _source, ...withoutSource } = good;
    expect(validateSlaPolicy({ ...withoutSource, version: 0 })).toEqual([
      { field: 'source', problem: 'is required' },
      { field: 'version', problem: 'must be >= 1' },
    ]);
  });
});
