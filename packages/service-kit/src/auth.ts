import type { FastifyReply, FastifyRequest } from 'fastify';
import { createRemoteJWKSet, errors, jwtVerify, type JWTPayload, type JWTVerifyGetKey } from 'jose';
import { HttpProblem } from './errors';

import { Roles, type Role } from '@ecd/contracts';

/** The roles a staff member signs in with (the identity provider's `role` claim). */
export const staffRoles = Roles;
export type StaffRole = Role;

const knownRoles = new Set<string>(staffRoles);

/** Who is calling, from a verified access token: role plus the scope every query is limited to. */
export interface StaffIdentity {
  /** The token's `sub`. */
  userId: string;
  role: StaffRole;
  /** Administrative unit (5-digit commune code, or 2-digit province code for province staff). */
  unitCode?: string;
  /** The facility (health station, preschool) a facility role works for. */
  facilityId?: string;
  name?: string;
}

export interface AuthenticatorOptions {
  /** The `iss` a token must carry, exactly as the provider announces it. */
  issuer: string;
  /** The `aud` this service accepts (the resource server's audience, e.g. `ecd-api`). */
  audience: string;
  /** Where the provider publishes its signing keys (`jwks_uri` of its discovery document). */
  jwksUrl: string;
  /** JWT `typ` header required; RFC 9068 access tokens are `at+jwt`. `false` accepts any. */
  tokenType?: string | false;
  /** Keys to verify with instead of fetching jwksUrl (e.g. a local JWKS). */
  keys?: JWTVerifyGetKey;
}

export type AuthHook = (request: FastifyRequest, reply: FastifyReply) => Promise<void>;

const CLOCK_TOLERANCE_SECONDS = 5;

/** 401 with the RFC 6750 challenge, so clients can tell "sign in again" from other failures. */
function unauthorized(reply: FastifyReply, message: string, error?: 'invalid_token' | 'invalid_request'): HttpProblem {
  const challenge = error ? `Bearer error="${error}", error_description="${message.replace(/["\\]/g, "'")}"` : 'Bearer';
  reply.header('www-authenticate', challenge);
  return new HttpProblem(401, message);
}

function describeVerificationFailure(error: unknown, options: AuthenticatorOptions): string | undefined {
  if (error instanceof errors.JWTExpired) {
    const exp = typeof error.payload.exp === 'number' ? new Date(error.payload.exp * 1000).toISOString() : 'unknown';
    return `token expired (at ${exp}); sign in again`;
  }
  if (error instanceof errors.JWTClaimValidationFailed) {
    const payload = error.payload;
    switch (error.claim) {
      case 'aud':
        return `wrong audience: token is for ${JSON.stringify(payload.aud ?? null)}, this service accepts '${options.audience}'`;
      case 'iss':
        return `wrong issuer: token was issued by ${JSON.stringify(payload.iss ?? null)}, this service trusts '${options.issuer}'`;
      case 'nbf':
        return 'token is not valid yet (nbf is in the future)';
      case 'typ':
        return `wrong token type: an access token (typ ${options.tokenType || 'at+jwt'}) is required`;
      default:
        return `invalid token: claim ${error.claim} ${error.reason}`;
    }
  }
  if (error instanceof errors.JWSSignatureVerificationFailed) return 'invalid signature: the token was altered';
  if (error instanceof errors.JWKSNoMatchingKey) {
    return 'invalid signature: the token is signed with a key the identity provider does not publish';
  }
  if (error instanceof errors.JOSEAlgNotAllowed) return 'invalid signature: algorithm not allowed (RS256 or ES256)';
  if (error instanceof errors.JWSInvalid || error instanceof errors.JWTInvalid)
    return 'malformed token: not a valid JWT';
  return undefined;
}

function stringClaim(payload: JWTPayload, name: string): string | undefined {
  const value = payload[name];
  return typeof value === 'string' && value !== '' ? value : undefined;
}

/**
 * A hook that verifies the bearer access token (signature against the provider's JWKS, issuer,
 * audience, expiry with 5 s of clock tolerance) and sets `request.staff`. Routes opt in:
 *
 *   app.get('/cases', { onRequest: [authenticate, requireRole('intake-staff')] }, handler)
 *
 * or a whole plugin scope with `scope.addHook('onRequest', authenticate)`. Health, metrics and
 * docs routes stay public because they never add it.
 */
export function createAuthenticator(options: AuthenticatorOptions): AuthHook {
  const keys = options.keys ?? createRemoteJWKSet(new URL(options.jwksUrl));
  const typ = options.tokenType === undefined ? 'at+jwt' : options.tokenType || undefined;

  return async function authenticate(request, reply) {
    const header = request.headers.authorization;
    if (!header) {
      throw unauthorized(reply, 'missing bearer token: send "Authorization: Bearer <access token>"');
    }
    const match = /^Bearer +([A-Za-z0-9._~+/-]+=*) *$/i.exec(header);
    if (!match?.[1]) {
      throw unauthorized(
        reply,
        'missing bearer token: the Authorization header must be "Bearer <access token>"',
        'invalid_request',
      );
    }

    let payload: JWTPayload;
    try {
      ({ payload } = await jwtVerify(match[1], keys, {
        issuer: options.issuer,
        audience: options.audience,
        algorithms: ['RS256', 'ES256'],
        clockTolerance: CLOCK_TOLERANCE_SECONDS,
        typ,
        requiredClaims: ['sub', 'exp'],
      }));
    } catch (error) {
      const reason = describeVerificationFailure(error, options);
      if (reason) throw unauthorized(reply, reason, 'invalid_token');
      // The keys could not be fetched: the caller is not at fault, the identity provider is unreachable.
      request.log.error({ err: error, jwksUrl: options.jwksUrl }, 'cannot verify access tokens');
      throw new HttpProblem(503, 'cannot verify the access token now: the identity provider keys are unavailable');
    }

    const role = stringClaim(payload, 'role');
    if (!role || !knownRoles.has(role)) {
      throw new HttpProblem(
        403,
        role ? `unknown role '${role}' in the access token` : 'the access token names no staff role (role claim)',
      );
    }
    request.staff = {
      userId: payload.sub!,
      role: role as StaffRole,
      unitCode: stringClaim(payload, 'unit_code'),
      facilityId: stringClaim(payload, 'facility_id'),
      name: stringClaim(payload, 'name'),
    };
  };
}

/** Refuses (403) a signed-in caller whose role is not one of `roles`; runs after the authenticator. */
export function requireRole(...roles: [StaffRole, ...StaffRole[]]): AuthHook {
  const allowed = new Set<string>(roles);
  return async function checkRole(request) {
    const staff = request.staff;
    if (!staff) throw new HttpProblem(401, 'missing bearer token: this route requires signing in');
    if (!allowed.has(staff.role)) {
      throw new HttpProblem(
        403,
        `role '${staff.role}' may not do this; it needs ${roles.map((r) => `'${r}'`).join(' or ')}`,
      );
    }
  };
}

/** The signed-in caller, for handlers behind the authenticator (401 if it did not run). */
export function signedInStaff(request: FastifyRequest): StaffIdentity {
  if (!request.staff) throw new HttpProblem(401, 'missing bearer token: this route requires signing in');
  return request.staff;
}

declare module 'fastify' {
  interface FastifyRequest {
    /** Set by the authenticator on routes that opt in; undefined elsewhere. */
    staff?: StaffIdentity;
  }
}
