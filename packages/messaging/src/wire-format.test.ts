import { describe, expect, it } from 'vitest';
import { createEvent } from '@ecd/contracts';
import { fromKafkaMessage, toKafkaMessage } from './wire-format';
import { stageOnInsert, stageOnUpdate } from './outbox';

const event = createEvent({
  id: 'c9:screening_scheduled',
  type: 'case.screening_scheduled.v1',
  source: '/services/referrals',
  subject: 'c9',
  correlationid: 'req-7',
  data: { caseId: 'c9', dueAt: '2026-01-10T00:00:00.000Z', policy: 'p' },
});

describe('CloudEvents Kafka binding (binary mode)', () => {
  it('puts attributes in ce_ headers, the data in the value, and keys by case id', () => {
    const message = toKafkaMessage(event);
    expect(message.key).toBe('c9');
    expect(message.headers).toMatchObject({ ce_id: event.id, ce_type: event.type, ce_correlationid: 'req-7' });
    expect(JSON.parse(String(message.value))).toEqual(event.data);
  });

  it('round-trips through the wire', () => {
    const message = toKafkaMessage(event);
    const headers = Object.fromEntries(Object.entries(message.headers!).map(([k, v]) => [k, Buffer.from(String(v))]));
    expect(fromKafkaMessage({ headers, value: Buffer.from(String(message.value)) })).toEqual(event);
  });

  it('keeps an unparseable value visible for the dead-letter reason instead of throwing', () => {
    const read = fromKafkaMessage({ headers: {}, value: Buffer.from('{oops') }) as { data: unknown };
    expect(read.data).toEqual({ unparseable: '{oops' });
  });
});

describe('outbox staging', () => {
  it('stages events by id in insert and update forms, in order', () => {
    const second = { ...event, id: 'c9:second' };
    const inserted = stageOnInsert([event, second]);
    expect(inserted.outboxPending).toBe(2);
    expect(inserted.outbox[event.id]!.seq).toBeLessThan(inserted.outbox[second.id]!.seq);
    const update = stageOnUpdate([second]);
    expect(update.$inc).toEqual({ outboxPending: 1 });
    expect(Object.keys(update.$set)).toEqual(['outbox.c9:second']);
  });

  it('refuses ids that cannot be document keys', () => {
    expect(() => stageOnInsert([{ ...event, id: 'a.b' }])).toThrow(/cannot be an outbox key/);
  });
});
