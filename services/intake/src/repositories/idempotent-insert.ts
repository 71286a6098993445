import type { Collection } from 'mongodb';

/** What storing a record under an id derived from an Idempotency-Key came to. */
export interface IdempotentInsert<T> {
  /** The stored record: this request's, or the one the first request with this id stored. */
  record: T;
  created: boolean;
  /** False when the id was first used by a request with another body (answer 409). */
  sameRequest: boolean;
}

/**
 * Inserts a record with the fingerprint of the request that made it. Concurrent retries collide on
 * `_id`; the loser reads the winner's record and compares fingerprints. The fingerprint stays out
 * of what is returned.
 */
export async function insertOnce<T extends { _id: string }>(
  collection: Collection,
  record: T,
  requestFingerprint: string,
  scope: Record<string, string> = {},
): Promise<IdempotentInsert<T>> {
  try {
    await collection.insertOne({ ...record, requestFingerprint } as never);
    return { record, created: true, sameRequest: true };
  } catch (error) {
    if ((error as { code?: number }).code !== 11000) throw error;
    const earlier = await earlierRequest<T>(collection, record._id, scope);
    if (!earlier) throw error;
    return { record: earlier.record, created: false, sameRequest: earlier.fingerprint === requestFingerprint };
  }
}

/** The record a request with this id stored earlier, and that request's fingerprint. */
export async function earlierRequest<T>(
  collection: Collection,
  id: string,
  scope: Record<string, string> = {},
): Promise<{ record: T; fingerprint?: string } | null> {
  const found = await collection.findOne({ _id: id as never, ...scope });
  if (!found) return null;
  const { requestFingerprint: fingerprint, ...record } = found as unknown as T & { requestFingerprint?: string };
  return { record: record as T, ...(fingerprint ? { fingerprint } : {}) };
}
