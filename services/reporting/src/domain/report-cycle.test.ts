import { describe, expect, it } from 'vitest';
import { checkReportAction, ReportCycleRefusal, type ReportPosition } from './report-cycle';

const commune: ReportPosition = { unitCode: '02704', parentUnitCode: '10', unitsAbove: ['10'], level: 'commune' };
const province: ReportPosition = { unitCode: '10', unitsAbove: [], level: 'province' };
const chairman = { role: 'commune-chairman' as const, unitCode: '02704' };
const otherChairman = { role: 'commune-chairman' as const, unitCode: '02701' };
const supervisor = { role: 'supervisor' as const, unitCode: '10' };

const refusal = (work: () => void) => {
  try {
    work();
  } catch (error) {
    if (error instanceof ReportCycleRefusal) return { status: error.status, message: error.message };
    throw error;
  }
  return undefined;
};

describe('who may do what to a report, in which state', () => {
  it('the commune chairman writes and submits the commune’s draft or returned report', () => {
    expect(refusal(() => checkReportAction('submit', 'draft', commune, chairman))).toBeUndefined();
    expect(refusal(() => checkReportAction('edit', 'returned', commune, chairman))).toBeUndefined();
    expect(refusal(() => checkReportAction('submit', 'draft', commune, otherChairman))?.status).toBe(403);
    expect(refusal(() => checkReportAction('submit', 'draft', commune, supervisor))?.status).toBe(403);
  });

  it('approval, return and un-approval belong to a supervisor above, from the right state', () => {
    expect(refusal(() => checkReportAction('approve', 'submitted', commune, supervisor))).toBeUndefined();
    expect(refusal(() => checkReportAction('return', 'submitted', commune, supervisor))).toBeUndefined();
    expect(refusal(() => checkReportAction('unapprove', 'approved', commune, supervisor))).toBeUndefined();
    expect(refusal(() => checkReportAction('approve', 'submitted', commune, chairman))?.status).toBe(403);
    expect(refusal(() => checkReportAction('approve', 'draft', commune, supervisor))).toEqual({
      status: 409,
      message: 'the report is draft: approve needs a report that is submitted',
    });
    // Approved figures are locked: no edit, no second submission.
    expect(refusal(() => checkReportAction('edit', 'approved', commune, chairman))?.status).toBe(409);
    expect(refusal(() => checkReportAction('submit', 'approved', commune, chairman))?.status).toBe(409);
    // Nobody above the province approves its report on this platform.
    expect(refusal(() => checkReportAction('approve', 'submitted', province, supervisor))?.status).toBe(403);
  });

  it('a unit submits only once every unit below it is approved', () => {
    expect(refusal(() => checkReportAction('submit', 'draft', province, supervisor, ['02701', '02707']))).toEqual({
      status: 409,
      message: 'every unit below must be approved first; not yet approved: 02701, 02707',
    });
    expect(refusal(() => checkReportAction('submit', 'draft', province, supervisor, []))).toBeUndefined();
  });
});
