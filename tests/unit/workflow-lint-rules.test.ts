import { resolve } from 'node:path';
import { ESLint } from 'eslint';
import { describe, expect, it } from 'vitest';

const repo = resolve(import.meta.dirname, '../..');
const eslint = new ESLint({ cwd: repo });
const workflowFile = resolve(repo, 'services/referrals/src/workflows/lint-probe.ts');

async function problems(code: string): Promise<string> {
  const [result] = await eslint.lintText(code, { filePath: workflowFile });
  return result!.messages.map((m) => m.message).join('\n');
}

/** The determinism rules for workflow code are enforced by lint, not by memory. */
describe('workflow lint rules', () => {
  it('ban Node built-ins', async () => {
    expect(await problems(`import { readFileSync } from 'node:fs';\nexport const x = readFileSync;\n`)).toContain(
      'Workflow code must not use Node built-ins (it is replayed deterministically).',
    );
  });

  it('ban value imports of activities but allow type imports', async () => {
    expect(
      await problems(
        `import { createCaseScreeningActivities } from '../activities/case-screening-activities';\nexport const x = createCaseScreeningActivities;\n`,
      ),
    ).toContain('Import activities as types only and call them through proxyActivities.');
    expect(
      await problems(
        `import type { CaseScreeningActivities } from '../activities/case-screening-activities';\nexport type X = CaseScreeningActivities;\n`,
      ),
    ).toBe('');
  });

  it('ban timers and the process environment', async () => {
    const found = await problems(`export const a = process.env.X;\nsetTimeout(() => undefined, 1);\n`);
    expect(found).toContain('Workflow code must not read the process environment.');
    expect(found).toContain('Use sleep() or condition() from @temporalio/workflow.');
  });

  // Type-aware linting of every service's workflows: seconds on a loaded 2-core machine.
  it('leave the real workflow files clean', { timeout: 60_000 }, async () => {
    const results = await eslint.lintFiles(['services/*/src/workflows/**/*.ts']);
    expect(results.flatMap((r) => r.messages.map((m) => `${r.filePath}: ${m.message}`))).toEqual([]);
  });
});
