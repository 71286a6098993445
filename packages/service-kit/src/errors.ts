import type { FastifyError, FastifyReply, FastifyRequest } from 'fastify';
import type { FieldProblem } from '@ecd/contracts';

/** The one error body every service returns. */
export interface ErrorBody {
  statusCode: number;
  error: string;
  message: string;
  problems?: (FieldProblem & { in?: string })[];
  requestId?: string;
}

/** A refusal a person must understand (e.g. 409 "referral already withdrawn"). */
export class HttpProblem extends Error {
  constructor(
    readonly statusCode: number,
    message: string,
    readonly problems?: FieldProblem[],
  ) {
    super(message);
    this.name = 'HttpProblem';
  }
}

const statusNames: Record<number, string> = {
  400: 'Bad Request',
  401: 'Unauthorized',
  403: 'Forbidden',
  404: 'Not Found',
  409: 'Conflict',
  413: 'Payload Too Large',
  415: 'Unsupported Media Type',
  422: 'Unprocessable Entity',
  429: 'Too Many Requests',
  503: 'Service Unavailable',
};

/**
 * A dependency did not answer in time (e.g. the Temporal worker is down): any error carrying
 * `retryAfterSeconds` with status 503 is answered as such, with `Retry-After`, its message kept.
 */
export interface RetryLater {
  statusCode: 503;
  retryAfterSeconds: number;
  message: string;
}

function isRetryLater(error: unknown): error is RetryLater {
  const e = error as Partial<RetryLater> | null;
  return typeof e === 'object' && e !== null && e.statusCode === 503 && typeof e.retryAfterSeconds === 'number';
}

export function errorHandler(
  error: FastifyError & { problems?: FieldProblem[]; validationContext?: string },
  request: FastifyRequest,
  reply: FastifyReply,
): FastifyReply {
  let statusCode = error.statusCode ?? 500;
  let message = error.message;
  let problems: ErrorBody['problems'];

  if (error instanceof HttpProblem) {
    problems = error.problems;
  } else if (error.code === 'FST_ERR_VALIDATION') {
    statusCode = 400;
    problems = (error.problems ?? []).map((p) => ({ ...p, in: error.validationContext }));
    message = `invalid ${error.validationContext ?? 'request'}: ${problems.map((p) => `${p.field} ${p.problem}`).join('; ')}`;
  } else if (error.code === 'FST_ERR_CTP_BODY_TOO_LARGE') {
    message = `request body is too large (limit ${request.routeOptions.bodyLimit ?? 'configured'} bytes)`;
  } else if (error.code === 'FST_ERR_CTP_INVALID_MEDIA_TYPE') {
    message = 'request body must be application/json';
  } else if (error.code === 'FST_ERR_CTP_EMPTY_JSON_BODY') {
    statusCode = 400;
    message = 'request body is empty; a JSON object is required';
  } else if (statusCode === 400 && error instanceof SyntaxError) {
    message = 'request body is not valid JSON';
  }

  if (isRetryLater(error)) {
    request.log.warn({ err: error }, 'dependency did not answer in time');
    reply.header('retry-after', String(error.retryAfterSeconds));
  } else if (statusCode >= 500) {
    request.log.error({ err: error }, 'request failed');
    message = 'internal error; the team can trace it with the request id';
  } else {
    request.log.info({ statusCode, problems, reason: message }, 'request refused');
  }
  const body: ErrorBody = {
    statusCode,
    error: statusNames[statusCode] ?? (statusCode >= 500 ? 'Internal Server Error' : 'Error'),
    message,
    ...(problems ? { problems } : {}),
    requestId: request.id,
  };
  return reply.status(statusCode).send(body);
}
