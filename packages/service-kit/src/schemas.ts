import Type from 'typebox';

export const ErrorResponse = Type.Object({
  statusCode: Type.Integer(),
  error: Type.String(),
  message: Type.String(),
  problems: Type.Optional(
    Type.Array(Type.Object({ field: Type.String(), problem: Type.String(), in: Type.Optional(Type.String()) })),
  ),
  requestId: Type.Optional(Type.String()),
});

/** Response schemas for the refusals every write route can give. */
export const standardErrorResponses = {
  400: ErrorResponse,
  401: ErrorResponse,
  403: ErrorResponse,
  404: ErrorResponse,
  409: ErrorResponse,
  413: ErrorResponse,
  /** A path longer than the router takes (2048 characters per parameter). */
  414: ErrorResponse,
  415: ErrorResponse,
  /** Temporal or its worker did not answer in time; `Retry-After` says when to try again. */
  503: ErrorResponse,
};
