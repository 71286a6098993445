import { createHash } from 'node:crypto';

/** A stable id for a request retried with the same Idempotency-Key (a version-8 UUID). */
export function idFromIdempotencyKey(...parts: string[]): string {
  const hex = createHash('sha256').update(parts.join('\n')).digest('hex');
  return [
    hex.slice(0, 8),
    hex.slice(8, 12),
    `8${hex.slice(13, 16)}`,
    ((parseInt(hex.slice(16, 18), 16) & 0x3f) | 0x80).toString(16) + hex.slice(18, 20),
    hex.slice(20, 32),
  ].join('-');
}

/** What makes two requests "the same": their bodies, compared canonically. */
export const requestFingerprint = (body: unknown): string =>
  createHash('sha256').update(JSON.stringify(body)).digest('hex');
