import { readFileSync } from 'node:fs';
import { cpuSecondsFromStat, statusFieldMb } from './stats';

export interface ProcessFigures {
  name: string;
  pid?: number;
  /** CPU seconds used between `begin()` and `end()` (summed over restarts in a drill). */
  cpuSeconds: number;
  /** Highest resident set sampled during the measurement (MB, VmRSS once a second). */
  peakRssMb: number;
  /** The kernel's high-water mark over the process's life (VmHWM, MB): includes start-up. */
  highWaterMb: number;
}

/**
 * CPU seconds and peak RSS of each process of the stack (services, Kafka, Temporal, FerretDB and
 * the load generator itself), read from /proc once a second. A process is found again by name
 * each time, so a restarted process (new pid) is followed.
 */
export class ProcessMonitor {
  private readonly figures = new Map<string, ProcessFigures & { lastCpu?: number }>();
  private timer: NodeJS.Timeout | undefined;

  constructor(private readonly pids: () => Record<string, number | undefined>) {}

  begin(): void {
    for (const [name, pid] of Object.entries(this.pids())) {
      this.figures.set(name, { name, cpuSeconds: 0, peakRssMb: 0, highWaterMb: 0, ...(pid ? { pid } : {}) });
    }
    this.sample();
    this.timer = setInterval(() => this.sample(), 1000);
  }

  private sample(): void {
    for (const [name, pid] of Object.entries(this.pids())) {
      const entry = this.figures.get(name) ?? { name, cpuSeconds: 0, peakRssMb: 0, highWaterMb: 0 };
      this.figures.set(name, entry);
      if (!pid) continue;
      try {
        const cpu = cpuSecondsFromStat(readFileSync(`/proc/${pid}/stat`, 'utf8'));
        const status = readFileSync(`/proc/${pid}/status`, 'utf8');
        if (entry.pid !== pid) {
          // First sight of this pid (start, or a restart): count its CPU from here on.
          entry.pid = pid;
          entry.lastCpu = cpu;
        }
        entry.cpuSeconds += cpu - (entry.lastCpu ?? cpu);
        entry.lastCpu = cpu;
        entry.peakRssMb = Math.max(entry.peakRssMb, statusFieldMb(status, 'VmRSS') ?? 0);
        entry.highWaterMb = Math.max(entry.highWaterMb, statusFieldMb(status, 'VmHWM') ?? 0);
      } catch {
        // the process is gone (killed in a drill): its figures so far stay
      }
    }
  }

  end(): ProcessFigures[] {
    this.sample();
    if (this.timer) clearInterval(this.timer);
    return [...this.figures.values()].map(({ name, pid, cpuSeconds, peakRssMb, highWaterMb }) => ({
      name,
      ...(pid ? { pid } : {}),
      cpuSeconds: Math.round(cpuSeconds * 10) / 10,
      peakRssMb: Math.round(peakRssMb),
      highWaterMb: Math.round(highWaterMb),
    }));
  }
}
