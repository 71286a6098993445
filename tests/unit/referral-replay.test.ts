import { readFileSync, readdirSync } from 'node:fs';
import { resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { Worker } from '@temporalio/worker';
import { temporal } from '@temporalio/proto';
import { referralWorkflowBundle } from '../support/referral-worker';

const dir = resolve(import.meta.dirname, '../fixtures/referral-histories');
const fixtures = readdirSync(dir).filter((f) => f.endsWith('.pb'));

/**
 * Determinism guard: the current workflow code must replay every recorded history of every path
 * (regenerate with `RECORD_HISTORIES=1 npx vitest run tests/integration/referral-workflow.test.ts`
 * only when a change is guarded with patched(); see docs/adr/0004).
 */
describe('ReferralWorkflow replays every recorded history', () => {
  it('has histories of every path to replay', () => {
    expect(fixtures.length).toBeGreaterThanOrEqual(10);
  });

  it.each(fixtures)(
    '%s',
    async (file) => {
      const history = temporal.api.history.v1.History.decode(readFileSync(resolve(dir, file)));
      await Worker.runReplayHistory({ workflowBundle: await referralWorkflowBundle() }, history, file);
      // The first replay bundles the workflow code: seconds on a loaded 2-core machine.
    },
    120_000,
  );
});
