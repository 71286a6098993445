/**
 * Command-line flags (`--name value` or `--name=value`) with environment fallbacks
 * (`BENCH_<NAME>`), so `npm run bench -- --phases 50:30` and `BENCH_PHASES=50:30 npm run bench`
 * both work.
 */
export function option(name: string, fallback: string): string {
  const args = process.argv.slice(2);
  for (let i = 0; i < args.length; i++) {
    const arg = args[i]!;
    if (arg === `--${name}`) return args[i + 1] ?? '';
    if (arg.startsWith(`--${name}=`)) return arg.slice(name.length + 3);
  }
  return process.env[`BENCH_${name.toUpperCase().replace(/-/g, '_')}`] ?? fallback;
}

export function flag(name: string): boolean {
  return (
    process.argv.slice(2).includes(`--${name}`) || process.env[`BENCH_${name.toUpperCase().replace(/-/g, '_')}`] === '1'
  );
}

export interface Phase {
  rate: number;
  seconds: number;
}

/** `50:60,100:60` → 50 referrals/s for 60 s, then 100/s for 60 s. */
export function parsePhases(text: string): Phase[] {
  const phases = text.split(',').map((part) => {
    const [rate, seconds] = part.split(':').map(Number);
    if (!rate || !seconds || rate <= 0 || seconds <= 0)
      throw new Error(`bad phase "${part}": use rate:seconds, e.g. 50:60`);
    return { rate, seconds };
  });
  if (phases.length === 0) throw new Error('no phases given');
  return phases;
}

export function runStamp(prefix: string, now = new Date()): string {
  return `${prefix}_${now.toISOString().replace(/[-:T]/g, '').slice(0, 14)}`;
}
