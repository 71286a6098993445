import { randomBytes, randomUUID } from 'node:crypto';
import { constants as zlibConstants } from 'node:zlib';
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import type { FastifyError, FastifyReply, FastifyRequest } from 'fastify';
import cookie from '@fastify/cookie';
import compress from '@fastify/compress';
import formbody from '@fastify/formbody';
import helmet from '@fastify/helmet';
import underPressure from '@fastify/under-pressure';
import rateLimit from '@fastify/rate-limit';
import type { Logger } from 'pino';
import Type from 'typebox';
import { Topics, protectionEventTypes, referralEventTypes } from '@ecd/contracts';
import { EventConsumerRunner, connectKafka, type EventHandler } from '@ecd/messaging';
import { connectDatabase, createServiceApp, isPlainHttp, pingDatabase, type ServiceApp } from '@ecd/service-kit';
import type { PortalConfig } from './config';
import { EventStreams } from './live/event-streams';
import { LiveUpdates } from './live/live-updates';
import { directoryRoutes } from './routes/directory-routes';
import { facilityRoutes } from './routes/facility-routes';
import { intakeRoutes } from './routes/intake-routes';
import {
  LANG_COOKIE,
  NotSignedIn,
  SESSION_COOKIE,
  SessionOver,
  TokenExpired,
  TooManyRequests,
  WrongRole,
  pageContext,
  sendPage,
  signedIn,
} from './routes/portal-context';
import { notificationRoutes } from './routes/notification-routes';
import { protectionRoutes } from './routes/protection-routes';
import { specialCircumstancesRoutes } from './routes/special-circumstances-routes';
import {
  AccessRefused,
  RecordNotFound,
  ServiceApi,
  ServiceUnavailable,
  SessionExpired,
  forwardClientAddress,
} from './routes/service-api';
import { supervisorRoutes } from './routes/supervisor-routes';
import { OidcClient, SignInFailed } from './sign-in/oidc-client';
import {
  PENDING_SIGN_IN_COOKIE,
  PENDING_SIGN_IN_PATH,
  PENDING_SIGN_IN_SECONDS,
  PendingSignIns,
} from './sign-in/pending-sign-ins';
import { csrfRefusalCodes, csrfTokenFor, registerCsrfProtection } from './sign-in/csrf-protection';
import { returnTarget } from './sign-in/return-target';
import { SessionStore } from './sign-in/session-store';
import { errorPage } from './views/error-views';
import { html } from './views/html';
import { page, say } from './views/layout';
import { homeFor } from './views/labels';

/** Access tokens with less than this left are refreshed before a request is handled. */
const REFRESH_BEFORE_MS = 30_000;

export interface PortalService {
  app: ServiceApp;
  live: LiveUpdates;
  streams: EventStreams;
  start(): Promise<void>;
  stop(): Promise<void>;
}

const staticDir = resolve(import.meta.dirname, 'static');
const staticFiles = {
  'portal.css': { type: 'text/css; charset=utf-8', body: readFileSync(resolve(staticDir, 'portal.css')) },
  'portal.js': { type: 'text/javascript; charset=utf-8', body: readFileSync(resolve(staticDir, 'portal.js')) },
  'notifications.js': {
    type: 'text/javascript; charset=utf-8',
    body: readFileSync(resolve(staticDir, 'notifications.js')),
  },
};

/**
 * The staff portal: server-rendered pages (Vietnamese first), OpenID Connect sign-in with
 * server-side sessions, the gateway to the platform services, and live updates from Kafka.
 */
