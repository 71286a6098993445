import {
  ActivityFailure,
  ApplicationFailure,
  ParentClosePolicy,
  allHandlersFinished,
  condition,
  patched,
  proxyActivities,
  setHandler,
  startChild,
} from '@temporalio/workflow';
import type { ReferralState } from '@ecd/contracts';
import { textProblem, type TextLimits } from '@ecd/contracts/fields';
import type {
  PlannedEscalationStep,
  PolicySnapshot,
  ReferralActivities,
  ReferralEventData,
  ReferralEventRequest,
} from '../activities/referral-activities';
import type { ReferralNotification } from '../domain/notification-channel';
import {
  ReferralFailure,
  acceptUpdate,
  acknowledgeEscalationUpdate,
  closeUnresolvedUpdate,
  completeUpdate,
  declineUpdate,
  escalationOwnerRoles,
  extendDeadlineUpdate,
  facilityRoles,
  nextDeadlineQuery,
  referralTextLimits,
  redirectUpdate,
  referralHistoryQuery,
  referralStateQuery,
  startServiceUpdate,
  terminalStates,
  transferCommuneUpdate,
  withdrawUpdate,
  type Actor,
  type DeadlineKind,
  type NextDeadline,
  type ReferralHistoryEntry,
  type ReferralRequest,
  type ReferralView,
} from '@ecd/referral-client/definitions';

const activities = proxyActivities<ReferralActivities>({
  startToCloseTimeout: '30 seconds',
  // No attempt limit: a referral must never be lost because Kafka or the database was down.
  retry: { initialInterval: '1 second', backoffCoefficient: 2, maximumInterval: '1 minute' },
});

/**
 * Effects (events, notifications) retry while the failure may pass (Kafka or the database down),
 * but an event its schema refuses or a bug in our code fails the same way every time: those are
 * not retried, so one poisoned effect never blocks the referral's later ones.
 */
