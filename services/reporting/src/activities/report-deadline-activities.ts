import type { Logger } from 'pino';
import type { ReportRepository } from '../repositories/report-repository';

export interface ReminderInput {
  reportId: string;
  unitCode: string;
  workingDaysBefore: number;
  dueAt: string;
  at: string;
}
export interface EscalationInput {
  reportId: string;
  unitCode: string;
  toUnitCode: string;
  dueAt: string;
  at: string;
}

/** What the ReportDeadlineWorkflow does outside itself: each effect recorded once on the report. */
export function createReportDeadlineActivities(reports: ReportRepository, logger: Logger) {
  const alreadySubmitted = async (reportId: string) => {
    const report = await reports.get(reportId);
    return report !== null && report.state !== 'draft' && report.state !== 'returned';
  };
  return {
    async remindUnit(input: ReminderInput): Promise<void> {
      // The submission's signal may have been lost (the worker was down): the report's state decides.
      if (await alreadySubmitted(input.reportId)) return;
      await reports.alert(input.reportId, {
        kind: 'reminder',
        at: input.at,
        workingDaysBefore: input.workingDaysBefore,
      });
      logger.info({ reportId: input.reportId, workingDaysBefore: input.workingDaysBefore }, 'report reminder due');
    },
    async escalateLateReport(input: EscalationInput): Promise<void> {
      if (await alreadySubmitted(input.reportId)) return;
      await reports.alert(input.reportId, { kind: 'escalation', at: input.at, toUnitCode: input.toUnitCode });
      logger.warn({ reportId: input.reportId, toUnitCode: input.toUnitCode }, 'late report escalated');
    },
  };
}
export type ReportDeadlineActivities = ReturnType<typeof createReportDeadlineActivities>;
