import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Connection } from 'mongoose';
import { connectDatabase, isFerretDb } from '@ecd/service-kit';
import { databaseUrl, infra, testLogger, uniqueName } from '../support/infra';

/**
 * Every service writes through connectDatabase. Concurrent updates of one document (an outbox
 * relay marking an event sent while staff add a screening to the same case) must all survive,
 * whichever MongoDB-protocol server is behind it.
 */
describe('connectDatabase', () => {
  let connection: Connection;

  beforeAll(async () => {
    connection = await connectDatabase(databaseUrl(infra().mongoUrl, uniqueName('connection')), testLogger('db'));
  });
  afterAll(async () => {
    await connection?.close();
  });

  it('loses no update when 200 updates of one document run at once', async () => {
    const documents = connection.db!.collection<{ _id: string; items: number[]; count: number }>('documents');
    await documents.insertOne({ _id: 'case-1', items: [], count: 0 });
    await Promise.all(
      Array.from({ length: 200 }, (_, i) =>
        documents.updateOne({ _id: 'case-1' }, { $push: { items: i }, $inc: { count: 1 } }),
      ),
    );
    const stored = await documents.findOne({ _id: 'case-1' });
    expect(stored?.count).toBe(200);
    expect(new Set(stored?.items)).toEqual(new Set(Array.from({ length: 200 }, (_, i) => i)));
  });

  it('on FerretDB keeps a single connection (FerretDB v1 updates by read then write-back)', async () => {
    const pool = (connection.getClient().options as { maxPoolSize: number }).maxPoolSize;
    if (await isFerretDb(connection)) expect(pool).toBe(1);
    else expect(pool).toBeGreaterThan(1);
  });
});
