import { defineQuery, defineSignal } from '@temporalio/workflow';

/** What a ReportDeadlineWorkflow is started with; its id is `report-deadline:<report id>`. */
export interface ReportDeadlineStart {
  reportId: string;
  unitCode: string;
  /** The due date as the province's data gives it (`YYYY-MM-DD`). */
  dueDate: string;
  /** The unit one level up the administrative ladder; absent at the top (nobody to escalate to). */
  escalateToUnitCode?: string;
}

export interface ReportDeadlineView {
  dueAt: string;
  submitted: boolean;
  remindersSent: number[];
  escalatedTo?: string;
}

export const reportDeadlineWorkflowId = (reportId: string) => `report-deadline:${reportId}`;

/** The unit submitted its report: reminders and escalation stop. */
export const reportSubmittedSignal = defineSignal('reportSubmitted');
export const reportDeadlineQuery = defineQuery<ReportDeadlineView>('reportDeadline');
