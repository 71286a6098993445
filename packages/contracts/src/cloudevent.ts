import Type, { type Static } from 'typebox';
import { EventCatalog, isKnownEventType, type EventData, type EventType } from './events';
import { findProblems, describeProblems, type FieldProblem } from './validation';

/** CloudEvents 1.0 attributes we use, plus two extensions (`correlationid`, `caseid`). */
export const CloudEventAttributes = Type.Object({
  specversion: Type.Literal('1.0'),
  id: Type.String({ minLength: 1, maxLength: 200 }),
  source: Type.String({ minLength: 1 }),
  type: Type.String({ minLength: 1 }),
  time: Type.String({ format: 'date-time' }),
  subject: Type.String({ minLength: 1 }),
  datacontenttype: Type.Literal('application/json'),
  correlationid: Type.Optional(Type.String()),
});
export type CloudEventAttributes = Static<typeof CloudEventAttributes>;

interface CloudEventOf<T extends EventType> extends CloudEventAttributes {
  type: T;
  data: EventData<T>;
}
/** An event of one type, or (without a parameter) a union narrowable by `type`. */
export type CloudEvent<T extends EventType = EventType> = T extends EventType ? CloudEventOf<T> : never;

export class InvalidEventError extends Error {
  constructor(
    readonly problems: FieldProblem[],
    readonly eventType: string,
  ) {
    super(`invalid ${eventType} event: ${describeProblems(problems)}`);
    this.name = 'InvalidEventError';
  }
}

export interface NewEvent<T extends EventType> {
  /** Deterministic ids make re-publishing idempotent downstream; callers derive them from the cause. */
  id: string;
  type: T;
  source: string;
  /** The case id: also the Kafka message key, so a case's events stay in order. */
  subject: string;
  data: EventData<T>;
  time?: string;
  correlationid?: string;
}

/** Builds and validates an event; throws InvalidEventError rather than publish something wrong. */
export function createEvent<T extends EventType>(input: NewEvent<T>): CloudEvent<T> {
  const event = {
    specversion: '1.0' as const,
    id: input.id,
    source: input.source,
    type: input.type,
    time: input.time ?? new Date().toISOString(),
    subject: input.subject,
    datacontenttype: 'application/json' as const,
    ...(input.correlationid ? { correlationid: input.correlationid } : {}),
    data: input.data,
  };
  assertValidEvent(event);
  return event as CloudEvent<T>;
}

/** Checks an envelope read off the wire: known type, valid attributes, valid data. */
export function assertValidEvent(event: unknown): asserts event is CloudEvent {
  const attributes = event as { type?: unknown; data?: unknown };
  const type = typeof attributes?.type === 'string' ? attributes.type : '(missing type)';
  const problems = findProblems(CloudEventAttributes, { ...(event as object), data: undefined });
  if (!isKnownEventType(type)) {
    problems.push({ field: 'type', problem: `is not a known event type: ${type}` });
    throw new InvalidEventError(problems, type);
  }
  problems.push(
    ...findProblems(EventCatalog[type].schema, attributes.data).map((p) => ({
      field: p.field === '(root)' ? 'data' : `data.${p.field}`,
      problem: p.problem,
    })),
  );
  if (problems.length > 0) throw new InvalidEventError(problems, type);
}

export function topicOf(type: EventType): string {
  return EventCatalog[type].topic;
}
