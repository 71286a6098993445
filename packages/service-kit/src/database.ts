import mongoose, { type Connection } from 'mongoose';
import type { Logger } from 'pino';

/**
 * Each service owns its database: a dedicated connection (not mongoose's global one), with
 * query-filter sanitising on, so a `{"$gt": ""}` that slipped past a schema can never become an
 * operator.
 */
export async function connectDatabase(url: string, logger: Logger): Promise<Connection> {
  const connection = mongoose.createConnection(url, {
    serverSelectionTimeoutMS: 5000,
    sanitizeFilter: true,
    autoIndex: true,
  });
  connection.on('disconnected', () => logger.warn('database disconnected'));
  connection.on('reconnected', () => logger.info('database reconnected'));
  try {
    await connection.asPromise();
  } catch (error) {
    throw new Error(`cannot reach the database at ${redactUrl(url)}: ${(error as Error).message}`, { cause: error });
  }
  return connection;
}

export async function pingDatabase(connection: Connection): Promise<void> {
  if (!connection.db) throw new Error('database not connected');
  await connection.db.admin().ping();
}

function redactUrl(url: string): string {
  return url.replace(/\/\/[^@/]+@/, '//***@');
}
