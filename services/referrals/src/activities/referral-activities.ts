import { InvalidEventError, createEvent, type EventData, type ReferralEventType } from '@ecd/contracts';
import type { EventPublisher } from '@ecd/messaging';
import type { Counter } from 'prom-client';
import { ApplicationFailure } from '@temporalio/common';
import {
  computeDeadline,
  escalationSchedule,
  reminderInstants,
  type EscalationLadder,
  type SlaPolicy,
  type Window,
  type WorkingDayCalendar,
} from '@ecd/referral-policy';
import type { Sector, Urgency } from '@ecd/contracts';
import type { NotificationChannel, ReferralNotification } from '../domain/notification-channel';

/** Reference data the activities read; loaded from the referrals database and cached briefly. */
export interface ReferralReferenceData {
  activePolicy(sector: Sector, urgency: Urgency): Promise<SlaPolicy>;
  calendar(): Promise<WorkingDayCalendar>;
  ladder(): Promise<EscalationLadder>;
}

export interface ReferralActivityDeps {
  publisher: EventPublisher;
  reference: ReferralReferenceData;
  notifications: NotificationChannel;
  /** Effects that failed for good (an event its schema refuses), by event type: `/metrics`. */
  effectFailures?: Counter<'effect'>;
  /** Referrals announced as needing attention: `/metrics`. */
  referralsNeedingAttention?: Counter;
}

export interface PolicySnapshot {
  id: string;
  version: number;
  acceptWithin: Window;
  completeWithin: Window;
  reminderAt: number[];
  escalationInterval: Window;
  allowedExtensionRoles: string[];
}

export interface PlannedWindow {
  deadline: string;
  reminders: string[];
}

export interface PlannedEscalationStep {
  level: number;
  unitCode: string;
  unitLevel: string;
  at: string;
}

/** A referral event's type with its data: the compiler checks the data against the type's schema. */
export type ReferralEventData = { [T in ReferralEventType]: { type: T; data: EventData<T> } }[ReferralEventType];

/** What a workflow asks to publish; the activity adds the envelope and validates it. */
export type ReferralEventRequest = ReferralEventData & {
  id: string;
  subject: string;
  time: string;
  correlationId?: string;
};

const SOURCE = '/services/referrals';

/**
 * Activities do the I/O and the calendar arithmetic for the ReferralWorkflow. Their results are
 * recorded in workflow history, so a replay sees the deadlines computed at the time, even if the
 * policy or the holiday data changed since.
 */
export function createReferralActivities(deps: ReferralActivityDeps) {
  return {
    async loadPolicy(input: { sector: Sector; urgency: Urgency }): Promise<PolicySnapshot> {
      const p = await deps.reference.activePolicy(input.sector, input.urgency);
      return {
        id: p.id,
        version: p.version,
        acceptWithin: p.acceptWithin,
        completeWithin: p.completeWithin,
        reminderAt: p.reminderAt,
        escalationInterval: p.escalationInterval,
        allowedExtensionRoles: p.allowedExtensionRoles,
      };
    },

    /** A window opening at `from`: its deadline and reminder instants. */
    async planWindow(input: { window: Window; from: string; reminderAt: number[] }): Promise<PlannedWindow> {
      const from = new Date(input.from);
      const deadline = computeDeadline(input.window, from, await deps.reference.calendar());
      return {
        deadline: deadline.toISOString(),
        reminders: reminderInstants(from, deadline, input.reminderAt).map((d) => d.toISOString()),
      };
    },

    /** Reminders for a window whose deadline was moved (an extension). */
    async planReminders(input: { from: string; deadline: string; reminderAt: number[] }): Promise<string[]> {
      return reminderInstants(new Date(input.from), new Date(input.deadline), input.reminderAt).map((d) =>
        d.toISOString(),
      );
    },

    async planEscalation(input: {
      missedAt: string;
      interval: Window;
      fromUnitCode: string;
    }): Promise<PlannedEscalationStep[]> {
      const steps = escalationSchedule({
        missedAt: new Date(input.missedAt),
        interval: input.interval,
        calendar: await deps.reference.calendar(),
        ladder: await deps.reference.ladder(),
        fromUnit: input.fromUnitCode,
        // A facility's missed deadline goes first to its commune's leadership, then up.
        firstLevel: 'self',
      });
      return steps.map((s) => ({
        level: s.level,
        unitCode: s.unit.code,
        unitLevel: s.unit.level,
        at: s.at.toISOString(),
      }));
    },

    /**
     * Deterministic ids: a retried activity or a replayed workflow publishes the same event id.
     * An event its schema refuses throws InvalidEventError, which the workflow does not retry.
     */
    async publishReferralEvent(request: ReferralEventRequest): Promise<void> {
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
        // Says which fields broke which rule, never their values.
        throw ApplicationFailure.nonRetryable(error.message, 'InvalidEventError');
      }
      if (request.type === 'referral.needs_attention.v1') deps.referralsNeedingAttention?.inc();
    },

    async notify(notification: ReferralNotification): Promise<void> {
      await deps.notifications.deliver(notification);
    },
  };
}

export type ReferralActivities = ReturnType<typeof createReferralActivities>;
