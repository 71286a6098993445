import { WorkflowExecutionAlreadyStartedError, type Client } from '@temporalio/client';
import type { Logger } from 'pino';
import type { AdministrativeUnit, EscalationLadder, WorkingDayCalendar } from '@ecd/referral-policy';
import type { StaffIdentity } from '@ecd/service-kit';
import { indicatorValue } from '../domain/indicator-formulas';
import { computedIndicators, indicatorKey, type Target } from '../domain/indicators';
import { checkReportAction, ReportCycleRefusal, type ReportAction, type ReportPosition } from '../domain/report-cycle';
import { reportDeadlinePlan } from '../domain/report-deadlines';
import { dueDateOf, reportingPeriod } from '../domain/reporting-periods';
import type { IndicatorStore } from '../repositories/indicator-store';
import {
  reportIdOf,
  type FrozenValue,
  type Narrative,
  type ReportHistoryEntry,
  type ReportRecord,
  type ReportRepository,
} from '../repositories/report-repository';
import { reportDeadlineWorkflowId, reportSubmittedSignal, type ReportDeadlineStart } from '../workflows/definitions';

type ReportChange = Parameters<ReportRepository['change']>[2];

const describeTarget = (t: Target) => `${t.direction === 'at-least' ? '≥' : '<'} ${t.percent}%`;

/** Levels that write a report (villages do not). */
const reportingLevels = new Set(['commune', 'district', 'province']);

/**
 * The reporting cycle: opening a period (a report and a ReportDeadlineWorkflow per unit),
 * writing, submitting with the figures frozen, approving, returning and un-approving.
 */
export class ReportCycleCommands {
  constructor(
    private readonly reports: ReportRepository,
    private readonly indicators: IndicatorStore,
    private readonly ladder: EscalationLadder,
    private readonly units: readonly AdministrativeUnit[],
    private readonly calendar: WorkingDayCalendar,
    private readonly temporal: Client,
    private readonly taskQueue: string,
    private readonly logger: Logger,
  ) {}

  position(unitCode: string): ReportPosition {
    const unit = this.ladder.unit(unitCode);
    const above = this.ladder.stepsAbove(unitCode).map((u) => u.code);
    return { unitCode, level: unit.level, unitsAbove: above, ...(above[0] ? { parentUnitCode: above[0] } : {}) };
  }

  /** The unit itself and every reporting unit under it. */
  unitsWithin(unitCode: string): string[] {
    return this.units
      .filter((u) => reportingLevels.has(u.level))
      .filter((u) => u.code === unitCode || this.ladder.stepsAbove(u.code).some((a) => a.code === unitCode))
      .map((u) => u.code);
  }

  /** Whether a signed-in staff member may read a unit's report: their own unit, or one below theirs. */
  mayRead(staff: StaffIdentity, unitCode: string): boolean {
    if (!staff.unitCode) return false;
    if (staff.unitCode === unitCode) return staff.role === 'commune-chairman' || staff.role === 'supervisor';
    return staff.role === 'supervisor' && this.position(unitCode).unitsAbove.includes(staff.unitCode);
  }

