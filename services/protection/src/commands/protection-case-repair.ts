import type { Logger } from 'pino';
import { TemporalUnavailable } from '@ecd/referral-client';
import type { ProtectionCaseRepository } from '../repositories/protection-case-repository';
import { ProtectionStepRefused, type ProtectionCaseCommands } from './protection-case-commands';

/** How old an unconfirmed start or step must be before the repair takes it over from its request. */
export const repairGraceMs = 30_000;

/**
 * Finishes what a crash left between the database and Temporal: a report stored without its
 * workflow start, a step's form stored without its confirmed update. Both are sent again with
 * the same ids (workflow id, update id), so whatever reached Temporal before is not run twice.
 * Runs at start and then every `intervalMs`.
 */
export class ProtectionCaseRepair {
  #timer: NodeJS.Timeout | undefined;
  #running: Promise<unknown> | undefined;

  constructor(
    private readonly cases: ProtectionCaseRepository,
    private readonly commands: ProtectionCaseCommands,
    private readonly logger: Logger,
  ) {}

  /** One pass; returns how many starts and steps it settled. */
  async run(olderThanMs = repairGraceMs): Promise<{ started: number; steps: number }> {
    const before = new Date(Date.now() - olderThanMs).toISOString();
    let started = 0;
    let steps = 0;
    for (const record of await this.cases.withPendingStart(before)) {
      if (!record.pendingStart) continue;
      try {
        await this.commands.open(record.pendingStart);
        await this.cases.markStarted(record._id);
        started++;
        this.logger.warn({ protectionCaseId: record._id }, 'repair: started the workflow of a stored report');
      } catch (error) {
        this.logger.error({ err: error, protectionCaseId: record._id }, 'repair: workflow start failed; next pass');
      }
    }
    for (const pending of await this.cases.pendingStepsBefore(before)) {
      try {
        // A workflow still setting up its clocks refuses every step for a moment: not a refusal.
        if (!(await this.commands.view(pending.caseId)).view.policy) continue;
        await this.commands.step(pending.caseId, pending.command, pending._id);
        // The update's own answer may be older than later steps: store the case as it is now.
        const { view } = await this.commands.view(pending.caseId);
        await this.cases.commitStep(pending.caseId, pending._id, pending.command.form, pending.sealed, {
          stage: view.stage,
          seriousRisk: view.seriousRisk,
          clocks: view.clocks,
        });
        steps++;
        this.logger.warn({ protectionCaseId: pending.caseId, updateId: pending._id }, 'repair: committed a step');
      } catch (error) {
        if (error instanceof TemporalUnavailable) continue;
        if (error instanceof ProtectionStepRefused) {
          await this.cases.dropStep(pending._id);
          steps++;
          this.logger.warn(
            { protectionCaseId: pending.caseId, updateId: pending._id, reason: error.message },
            'repair: the workflow refused a pending step; its form is dropped',
          );
          continue;
        }
        this.logger.error({ err: error, protectionCaseId: pending.caseId }, 'repair: step failed; next pass');
      }
    }
    return { started, steps };
  }

  start(intervalMs = 30_000): void {
    const pass = () => {
      this.#running ??= this.run()
        .catch((error: unknown) => this.logger.error({ err: error }, 'repair pass failed'))
        .finally(() => (this.#running = undefined));
    };
    pass();
    this.#timer = setInterval(pass, intervalMs);
    this.#timer.unref();
  }

  async stop(): Promise<void> {
    if (this.#timer) clearInterval(this.#timer);
    await this.#running;
  }
}
