import { describe, expect, it } from 'vitest';
import { cpuSecondsFromStat, distribution, percentile, perSecond, rate, ratio, statusFieldMb } from './stats';

describe('benchmark arithmetic', () => {
  it('takes nearest-rank percentiles of unsorted samples', () => {
    const samples = [5, 1, 4, 2, 3, 10, 9, 8, 7, 6];
    expect(percentile(samples, 50)).toBe(5);
    expect(percentile(samples, 90)).toBe(9);
    expect(percentile(samples, 99)).toBe(10);
    expect(percentile(samples, 0)).toBe(1);
    expect(percentile([42], 99)).toBe(42);
    expect(percentile([], 50)).toBeUndefined();
    expect(() => percentile([1], 101)).toThrow(RangeError);
  });

  it('p99 of 1000 samples is the 990th smallest', () => {
    const samples = Array.from({ length: 1000 }, (_, i) => 1000 - i);
    expect(percentile(samples, 99)).toBe(990);
    expect(distribution(samples)).toMatchObject({ count: 1000, min: 1, max: 1000, p50: 500, mean: 500.5 });
    expect(distribution([])).toEqual({ count: 0 });
  });

  it('buckets timed samples per second and keeps empty seconds', () => {
    const start = 10_000;
    const buckets = perSecond(
      [
        { at: 10_100, value: 30 },
        { at: 10_900, value: 10 },
        { at: 12_500, value: 50 },
        { at: 9_000, value: 999 }, // before the window: ignored
      ],
      start,
      13_000,
    );
    expect(buckets).toEqual([
      { second: 0, count: 2, p50: 10, p99: 30 },
      { second: 1, count: 0, p50: undefined, p99: undefined },
      { second: 2, count: 1, p50: 50, p99: 50 },
    ]);
  });

  it('computes rates and ratios', () => {
    expect(rate(300, 0, 60_000)).toBe(5);
    expect(rate(3, 5, 5)).toBe(0);
    expect(ratio(250, 10)).toBe(25);
    expect(ratio(1, 3)).toBe(0.3);
    expect(ratio(1, 0)).toBeUndefined();
    expect(ratio(undefined, 3)).toBeUndefined();
  });

  it('reads CPU time and peak memory from /proc lines, names with spaces included', () => {
    const stat = '1234 (node (tsx) x) S 1 1234 1234 0 -1 4194560 5000 0 0 0 250 75 0 0 20 0 11 0 100 0 0';
    expect(cpuSecondsFromStat(stat)).toBe(3.25);
    const status = 'Name:\tnode\nVmHWM:\t  204800 kB\nVmRSS:\t  102400 kB\n';
    expect(statusFieldMb(status, 'VmHWM')).toBe(200);
    expect(statusFieldMb(status, 'VmRSS')).toBe(100);
    expect(statusFieldMb('Name: x', 'VmHWM')).toBeUndefined();
  });
});

describe('bench options', async () => {
  const { parsePhases, runStamp } = await import('./options');
  it('parses phases and names runs by time', () => {
    expect(parsePhases('50:60,100:30')).toEqual([
      { rate: 50, seconds: 60 },
      { rate: 100, seconds: 30 },
    ]);
    expect(() => parsePhases('50')).toThrow(/rate:seconds/);
    expect(runStamp('bench', new Date('2026-11-22T15:31:07Z'))).toBe('bench_20261122153107');
  });
});
