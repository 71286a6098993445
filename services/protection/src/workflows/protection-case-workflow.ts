import {
  ActivityFailure,
  ApplicationFailure,
  allHandlersFinished,
  condition,
  proxyActivities,
  setHandler,
} from '@temporalio/workflow';
import type { ProtectionStage, ProtectionStep, Urgency } from '@ecd/contracts';
import type {
  PlannedEscalationStep,
  ProtectionActivities,
  ProtectionEventData,
  ProtectionEventRequest,
  StepPolicySnapshot,
} from '../activities/protection-activities';
import {
  ProtectionFailure,
  acknowledgeStepEscalationUpdate,
  approvePlanUpdate,
  assessRiskUpdate,
  caseWorkerRoles,
  closeCaseUpdate,
  draftPlanUpdate,
  escalationOwnerRoles,
  holdCaseMeetingUpdate,
  protectionCaseQuery,
  protectionHistoryQuery,
  recordEmergencyMeasureUpdate,
  recordReviewUpdate,
  startImplementationUpdate,
  type Actor,
  type ProtectionCaseStart,
  type ProtectionCaseView,
  type ProtectionHistoryEntry,
  type StepClock,
} from './definitions';

const activities = proxyActivities<ProtectionActivities>({
  startToCloseTimeout: '30 seconds',
  // No attempt limit: a protection case must never stall because Kafka was down.
  retry: { initialInterval: '1 second', backoffCoefficient: 2, maximumInterval: '1 minute' },
});

/** Publishing retries while Kafka is down, but not an event its schema refuses or a bug (docs/adr/0012). */
const permanentErrorTypes = ['InvalidEventError', 'TypeError', 'ReferenceError', 'RangeError', 'SyntaxError'];
const effectActivities = proxyActivities<ProtectionActivities>({
  startToCloseTimeout: '30 seconds',
  retry: {
    initialInterval: '1 second',
    backoffCoefficient: 2,
    maximumInterval: '1 minute',
    nonRetryableErrorTypes: permanentErrorTypes,
  },
});

/** What failed for good, when an effect's activity gave up without retrying; undefined otherwise. */
const permanentProblem = (error: unknown): string | undefined => {
  if (!(error instanceof ActivityFailure) || !(error.cause instanceof ApplicationFailure)) return undefined;
  const { type, nonRetryable, message } = error.cause;
  if (!nonRetryable && !permanentErrorTypes.includes(type ?? '')) return undefined;
  return `${type ?? 'Error'}: ${message}`.slice(0, 1000);
};

const refuse = (type: string, message: string): never => {
  throw ApplicationFailure.create({ type, message, nonRetryable: true });
};

/**
 * One protection case under Decree 56/2017 Chapter III, from the report to closure. The single
 * writer of the case's stage and step deadlines: each step is an update with a validator, each
 * change an event (in order, deterministic ids), and each deadline a durable timer with reminders
 * and escalation one level up the administrative ladder until someone acknowledges or the step is
 * done. Case details never come here: they are encrypted in the protection database.
 */
