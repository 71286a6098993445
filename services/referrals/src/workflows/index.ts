// Everything the worker bundles. Workflow code must stay deterministic: no Node built-ins, and
// activities imported as types only (enforced by eslint.config.js).
export { CaseScreeningWorkflow } from './case-screening-workflow';
export { ReferralWorkflow } from './referral-workflow';
