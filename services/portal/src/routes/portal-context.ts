// Brings in @fastify/swagger's schema options (hide) for the page routes' schemas.
import type {} from '@fastify/swagger';
import type { FastifyReply, FastifyRequest } from 'fastify';
import type { PageContext } from '../views/layout';
import type { Lang } from '../views/labels';
import { csrfTokenFor } from '../sign-in/csrf-protection';
import type { PortalSession, SessionStore } from '../sign-in/session-store';

export const SESSION_COOKIE = 'ecd_session';
export const LANG_COOKIE = 'ecd_lang';

/** No session cookie at all: the person has not signed in (yet). */
export class NotSignedIn extends Error {
  override name = 'NotSignedIn';
}

/** A session cookie for a session that is over (idle too long, signed out, or a portal restart). */
export class SessionOver extends Error {
  override name = 'SessionOver';
}

/** The access token ran out while the session lives: a GET can sign in again without a prompt. */
export class TokenExpired extends Error {
  override name = 'TokenExpired';
}

/** Signed in, but the role has no business here. */
export class WrongRole extends Error {
  override name = 'WrongRole';
}

export const langOf = (request: FastifyRequest): Lang => (request.cookies[LANG_COOKIE] === 'en' ? 'en' : 'vi');

/** The page context of a request, with or without a session. */
export function pageContext(request: FastifyRequest, session?: PortalSession): PageContext {
  return {
    lang: langOf(request),
    path: request.url,
    ...(session ? { staff: session.staff, csrfToken: csrfTokenFor(request, session.id) } : {}),
  };
}

export interface Staffed {
  session: PortalSession;
  ctx: PageContext;
}

/**
 * The signed-in staff member of a request, refusing (by exception, the error handler explains)
 * when there is no session, it is over, the access token is spent, or the role is not one of
 * `roles`. A POST's CSRF token was checked before the handler (sign-in/csrf-protection.ts).
 */
export function signedIn(sessions: SessionStore, request: FastifyRequest, roles?: readonly string[]): Staffed {
  const cookie = request.cookies[SESSION_COOKIE];
  if (!cookie) throw new NotSignedIn();
  const session = sessions.find(cookie);
  if (!session) throw new SessionOver();
  // A little margin: a token about to expire would fail at the service mid-request.
  if (session.accessTokenExpiresAt - 10_000 < Date.now()) {
    if (request.method === 'GET') throw new TokenExpired();
    throw new SessionOver();
  }
  const ctx = pageContext(request, session);
  if (roles && !roles.includes(session.staff.role)) throw new WrongRole();
  return { session, ctx };
}

export const sendPage = (reply: FastifyReply, html: string, status = 200) =>
  reply.status(status).type('text/html; charset=utf-8').header('cache-control', 'no-store').send(html);

/** A rate limit was reached: the person is told how long to wait (Retry-After). */
export class TooManyRequests extends Error {
  override name = 'TooManyRequests';
  constructor(readonly retryAfterSeconds: number) {
    super(`too many requests; retry after ${retryAfterSeconds} s`);
  }
}
