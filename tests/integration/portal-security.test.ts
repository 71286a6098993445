import { createServer } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildIdentityService, type IdentityService } from '../../services/identity/src/identity-service';
import { loadIdentityConfig } from '../../services/identity/src/config';
import { buildPortalService, type PortalService } from '../../services/portal/src/portal-service';
import { loadPortalConfig } from '../../services/portal/src/config';
import { databaseUrl, identityDatabase, infra, testLogger, uniqueName } from '../support/infra';
import { openRedirectPayloads } from '../support/open-redirect-payloads';

/** A port nobody listens on now (the portal's public URL must be known before it starts). */
async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const { port } = server.address() as { port: number };
  await new Promise<void>((r) => server.close(() => r()));
  return port;
}

/**
 * One browser over plain HTTP: a cookie jar by name (the portal's and the provider's cookie names
 * differ, and cookies ignore ports), redirects followed by hand so every Location can be checked.
 */
class HttpBrowser {
  readonly cookies = new Map<string, string>();

  async request(url: string, init: RequestInit = {}): Promise<Response> {
    const headers = new Headers(init.headers);
    if (this.cookies.size) headers.set('cookie', [...this.cookies].map(([k, v]) => `${k}=${v}`).join('; '));
    const response = await fetch(url, { ...init, headers, redirect: 'manual' });
    for (const header of response.headers.getSetCookie()) {
      const [pair = ''] = header.split(';');
      const name = pair.slice(0, pair.indexOf('='));
      const value = pair.slice(pair.indexOf('=') + 1);
      if (!value || /max-age=0|expires=thu, 01 jan 1970/i.test(header)) this.cookies.delete(name);
      else this.cookies.set(name, value);
    }
    return response;
  }

  /** Follows redirects from `url` while `follow(next)` says so; returns the last response and where it pointed. */
  async walk(url: string, follow: (next: URL) => boolean): Promise<{ response: Response; location?: URL }> {
    let current = new URL(url);
    for (let hops = 0; hops < 12; hops++) {
      const response = await this.request(current.href);
      const location = response.headers.get('location');
      if (response.status < 300 || response.status >= 400 || !location) return { response };
      // As a browser reads a Location: tabs and newlines dropped, resolved against the current URL.
      const next = new URL(location.replace(/[\t\n\r]/g, ''), current);
      if (!follow(next)) return { response, location: next };
      await response.body?.cancel();
      current = next;
    }
    throw new Error(`redirect loop from ${url}`);
  }
}

/**
 * The portal as an attacker tries it, without and with an account: open redirects through every
 * parameter that sets a redirect, sign-in callbacks from another browser (login CSRF), a flood of
 * sign-in starts from one address. Identity and portal run in this process on real HTTP; the
 * portal's live updates use the real Kafka.
 */
