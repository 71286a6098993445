import type { Role } from '@ecd/contracts';

/**
 * A report's states (DHIS2-style data approval, one level at a time): a draft is written and
 * submitted with its figures frozen; the level above approves it (figures locked) or returns it
 * with a reason; a returned report is corrected and submitted again.
 */
export const ReportStates = ['draft', 'submitted', 'approved', 'returned'] as const;
export type ReportState = (typeof ReportStates)[number];

export const ReportActions = ['edit', 'submit', 'approve', 'return', 'unapprove'] as const;
export type ReportAction = (typeof ReportActions)[number];

/** Which states an action may start from. */
const allowedFrom: Record<ReportAction, readonly ReportState[]> = {
  edit: ['draft', 'returned'],
  submit: ['draft', 'returned'],
  approve: ['submitted'],
  return: ['submitted'],
  unapprove: ['approved'],
};

/** Where an action leads. Un-approving reopens the decision, not the figures: the report is submitted again. */
export const nextState: Record<Exclude<ReportAction, 'edit'>, ReportState> = {
  submit: 'submitted',
  approve: 'approved',
  return: 'returned',
  unapprove: 'submitted',
};

/** A refusal of the reporting cycle, in words a chairman or supervisor understands (answered as 409 or 403). */
export class ReportCycleRefusal extends Error {
  constructor(
    readonly status: 403 | 409,
    message: string,
  ) {
    super(message);
    this.name = 'ReportCycleRefusal';
  }
}

/** Who acts on a report: the unit's own people write and submit it, the level above decides on it. */
export interface ReportActor {
  role: Role;
  unitCode?: string;
}

export interface ReportPosition {
  unitCode: string;
  /** The unit one level up (undefined at the top of the ladder). */
  parentUnitCode?: string;
  /** Every unit above, nearest first. */
  unitsAbove: readonly string[];
  level: string;
}

/**
 * Whether `actor` may do `action` on the report of `position` in state `state`; throws a
 * refusal naming why. `unitsBelowNotApproved` lists the reports below the unit still not
 * approved (a unit submits only once every unit below it is approved).
 */
export function checkReportAction(
  action: ReportAction,
  state: ReportState,
  position: ReportPosition,
  actor: ReportActor,
  unitsBelowNotApproved: readonly string[] = [],
): void {
  const ownUnit = actor.unitCode === position.unitCode;
  if (action === 'edit' || action === 'submit') {
    const author =
      (position.level === 'commune' && actor.role === 'commune-chairman') ||
      (position.level !== 'commune' && actor.role === 'supervisor');
    if (!author || !ownUnit) {
      throw new ReportCycleRefusal(
        403,
        position.level === 'commune'
          ? `only the chairman of commune ${position.unitCode} writes and submits its report`
          : `only a supervisor of unit ${position.unitCode} writes and submits its report`,
      );
    }
  } else {
    if (actor.role !== 'supervisor' || !actor.unitCode || !position.unitsAbove.includes(actor.unitCode)) {
      throw new ReportCycleRefusal(
        403,
        `only a supervisor of a unit above ${position.unitCode} may ${action} its report`,
      );
    }
  }
  if (!allowedFrom[action].includes(state)) {
    throw new ReportCycleRefusal(
      409,
      `the report is ${state}: ${action} needs a report that is ${allowedFrom[action].join(' or ')}`,
    );
  }
  if (action === 'submit' && unitsBelowNotApproved.length > 0) {
    throw new ReportCycleRefusal(
      409,
      `every unit below must be approved first; not yet approved: ${unitsBelowNotApproved.join(', ')}`,
    );
  }
}