const permanentErrorTypes = ['InvalidEventError', 'TypeError', 'ReferenceError', 'RangeError', 'SyntaxError'];
const effectActivities = proxyActivities<ReferralActivities>({
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

export type { NextDeadline };

const DAY_MS = 86_400_000;

const refuse = (type: string, message: string): never => {
  throw ApplicationFailure.create({ type, message, nonRetryable: true });
};

/**
 * One referral from a commune to a facility of another sector, from request to close. The single
 * writer of the referral's state: every action is an update with a validator, every change is an
 * event (published in order, with deterministic ids) and a history entry, and every deadline is a
 * durable timer: reminders before it, escalation one level up the administrative ladder after it,
 * until someone acknowledges, the referral moves on, or the top is reached (then daily reminders).
 */
export async function ReferralWorkflow(request: ReferralRequest): Promise<ReferralView> {
  const { referralId } = request;
  const nowIso = () => new Date(Date.now()).toISOString();

  let state: ReferralState = 'REQUESTED';
  // Set once, after the handlers that read it are registered (they refuse until it is).
  // eslint-disable-next-line prefer-const
  let policy: PolicySnapshot | undefined;
  let acceptBy: string | undefined;
  let completeBy: string | undefined;
  let windowStart = request.requestedAt;
  let reminders: string[] = [];
  /** Bumped whenever the running deadline moves, so timers waiting on the old one wake up. */
  let deadlineVersion = 0;
  let escalation: ReferralView['escalation'] = { level: 0, acknowledged: false };
  let redirect: { toFacilityId: string; by: Actor; reason: string; newReferralId: string } | undefined;
  let outcome: ReferralView['outcome'];
  const history: ReferralHistoryEntry[] = [];
  /**
   * The commune responsible for the child: where the referral came from, until the child is
   * transferred to another commune. The bottom of the escalation ladder.
   */
  let commune = request.fromUnitCode;
  /** When the child last moved commune; escalation after a move starts on the new ladder from then. */
  let transferredAt: string | undefined;
  /** Bumped at each move, so an escalation climbing the old commune's ladder stops. */
  let ladderVersion = 0;

  // Effects (events, notifications) leave in order through one queue drained by one coroutine,
  // so update handlers answer at once and a slow broker never reorders what happened.
  type Effect = { kind: 'event'; event: ReferralEventRequest } | { kind: 'notify'; notification: ReferralNotification };
  const effects: Effect[] = [];
  let effectSeq = 0;
  let finished = false;
  let needsAttention: ReferralView['needsAttention'];
  const effectsDrained = (async () => {
    for (;;) {
      await condition(() => effects.length > 0 || finished);
      const next = effects[0];
      if (!next) return;
      try {
        if (next.kind === 'event') await effectActivities.publishReferralEvent(next.event);
        else await effectActivities.notify(next.notification);
      } catch (error) {
        const problem = permanentProblem(error);
        if (problem === undefined) throw error;
        // Poison: recorded, announced and skipped, so later effects still leave.
        const failedEventId = next.kind === 'event' ? next.event.id : next.notification.id;
        const failedEffect = next.kind === 'event' ? next.event.type : `notify:${next.notification.kind}`;
        const at = nowIso();
        needsAttention = { at, failedEventId, failedEffect, problem };
        record('NEEDS_ATTENTION', at, undefined, { failedEventId, failedEffect, problem });
        effectSeq++;
        effects.splice(1, 0, {
          kind: 'event',
          event: eventRequest(at, {
            type: 'referral.needs_attention.v1',
            data: { ...ref(at), failedEventId, failedEffect, problem },
          }),
        });
      }
      effects.shift();
    }
  })();

  const view = (): ReferralView => ({
    referralId,
    caseId: request.caseId,
    state,
    sector: request.sector,
    urgency: request.urgency,
    facilityId: request.facilityId,
    fromUnitCode: commune,
    ...(policy ? { policy: { id: policy.id, version: policy.version } } : {}),
    ...(acceptBy ? { acceptBy } : {}),
    ...(completeBy ? { completeBy } : {}),
    escalation: { ...escalation },
    ...(redirect ? { redirectedTo: redirect.toFacilityId } : {}),
    ...(outcome ? { outcome } : {}),
    ...(needsAttention ? { needsAttention } : {}),
  });

  /** Fields every referral event carries, as they are now. */
  function ref(at: string) {
    return {
      referralId,
      caseId: request.caseId,
      sector: request.sector,
      urgency: request.urgency,
      facilityId: request.facilityId,
      fromUnitCode: commune,
      state,
      at,
    };
  }

  /** The envelope of the next event; the effect's sequence is its id, so consumers apply it once. */
  function eventRequest(at: string, event: ReferralEventData): ReferralEventRequest {
    return {
      ...event,
      id: `${referralId}:${effectSeq}`,
      subject: request.caseId,
      time: at,
      ...(request.correlationId ? { correlationId: request.correlationId } : {}),
    };
  }

  /** Queues an event; its data is checked against its type's schema by the compiler. */
  function emit(at: string, event: ReferralEventData): void {
    effectSeq++;
    effects.push({ kind: 'event', event: eventRequest(at, event) });
  }

  function notify(
    kind: ReferralNotification['kind'],
    at: string,
    recipient: ReferralNotification['recipient'],
    message: ReferralNotification['message'],
  ): void {
    effectSeq++;
    effects.push({
      kind: 'notify',
      notification: {
        id: `${referralId}:${effectSeq}`,
        referralId,
        caseId: request.caseId,
        kind,
        recipient,
        at,
        message,
      },
    });
  }

  function record(action: string, at: string, by?: Actor, details?: Record<string, unknown>, unitCode?: string) {
    history.push({
      at,
      action,
      state,
      ...(by ? { by } : {}),
      unitCode: unitCode ?? by?.unitCode ?? commune,
      ...(details ? { details } : {}),
    });
  }

  // --- Rules, shared by validators (answer at once) and handlers (re-checked under the lock). ---
  const isTerminal = () => terminalStates.includes(state);
  const requireReady = () => {
    if (!policy) refuse(ReferralFailure.invalidTransition, 'the referral is still being set up; try again shortly');
  };
  const requireState = (allowed: ReferralState[], action: string) => {
    requireReady();
    if (!allowed.includes(state)) {
      refuse(ReferralFailure.invalidTransition, `cannot ${action}: the referral is ${state.toLowerCase()}`);
    }
  };
  const requireFacilityStaff = (by: Actor) => {
    if (!facilityRoles.includes(by.role) || by.facilityId !== request.facilityId) {
      refuse(ReferralFailure.notPermitted, 'this referral is not addressed to your facility');
    }
  };
  const requireText = (value: string | undefined, field: string, limits: TextLimits) => {
    const problem = textProblem(value, limits);
    if (problem !== undefined) refuse(ReferralFailure.invalidArgument, `${field} ${problem}`);
  };
  const runningDeadline = (): { kind: DeadlineKind; at: string } | undefined => {
    if (state === 'REQUESTED' && acceptBy) return { kind: 'ACCEPT', at: acceptBy };
    if ((state === 'ACCEPTED' || state === 'IN_SERVICE') && completeBy) return { kind: 'COMPLETE', at: completeBy };
    return undefined;
  };

  const checkAccept = ({ by }: { by: Actor }) => {
    requireState(['REQUESTED'], 'accept');
    requireFacilityStaff(by);
  };
  const checkDecline = ({ by, reason }: { by: Actor; reason: string }) => {
    requireState(['REQUESTED'], 'decline');
    requireFacilityStaff(by);
    requireText(reason, 'reason', referralTextLimits.actionReason);
  };
  const checkStart = ({ by }: { by: Actor }) => {
    requireState(['ACCEPTED'], 'start the service');
    requireFacilityStaff(by);
  };
  const checkComplete = ({
    by,
    outcome: text,
    serviceRecordId,
  }: {
    by: Actor;
    outcome: string;
    serviceRecordId: string;
  }) => {
    if (state === 'REQUESTED')
      refuse(ReferralFailure.invalidTransition, 'cannot complete: the referral is not accepted yet');
    requireState(['ACCEPTED', 'IN_SERVICE'], 'complete');
    requireFacilityStaff(by);
    requireText(text, 'outcome', referralTextLimits.outcome);
    requireText(serviceRecordId, 'serviceRecordId', { minLength: 1, maxLength: 100 });
  };
  const checkWithdraw = ({ by, reason }: { by: Actor; reason: string }) => {
    requireState(['REQUESTED', 'ACCEPTED', 'IN_SERVICE'], 'withdraw');
    if (by.role !== 'intake-staff' || by.unitCode !== commune) {
      refuse(ReferralFailure.notPermitted, 'only intake staff of the referring commune can withdraw this referral');
    }
    requireText(reason, 'reason', referralTextLimits.actionReason);
  };
  const checkRedirect = ({ by, toFacilityId, reason }: { by: Actor; toFacilityId: string; reason: string }) => {
    requireState(['REQUESTED', 'ACCEPTED'], 'redirect');
    if (!escalationOwnerRoles.includes(by.role)) requireFacilityStaff(by);
    requireText(toFacilityId, 'toFacilityId', referralTextLimits.facilityId);
    if (toFacilityId === request.facilityId) {
      refuse(ReferralFailure.invalidArgument, 'toFacilityId must be another facility');
    }
    // The reason becomes the new referral's reason.
    requireText(reason, 'reason', referralTextLimits.reason);
  };
  const checkExtend = ({ by, reason, newDeadline }: { by: Actor; reason: string; newDeadline: string }) => {
    requireReady();
    const running = runningDeadline();
    if (!running) refuse(ReferralFailure.invalidTransition, `cannot extend: the referral is ${state.toLowerCase()}`);
    if (!policy!.allowedExtensionRoles.includes(by.role)) {
      refuse(
        ReferralFailure.notPermitted,
        policy!.allowedExtensionRoles.length === 0
          ? `deadlines of ${policy!.id} referrals cannot be extended (policy ${policy!.id} v${policy!.version})`
          : `your role cannot extend this deadline; allowed: ${policy!.allowedExtensionRoles.join(', ')}`,
      );
    }
    if (by.facilityId !== undefined && by.facilityId !== request.facilityId) {
      refuse(ReferralFailure.notPermitted, 'this referral is not addressed to your facility');
    }
    requireText(reason, 'reason', referralTextLimits.actionReason);
    const requested = Date.parse(newDeadline);
    if (Number.isNaN(requested)) refuse(ReferralFailure.invalidArgument, 'newDeadline is not a date-time');
    if (requested <= Date.parse(running!.at)) {
      refuse(ReferralFailure.invalidArgument, `newDeadline must be later than the current deadline ${running!.at}`);
    }
  };
  const checkAcknowledge = ({ by, note }: { by: Actor; note?: string }) => {
    requireReady();
    if (note !== undefined) requireText(note, 'note', referralTextLimits.note);
    if (!escalationOwnerRoles.includes(by.role)) {
      refuse(ReferralFailure.notPermitted, 'only protection officers and supervisors acknowledge escalations');
    }
    if (isTerminal()) refuse(ReferralFailure.invalidTransition, `the referral is already ${state.toLowerCase()}`);
    if (escalation.level === 0) refuse(ReferralFailure.invalidTransition, 'there is no escalation to acknowledge');
    if (escalation.acknowledged) refuse(ReferralFailure.invalidTransition, 'the escalation is already acknowledged');
  };
  const checkTransfer = ({
    by,
    transferId,
    fromUnitCode,
    toUnitCode,
  }: {
    by: Actor;
    transferId: string;
    fromUnitCode: string;
    toUnitCode: string;
  }) => {
    requireReady();
    if (isTerminal()) refuse(ReferralFailure.invalidTransition, `the referral is already ${state.toLowerCase()}`);
    requireText(toUnitCode, 'toUnitCode', { minLength: 2, maxLength: 5, pattern: '^[0-9]{2,5}$' });
    requireText(transferId, 'transferId', { minLength: 1, maxLength: 100 });
    if (by.role !== 'intake-staff' || by.unitCode !== toUnitCode) {
      refuse(ReferralFailure.notPermitted, 'only intake staff of the receiving commune accept a transfer');
    }
    if (fromUnitCode !== commune) {
      refuse(ReferralFailure.invalidTransition, `the referral is with commune ${commune}, not ${fromUnitCode}`);
    }
    if (toUnitCode === commune) refuse(ReferralFailure.invalidArgument, 'toUnitCode must be another commune');
  };
  const checkClose = ({ by, reason }: { by: Actor; reason: string }) => {
    requireReady();
    if (!escalationOwnerRoles.includes(by.role)) {
      refuse(ReferralFailure.notPermitted, 'only protection officers and supervisors close a referral unresolved');
    }
    if (isTerminal()) refuse(ReferralFailure.invalidTransition, `the referral is already ${state.toLowerCase()}`);
    requireText(reason, 'reason', referralTextLimits.actionReason);
  };

  // Handlers that await an activity run one at a time and re-check their rule under the lock,
  // because another update may have been accepted while they waited.
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

  const resetEscalation = () => {
    escalation = { level: 0, acknowledged: false };
  };

  setHandler(
    acceptUpdate,
    (input) =>
      exclusive(async () => {
        checkAccept(input);
        const at = nowIso();
        state = 'ACCEPTED';
        const planned = await activities.planWindow({
          window: policy!.completeWithin,
          from: at,
          reminderAt: policy!.reminderAt,
        });
        windowStart = at;
        completeBy = planned.deadline;
        reminders = planned.reminders;
        deadlineVersion++;
        resetEscalation();
        record('ACCEPTED', at, input.by, { completeBy });
        emit(at, { type: 'referral.accepted.v1', data: { ...ref(at), by: input.by, completeBy } });
        return view();
      }),
    { validator: checkAccept },
  );

  setHandler(
    declineUpdate,
    (input) =>
      exclusive(() => {
        checkDecline(input);
        const at = nowIso();
        state = 'DECLINED';
        record('DECLINED', at, input.by, { reason: input.reason });
        emit(at, { type: 'referral.declined.v1', data: { ...ref(at), by: input.by, reason: input.reason } });
        notify(
          'DECLINED',
          at,
          { unitCode: commune },
          {
            vi: 'Chuyển tuyến bị từ chối; cần chuyển tuyến lại cho trẻ.',
            en: 'Referral declined; the child needs to be referred again.',
          },
        );
        return view();
      }),
    { validator: checkDecline },
  );

  setHandler(
    startServiceUpdate,
    (input) =>
      exclusive(() => {
        checkStart(input);
        const at = nowIso();
        state = 'IN_SERVICE';
        record('IN_SERVICE', at, input.by);
        emit(at, { type: 'referral.started.v1', data: { ...ref(at), by: input.by } });
        return view();
      }),
    { validator: checkStart },
  );

  setHandler(
    completeUpdate,
    (input) =>
      exclusive(() => {
        checkComplete(input);
        const at = nowIso();
        state = 'COMPLETED';
        outcome = { text: input.outcome, serviceRecordId: input.serviceRecordId };
        record('COMPLETED', at, input.by, { outcome: input.outcome, serviceRecordId: input.serviceRecordId });
        emit(at, {
          type: 'referral.completed.v1',
          data: { ...ref(at), by: input.by, outcome: input.outcome, serviceRecordId: input.serviceRecordId },
        });
        notify(
          'COMPLETED',
          at,
          { unitCode: commune },
          {
            vi: 'Dịch vụ đã được cung cấp; chuyển tuyến đã hoàn thành.',
            en: 'Service given; the referral is complete.',
          },
        );
        return view();
      }),
    { validator: checkComplete },
  );

  setHandler(
    withdrawUpdate,
    (input) =>
      exclusive(() => {
        checkWithdraw(input);
        const at = nowIso();
        state = 'WITHDRAWN';
        record('WITHDRAWN', at, input.by, { reason: input.reason });
        emit(at, { type: 'referral.withdrawn.v1', data: { ...ref(at), by: input.by, reason: input.reason } });
        return view();
      }),
    { validator: checkWithdraw },
  );

  setHandler(
    redirectUpdate,
    (input) =>
      exclusive(() => {
        checkRedirect(input);
        const at = nowIso();
        const redirects = history.filter((h) => h.action === 'REDIRECTED').length;
        state = 'REDIRECTED';
        redirect = { ...input, newReferralId: `${referralId}-r${redirects + 1}` };
        record('REDIRECTED', at, input.by, { toFacilityId: input.toFacilityId, reason: input.reason });
        emit(at, {
          type: 'referral.redirected.v1',
          data: {
            ...ref(at),
            by: input.by,
            reason: input.reason,
            toFacilityId: input.toFacilityId,
            newReferralId: redirect.newReferralId,
          },
        });
        return view();
      }),
    { validator: checkRedirect },
  );

  setHandler(
    extendDeadlineUpdate,
    (input) =>
      exclusive(async () => {
        checkExtend(input);
        const at = nowIso();
        const running = runningDeadline()!;
        const extendedTo = new Date(Date.parse(input.newDeadline)).toISOString();
        reminders = await activities.planReminders({
          from: windowStart,
          deadline: extendedTo,
          reminderAt: policy!.reminderAt,
        });
        if (running.kind === 'ACCEPT') acceptBy = extendedTo;
        else completeBy = extendedTo;
        deadlineVersion++;
        resetEscalation();
        record('DEADLINE_EXTENDED', at, input.by, {
          deadline: running.kind,
          previous: running.at,
          extendedTo,
          reason: input.reason,
        });
        emit(at, {
          type: 'referral.deadline_extended.v1',
          data: {
            ...ref(at),
            by: input.by,
            reason: input.reason,
            deadline: running.kind,
            previous: running.at,
            extendedTo,
          },
        });
        return view();
      }),
    { validator: checkExtend },
  );

  setHandler(
    acknowledgeEscalationUpdate,
    (input) =>
      exclusive(() => {
        checkAcknowledge(input);
        const at = nowIso();
        escalation = { ...escalation, acknowledged: true };
        record('ESCALATION_ACKNOWLEDGED', at, input.by, { level: escalation.level, note: input.note });
        emit(at, {
          type: 'referral.escalation_acknowledged.v1',
          data: { ...ref(at), by: input.by, level: escalation.level, ...(input.note ? { note: input.note } : {}) },
        });
        return view();
      }),
    { validator: checkAcknowledge },
  );

  setHandler(
    closeUnresolvedUpdate,
    (input) =>
      exclusive(() => {
        checkClose(input);
        const at = nowIso();
        state = 'CLOSED_UNRESOLVED';
        record('CLOSED_UNRESOLVED', at, input.by, { reason: input.reason });
        emit(at, { type: 'referral.closed_unresolved.v1', data: { ...ref(at), by: input.by, reason: input.reason } });
        return view();
      }),
    { validator: checkClose },
  );

  setHandler(
    transferCommuneUpdate,
    (input) =>
      exclusive(() => {
        checkTransfer(input);
        // A new path for referrals that may already be running when it is deployed: the marker
        // tells a replay that this history took it (docs/adr/0024).
        patched('commune-transfer');
        const at = nowIso();
        const previousUnitCode = commune;
        commune = input.toUnitCode;
        transferredAt = at;
        ladderVersion++;
        // An escalation (or its acknowledgement) belonged to the old commune's ladder: the new
        // commune's climb starts afresh, from now if the deadline has already passed.
        resetEscalation();
        record('TRANSFERRED', at, input.by, { transferId: input.transferId, previousUnitCode, toUnitCode: commune });
        emit(at, {
          type: 'referral.transferred.v1',
          data: { ...ref(at), by: input.by, transferId: input.transferId, previousUnitCode },
        });
        return view();
      }),
    { validator: checkTransfer },
  );

  setHandler(referralStateQuery, view);
  setHandler(referralHistoryQuery, () => history);
  setHandler(nextDeadlineQuery, () => {
    const running = runningDeadline();
    return running ? { ...running, msLeft: Date.parse(running.at) - Date.now() } : null;
  });

  /** Waits until `instant` or until `wake()` holds; true when woken early. */
  async function waitUntil(instant: string, wake: () => boolean): Promise<boolean> {
    if (wake()) return true;
    const ms = Date.parse(instant) - Date.now();
    if (ms <= 0) return false;
    return condition(wake, ms);
  }

  const phaseActive = (kind: DeadlineKind) =>
    kind === 'ACCEPT' ? state === 'REQUESTED' : state === 'ACCEPTED' || state === 'IN_SERVICE';

  /**
   * Reminders and escalations are recorded at the instant the policy gives (`at`); `firedAt` is
   * when the timer was processed, so lateness stays measurable.
   */
  function remind(kind: DeadlineKind, at: string, dueAt: string, level: number, unitCode?: string) {
    const firedAt = nowIso();
    record('REMINDER_DUE', at, undefined, { deadline: kind, dueAt, level, firedAt }, unitCode);
    emit(at, { type: 'referral.reminder_due.v1', data: { ...ref(at), deadline: kind, dueAt, level, firedAt } });
    notify('REMINDER', at, level === 0 ? { facilityId: request.facilityId } : { unitCode }, {
      vi: kind === 'ACCEPT' ? 'Nhắc việc: chuyển tuyến đang chờ tiếp nhận.' : 'Nhắc việc: dịch vụ chưa hoàn thành.',
      en:
        kind === 'ACCEPT'
          ? 'Reminder: a referral is waiting to be accepted.'
          : 'Reminder: the service is not complete.',
    });
  }

  /** After a missed deadline: one level up at each step, then daily reminders at the top. */
  async function escalate(kind: DeadlineKind, dueAt: string, version: number): Promise<'over' | 'moved'> {
    const reason = kind === 'ACCEPT' ? 'NOT_ACCEPTED' : 'NOT_COMPLETED';
    const ladder = ladderVersion;
    // After a transfer the receiving commune's ladder is climbed from the transfer, not from a
    // deadline it never had a chance to meet.
    const climbFrom = transferredAt !== undefined && transferredAt > dueAt ? transferredAt : dueAt;
    const steps: PlannedEscalationStep[] = await activities.planEscalation({
      missedAt: climbFrom,
      interval: policy!.escalationInterval,
      fromUnitCode: commune,
    });
    const moved = () => deadlineVersion !== version || ladderVersion !== ladder;
    const stopped = () => !phaseActive(kind) || moved() || escalation.acknowledged;
    let lastAt = climbFrom;
    for (const [index, step] of steps.entries()) {
      if (await waitUntil(step.at, stopped)) break;
      const at = step.at;
      const firedAt = nowIso();
      lastAt = step.at;
      escalation = { level: step.level, reason, unitCode: step.unitCode, acknowledged: false };
      const top = index === steps.length - 1;
      record(
        'ESCALATED',
        at,
        undefined,
        { level: step.level, reason, dueAt, topOfLadder: top, firedAt },
        step.unitCode,
      );
      emit(at, {
        type: 'referral.escalated.v1',
        data: {
          ...ref(at),
          firedAt,
          level: step.level,
          reason,
          dueAt,
          responsibleUnitCode: step.unitCode,
          responsibleUnitLevel: step.unitLevel,
          topOfLadder: top,
        },
      });
      notify(
        'ESCALATION',
        at,
        { unitCode: step.unitCode },
        {
          vi: `Chuyển tuyến quá hạn (${reason === 'NOT_ACCEPTED' ? 'chưa tiếp nhận' : 'chưa hoàn thành'}), chuyển lên cấp ${step.level}.`,
          en: `Overdue referral (${reason === 'NOT_ACCEPTED' ? 'not accepted' : 'not completed'}) escalated to level ${step.level}.`,
        },
      );
    }
    for (;;) {
      if (!phaseActive(kind)) return 'over';
      if (moved()) return 'moved';
      if (escalation.acknowledged) {
        // Someone owns it now: no more escalation, wait for the referral (or the child) to move.
        await condition(() => !phaseActive(kind) || moved());
        continue;
      }
      lastAt = new Date(Date.parse(lastAt) + DAY_MS).toISOString();
      if (await waitUntil(lastAt, stopped)) continue;
      remind(kind, lastAt, dueAt, escalation.level, escalation.unitCode);
    }
  }

  /** Runs one deadline (accept or complete) to its end: reminders, the deadline, escalation. */
  async function supervise(kind: DeadlineKind): Promise<void> {
    const sent = new Set<string>();
    for (;;) {
      if (!phaseActive(kind)) return;
      const version = deadlineVersion;
      const deadline = kind === 'ACCEPT' ? acceptBy : completeBy;
      if (!deadline) {
        // The accept handler is still planning the completion window.
        await condition(() => (kind === 'ACCEPT' ? acceptBy : completeBy) !== undefined || !phaseActive(kind));
        continue;
      }
      const nextReminder = reminders.find((r) => !sent.has(r) && Date.parse(r) > Date.now() && r < deadline);
      const moved = () => !phaseActive(kind) || deadlineVersion !== version;
      if (await waitUntil(nextReminder ?? deadline, moved)) continue;
      if (nextReminder) {
        sent.add(nextReminder);
        remind(kind, nextReminder, deadline, 0, commune);
        continue;
      }
      if ((await escalate(kind, deadline, version)) === 'over') return;
    }
  }

  // --- The referral's life. ---
  policy = await activities.loadPolicy({ sector: request.sector, urgency: request.urgency });
  const acceptWindow = await activities.planWindow({
    window: policy.acceptWithin,
    from: request.requestedAt,
    reminderAt: policy.reminderAt,
  });
  acceptBy = acceptWindow.deadline;
  reminders = acceptWindow.reminders;
  record('REQUESTED', request.requestedAt, request.requestedBy, {
    facilityId: request.facilityId,
    acceptBy,
    policy: `${policy.id} v${policy.version}`,
    ...(request.redirectedFrom ? { redirectedFrom: request.redirectedFrom } : {}),
  });
  emit(request.requestedAt, {
    type: 'referral.requested.v1',
    data: {
      ...ref(request.requestedAt),
      childId: request.childId,
      reason: request.reason,
      requestedBy: request.requestedBy,
      acceptBy,
      policyId: policy.id,
      policyVersion: policy.version,
      ...(request.redirectedFrom ? { redirectedFrom: request.redirectedFrom } : {}),
    },
  });
  notify(
    'REFERRAL_RECEIVED',
    request.requestedAt,
    { facilityId: request.facilityId },
    {
      vi: 'Có chuyển tuyến mới đang chờ tiếp nhận.',
      en: 'A new referral is waiting to be accepted.',
    },
  );

  await supervise('ACCEPT');
  // Handlers changed `state` while we waited; read it afresh (TypeScript cannot see that).
  const current = () => state as ReferralState;
  if (current() === 'ACCEPTED' || current() === 'IN_SERVICE') {
    await supervise('COMPLETE');
  }

  if (current() === 'REDIRECTED' && redirect) {
    // A new referral to the other facility, with its own clock; it outlives this one.
    await startChild(ReferralWorkflow, {
      workflowId: redirect.newReferralId,
      parentClosePolicy: ParentClosePolicy.ABANDON,
      args: [
        {
          ...request,
          fromUnitCode: commune,
          referralId: redirect.newReferralId,
          facilityId: redirect.toFacilityId,
          requestedBy: redirect.by,
          requestedAt: nowIso(),
          reason: redirect.reason,
          redirectedFrom: referralId,
        },
      ],
    });
  }

  await condition(allHandlersFinished);
  finished = true;
  await effectsDrained;
  return view();
}
