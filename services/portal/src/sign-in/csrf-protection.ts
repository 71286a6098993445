import { hkdfSync } from 'node:crypto';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import fastifyCsrfProtection from '@fastify/csrf-protection';

/** The cookie holding this browser's CSRF secret (the tokens in the forms are derived from it). */
export const CSRF_COOKIE = 'ecd_csrf';
/** The form field every state-changing portal form carries (the plugin's default name). */
export const CSRF_FIELD = '_csrf';

/** Methods that change nothing: never checked (every portal write is a POST). */
const SAFE_METHODS = new Set(['GET', 'HEAD', 'OPTIONS']);

/** The plugin's refusals (403): no secret cookie, or a token that does not fit it and the session. */
export const csrfRefusalCodes: ReadonlySet<string> = new Set(['FST_CSRF_MISSING_SECRET', 'FST_CSRF_INVALID_TOKEN']);

/** Each request's reply, so pages rendered from the request alone can ask for a token. */
const replies = new WeakMap<FastifyRequest, FastifyReply>();
/** One token per request and session: every form of one page carries the same. */
const issued = new WeakMap<FastifyRequest, { sessionId: string; token: string }>();

/**
 * The CSRF token for the forms of a page answering `request` in session `sessionId`. The plugin
 * sets the secret cookie the first time (at sign-in, so two first pages in two tabs cannot race).
 */
export function csrfTokenFor(request: FastifyRequest, sessionId: string): string | undefined {
  const known = issued.get(request);
  if (known?.sessionId === sessionId) return known.token;
  const reply = replies.get(request);
  if (!reply || reply.sent) return undefined;
  const token = reply.generateCsrf({ userInfo: sessionId });
  issued.set(request, { sessionId, token });
  return token;
}

/**
 * CSRF protection by @fastify/csrf-protection (double submit, the token bound to the session): a
 * random secret in the HttpOnly cookie `ecd_csrf`, and in every form a token made from that secret
 * and the session id, signed with a key derived from SESSION_SECRET (`getUserInfo`, `hmacKey`). A
 * forged form from another site has neither; a token copied from another session, or a secret
 * cookie planted by a neighbouring host, does not fit this session. Every state-changing request
 * of a live session is checked before its handler (and before the access token is refreshed);
 * requests without a session are refused later by the session check, so nothing is written
 * either way. SameSite=Lax on the session cookie stays as the second line.
 */
export async function registerCsrfProtection(
  app: FastifyInstance,
  options: { secret: string; secure: boolean; sessionIdOf: (request: FastifyRequest) => string | undefined },
): Promise<void> {
  const hmacKey = Buffer.from(hkdfSync('sha256', options.secret, 'ecd-portal', 'csrf tokens', 32));
  await app.register(fastifyCsrfProtection, {
    cookieKey: CSRF_COOKIE,
    // Lax, as the session cookie: the first page after the provider's redirect must see it.
    cookieOpts: { path: '/', httpOnly: true, sameSite: 'lax', secure: options.secure },
    csrfOpts: { hmacKey, userInfo: true },
    getUserInfo: (request) => options.sessionIdOf(request) ?? '',
    getToken: (request) => {
      const body: unknown = request.body;
      if (typeof body !== 'object' || body === null || !(CSRF_FIELD in body)) return undefined;
      const token = body[CSRF_FIELD];
      return typeof token === 'string' ? token : undefined;
    },
  });
  app.addHook('onRequest', async (request, reply) => {
    replies.set(request, reply);
  });
  // preValidation: the body is parsed, nothing has run yet; a forged form is refused as such
  // (403) before its fields are judged, before the access token is refreshed, before any handler.
  app.addHook('preValidation', (request, reply, done) => {
    if (SAFE_METHODS.has(request.method) || !options.sessionIdOf(request)) return done();
    // Refused: the plugin sends its 403 error to the error handler and the handler never runs.
    app.csrfProtection(request, reply, done);
  });
}
