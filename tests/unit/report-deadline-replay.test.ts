import { readFileSync, readdirSync } from 'node:fs';
import { resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { Worker } from '@temporalio/worker';
import { temporal } from '@temporalio/proto';
import { reportingWorkflowBundle } from '../support/reporting';

const dir = resolve(import.meta.dirname, '../fixtures/report-deadline-histories');
const fixtures = readdirSync(dir).filter((f) => f.endsWith('.pb'));

/**
 * Determinism guard: the current ReportDeadlineWorkflow must replay the recorded histories — a
 * report submitted before any reminder (02704), and one reminded twice, escalated to the province
 * at its due moment and submitted late (02707). Regenerate with `RECORD_HISTORIES=1 npx vitest run
 * tests/integration/reporting-cycle.test.ts` only when a change is guarded with patched().
 */
describe('ReportDeadlineWorkflow replays every recorded history', () => {
  it('has the recorded paths', () => {
    expect(fixtures).toEqual(['2027-S1-02704.pb', '2027-S1-02707.pb']);
  });

  it.each(fixtures)(
    '%s',
    async (file) => {
      const history = temporal.api.history.v1.History.decode(readFileSync(resolve(dir, file)));
      await Worker.runReplayHistory({ workflowBundle: await reportingWorkflowBundle() }, history, file);
    },
    120_000,
  );
});
