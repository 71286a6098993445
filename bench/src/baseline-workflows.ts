import { condition, defineUpdate, setHandler, sleep } from '@temporalio/workflow';

/**
 * The engine's own floor, for the benchmark's baselines: a workflow that does nothing but wait
 * for one update (start + update round trip), and one that only sleeps (timer precision).
 */
export const touch = defineUpdate<number>('touch');

export async function emptyWorkflow(): Promise<void> {
  let touched = false;
  setHandler(touch, () => {
    touched = true;
    return Date.now();
  });
  await condition(() => touched);
}

/** Sleeps `ms`; returns how late the timer fired by workflow time (the task that woke it). */
export async function timerWorkflow(ms: number): Promise<number> {
  const before = Date.now();
  await sleep(ms);
  return Date.now() - before - ms;
}
