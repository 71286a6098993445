import { describe, expect, it } from 'vitest';
import { EscalationLadder, computeDeadline, escalationSchedule, reminderInstants } from './referral-deadlines';
import type { EscalationStep } from './referral-deadlines';
import { WorkingDayCalendar } from './working-day-calendar';
import { vietnamHolidayCalendars } from './holidays';
import { laoCaiThreeLevelUnits, laoCaiTwoLevelUnits } from './administrative-units';
import { defaultSlaPolicies, requirePolicy } from './sla-policy';

const calendar = new WorkingDayCalendar(vietnamHolidayCalendars);
const vn = (local: string): Date => new Date(`${local}+07:00`);
const isoAll = (dates: Date[]) => dates.map((d) => d.toISOString());
const summary = (steps: EscalationStep[]) =>
  steps.map((s) => ({ level: s.level, unit: s.unit.code, at: s.at.toISOString() }));

describe('computeDeadline', () => {
  it('adds calendar hours for an hours window', () => {
    const accept = requirePolicy(defaultSlaPolicies, 'protection', 'emergency').acceptWithin;
    // Report received on Saturday 14 Feb 2026 at 21:30, at the start of the Tết break: 12 hours still run.
    expect(computeDeadline(accept, vn('2026-02-14T21:30:00'), calendar).toISOString()).toBe('2026-02-15T02:30:00.000Z');
  });

  it('counts working days for a working-day window', () => {
    const plan = requirePolicy(defaultSlaPolicies, 'protection', 'emergency').completeWithin;
    expect(computeDeadline(plan, vn('2026-02-13T10:00:00'), calendar).toISOString()).toBe('2026-02-27T16:59:59.999Z');
    // From Friday 24 April 2026: 27 Apr (Hùng Kings substitute), 30 Apr and 1 May are skipped.
    expect(
      computeDeadline({ amount: 10, unit: 'workingDays' }, vn('2026-04-24T16:00:00'), calendar).toISOString(),
    ).toBe('2026-05-13T16:59:59.999Z');
  });
});

describe('reminderInstants', () => {
  it('reminds at 50% and 80% of an hours window', () => {
    const start = new Date('2026-03-02T01:00:00.000Z');
    const deadline = new Date('2026-03-02T13:00:00.000Z');
    expect(isoAll(reminderInstants(start, deadline, [0.5, 0.8]))).toEqual([
      '2026-03-02T07:00:00.000Z',
      '2026-03-02T10:36:00.000Z',
    ]);
  });

  it('reminds at 50% and 80% of the calendar time of a working-day window, in order', () => {
    const start = vn('2026-03-02T10:00:00');
    const deadline = calendar.addWorkingDays(start, 2);
    expect(deadline.toISOString()).toBe('2026-03-04T16:59:59.999Z');
    expect(isoAll(reminderInstants(start, deadline, [0.8, 0.5]))).toEqual([
      '2026-03-03T10:00:00.000Z',
      '2026-03-04T04:35:59.999Z',
    ]);
  });

  it('rejects fractions outside (0, 1) and a deadline not after the start', () => {
    const start = new Date('2026-03-02T01:00:00.000Z');
    expect(() => reminderInstants(start, new Date('2026-03-02T13:00:00.000Z'), [1])).toThrow(RangeError);
    expect(() => reminderInstants(start, new Date('2026-03-02T13:00:00.000Z'), [0])).toThrow(RangeError);
    expect(() => reminderInstants(start, start, [0.5])).toThrow(/after the start/);
  });
});

describe('EscalationLadder', () => {
  const threeLevel = new EscalationLadder(laoCaiThreeLevelUnits);
  const twoLevel = new EscalationLadder(laoCaiTwoLevelUnits);
  const codes = (units: { code: string }[]) => units.map((u) => u.code);

  it('climbs commune → district → province in the pre-2025 data', () => {
    expect(codes(threeLevel.stepsAbove('02686'))).toEqual(['082', '10']);
    expect(codes(threeLevel.stepsAbove('02686-01'))).toEqual(['02686', '082', '10']);
    expect(codes(threeLevel.stepsAbove('082'))).toEqual(['10']);
    expect(threeLevel.stepsAbove('10')).toEqual([]);
  });

  it('climbs commune → province in the two-level data since July 2025', () => {
    expect(codes(twoLevel.stepsAbove('02704'))).toEqual(['10']);
    expect(codes(twoLevel.stepsAbove('02704-01'))).toEqual(['02704', '10']);
    expect(twoLevel.unit('10').name).toBe('Tỉnh Lào Cai');
  });

  it('rejects unknown units and inconsistent data', () => {
    expect(() => twoLevel.stepsAbove('082')).toThrow(/unknown administrative unit 082/);
    const province = { code: '10', name: 'Tỉnh Lào Cai', level: 'province' as const };
    expect(() => new EscalationLadder([province, province])).toThrow(/listed twice/);
    expect(
      () => new EscalationLadder([{ code: '02704', name: 'Xã Y Tý', level: 'commune', parentCode: '15' }]),
    ).toThrow(/not listed/);
    expect(
      () =>
        new EscalationLadder([
          { code: '02704', name: 'Xã Y Tý', level: 'commune', parentCode: '02704-01' },
          { code: '02704-01', name: 'Thôn Choản Thèn', level: 'village', parentCode: '02704' },
        ]),
    ).toThrow(/cannot sit under/);
  });
});

