/**
 * Pure arithmetic of the benchmark: percentiles, per-second series, ratios. Kept apart from the
 * load generator so it can be unit-tested without servers.
 */

/** Nearest-rank percentile (p in 0..100) of unsorted samples; undefined for no samples. */
export function percentile(samples: readonly number[], p: number): number | undefined {
  if (samples.length === 0) return undefined;
  if (p < 0 || p > 100) throw new RangeError(`percentile ${p} is outside 0..100`);
  const sorted = [...samples].sort((a, b) => a - b);
  // Nearest rank: the smallest value with at least p% of the samples at or below it.
  const rank = Math.max(1, Math.ceil((p / 100) * sorted.length));
  return sorted[rank - 1];
}

export interface Distribution {
  count: number;
  min?: number;
  p50?: number;
  p95?: number;
  p99?: number;
  max?: number;
  mean?: number;
}

export function distribution(samples: readonly number[]): Distribution {
  if (samples.length === 0) return { count: 0 };
  let min = Infinity;
  let max = -Infinity;
  let sum = 0;
  for (const s of samples) {
    if (s < min) min = s;
    if (s > max) max = s;
    sum += s;
  }
  return {
    count: samples.length,
    min,
    p50: percentile(samples, 50),
    p95: percentile(samples, 95),
    p99: percentile(samples, 99),
    max,
    mean: sum / samples.length,
  };
}

/** A timestamped sample (ms since the epoch) of a value, e.g. one latency. */
export interface Timed {
  at: number;
  value: number;
}

export interface SecondBucket {
  /** Seconds since the start of the series. */
  second: number;
  count: number;
  p50?: number;
  p99?: number;
}

/**
 * Groups timed samples into one-second buckets from `start` to `end`: the count per second is a
 * throughput, the percentiles a latency over time. Empty seconds are kept (a stall shows as 0).
 */
export function perSecond(samples: readonly Timed[], start: number, end: number): SecondBucket[] {
  const seconds = Math.max(0, Math.ceil((end - start) / 1000));
  const buckets: number[][] = Array.from({ length: seconds }, () => []);
  for (const s of samples) {
    const i = Math.floor((s.at - start) / 1000);
    if (i >= 0 && i < seconds) buckets[i]!.push(s.value);
  }
  return buckets.map((values, second) => ({
    second,
    count: values.length,
    p50: percentile(values, 50),
    p99: percentile(values, 99),
  }));
}

/** Events per second between two instants (ms); 0 for an empty window. */
export function rate(count: number, start: number, end: number): number {
  return end > start ? count / ((end - start) / 1000) : 0;
}

/** ours ÷ baseline, rounded for the report; undefined when either side is missing or zero. */
export function ratio(ours: number | undefined, baseline: number | undefined): number | undefined {
  if (ours === undefined || baseline === undefined || baseline === 0) return undefined;
  return Math.round((ours / baseline) * 10) / 10;
}

/** Process CPU time in seconds from /proc/<pid>/stat's utime + stime (clock ticks). */
export function cpuSecondsFromStat(stat: string, ticksPerSecond = 100): number {
  // The command name (field 2) may contain spaces and parentheses: split after the last ')'.
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  // After the name, field 3 (state) is index 0, so utime (14) and stime (15) are 11 and 12.
  const utime = Number(fields[11]);
  const stime = Number(fields[12]);
  if (!Number.isFinite(utime) || !Number.isFinite(stime)) throw new Error('unreadable /proc stat line');
  return (utime + stime) / ticksPerSecond;
}

/** A value in kB from a /proc/<pid>/status line such as `VmHWM:   123456 kB`, in MB. */
export function statusFieldMb(status: string, field: 'VmHWM' | 'VmRSS'): number | undefined {
  const match = new RegExp(`^${field}:\\s+(\\d+) kB$`, 'm').exec(status);
  return match ? Number(match[1]) / 1024 : undefined;
}
