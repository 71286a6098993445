import mongoose, { type Connection } from 'mongoose';
import type { Logger } from 'pino';

/**
 * Each service owns its database: a dedicated connection (not mongoose's global one), with
 * query-filter sanitising on, so a `{"$gt": ""}` that slipped past a schema can never become an
 * operator.
 */
export async function connectDatabase(url: string, logger: Logger): Promise<Connection> {
  const connection = await open(url, {});
  if (!(await isFerretDb(connection))) return connection;
  // FerretDB v1 applies an update as read, change, then write-back by _id in separate steps, so
  // two connections updating one document lose one of the updates (measured: 200 concurrent
  // $push on one document kept 10). One connection per process serialises this service's writes;
  // each service owns its database and runs as one process on FerretDB (ADR 0006).
  await connection.close();
  logger.info('database is FerretDB: one connection per process, so no concurrent update is lost');
  return open(url, { maxPoolSize: 1 });

  async function open(target: string, extra: { maxPoolSize?: number }): Promise<Connection> {
    const created = mongoose.createConnection(target, {
      serverSelectionTimeoutMS: 5000,
      sanitizeFilter: true,
      autoIndex: true,
      ...extra,
    });
    created.on('disconnected', () => logger.warn('database disconnected'));
    created.on('reconnected', () => logger.info('database reconnected'));
    try {
      await created.asPromise();
    } catch (error) {
      throw new Error(`cannot reach the database at ${redactUrl(target)}: ${(error as Error).message}`, {
        cause: error,
      });
    }
    return created;
  }
}

/** FerretDB answers buildInfo with its own version field; MongoDB does not. */
export async function isFerretDb(connection: Connection): Promise<boolean> {
  if (!connection.db) throw new Error('database not connected');
  const info = await connection.db.admin().command({ buildInfo: 1 });
  return 'ferretdbVersion' in info;
}

export async function pingDatabase(connection: Connection): Promise<void> {
  if (!connection.db) throw new Error('database not connected');
  await connection.db.admin().ping();
}

function redactUrl(url: string): string {
  return url.replace(/\/\/[^@/]+@/, '//***@');
}
