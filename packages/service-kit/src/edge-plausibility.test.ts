import { pino } from 'pino';
import { describe, expect, it } from 'vitest';
import Type from 'typebox';
import { createServiceApp } from './service-app';
import { requirePlausibleInstant } from './plausibility';

describe('query strings and path parameters are validated without coercion', () => {
  it('refuses limit=true and limit=1.5 (400 naming limit); takes limit=20 as a number', async () => {
    const app = await createServiceApp({ name: 'edge', logger: pino({ level: 'silent' }) });
    app.get(
      '/items/:n',
      {
        schema: {
          params: Type.Object({ n: Type.Integer({ minimum: 1 }) }),
          querystring: Type.Object(
            { limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 500 })), open: Type.Optional(Type.Boolean()) },
            { additionalProperties: false },
          ),
        },
      },
      async (request) => ({ n: request.params.n, limit: request.query.limit, open: request.query.open }),
    );
    for (const bad of ['limit=true', 'limit=1.5', 'limit=', 'limit=0x10', 'open=1', 'open=yes']) {
      const response = await app.inject({ method: 'GET', url: `/items/3?${bad}` });
      expect(response.statusCode, bad).toBe(400);
      expect(response.json().problems[0]).toMatchObject({ field: bad.split('=')[0], in: 'querystring' });
    }
    const badPath = await app.inject({ method: 'GET', url: '/items/true' });
    expect(badPath.statusCode).toBe(400);
    expect(badPath.json().problems[0]).toMatchObject({ field: 'n', in: 'params' });
    const good = await app.inject({ method: 'GET', url: '/items/3?limit=20&open=false' });
    expect(good.json()).toEqual({ n: 3, limit: 20, open: false });
    await app.close();
  });
});

describe('plausible instants at the edge', () => {
  const now = new Date('2026-12-01T03:00:00.000Z');
  const report = { pastDays: 30, rule: 'Decree 56 clocks count from the receipt' };

  it('refuses a report received centuries ago or tomorrow, naming the field and the rule', () => {
    expect(() => requirePlausibleInstant('1826-12-01T03:00:00.000Z', 'receivedAt', report, now)).toThrow(
      /receivedAt must be at most 30 days ago and not in the future \(Decree 56 clocks count from the receipt\)/,
    );
    expect(() => requirePlausibleInstant('2026-12-02T03:00:00.000Z', 'receivedAt', report, now)).toThrow(/receivedAt/);
    expect(requirePlausibleInstant('2026-11-20T03:00:00.000Z', 'receivedAt', report, now).toISOString()).toBe(
      '2026-11-20T03:00:00.000Z',
    );
  });

  it('refuses a future-only instant in the past or too far ahead; reads a date in Vietnam time', () => {
    const review = { futureDays: 366, rule: 'reviewed within a year' };
    expect(() => requirePlausibleInstant('2026-11-30T00:00:00.000Z', 'reviewBy', review, now)).toThrow(
      /reviewBy must be in the future, at most 366 days ahead/,
    );
    expect(() => requirePlausibleInstant('2999-01-01T00:00:00.000Z', 'reviewBy', review, now)).toThrow(/reviewBy/);
    expect(requirePlausibleInstant('2026-12-01', 'date', { pastDays: 366, rule: 'r' }, now).toISOString()).toBe(
      '2026-11-30T17:00:00.000Z',
    );
  });
});
