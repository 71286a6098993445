import type { Static, TSchema } from 'typebox';
import { Topics, type Topic } from '../topics';
import { CaseOpenedV1, CaseScreeningOverdueV1, CaseScreeningScheduledV1 } from './case-events';

export * from './case-events';

/**
 * Every event type the platform knows: its schema and its topic. The type string carries the
 * schema version (`.v1`), so a breaking change is a new type, published side by side.
 */
export const EventCatalog = {
  'case.opened.v1': { schema: CaseOpenedV1, topic: Topics.cases },
  'case.screening_scheduled.v1': { schema: CaseScreeningScheduledV1, topic: Topics.cases },
  'case.screening_overdue.v1': { schema: CaseScreeningOverdueV1, topic: Topics.cases },
} as const satisfies Record<string, { schema: TSchema; topic: Topic }>;

export type EventType = keyof typeof EventCatalog;
export type EventData<T extends EventType> = Static<(typeof EventCatalog)[T]['schema']>;

export function isKnownEventType(type: string): type is EventType {
  return Object.hasOwn(EventCatalog, type);
}
