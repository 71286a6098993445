import { ApplicationFailure } from '@temporalio/common';
import type { Counter } from 'prom-client';
import { InvalidEventError, createEvent, type EventData, type ProtectionEventType, type Urgency } from '@ecd/contracts';
import type { EventPublisher } from '@ecd/messaging';
import {
  computeDeadline,
  escalationSchedule,
  reminderInstants,
  type EscalationLadder,
  type SlaPolicy,
  type Window,
  type WorkingDayCalendar,
} from '@ecd/referral-policy';
import { stepPolicyFor, type StepPolicy } from '../domain/step-policy';

export interface ProtectionActivityDeps {
  publisher: EventPublisher;
  policies: readonly SlaPolicy[];
  calendar: WorkingDayCalendar;
  /** The administrative units as they stand now (the edition plus administrators' imports). */
  ladder: () => Promise<EscalationLadder>;
  /** Events that failed for good (their schema refuses them), by type: `/metrics`. */
  effectFailures?: Counter<'effect'>;
}

export type StepPolicySnapshot = Omit<StepPolicy, 'source'>;

export interface PlannedEscalationStep {
  level: number;
  unitCode: string;
  unitLevel: string;
  at: string;
}

/** A protection event's type with its data: the compiler checks the data against the type's schema. */
export type ProtectionEventData = {
  [T in ProtectionEventType]: { type: T; data: EventData<T> };
}[ProtectionEventType];

/** What the workflow asks to publish; the activity adds the envelope and validates it. */
export type ProtectionEventRequest = ProtectionEventData & {
  id: string;
  subject: string;
  time: string;
  correlationId?: string;
};

const SOURCE = '/services/protection';

/**
 * I/O and calendar arithmetic for the ProtectionCaseWorkflow. Results land in workflow history, so
 * a replay sees the deadlines computed at the time even if the policy or holidays change later.
 */
export function createProtectionActivities(deps: ProtectionActivityDeps) {
  return {
    async loadStepPolicy(input: { urgency: Urgency }): Promise<StepPolicySnapshot> {
      const { source: _source, ...snapshot } = stepPolicyFor(deps.policies, input.urgency);
      return snapshot;
    },

    async planWindow(input: { window: Window; from: string; reminderAt: number[] }) {
      const from = new Date(input.from);
      const deadline = computeDeadline(input.window, from, deps.calendar);
      return {
        deadline: deadline.toISOString(),
        reminders: reminderInstants(from, deadline, input.reminderAt).map((d) => d.toISOString()),
      };
    },

    async planReminders(input: { from: string; deadline: string; reminderAt: number[] }): Promise<string[]> {
      if (Date.parse(input.deadline) <= Date.parse(input.from)) return [];
      return reminderInstants(new Date(input.from), new Date(input.deadline), input.reminderAt).map((d) =>
        d.toISOString(),
      );
    },

    /** A missed step goes one level above the commune that runs the case, then further up. */
    async planEscalation(input: {
      missedAt: string;
      interval: Window;
      fromUnitCode: string;
    }): Promise<PlannedEscalationStep[]> {
      return escalationSchedule({
        missedAt: new Date(input.missedAt),
        interval: input.interval,
        calendar: deps.calendar,
        ladder: await deps.ladder(),
        fromUnit: input.fromUnitCode,
        firstLevel: 'above',
      }).map((s) => ({ level: s.level, unitCode: s.unit.code, unitLevel: s.unit.level, at: s.at.toISOString() }));
    },

    /** Deterministic ids: a retried activity or a replayed workflow publishes the same event id. */
    async publishProtectionEvent(request: ProtectionEventRequest): Promise<void> {
      const { id, subject, time, correlationId, ...event } = request;
      try {
        await deps.publisher.publish([
          createEvent({
            ...event,
            id,
            source: SOURCE,
            subject,
            time,
            ...(correlationId ? { correlationid: correlationId } : {}),
          }),
        ]);
      } catch (error) {
        if (!(error instanceof InvalidEventError)) throw error;
        deps.effectFailures?.inc({ effect: request.type });
        // Says which fields broke which rule, never their values; the workflow does not retry it.
        throw ApplicationFailure.nonRetryable(error.message, 'InvalidEventError');
      }
    },
  };
}

export type ProtectionActivities = ReturnType<typeof createProtectionActivities>;
