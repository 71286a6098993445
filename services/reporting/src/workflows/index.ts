// Everything the reporting worker bundles. Workflow code must stay deterministic: no Node
// built-ins, and activities imported as types only (enforced by eslint.config.js).
export { ReportDeadlineWorkflow } from './report-deadline-workflow';