export async function ProtectionCaseWorkflow(start: ProtectionCaseStart): Promise<ProtectionCaseView> {
  const caseId = start.protectionCaseId;
  const nowIso = () => new Date(Date.now()).toISOString();

  let stage: ProtectionStage = 'REPORTED';
  let seriousRisk = start.seriousRisk;
  const urgency: Urgency = start.seriousRisk ? 'emergency' : 'routine';
  // Set once, after the handlers that read it are registered (they refuse until it is).
  // eslint-disable-next-line prefer-const
  let policy: StepPolicySnapshot | undefined;
  let reviewBy: string | undefined;
  const clocks: StepClock[] = [];
  const history: ProtectionHistoryEntry[] = [];
  const supervisors: Promise<void>[] = [];

  type Effect = ProtectionEventRequest;
  const effects: Effect[] = [];
  let effectSeq = 0;
  let finished = false;
  const effectsDrained = (async () => {
    for (;;) {
      await condition(() => effects.length > 0 || finished);
      const next = effects[0];
      if (!next) return;
      try {
        await effectActivities.publishProtectionEvent(next);
      } catch (error) {
        const problem = permanentProblem(error);
        if (problem === undefined) throw error;
        // Poison: recorded in the history (counted in /metrics by the activity) and skipped, so
        // the case's later events still leave.
        record('EFFECT_FAILED', nowIso(), undefined, undefined, {
          failedEventId: next.id,
          failedEffect: next.type,
          problem,
        });
      }
      effects.shift();
    }
  })();

  const view = (): ProtectionCaseView => ({
    protectionCaseId: caseId,
    communeCode: start.communeCode,
    stage,
    urgency,
    seriousRisk,
    receivedAt: start.receivedAt,
    ...(reviewBy ? { reviewBy } : {}),
    ...(policy ? { policy: { id: policy.id, version: policy.version } } : {}),
    clocks: clocks.map((c) => ({ ...c, escalation: { ...c.escalation } })),
  });

  /** Fields every protection event carries, as they are now. */
  function ref(at: string) {
    return { protectionCaseId: caseId, communeCode: start.communeCode, stage, urgency, at };
  }

  /** Queues an event; its data is checked against its type's schema by the compiler. */
  function emit(at: string, event: ProtectionEventData): void {
    effectSeq++;
    effects.push({
      ...event,
      id: `${caseId}:${effectSeq}`,
      subject: caseId,
      time: at,
      ...(start.correlationId ? { correlationId: start.correlationId } : {}),
    });
  }

  function record(action: string, at: string, by?: Actor, step?: ProtectionStep, details?: Record<string, unknown>) {
    history.push({
      at,
      action,
      stage,
      ...(step ? { step } : {}),
      ...(by ? { by } : {}),
      unitCode: (details?.unitCode as string | undefined) ?? by?.unitCode ?? start.communeCode,
      ...(details ? { details } : {}),
    });
  }

  // --- Rules, shared by validators (answer at once) and handlers (re-checked under the lock). ---
  const requireReady = () => {
    if (!policy) refuse(ProtectionFailure.invalidTransition, 'the case is still being set up; try again shortly');
  };
  const requireStage = (allowed: ProtectionStage[], action: string) => {
    requireReady();
    if (!allowed.includes(stage)) {
      refuse(
        ProtectionFailure.invalidTransition,
        `cannot ${action}: the case is at stage ${stage.toLowerCase().replace(/_/g, ' ')}`,
      );
    }
  };
  const requireCaseWorker = (by: Actor) => {
    if (!caseWorkerRoles.includes(by.role) || by.unitCode !== start.communeCode) {
      refuse(ProtectionFailure.notPermitted, "only the commune's protection officer records this step");
    }
  };
  const clockOf = (step: ProtectionStep) => clocks.find((c) => c.step === step);
  const running = (step: ProtectionStep) => clockOf(step)?.state === 'RUNNING';

  const checkAssess = ({ by }: { by: Actor; seriousRisk: boolean }) => {
    requireStage(['REPORTED'], 'record the initial risk assessment');
    requireCaseWorker(by);
  };
  const checkEmergency = ({ by }: { by: Actor }) => {
    requireReady();
    requireCaseWorker(by);
    if (stage === 'CLOSED') refuse(ProtectionFailure.invalidTransition, 'the case is closed');
    if (!running('EMERGENCY_MEASURE')) {
      refuse(
        ProtectionFailure.invalidTransition,
        clockOf('EMERGENCY_MEASURE')
          ? 'the emergency measure is already recorded'
          : 'no emergency measure is required: the case is not at serious risk',
      );
    }
  };
  const checkMeeting = ({ by }: { by: Actor }) => {
    requireStage(['ASSESSED'], 'record the case meeting');
    requireCaseWorker(by);
  };
  const checkPlan = ({ by, reviewBy: review }: { by: Actor; reviewBy: string }) => {
    requireStage(['MEETING_HELD'], 'draft the plan');
    requireCaseWorker(by);
    const at = Date.parse(review);
    if (Number.isNaN(at)) refuse(ProtectionFailure.invalidArgument, 'reviewBy is not a date-time');
    if (at <= Date.now()) refuse(ProtectionFailure.invalidArgument, 'reviewBy must be in the future');
  };
  const checkApprove = ({ by }: { by: Actor }) => {
    requireStage(['PLAN_DRAFTED'], 'approve the plan');
    if (by.role !== 'commune-chairman' || by.unitCode !== start.communeCode) {
      refuse(ProtectionFailure.notPermitted, "only the chairman of the case's commune approves the plan (form 05)");
    }
  };
  const checkImplement = ({ by }: { by: Actor }) => {
    requireStage(['PLAN_APPROVED'], 'start carrying out the plan');
    requireCaseWorker(by);
  };
  const checkReview = ({ by }: { by: Actor }) => {
    requireStage(['IN_IMPLEMENTATION'], 'record the review');
    requireCaseWorker(by);
  };
  const checkClose = ({ by }: { by: Actor; riskAtClosure: string }) => {
    // A case assessed without risk may close at once; otherwise only after its review.
    requireStage(['ASSESSED', 'REVIEWED'], 'close the case');
    requireCaseWorker(by);
  };
  const checkAcknowledge = ({ by, step }: { by: Actor; step: ProtectionStep }) => {
    requireReady();
    if (!escalationOwnerRoles.includes(by.role)) {
      refuse(ProtectionFailure.notPermitted, 'only protection officers and supervisors acknowledge escalations');
    }
    const clock = clockOf(step);
    if (!clock || clock.state !== 'RUNNING' || clock.escalation.level === 0) {
      refuse(ProtectionFailure.invalidTransition, `there is no escalation of ${step.toLowerCase()} to acknowledge`);
    }
    if (clock!.escalation.acknowledged) {
      refuse(ProtectionFailure.invalidTransition, 'the escalation is already acknowledged');
    }
  };

  let busy = false;
  async function exclusive<T>(fn: () => Promise<T> | T): Promise<T> {
    await condition(() => !busy);
    busy = true;
    try {
      return await fn();
    } finally {
      busy = false;
    }
  }

  /** Opens a step's clock and its supervising coroutine. */
  async function openClock(step: ProtectionStep, window: StepPolicySnapshot['emergencyMeasureWithin'], from: string) {
    const planned = await activities.planWindow({ window, from, reminderAt: policy!.reminderAt });
    openClockAt(step, planned.deadline, planned.reminders);
  }
  function openClockAt(step: ProtectionStep, dueAt: string, reminders: string[]) {
    const clock: StepClock = { step, dueAt, state: 'RUNNING', escalation: { level: 0, acknowledged: false } };
    clocks.push(clock);
    supervisors.push(superviseClock(clock, reminders));
  }
  function finishClock(step: ProtectionStep, at: string, state: 'DONE' | 'CANCELLED') {
    const clock = clockOf(step);
    if (!clock || clock.state !== 'RUNNING') return;
    clock.state = state;
    clock.doneAt = at;
    clock.late = Date.parse(at) > Date.parse(clock.dueAt);
    record(state === 'DONE' ? 'STEP_DONE' : 'STEP_CANCELLED', at, undefined, step, { late: clock.late });
    emit(at, {
      type: 'protection.step_completed.v1',
      data: { ...ref(at), step, dueAt: clock.dueAt, late: clock.late },
    });
  }

  setHandler(
    assessRiskUpdate,
    (input) =>
      exclusive(async () => {
        checkAssess(input);
        const at = nowIso();
        stage = 'ASSESSED';
        finishClock('INITIAL_ASSESSMENT', at, 'DONE');
        if (input.seriousRisk && !clockOf('EMERGENCY_MEASURE')) {
          // The 12 hours count from receipt of the information, not from the assessment (Art. 26).
          await openClock('EMERGENCY_MEASURE', policy!.emergencyMeasureWithin, start.receivedAt);
        } else if (!input.seriousRisk) {
          finishClock('EMERGENCY_MEASURE', at, 'CANCELLED');
        }
        seriousRisk = input.seriousRisk;
        record('RISK_ASSESSED', at, input.by, undefined, { seriousRisk });
        emit(at, { type: 'protection.risk_assessed.v1', data: { ...ref(at), by: input.by, seriousRisk } });
        return view();
      }),
    { validator: checkAssess },
  );

  setHandler(
    recordEmergencyMeasureUpdate,
    (input) =>
      exclusive(() => {
        checkEmergency(input);
        const at = nowIso();
        const dueAt = clockOf('EMERGENCY_MEASURE')!.dueAt;
        finishClock('EMERGENCY_MEASURE', at, 'DONE');
        record('EMERGENCY_MEASURE_TAKEN', at, input.by);
        emit(at, { type: 'protection.emergency_measure_taken.v1', data: { ...ref(at), by: input.by, dueAt } });
        return view();
      }),
    { validator: checkEmergency },
  );

  setHandler(
    holdCaseMeetingUpdate,
    (input) =>
      exclusive(() => {
        checkMeeting(input);
        const at = nowIso();
        stage = 'MEETING_HELD';
        record('CASE_MEETING_HELD', at, input.by);
        emit(at, { type: 'protection.case_meeting_held.v1', data: { ...ref(at), by: input.by } });
        return view();
      }),
    { validator: checkMeeting },
  );

  setHandler(
    draftPlanUpdate,
    (input) =>
      exclusive(async () => {
        checkPlan(input);
        const at = nowIso();
        stage = 'PLAN_DRAFTED';
        reviewBy = new Date(Date.parse(input.reviewBy)).toISOString();
        finishClock('PLAN', at, 'DONE');
        await openClock('APPROVAL', policy!.approvalWithin, at);
        record('PLAN_DRAFTED', at, input.by, undefined, { reviewBy });
        emit(at, { type: 'protection.plan_drafted.v1', data: { ...ref(at), by: input.by, reviewBy } });
        return view();
      }),
    { validator: checkPlan },
  );

  setHandler(
    approvePlanUpdate,
    (input) =>
      exclusive(() => {
        checkApprove(input);
        const at = nowIso();
        stage = 'PLAN_APPROVED';
        finishClock('APPROVAL', at, 'DONE');
        record('PLAN_APPROVED', at, input.by);
        emit(at, { type: 'protection.plan_approved.v1', data: { ...ref(at), by: input.by } });
        return view();
      }),
    { validator: checkApprove },
  );

  setHandler(
    startImplementationUpdate,
    (input) =>
      exclusive(async () => {
        checkImplement(input);
        const at = nowIso();
        stage = 'IN_IMPLEMENTATION';
        const reminders = await activities.planReminders({
          from: at,
          deadline: reviewBy!,
          reminderAt: policy!.reminderAt,
        });
        openClockAt('REVIEW', reviewBy!, reminders);
        record('IMPLEMENTATION_STARTED', at, input.by);
        emit(at, { type: 'protection.implementation_started.v1', data: { ...ref(at), by: input.by } });
        return view();
      }),
    { validator: checkImplement },
  );

  setHandler(
    recordReviewUpdate,
    (input) =>
      exclusive(() => {
        checkReview(input);
        const at = nowIso();
        stage = 'REVIEWED';
        finishClock('REVIEW', at, 'DONE');
        record('CASE_REVIEWED', at, input.by);
        emit(at, { type: 'protection.case_reviewed.v1', data: { ...ref(at), by: input.by } });
        return view();
      }),
    { validator: checkReview },
  );

  setHandler(
    closeCaseUpdate,
    (input) =>
      exclusive(() => {
        checkClose(input);
        const at = nowIso();
        stage = 'CLOSED';
        for (const clock of clocks) finishClock(clock.step, at, 'CANCELLED');
        record('CASE_CLOSED', at, input.by, undefined, { riskAtClosure: input.riskAtClosure });
        emit(at, {
          type: 'protection.case_closed.v1',
          data: { ...ref(at), by: input.by, riskAtClosure: input.riskAtClosure },
        });
        return view();
      }),
    { validator: checkClose },
  );

  setHandler(
    acknowledgeStepEscalationUpdate,
    (input) =>
      exclusive(() => {
        checkAcknowledge(input);
        const at = nowIso();
        const clock = clockOf(input.step)!;
        clock.escalation = { ...clock.escalation, acknowledged: true };
        record('ESCALATION_ACKNOWLEDGED', at, input.by, input.step, { level: clock.escalation.level });
        emit(at, {
          type: 'protection.step_escalation_acknowledged.v1',
          data: { ...ref(at), step: input.step, level: clock.escalation.level, by: input.by },
        });
        return view();
      }),
    { validator: checkAcknowledge },
  );

  setHandler(protectionCaseQuery, view);
  setHandler(protectionHistoryQuery, () => history);

  /** Waits until `instant` or until `wake()` holds; true when woken early. */
  async function waitUntil(instant: string, wake: () => boolean): Promise<boolean> {
    if (wake()) return true;
    const ms = Date.parse(instant) - Date.now();
    if (ms <= 0) return false;
    return condition(wake, ms);
  }

  /**
   * Reminders before the deadline, then escalation one level up per interval until the step is
   * done, someone acknowledges, or the top of the ladder is reached. Entries are recorded at the
   * instant the policy gives (`at`); `firedAt` is when the timer was processed.
   */
  async function superviseClock(clock: StepClock, reminders: string[]): Promise<void> {
    const over = () => clock.state !== 'RUNNING';
    for (const reminder of reminders) {
      if (Date.parse(reminder) <= Date.now()) continue;
      if (await waitUntil(reminder, over)) return;
      const firedAt = nowIso();
      record('STEP_REMINDER_DUE', reminder, undefined, clock.step, { dueAt: clock.dueAt, firedAt });
      emit(reminder, {
        type: 'protection.step_reminder_due.v1',
        data: { ...ref(reminder), step: clock.step, dueAt: clock.dueAt, firedAt },
      });
    }
    if (await waitUntil(clock.dueAt, over)) return;
    const steps: PlannedEscalationStep[] = await activities.planEscalation({
      missedAt: clock.dueAt,
      interval: policy!.escalationInterval,
      fromUnitCode: start.communeCode,
    });
    for (const [index, step] of steps.entries()) {
      if (await waitUntil(step.at, () => over() || clock.escalation.acknowledged)) return;
      const firedAt = nowIso();
      const topOfLadder = index === steps.length - 1;
      clock.escalation = { level: step.level, unitCode: step.unitCode, acknowledged: false };
      record('STEP_ESCALATED', step.at, undefined, clock.step, {
        level: step.level,
        unitCode: step.unitCode,
        dueAt: clock.dueAt,
        firedAt,
      });
      emit(step.at, {
        type: 'protection.step_escalated.v1',
        data: {
          ...ref(step.at),
          step: clock.step,
          level: step.level,
          dueAt: clock.dueAt,
          responsibleUnitCode: step.unitCode,
          responsibleUnitLevel: step.unitLevel,
          topOfLadder,
          firedAt,
        },
      });
    }
  }

  // --- The case's life. ---
  policy = await activities.loadStepPolicy({ urgency });
  record('REPORTED', start.receivedAt, start.reportedBy, undefined, { source: start.source, seriousRisk });
  emit(start.receivedAt, {
    type: 'protection.case_reported.v1',
    data: {
      ...ref(start.receivedAt),
      source: start.source,
      receivedAt: start.receivedAt,
      seriousRisk,
      by: start.reportedBy,
      ...(start.childId ? { childId: start.childId } : {}),
    },
  });
  await openClock('INITIAL_ASSESSMENT', policy.initialAssessmentWithin, start.receivedAt);
  if (seriousRisk) await openClock('EMERGENCY_MEASURE', policy.emergencyMeasureWithin, start.receivedAt);
  // Art. 28: the support and intervention plan within 5 working days of the report.
  await openClock('PLAN', policy.planWithin, start.receivedAt);

  await condition(() => stage === 'CLOSED');
  await Promise.all(supervisors);
  await condition(allHandlersFinished);
  finished = true;
  await effectsDrained;
  return view();
}