export async function buildPortalService(config: PortalConfig, logger: Logger): Promise<PortalService> {
  const publicUrl = config.PUBLIC_URL.replace(/\/$/, '');
  const secure = publicUrl.startsWith('https://');
  const origin = new URL(publicUrl).origin;
  /** Only paths of this portal may be returned to (no open redirect). */
  const safeReturn = (value: unknown) => returnTarget(value, origin);
  const sessionSecret = config.SESSION_SECRET ?? randomBytes(32).toString('base64url');
  const db = await connectDatabase(config.MONGO_URL, logger);
  const sessions = new SessionStore(sessionSecret, config.SESSION_IDLE_SECONDS * 1000, db, logger);
  await sessions.init();
  const pendingSignIns = new PendingSignIns(sessionSecret);
  const oidc = new OidcClient({
    issuer: config.OIDC_ISSUER,
    clientId: config.OIDC_CLIENT_ID,
    redirectUri: `${publicUrl}/auth/callback`,
    postLogoutRedirectUri: `${publicUrl}/`,
    // The provider runs on plain http in development and tests; production refuses an http issuer.
    allowHttp: config.NODE_ENV !== 'production' && isPlainHttp(config.OIDC_ISSUER),
  });
  const api = new ServiceApi({
    intake: config.INTAKE_URL.replace(/\/$/, ''),
    health: config.HEALTH_URL.replace(/\/$/, ''),
    education: config.EDUCATION_URL.replace(/\/$/, ''),
    protection: config.PROTECTION_URL.replace(/\/$/, ''),
    welfare: config.WELFARE_URL.replace(/\/$/, ''),
  });
  const live = new LiveUpdates();
  const streams = new EventStreams(live, (id) => sessions.lives(id));

  const { kafka, admin } = await connectKafka({ clientId: 'portal', brokers: config.KAFKA_BROKERS, logger });
  const forward: EventHandler = async (event) => live.publish(event);
  // Each replica needs every event for its own browsers: a consumer group of its own, from now on.
  const groupId = `${config.KAFKA_GROUP_ID}-${randomUUID().slice(0, 8)}`;
  const consumer = new EventConsumerRunner({
    kafka,
    groupId,
    topics: [Topics.referrals, Topics.protection],
    fromBeginning: false,
    logger: logger.child({ component: 'live-updates' }),
    handlers: Object.fromEntries([...referralEventTypes, ...protectionEventTypes].map((type) => [type, forward])),
  });

  const app = await createServiceApp({
    name: 'portal',
    description: 'Staff portal: web pages and the gateway to the platform services.',
    logger,
    // Unknown addresses get a page too; the session cookie is parsed by then (hooks run first).
    notFoundHandler: (request, reply) => {
      const session = sessions.find(request.cookies?.[SESSION_COOKIE]);
      return sendPage(reply, errorPage(pageContext(request, session), 'not-found'), 404);
    },
    readiness: {
      database: () => pingDatabase(db),
      kafka: () => admin.describeCluster(),
      // Ready once this replica's consumer holds its partitions: from then on no event is missed.
      'live-updates': async () => {
        const { groups } = await admin.describeGroups([groupId]);
        if (groups[0]?.state !== 'Stable')
          throw new Error(`consumer group ${groupId} is ${groups[0]?.state ?? 'unknown'}`);
      },
    },
  });
  forwardClientAddress(app);
  // Cookies first: every answer, even a refusal, is a page in the person's language.
  await app.register(cookie);
  await app.register(formbody);
  // Every state-changing request of a live session carries the token of its forms (checked once the
  // body is parsed, before validation, the token refresh and the handler: a forged form costs nothing).
  await registerCsrfProtection(app, {
    secret: sessionSecret,
    secure,
    sessionIdOf: (request) => sessions.peek(request.cookies[SESSION_COOKIE])?.id,
  });
  // Saturated (event loop late): 503 with Retry-After at once rather than slow answers for all.
  await app.register(underPressure, {
    maxEventLoopDelay: config.MAX_EVENT_LOOP_DELAY_MS,
    retryAfter: 10,
    exposeStatusRoute: false,
  });
  // Pages are framed by no one, scripts and styles come only from here, and https is remembered.
  await app.register(helmet, {
    contentSecurityPolicy: {
      useDefaults: false,
      directives: {
        defaultSrc: ["'self'"],
        imgSrc: ["'self'", 'data:'],
        styleSrc: ["'self'"],
        scriptSrc: ["'self'"],
        frameAncestors: ["'none'"],
        formAction: ["'self'", new URL(config.OIDC_ISSUER).origin],
      },
    },
    frameguard: { action: 'deny' },
    referrerPolicy: { policy: 'same-origin' },
    hsts: secure ? { maxAge: 365 * 24 * 3600, includeSubDomains: true } : false,
  });
  // Pages on phones over weak connections: compressed (brotli at a light level: two cores).
  await app.register(compress, {
    threshold: 1024,
    encodings: ['br', 'gzip'],
    brotliOptions: { params: { [zlibConstants.BROTLI_PARAM_QUALITY]: 4 } },
  });
  // Each request reads its session from the database once, before anything else looks at it.
  app.addHook('onRequest', async (request) => sessions.load(request.cookies[SESSION_COOKIE]));
  app.addHook('onResponse', async (request) => sessions.release(request.cookies[SESSION_COOKIE]));
  // An access token about to run out is refreshed before the page or form is handled, so a form
  // posted after it expired is saved. If the provider refuses (the sign-in itself ended there),
  // the request goes on with the spent token and meets the usual "sign in again" answer.
  app.addHook('preHandler', async (request) => {
    const session = sessions.peek(request.cookies[SESSION_COOKIE]);
    if (!session || session.accessTokenExpiresAt - REFRESH_BEFORE_MS > Date.now()) return;
    const refreshed = await oidc.refresh(session);
    if (refreshed) {
      await sessions.refresh(session, refreshed);
      request.log.info({ userId: session.staff.userId }, 'access token refreshed');
    }
  });
  // Limits are set per route (sign-in start); the counters live in a bounded LRU per address.
  await app.register(rateLimit, {
    global: false,
    cache: 10_000,
    errorResponseBuilder: (_request, context) => new TooManyRequests(Math.ceil(context.ttl / 1000)),
  });

  const setSessionCookie = (reply: FastifyReply, id: string) =>
    reply.setCookie(SESSION_COOKIE, sessions.sign(id), {
      path: '/',
      httpOnly: true,
      sameSite: 'lax',
      secure,
      maxAge: config.SESSION_IDLE_SECONDS,
    });
  const clearSessionCookie = (reply: FastifyReply) =>
    reply.clearCookie(SESSION_COOKIE, { path: '/', httpOnly: true, sameSite: 'lax', secure });

  // Pages, not JSON: every failure becomes a page that says what happened and what to do.
  app.setErrorHandler(async (error: FastifyError, request: FastifyRequest, reply: FastifyReply) => {
    const ctx = pageContext(request);
    if (error instanceof NotSignedIn || error instanceof TokenExpired) {
      if (request.method === 'GET') {
        return reply.redirect(`/sign-in?return=${encodeURIComponent(safeReturn(request.url))}`);
      }
      return sendPage(reply, errorPage(ctx, 'session-expired'), 401);
    }
    if (error instanceof SessionOver || error instanceof SessionExpired) {
      const id = sessions.unsign(request.cookies[SESSION_COOKIE]);
      if (id) {
        await sessions.destroy(id);
        streams.endSession(id);
      }
      clearSessionCookie(reply);
      return sendPage(reply, errorPage(ctx, 'session-expired'), 401);
    }
    const session = sessions.find(request.cookies[SESSION_COOKIE]);
    const staffCtx = pageContext(request, session);
    if (error instanceof WrongRole) return sendPage(reply, errorPage(staffCtx, 'forbidden'), 403);
    if (error instanceof AccessRefused) return sendPage(reply, errorPage(staffCtx, 'forbidden', error.message), 403);
    if (error instanceof RecordNotFound) return sendPage(reply, errorPage(staffCtx, 'not-found'), 404);
    if (error instanceof TooManyRequests) {
      request.log.warn({ ip: request.ip, url: request.url }, 'too many requests');
      reply.header('retry-after', String(error.retryAfterSeconds));
      const wait = say(
        ctx,
        `Thử lại sau ${error.retryAfterSeconds} giây.`,
        `Try again in ${error.retryAfterSeconds} s.`,
      );
      return sendPage(reply, errorPage(staffCtx, 'too-many-requests', wait), 429);
    }
    if (error.code && csrfRefusalCodes.has(error.code)) {
      request.log.warn({ url: request.url, code: error.code }, "refused: a form without this session's CSRF token");
      return sendPage(reply, errorPage(staffCtx, 'bad-request'), 403);
    }
    if (error instanceof ServiceUnavailable) {
      request.log.error({ err: error, service: error.service }, 'service unavailable');
      return sendPage(reply, errorPage(staffCtx, 'service-unavailable', undefined, request.id), 503);
    }
    if (error instanceof SignInFailed) {
      request.log.warn({ reason: error.reason, detail: error.detail }, 'sign-in failed');
      // An answer that is not this sign-in's (another issuer, a forged state) is the request's fault.
      const status = error.reason === 'invalid-callback' ? 400 : 502;
      return sendPage(reply, errorPage(ctx, 'sign-in-failed', undefined, request.id), status);
    }
    if (error.code === 'FST_UNDER_PRESSURE') {
      request.log.warn({ url: request.url }, 'refused: the portal is saturated');
      return sendPage(
        reply.header('retry-after', '10'),
        errorPage(ctx, 'service-unavailable', undefined, request.id),
        503,
      );
    }
    if (error.code === 'FST_ERR_VALIDATION' || (error.statusCode ?? 500) < 500) {
      request.log.info({ err: error }, 'request refused');
      return sendPage(
        reply,
        errorPage(staffCtx, error.statusCode === 404 ? 'not-found' : 'bad-request'),
        error.statusCode ?? 400,
      );
    }
    request.log.error({ err: error }, 'request failed');
    return sendPage(reply, errorPage(staffCtx, 'server-error', undefined, request.id), 500);
  });

  app.get(
    '/static/:file',
    { schema: { hide: true, params: Type.Object({ file: Type.Enum(Object.keys(staticFiles)) }) } },
    async (request, reply) => {
      const file = staticFiles[request.params.file as keyof typeof staticFiles];
      return reply.type(file.type).header('cache-control', 'public, max-age=300').send(file.body);
    },
  );

  app.get('/', { schema: { hide: true } }, async (request, reply) => {
    const session = sessions.find(request.cookies[SESSION_COOKIE]);
    if (session) return reply.redirect(homeFor(session.staff.role));
    const ctx = pageContext(request);
    return sendPage(
      reply,
      page(
        ctx,
        say(ctx, 'Mạng lưới chuyển tuyến trẻ em', 'Child referral network'),
        html`<p>
            ${say(
              ctx,
              'Nơi cán bộ xã, trạm y tế, trường mầm non và cán bộ bảo vệ trẻ em theo dõi từng trẻ đến khi được nhận dịch vụ cần thiết.',
              'Where commune staff, health stations, preschools and child-protection officers follow each child until the child receives the services needed.',
            )}
          </p>
          <p><a class="button" href="/sign-in">${say(ctx, 'Đăng nhập', 'Sign in')}</a></p>`,
      ),
    );
  });

  app.get(
    '/language',
    {
      schema: {
        hide: true,
        querystring: Type.Object({
          to: Type.Enum(['vi', 'en']),
          return: Type.Optional(Type.String({ maxLength: 2000 })),
        }),
      },
    },
    async (request, reply) => {
      reply.setCookie(LANG_COOKIE, request.query.to, { path: '/', sameSite: 'lax', secure, maxAge: 365 * 86400 });
      return reply.redirect(safeReturn(request.query.return));
    },
  );

  app.get(
    '/sign-in',
    {
      schema: { hide: true, querystring: Type.Object({ return: Type.Optional(Type.String({ maxLength: 2000 })) }) },
      // Anyone may start a sign-in: per address, a person's worth of starts and no more.
      config: { rateLimit: { max: config.SIGN_IN_STARTS_PER_MINUTE, timeWindow: 60_000 } },
    },
    async (request, reply) => {
      const { url, pending } = await oidc.authorizationUrl(safeReturn(request.query.return));
      // The sign-in in progress lives in this browser's cookie, not in the portal's memory.
      reply.setCookie(
        PENDING_SIGN_IN_COOKIE,
        await pendingSignIns.add(request.cookies[PENDING_SIGN_IN_COOKIE], pending),
        { path: PENDING_SIGN_IN_PATH, httpOnly: true, sameSite: 'lax', secure, maxAge: PENDING_SIGN_IN_SECONDS },
      );
      return reply.redirect(url);
    },
  );

  app.get(
    '/auth/callback',
    {
      schema: {
        hide: true,
        querystring: Type.Object({
          code: Type.Optional(Type.String({ maxLength: 2000 })),
          state: Type.Optional(Type.String({ maxLength: 200 })),
          error: Type.Optional(Type.String({ maxLength: 200 })),
          error_description: Type.Optional(Type.String({ maxLength: 2000 })),
          iss: Type.Optional(Type.String({ maxLength: 2000 })),
        }),
      },
    },
    async (request, reply) => {
      const { code, state, error, error_description, iss } = request.query;
      const ctx = pageContext(request);
      if (error) {
        request.log.warn({ error, error_description }, 'the identity provider refused the sign-in');
        return sendPage(reply, errorPage(ctx, 'sign-in-failed', error_description, request.id), 400);
      }
      // Only a sign-in this browser started (its cookie), once, within its lifetime.
      const { pending, remaining } = state
        ? await pendingSignIns.take(request.cookies[PENDING_SIGN_IN_COOKIE], state)
        : {};
      const cookieOptions = { path: PENDING_SIGN_IN_PATH, httpOnly: true, sameSite: 'lax', secure } as const;
      if (remaining)
        reply.setCookie(PENDING_SIGN_IN_COOKIE, remaining, { ...cookieOptions, maxAge: PENDING_SIGN_IN_SECONDS });
      else reply.clearCookie(PENDING_SIGN_IN_COOKIE, cookieOptions);
      // An unknown state: an old or replayed link, a sign-in begun in another browser (login CSRF),
      // or one that took too long. Start again.
      if (!pending || !code) return sendPage(reply, errorPage(ctx, 'session-expired'), 400);
      // openid-client checks the state and the issuer of this answer (RFC 9207) before the code is exchanged.
      const result = await oidc.finishSignIn({ code, state, iss }, pending);
      const existing = sessions.find(request.cookies[SESSION_COOKIE]);
      if (existing && existing.staff.userId === result.staff.userId) {
        await sessions.refresh(existing, result);
      } else {
        if (existing) await sessions.destroy(existing.id);
        const session = await sessions.create(result);
        setSessionCookie(reply, session.id);
        // The CSRF secret cookie now, so the first pages (several tabs at once) share one.
        csrfTokenFor(request, session.id);
      }
      request.log.info({ userId: result.staff.userId, role: result.staff.role }, 'signed in');
      const returnTo = safeReturn(pending.returnTo);
      return reply.redirect(returnTo === '/' ? homeFor(result.staff.role) : returnTo);
    },
  );

  app.post(
    '/sign-out',
    { schema: { hide: true, body: Type.Object({ _csrf: Type.String({ maxLength: 200 }) }) } },
    async (request, reply) => {
      const { session } = signedIn(sessions, request);
      await sessions.destroy(session.id);
      streams.endSession(session.id);
      clearSessionCookie(reply);
      // The provider ends its own session too, or the next sign-in would skip the password.
      return reply.redirect((await oidc.signOutUrl(session.idToken)) ?? '/');
    },
  );

  // Server-sent events: the browser's views refresh when a referral they show changes.
  app.get('/events', { schema: { hide: true } }, async (request, reply) => {
    const { session } = signedIn(sessions, request);
    reply.hijack();
    streams.open(session.id, session.staff, reply.raw);
  });
  // Open event streams never go idle: end them, or closing the server would wait for them.
  app.addHook('preClose', async () => streams.close());

  // A live refresh (`x-live-refresh: <since>;<view>`, sent by portal.js) of a view nothing has
  // changed in since the browser last read it is answered 204 without asking the services, so an
  // idle tab neither loads them nor writes audit entries. `x-live-at` is the time to ask from next.
  app.addHook('preHandler', async (request, reply) => {
    const header = request.headers['x-live-refresh'];
    if (request.method !== 'GET' || typeof header !== 'string') return;
    reply.header('x-live-at', String(Date.now()));
    const match = /^(\d{13});([\w:.-]{1,100})$/.exec(header);
    const session = match ? sessions.peek(request.cookies[SESSION_COOKIE]) : undefined;
    if (!match || !session) return;
    if (!live.changedSince(session.staff, match[2]!, Number(match[1]))) {
      return reply.status(204).header('cache-control', 'no-store').send();
    }
  });

  const areas = { sessions, api, logger };
  await app.register(intakeRoutes, areas);
  await app.register(facilityRoutes, areas);
  await app.register(protectionRoutes, areas);
  await app.register(specialCircumstancesRoutes, areas);
  await app.register(notificationRoutes, areas);
  await app.register(supervisorRoutes, areas);
  await app.register(directoryRoutes, areas);

  return {
    app,
    live,
    streams,
    async start() {
      await consumer.start();
    },
    async stop() {
      await app.close();
      await consumer.stop();
      await admin.disconnect();
      sessions.close();
      await db.close();
    },
  };
}