  /** Opens a period in the supervisor's province: a draft report and a deadline workflow per unit. */
  async openPeriod(periodId: string, provinceCode: string): Promise<{ opened: string[]; existing: string[] }> {
    const period = reportingPeriod(periodId);
    const dueDate = dueDateOf(period, provinceCode);
    const plan = reportDeadlinePlan(this.calendar, dueDate);
    const opened: string[] = [];
    const existing: string[] = [];
    for (const unitCode of this.unitsWithin(provinceCode)) {
      const unit = this.ladder.unit(unitCode);
      const position = this.position(unitCode);
      const id = reportIdOf(periodId, unitCode);
      const created = await this.reports.open({
        _id: id,
        periodId,
        unitCode,
        unitName: unit.name,
        level: unit.level,
        ...(position.parentUnitCode ? { parentUnitCode: position.parentUnitCode } : {}),
        provinceCode,
        state: 'draft',
        dueDate,
        dueOn: plan.dueOn,
        dueAt: plan.dueAt,
        narrative: { results: '', difficulties: '', proposals: '' },
        activities: '',
        history: [{ at: new Date().toISOString(), action: 'opened' }],
        alerts: [],
        rev: 1,
      });
      (created ? opened : existing).push(id);
      // Started on every call: a start lost to a crash after the insert is made good by opening again.
      await this.#startDeadline({
        reportId: id,
        unitCode,
        dueDate,
        ...(position.parentUnitCode ? { escalateToUnitCode: position.parentUnitCode } : {}),
      });
    }
    return { opened, existing };
  }

  async #startDeadline(start: ReportDeadlineStart) {
    try {
      await this.temporal.workflow.start('ReportDeadlineWorkflow', {
        workflowId: reportDeadlineWorkflowId(start.reportId),
        taskQueue: this.taskQueue,
        args: [start],
        workflowIdReusePolicy: 'REJECT_DUPLICATE',
      });
    } catch (error) {
      if (!(error instanceof WorkflowExecutionAlreadyStartedError)) throw error;
    }
  }

  async #load(reportId: string): Promise<ReportRecord> {
    const report = await this.reports.get(reportId);
    if (!report) throw new ReportCycleRefusal(409, `no report ${reportId}: the period is not open for this unit`);
    return report;
  }

  async #change(
    report: ReportRecord,
    action: ReportAction,
    staff: StaffIdentity,
    set: ReportChange,
    reason?: string,
    unset: ('returnReason' | 'approvedAt')[] = [],
  ): Promise<ReportRecord> {
    const entry: ReportHistoryEntry = {
      at: new Date().toISOString(),
      action,
      by: { userId: staff.userId, role: staff.role, ...(staff.unitCode ? { unitCode: staff.unitCode } : {}) },
      ...(reason ? { reason } : {}),
    };
    if (!(await this.reports.change(report._id, report.rev, set, entry, unset))) {
      throw new ReportCycleRefusal(409, 'the report was changed by someone else meanwhile: reload it and try again');
    }
    return this.#load(report._id);
  }

  async edit(reportId: string, staff: StaffIdentity, narrative: Narrative, activities: string) {
    const report = await this.#load(reportId);
    checkReportAction('edit', report.state, this.position(report.unitCode), staff);
    return this.#change(report, 'edit', staff, { narrative, activities });
  }

  /** The unit's figures now, as they would be frozen. */
  async currentValues(periodId: string, unitCode: string): Promise<FrozenValue[]> {
    const counts = await this.indicators.countsFor(periodId, unitCode);
    return computedIndicators.map((definition) => {
      const count = counts[indicatorKey(definition)] ?? { numerator: 0, denominator: 0 };
      return {
        indicatorId: definition.id,
        version: definition.version,
        numerator: count.numerator,
        denominator: count.denominator,
        value: indicatorValue(count.numerator, count.denominator),
        target2025: describeTarget(definition.targets[2025]),
        target2030: describeTarget(definition.targets[2030]),
      };
    });
  }

  async submit(reportId: string, staff: StaffIdentity) {
    const report = await this.#load(reportId);
    const below = (await this.reports.inUnits(report.periodId, this.unitsWithin(report.unitCode))).filter(
      (r) => r.parentUnitCode === report.unitCode,
    );
    const notApproved = below.filter((r) => r.state !== 'approved').map((r) => r.unitCode);
    checkReportAction('submit', report.state, this.position(report.unitCode), staff, notApproved);
    const values = await this.currentValues(report.periodId, report.unitCode);
    const submitted = await this.#change(
      report,
      'submit',
      staff,
      { state: 'submitted', values, submittedAt: new Date().toISOString() },
      undefined,
      ['returnReason'],
    );
    await this.temporal.workflow
      .getHandle(reportDeadlineWorkflowId(reportId))
      .signal(reportSubmittedSignal)
      .catch((error: unknown) => {
        // The workflow checks the report's state before it reminds or escalates: a lost signal is harmless.
        this.logger.warn({ err: error, reportId }, 'could not tell the deadline workflow of the submission');
      });
    return submitted;
  }

  async approve(reportId: string, staff: StaffIdentity) {
    const report = await this.#load(reportId);
    checkReportAction('approve', report.state, this.position(report.unitCode), staff);
    return this.#change(report, 'approve', staff, { state: 'approved', approvedAt: new Date().toISOString() });
  }

  async return(reportId: string, staff: StaffIdentity, reason: string) {
    const report = await this.#load(reportId);
    checkReportAction('return', report.state, this.position(report.unitCode), staff);
    return this.#change(report, 'return', staff, { state: 'returned', returnReason: reason }, reason);
  }

  async unapprove(reportId: string, staff: StaffIdentity, reason: string) {
    const report = await this.#load(reportId);
    checkReportAction('unapprove', report.state, this.position(report.unitCode), staff);
    if (report.parentUnitCode) {
      const parent = await this.reports.get(reportIdOf(report.periodId, report.parentUnitCode));
      if (parent && (parent.state === 'submitted' || parent.state === 'approved')) {
        throw new ReportCycleRefusal(
          409,
          `the report of ${report.parentUnitCode} is ${parent.state} with these figures in it: it must be returned first`,
        );
      }
    }
    return this.#change(report, 'unapprove', staff, { state: 'submitted' }, reason, ['approvedAt']);
  }
}
