import { isGrpcDeadlineError, isGrpcServiceError, type Client } from '@temporalio/client';

/**
 * How long a person's request waits for a workflow before it is told to come back. An update
 * needs the worker to run it; with the worker down it would otherwise wait for ever.
 */
export const temporalRequestDeadlineMs = 5_000;
/** What `Retry-After` says when Temporal or the worker did not answer in time. */
export const temporalRetryAfterSeconds = 10;

/**
 * Temporal (or the worker behind it) did not answer within the deadline. Nothing was refused:
 * the caller may try again with the same request; the update id makes that safe.
 */
export class TemporalUnavailable extends Error {
  readonly statusCode = 503;
  readonly retryAfterSeconds = temporalRetryAfterSeconds;
  constructor(what: string, cause?: unknown) {
    super(`${what} did not answer in time; try again in ${temporalRetryAfterSeconds} seconds`, { cause });
    this.name = 'TemporalUnavailable';
  }
}

/** gRPC statuses meaning "not now" rather than "no": DEADLINE_EXCEEDED, UNAVAILABLE, CANCELLED. */
const transientStatuses = new Set([1, 4, 14]);

/** True when the error says Temporal (or its worker) did not answer, not that it refused. */
export function isTemporalUnavailable(error: unknown): boolean {
  if (error instanceof TemporalUnavailable) return true;
  if (isGrpcDeadlineError(error)) return true;
  for (let e: unknown = error; e instanceof Error; e = e.cause) {
    if (isGrpcServiceError(e) && transientStatuses.has(e.code)) return true;
  }
  return false;
}

/** Runs one request to Temporal with a deadline; a timeout becomes `TemporalUnavailable`. */
export async function withinDeadline<R>(client: Client, what: string, call: () => Promise<R>): Promise<R> {
  try {
    return await client.withDeadline(Date.now() + temporalRequestDeadlineMs, call);
  } catch (error) {
    if (isTemporalUnavailable(error)) throw new TemporalUnavailable(what, error);
    throw error;
  }
}
