import { createEvent, type EventData, type EventType, type Urgency } from '@ecd/contracts';
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
  ladder: EscalationLadder;
}

export type StepPolicySnapshot = Omit<StepPolicy, 'source'>;

export interface PlannedEscalationStep {
  level: number;
  unitCode: string;
  unitLevel: string;
  at: string;
}

/** What the workflow asks to publish; the activity adds the envelope and validates it. */
export interface ProtectionEventRequest<T extends EventType = EventType> {
  id: string;
  type: T;
  subject: string;
  time: string;
  data: EventData<T>;
  correlationId?: string;
}

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
        ladder: deps.ladder,
        fromUnit: input.fromUnitCode,
        firstLevel: 'above',
      }).map((s) => ({ level: s.level, unitCode: s.unit.code, unitLevel: s.unit.level, at: s.at.toISOString() }));
    },

    /** Deterministic ids: a retried activity or a replayed workflow publishes the same event id. */
    async publishProtectionEvent(request: ProtectionEventRequest): Promise<void> {
      await deps.publisher.publish([
        createEvent({
          id: request.id,
          type: request.type,
          source: SOURCE,
          subject: request.subject,
          time: request.time,
          data: request.data,
          correlationid: request.correlationId,
        } as Parameters<typeof createEvent>[0]),
      ]);
    },
  };
}

export type ProtectionActivities = ReturnType<typeof createProtectionActivities>;