describe('portal security', () => {
  const signInStartsPerMinute = openRedirectPayloads.length + 40;
  let identity: IdentityService;
  let portal: PortalService;
  let portalUrl: string;
  let issuer: string;

  beforeAll(async () => {
    const [portalPort, identityPort] = [await freePort(), await freePort()];
    portalUrl = `http://127.0.0.1:${portalPort}`;
    issuer = `http://127.0.0.1:${identityPort}`;
    identity = await buildIdentityService(
      loadIdentityConfig({
        ISSUER: issuer,
        MONGO_URL: identityDatabase(),
        PORTAL_REDIRECT_URIS: `${portalUrl}/auth/callback`,
        PORTAL_POST_LOGOUT_REDIRECT_URIS: `${portalUrl}/`,
      }),
      testLogger('identity'),
    );
    await identity.start();
    await identity.app.listen({ host: '127.0.0.1', port: identityPort });
    portal = await buildPortalService(
      loadPortalConfig({
        PUBLIC_URL: portalUrl,
        OIDC_ISSUER: issuer,
        MONGO_URL: databaseUrl(infra().mongoUrl, uniqueName('portal')),
        KAFKA_BROKERS: infra().kafkaBrokers,
        KAFKA_GROUP_ID: uniqueName('portal'),
        // The open-redirect walk starts one sign-in per payload, the other tests a few each; the
        // limit itself is tested below.
        SIGN_IN_STARTS_PER_MINUTE: String(signInStartsPerMinute),
      }),
      testLogger('portal'),
    );
    await portal.start();
    await portal.app.listen({ host: '127.0.0.1', port: portalPort });
  });

  afterAll(async () => {
    await portal?.stop();
    await identity?.stop();
  });

  const onPortal = (location: URL | undefined) => location?.origin;

  /**
   * Takes a browser through the provider's login form up to (not into) the portal's callback;
   * returns the callback URL the provider sent it to and the authorization request that began it.
   */
  async function toCallback(
    browser: HttpBrowser,
    username: string,
    password: string,
  ): Promise<{ callback: URL; authorization: URL }> {
    let authorization: URL | undefined;
    const toForm = await browser.walk(`${portalUrl}/sign-in`, (next) => {
      if (next.origin === issuer && next.pathname === '/auth') authorization ??= next;
      return next.origin === issuer;
    });
    const form = await toForm.response.text();
    const action = /<form method="post" action="([^"]+)"/.exec(form)?.[1];
    expect(action, 'the provider shows its login form').toBeTruthy();
    const posted = await browser.request(new URL(action!.replace(/&amp;/g, '&'), issuer).href, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams({ username, password }).toString(),
    });
    expect(posted.status).toBe(303);
    const { location } = await browser.walk(
      new URL(posted.headers.get('location')!, issuer).href,
      (next) => next.origin === issuer,
    );
    expect(location?.pathname).toBe('/auth/callback');
    return { callback: location!, authorization: authorization! };
  }

  /** Signs a browser in through the provider's form; returns it with its portal session. */
  async function signedInBrowser(username: string, password: string): Promise<HttpBrowser> {
    const browser = new HttpBrowser();
    const { callback } = await toCallback(browser, username, password);
    const back = await browser.request(callback.href);
    expect(back.status).toBe(302);
    expect(onPortal(new URL(back.headers.get('location')!, portalUrl))).toBe(portalUrl);
    expect(browser.cookies.has('ecd_session')).toBe(true);
    return browser;
  }

  /** A page's forms' hidden fields, by name (the portal's CSRF token among them). */
  const hiddenFields = (page: string) =>
    Object.fromEntries(
      [...page.matchAll(/<input type="hidden" name="([^"]+)" value="([^"]*)"\s*\/?>/g)].map((m) => [m[1]!, m[2]!]),
    );

  it('signs in with authorization code + PKCE (S256), state and nonce, and the provider names itself (RFC 9207)', async () => {
    const browser = new HttpBrowser();
    const { callback, authorization } = await toCallback(browser, 'canbo.yty', 'yty-intake-01');
    expect(authorization.searchParams.get('code_challenge_method')).toBe('S256');
    expect(authorization.searchParams.get('code_challenge')).toMatch(/^[\w-]{43}$/);
    expect(authorization.searchParams.get('state')).toBeTruthy();
    expect(authorization.searchParams.get('nonce')).toBeTruthy();
    expect(authorization.searchParams.get('redirect_uri')).toBe(`${portalUrl}/auth/callback`);
    // The code comes back with the state it was asked with and the provider's own name.
    expect(callback.searchParams.get('state')).toBe(authorization.searchParams.get('state'));
    expect(callback.searchParams.get('iss')).toBe(issuer);
    const signedIn = await browser.request(callback.href);
    expect(signedIn.status).toBe(302);
    expect(signedIn.headers.get('location')).toBe('/children');
    expect(browser.cookies.has('ecd_session')).toBe(true);
  });

  it('refuses a callback naming another issuer (mix-up) or carrying another state, and signs no one in', async () => {
    // Another issuer: the code is not even exchanged, the sign-in in progress is spent.
    const mixedUp = new HttpBrowser();
    const { callback } = await toCallback(mixedUp, 'canbo.yty', 'yty-intake-01');
    const forged = new URL(callback);
    forged.searchParams.set('iss', 'https://id.evil.example');
    const refused = await mixedUp.request(forged.href);
    expect(refused.status).toBe(400);
    expect(await refused.text()).toContain('Không đăng nhập được');
    expect(mixedUp.cookies.has('ecd_session')).toBe(false);
    // Another state: no sign-in this browser started; the real one is still waiting and works.
    const stateless = new HttpBrowser();
    const { callback: real } = await toCallback(stateless, 'canbo.yty', 'yty-intake-01');
    const otherState = new URL(real);
    otherState.searchParams.set('state', 'not-the-state-this-browser-began');
    const refusedState = await stateless.request(otherState.href);
    expect(refusedState.status).toBe(400);
    expect(stateless.cookies.has('ecd_session')).toBe(false);
    expect((await stateless.request(real.href)).status).toBe(302);
    expect(stateless.cookies.has('ecd_session')).toBe(true);
  });

  it('refuses a form without, or with a wrong, CSRF token with 403 before anything runs (@fastify/csrf-protection)', async () => {
    const browser = await signedInBrowser('canbo.yty', 'yty-intake-01');
    const other = await signedInBrowser('canbo.batxat', 'batxat-intake-01');
    // The secret is set at sign-in, HttpOnly; the forms carry tokens derived from it and the session.
    expect(browser.cookies.get('ecd_csrf')).toBeTruthy();
    const tokenOf = async (b: HttpBrowser) =>
      hiddenFields(await (await b.request(`${portalUrl}/children`)).text())._csrf!;
    const token = await tokenOf(browser);
    const otherToken = await tokenOf(other);
    expect(token).toBeTruthy();
    const post = (b: HttpBrowser, path: string, fields: Record<string, string>) =>
      b.request(`${portalUrl}${path}`, {
        method: 'POST',
        headers: { 'content-type': 'application/x-www-form-urlencoded' },
        body: new URLSearchParams(fields).toString(),
      });
    const child = { fullName: 'Lò Văn Páo', dateOfBirth: '2025-02-01', sex: 'male', unitCode: '11' };
    // Without a token, with a made-up one, with another session's: refused as forged. The intake
    // service is not running here, so had the handler run the answer would be 503, not 403.
    const forgeries: Record<string, string>[] = [{}, { _csrf: 'x-made-up' }, { _csrf: otherToken }];
    for (const forged of forgeries) {
      const refused = await post(browser, '/children', { ...child, ...forged });
      expect(refused.status, JSON.stringify(forged)).toBe(403);
      expect(await refused.text()).toContain('Yêu cầu không hợp lệ');
      expect((await post(browser, '/sign-out', forged)).status).toBe(403);
    }
    // The right token without the secret cookie (a form posted from elsewhere): refused too.
    const withoutSecret = new HttpBrowser();
    withoutSecret.cookies.set('ecd_session', browser.cookies.get('ecd_session')!);
    expect((await post(withoutSecret, '/sign-out', { _csrf: token })).status).toBe(403);
    // Nothing was signed out; the real form works.
    expect(browser.cookies.has('ecd_session')).toBe(true);
    expect((await post(browser, '/children', { ...child, _csrf: token })).status).not.toBe(403);
    const signOut = await post(browser, '/sign-out', { _csrf: token });
    expect(signOut.status).toBe(302);
    expect(browser.cookies.has('ecd_session')).toBe(false);
  });

  it('signs out through the provider (RP-initiated logout): the next sign-in asks for the password again', async () => {
    const browser = await signedInBrowser('canbo.batxat', 'batxat-intake-01');
    const page = await browser.request(`${portalUrl}/children`);
    const { _csrf } = hiddenFields(await page.text());
    expect(_csrf).toBeTruthy();
    const signOut = await browser.request(`${portalUrl}/sign-out`, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams({ _csrf: _csrf! }).toString(),
    });
    expect(signOut.status).toBe(302);
    expect(browser.cookies.has('ecd_session')).toBe(false);
    const endSession = new URL(signOut.headers.get('location')!);
    expect(endSession.origin).toBe(issuer);
    expect(endSession.searchParams.get('id_token_hint')).toBeTruthy();
    expect(endSession.searchParams.get('post_logout_redirect_uri')).toBe(`${portalUrl}/`);
    expect(endSession.searchParams.get('client_id')).toBe('ecd-portal');
    // The provider asks to confirm; confirming ends its session and comes back to the portal.
    const confirm = await browser.request(endSession.href);
    const confirmPage = await confirm.text();
    const action = /<form id="op.logoutForm" method="post" action="([^"]+)"/.exec(confirmPage)?.[1];
    expect(action, confirmPage).toBeTruthy();
    const loggedOut = await browser.request(new URL(action!, issuer).href, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams({ ...hiddenFields(confirmPage), logout: 'yes' }).toString(),
    });
    expect([302, 303]).toContain(loggedOut.status);
    expect(new URL(loggedOut.headers.get('location')!, issuer).href).toBe(`${portalUrl}/`);
    // Signed out at the provider too: a new sign-in shows the login form instead of a code.
    const again = await browser.walk(`${portalUrl}/sign-in`, (next) => next.origin === issuer);
    expect(again.response.status).toBe(200);
    expect(await again.response.text()).toContain('name="password"');
  });

  it('keeps every return target of /language on the portal', async () => {
    const browser = new HttpBrowser();
    for (const payload of openRedirectPayloads) {
      const response = await browser.request(`${portalUrl}/language?to=en&return=${encodeURIComponent(payload)}`);
      const location = response.headers.get('location');
      expect(response.status, JSON.stringify(payload)).toBe(302);
      expect(new URL(location!.replace(/[\t\n\r]/g, ''), `${portalUrl}/children`).origin, JSON.stringify(payload)).toBe(
        portalUrl,
      );
      expect(location!.startsWith('/') && !location!.startsWith('//'), `${JSON.stringify(payload)} → ${location}`).toBe(
        true,
      );
    }
  });

  it('keeps every return target of /sign-in on the portal, after the whole sign-in', async () => {
    const browser = await signedInBrowser('canbo.yty', 'yty-intake-01');
    for (const payload of openRedirectPayloads) {
      // Signed in at the provider already: it sends the browser straight back with a code.
      const { location } = await browser.walk(
        `${portalUrl}/sign-in?return=${encodeURIComponent(payload)}`,
        (next) => next.origin === issuer || next.pathname === '/auth/callback',
      );
      expect(onPortal(location), `${JSON.stringify(payload)} → ${location?.href}`).toBe(portalUrl);
      expect(location!.pathname.startsWith('//'), JSON.stringify(payload)).toBe(false);
    }
    // A path of the portal is kept through the sign-in.
    const { location } = await browser.walk(
      `${portalUrl}/sign-in?return=${encodeURIComponent('/cases?status=open#list')}`,
      (next) => next.origin === issuer || next.pathname === '/auth/callback',
    );
    expect(location?.href).toBe(`${portalUrl}/cases?status=open#list`);
  });

  it('accepts a sign-in callback only in the browser that started it, once', async () => {
    const victim = new HttpBrowser();
    const attacker = await signedInBrowser('canbo.batxat', 'batxat-intake-01');
    // The attacker gets a code for their own account, then stops before their callback.
    const { location: callback } = await attacker.walk(`${portalUrl}/sign-in`, (next) => next.origin === issuer);
    expect(callback?.pathname).toBe('/auth/callback');
    // The victim's browser is lured to the attacker's callback: no sign-in it started, so no session.
    const lured = await victim.request(callback!.href);
    expect(lured.status).toBe(400);
    expect(victim.cookies.has('ecd_session')).toBe(false);
    // The attacker's own browser may use it, once.
    const first = await attacker.request(callback!.href);
    expect(first.status).toBe(302);
    const replayed = await attacker.request(callback!.href);
    expect(replayed.status).toBe(400);
  });

  it('answers an idle live refresh 204 without asking the services, and ends live streams at sign-out', async () => {
    const browser = await signedInBrowser('yte.yty', 'yty-health-01');
    // Nothing changed in this station's inbox since now: no call to the health service.
    const idle = await browser.request(`${portalUrl}/inbox`, { headers: { 'x-live-refresh': `${Date.now()};inbox` } });
    expect(idle.status).toBe(204);
    expect(Number(idle.headers.get('x-live-at'))).toBeGreaterThan(0);
    // A time this portal cannot vouch for (before it started): the view is read from the service,
    // which does not run in this test, so the page says the service is unavailable.
    const unsure = await browser.request(`${portalUrl}/inbox`, {
      headers: { 'x-live-refresh': `${portal.live.startedAt - 60_000};inbox` },
    });
    expect(unsure.status).toBe(503);
    const csrf = /name="_csrf" value="([^"]+)"/.exec(await unsure.text())?.[1];
    expect(csrf).toBeTruthy();

    const stream = await browser.request(`${portalUrl}/events`);
    expect(stream.headers.get('content-type')).toContain('text/event-stream');
    const reader = stream.body!.getReader();
    const signOut = await browser.request(`${portalUrl}/sign-out`, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams({ _csrf: csrf! }).toString(),
    });
    expect(signOut.status).toBe(302);
    let text = '';
    for (;;) {
      const { value, done } = await reader.read();
      if (done) break;
      text += new TextDecoder().decode(value);
    }
    expect(text).toContain('event: session-ended');
    expect(portal.streams.size).toBe(0);
  });

  it('sends its pages with the security headers of @fastify/helmet, compressed', async () => {
    const response = await portal.app.inject({ method: 'GET', url: '/', headers: { 'accept-encoding': 'gzip' } });
    expect(response.statusCode).toBe(200);
    expect(response.headers['content-security-policy']).toBe(
      `default-src 'self';img-src 'self' data:;style-src 'self';script-src 'self';frame-ancestors 'none';form-action 'self' ${issuer}`,
    );
    expect(response.headers['x-frame-options']).toBe('DENY');
    expect(response.headers['referrer-policy']).toBe('same-origin');
    expect(response.headers['x-content-type-options']).toBe('nosniff');
    // http here: no HSTS (it is sent when PUBLIC_URL is https).
    expect(response.headers['strict-transport-security']).toBeUndefined();
    const css = await portal.app.inject({
      method: 'GET',
      url: '/static/portal.css',
      headers: { 'accept-encoding': 'br, gzip' },
    });
    expect(css.headers['content-encoding']).toBe('br');
  });

  it('answers 503 with Retry-After while saturated (@fastify/under-pressure), as a page', async () => {
    const saturated = await buildPortalService(
      loadPortalConfig({
        PUBLIC_URL: 'https://portal.example.vn',
        OIDC_ISSUER: issuer,
        MONGO_URL: databaseUrl(infra().mongoUrl, uniqueName('portal')),
        KAFKA_BROKERS: infra().kafkaBrokers,
        KAFKA_GROUP_ID: uniqueName('portal'),
        MAX_EVENT_LOOP_DELAY_MS: '200',
      }),
      testLogger('portal'),
    );
    try {
      await saturated.app.ready();
      const https = await saturated.app.inject({ method: 'GET', url: '/' });
      expect(https.headers['strict-transport-security']).toBe('max-age=31536000; includeSubDomains');
      // Keep this process's event loop busy for 1.5 s, as a flood would; the next sample sees it.
      const until = Date.now() + 1_500;
      while (Date.now() < until) {
        /* busy */
      }
      await new Promise((r) => setTimeout(r, 50));
      const refused = await saturated.app.inject({ method: 'GET', url: '/' });
      expect(refused.statusCode).toBe(503);
      expect(refused.headers['retry-after']).toBe('10');
      expect(refused.body).toContain('Hệ thống tạm thời gián đoạn');
    } finally {
      await saturated.stop();
    }
  });

  it('limits sign-in starts per address, telling how long to wait, and keeps no state for them', async () => {
    const limit = signInStartsPerMinute;
    const start = (remoteAddress: string) => portal.app.inject({ method: 'GET', url: '/sign-in', remoteAddress });
    for (let i = 0; i < limit; i++) expect((await start('10.9.8.7')).statusCode).toBe(302);
    const refused = await start('10.9.8.7');
    expect(refused.statusCode).toBe(429);
    expect(Number(refused.headers['retry-after'])).toBeGreaterThan(0);
    expect(Number(refused.headers['retry-after'])).toBeLessThanOrEqual(60);
    expect(refused.body).toContain('Quá nhiều yêu cầu');
    expect(refused.body).toMatch(/Thử lại sau \d+ giây/);
    // Another address is not affected.
    const other = await start('10.9.8.8');
    expect(other.statusCode).toBe(302);
    // The sign-in in progress is in the browser's cookie (encrypted), bound to the callback path.
    const cookie = other.cookies.find((c) => c.name === 'ecd_sign_in');
    expect(cookie).toMatchObject({ httpOnly: true, sameSite: 'Lax', path: '/auth/callback', maxAge: 300 });
    expect(cookie!.value.split('.')).toHaveLength(5);
  });
});
