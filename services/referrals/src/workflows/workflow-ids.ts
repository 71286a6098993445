/** Workflow ids derived from business keys make every start idempotent. */
export const caseScreeningWorkflowId = (caseId: string) => `case-screening:${caseId}`;
