import { describe, expect, it } from 'vitest';
import Type from 'typebox';
import { pino } from 'pino';
import { createServiceApp } from './service-app';

describe('parameters at the edge', () => {
  it('query numbers and booleans only in their canonical spelling (limit=true is 400, not 1); long path ids are 400, not 414', async () => {
    const app = await createServiceApp({ name: 'edge', logger: pino({ level: 'silent' }) });
    app.get(
      '/items/:itemId',
      {
        schema: {
          params: Type.Object({ itemId: Type.String({ maxLength: 40 }) }),
          querystring: Type.Object(
            { limit: Type.Optional(Type.Integer({ minimum: 1 })), open: Type.Optional(Type.Boolean()) },
            { additionalProperties: false },
          ),
        },
      },
      async (request) => ({ query: request.query }),
    );
    const get = (url: string) => app.inject({ url });
    for (const url of ['/items/a?limit=true', '/items/a?limit=1e1', '/items/a?limit=', '/items/a?open=1']) {
      const answer = await get(url);
      expect(answer.statusCode, url).toBe(400);
      expect(
        answer.json().problems.map((p: { field: string }) => p.field),
        url,
      ).toEqual([url.includes('open') ? 'open' : 'limit']);
    }
    expect((await get('/items/a?limit=5&open=false')).json()).toEqual({ query: { limit: 5, open: false } });
    const long = await get(`/items/${'0'.repeat(500)}`);
    expect(long.statusCode).toBe(400);
    expect(long.json().problems[0].field).toBe('itemId');
    await app.close();
  });
});