describe('escalationSchedule', () => {
  const threeLevel = new EscalationLadder(laoCaiThreeLevelUnits);
  const twoLevel = new EscalationLadder(laoCaiTwoLevelUnits);
  const oneWorkingDay = { amount: 1, unit: 'workingDays' } as const;

  it('escalates to the district at the missed deadline, then to the province one interval later', () => {
    const missedAt = new Date('2026-03-10T16:59:59.999Z'); // end of Tuesday 10 March
    expect(
      summary(
        escalationSchedule({ missedAt, interval: oneWorkingDay, calendar, ladder: threeLevel, fromUnit: '02686' }),
      ),
    ).toEqual([
      { level: 1, unit: '082', at: '2026-03-10T16:59:59.999Z' },
      { level: 2, unit: '10', at: '2026-03-11T16:59:59.999Z' },
    ]);
  });

  it('skips holidays between levels with a working-day interval', () => {
    const missedAt = new Date('2026-08-28T16:59:59.999Z'); // end of Friday 28 Aug, before the 2/9 break
    expect(
      summary(
        escalationSchedule({ missedAt, interval: oneWorkingDay, calendar, ladder: threeLevel, fromUnit: '02686' }),
      ),
    ).toEqual([
      { level: 1, unit: '082', at: '2026-08-28T16:59:59.999Z' },
      { level: 2, unit: '10', at: '2026-09-03T16:59:59.999Z' },
    ]);
  });

  it('steps every interval in calendar hours from a village up to the province', () => {
    const missedAt = new Date('2026-02-15T02:30:00.000Z');
    const interval = requirePolicy(defaultSlaPolicies, 'protection', 'emergency').escalationInterval;
    expect(
      summary(escalationSchedule({ missedAt, interval, calendar, ladder: threeLevel, fromUnit: '02686-01' })),
    ).toEqual([
      { level: 1, unit: '02686', at: '2026-02-15T02:30:00.000Z' },
      { level: 2, unit: '082', at: '2026-02-15T04:30:00.000Z' },
      { level: 3, unit: '10', at: '2026-02-15T06:30:00.000Z' },
    ]);
  });

  it('goes straight from the commune to the province in the two-level data', () => {
    const missedAt = new Date('2026-03-10T16:59:59.999Z');
    expect(
      summary(escalationSchedule({ missedAt, interval: oneWorkingDay, calendar, ladder: twoLevel, fromUnit: '02704' })),
    ).toEqual([{ level: 1, unit: '10', at: '2026-03-10T16:59:59.999Z' }]);
    expect(
      summary(
        escalationSchedule({ missedAt, interval: oneWorkingDay, calendar, ladder: twoLevel, fromUnit: '02704-01' }),
      ),
    ).toEqual([
      { level: 1, unit: '02704', at: '2026-03-10T16:59:59.999Z' },
      { level: 2, unit: '10', at: '2026-03-11T16:59:59.999Z' },
    ]);
  });

  it('is empty when the unit is already at the top', () => {
    const missedAt = new Date('2026-03-10T16:59:59.999Z');
    expect(
      escalationSchedule({ missedAt, interval: oneWorkingDay, calendar, ladder: twoLevel, fromUnit: '10' }),
    ).toEqual([]);
  });
  it('starts at the unit itself when asked (referrals: the facility’s commune first), three levels before 2025', () => {
    const missedAt = new Date('2026-03-09T16:59:59.999Z');
    expect(
      summary(
        escalationSchedule({
          missedAt,
          interval: oneWorkingDay,
          calendar,
          ladder: threeLevel,
          fromUnit: '02686',
          firstLevel: 'self',
        }),
      ),
    ).toEqual([
      { level: 1, unit: '02686', at: '2026-03-09T16:59:59.999Z' },
      { level: 2, unit: '082', at: '2026-03-10T16:59:59.999Z' },
      { level: 3, unit: '10', at: '2026-03-11T16:59:59.999Z' },
    ]);
  });
});
