import { describe, expect, it } from 'vitest';
import { InvalidEventError, assertValidEvent, createEvent, topicOf } from './cloudevent';
import { Topics } from './topics';

const opened = {
  id: 'c1:opened',
  type: 'case.opened.v1' as const,
  source: '/services/intake',
  subject: 'c1',
  time: '2026-01-05T03:00:00.000Z',
  data: {
    caseId: 'c1',
    childId: 'k1',
    communeCode: '00001',
    childAgeMonths: 14,
    concerns: ['health' as const],
    openedAt: '2026-01-05T03:00:00.000Z',
  },
};

describe('CloudEvents envelope', () => {
  it('builds a valid 1.0 envelope for a known type and routes it to its topic', () => {
    const event = createEvent(opened);
    expect(event).toMatchObject({ specversion: '1.0', datacontenttype: 'application/json', subject: 'c1' });
    expect(topicOf(event.type)).toBe(Topics.cases);
  });

  it('refuses data that breaks the schema, naming the field', () => {
    expect(() => createEvent({ ...opened, data: { ...opened.data, childAgeMonths: 200 } })).toThrow(
      /data\.childAgeMonths/,
    );
    expect(() => createEvent({ ...opened, data: { ...opened.data, fullName: 'Nguyễn Văn A' } as never })).toThrow(
      /data\.fullName is not an allowed field/,
    );
  });

  it('refuses unknown types and broken attributes read off the wire', () => {
    const wrongType = { ...createEvent(opened), type: 'case.exploded.v1' };
    expect(() => assertValidEvent(wrongType)).toThrow(InvalidEventError);
    expect(() => assertValidEvent(wrongType)).toThrow(/type is not a known event type: case\.exploded\.v1/);
    const noSpec = { ...createEvent(opened), specversion: '0.3' };
    expect(() => assertValidEvent(noSpec)).toThrow(/specversion/);
  });
});
