import { readFileSync } from 'node:fs';

/**
 * `node --import tsx bench/src/profile-summary.ts <file.cpuprofile>`: where a process spent its
 * CPU, by function (self time) and by package, from a `--cpu-prof` profile (`npm run bench --
 * --cpu-prof intake,referrals`). Evidence for the benchmark's bottleneck notes.
 */
interface ProfileNode {
  id: number;
  callFrame: { functionName: string; url: string; lineNumber: number };
  children?: number[];
}
interface CpuProfile {
  nodes: ProfileNode[];
  samples: number[];
  timeDeltas: number[];
  startTime: number;
  endTime: number;
}

export function summariseProfile(profile: CpuProfile, top = 25) {
  const byId = new Map(profile.nodes.map((n) => [n.id, n]));
  const self = new Map<number, number>();
  profile.samples.forEach((id, i) => self.set(id, (self.get(id) ?? 0) + (profile.timeDeltas[i] ?? 0)));
  const total = [...self.values()].reduce((a, b) => a + b, 0);
  const functions = new Map<string, number>();
  const packages = new Map<string, number>();
  for (const [id, micros] of self) {
    const frame = byId.get(id)!.callFrame;
    const where = frame.url.replace(/^file:\/\//, '').replace(/.*\/node_modules\//, 'node_modules/');
    const key = `${frame.functionName || '(anonymous)'} ${where ? `${where.split('/').slice(-2).join('/')}:${frame.lineNumber + 1}` : ''}`;
    functions.set(key, (functions.get(key) ?? 0) + micros);
    const pkg = where.startsWith('node_modules/')
      ? where
          .split('/')
          .slice(1, where.split('/')[1]!.startsWith('@') ? 3 : 2)
          .join('/')
      : where.includes('/packages/') || where.includes('/services/')
        ? `ours: ${where.split('/').slice(-4, -1).join('/')}`
        : where.startsWith('node:') || where === ''
          ? `node/v8 ${frame.functionName.startsWith('(') ? frame.functionName : 'internals'}`
          : where;
    packages.set(pkg, (packages.get(pkg) ?? 0) + micros);
  }
  const pct = (v: number) => `${((100 * v) / total).toFixed(1)}%`;
  const sorted = (m: Map<string, number>) => [...m].sort((a, b) => b[1] - a[1]).slice(0, top);
  return {
    seconds: total / 1e6,
    byPackage: sorted(packages).map(([name, v]) => `${pct(v).padStart(6)}  ${name}`),
    byFunction: sorted(functions).map(([name, v]) => `${pct(v).padStart(6)}  ${name}`),
  };
}

if (process.argv[1]?.endsWith('profile-summary.ts')) {
  for (const file of process.argv.slice(2)) {
    const summary = summariseProfile(JSON.parse(readFileSync(file, 'utf8')) as CpuProfile);
    process.stdout.write(
      `${file}: ${summary.seconds.toFixed(1)} s sampled\n  by package:\n    ${summary.byPackage.slice(0, 12).join('\n    ')}\n  by function (self):\n    ${summary.byFunction.join('\n    ')}\n`,
    );
  }
}
