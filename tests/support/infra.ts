import { randomUUID } from 'node:crypto';
import { inject } from 'vitest';
import { pino, type Logger } from 'pino';

export const infra = () => inject('infra');

/** A name no other test run uses: databases, consumer groups and task queues stay apart. */
export const uniqueName = (prefix: string) => `${prefix}_${randomUUID().slice(0, 8)}`;

/** The server URL with a database name, keeping any query string (e.g. directConnection). */
export function databaseUrl(base: string, database: string): string {
  const url = new URL(base);
  url.pathname = `/${database}`;
  return url.toString();
}

/** Quiet by default; LOG_LEVEL=debug shows the services' logs while a test runs. */
export const testLogger = (name: string): Logger =>
  pino({ level: process.env.LOG_LEVEL ?? 'fatal', base: { service: name } });

/** Retries an assertion until it passes or the time is up (the last failure is rethrown). */
export async function eventually<T>(check: () => Promise<T> | T, timeoutMs = 20_000, intervalMs = 100): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    try {
      return await check();
    } catch (error) {
      if (Date.now() > deadline) throw error;
      await new Promise((r) => setTimeout(r, intervalMs));
    }
  }
}

/** A database of its own for an identity provider of a test (staff accounts, seeded with the demo staff). */
export const identityDatabase = () => databaseUrl(infra().mongoUrl, uniqueName('identity'));
