import { randomBytes } from 'node:crypto';
import { resolve } from 'node:path';
import { createConnection, type Connection } from 'mongoose';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser, Page } from 'playwright-core';
import { ServiceProcesses, type ServiceSpec } from '../../infra/local/stack/service-processes';
import { desktop, launchChromium, textOf } from '../support/browser';
import { databaseUrl, infra, uniqueName } from '../support/infra';

/**
 * Sessions that hold up in daily use, in Debian's Chromium against real processes: wrong
 * passwords lock the account for a while (429 with the wait) and the right one works after; a
 * portal restart keeps the person signed in; a second portal process serves the same session
 * (cookies ignore ports, so one browser reaches both on 127.0.0.1); a form posted after the access
 * token expired is saved (the portal refreshes the token first).
 */
describe('portal sessions in a browser', () => {
  const run = uniqueName('sessions');
  const port = (base: number) => base + Number(process.env.ECD_E2E_PORT_OFFSET ?? 10_000);
  const url = (base: number) => `http://127.0.0.1:${port(base)}`;
  const portalA = url(4950);
  const portalB = url(4951);
  const issuer = url(4940);
  const ACCESS_TOKEN_SECONDS = 20;
  const sessionSecret = randomBytes(32).toString('base64url');
  let services: ServiceProcesses;
  const portals = new Map<string, ServiceProcesses>();
  let portalDb: Connection;
  let browser: Browser;
  const wait = { timeout: 30_000, interval: 200 };

  const portalSpec = (publicUrl: string, base: number): ServiceSpec => ({
    name: 'portal',
    port: port(base),
    env: () => ({
      PUBLIC_URL: publicUrl,
      OIDC_ISSUER: issuer,
      MONGO_URL: databaseUrl(infra().mongoUrl, `${run}_portal`),
      SESSION_SECRET: sessionSecret,
      INTAKE_URL: url(4941),
      KAFKA_BROKERS: infra().kafkaBrokers,
      KAFKA_GROUP_ID: `${run}_portal`,
      LOG_LEVEL: 'warn',
    }),
  });
  const specA = portalSpec(portalA, 4950);
  const specB = portalSpec(portalB, 4951);
  const startPortal = async (name: string, spec: ServiceSpec) => {
    const processes = new ServiceProcesses(
      {},
      resolve(import.meta.dirname, `../../test-results/sessions-logs/${name}`),
    );
    portals.set(name, processes);
    processes.start(spec);
    await processes.waitReady(spec, 120_000);
  };

  beforeAll(async () => {
    const { kafkaBrokers, temporalAddress, mongoUrl } = infra();
    const specs: ServiceSpec[] = [
      {
        name: 'identity',
        port: port(4940),
        env: () => ({
          ISSUER: issuer,
          MONGO_URL: databaseUrl(mongoUrl, `${run}_identity`),
          PORTAL_REDIRECT_URIS: `${portalA}/auth/callback,${portalB}/auth/callback`,
          PORTAL_POST_LOGOUT_REDIRECT_URIS: `${portalA}/,${portalB}/`,
          ACCESS_TOKEN_TTL_SECONDS: String(ACCESS_TOKEN_SECONDS),
          LOGIN_MAX_FAILURES: '3',
          LOGIN_LOCKOUT_SECONDS: '5',
          LOG_LEVEL: 'warn',
        }),
      },
      {
        name: 'intake',
        port: port(4941),
        env: () => ({
          KAFKA_BROKERS: kafkaBrokers,
          TEMPORAL_ADDRESS: temporalAddress,
          TEMPORAL_TASK_QUEUE: `${run}_referrals`,
          KAFKA_GROUP_ID: `${run}_intake`,
          MONGO_URL: databaseUrl(mongoUrl, `${run}_intake`),
          OIDC_ISSUER: issuer,
          OIDC_JWKS_URL: `${issuer}/jwks`,
          LOG_LEVEL: 'warn',
        }),
      },
    ];
    services = new ServiceProcesses({}, resolve(import.meta.dirname, '../../test-results/sessions-logs'));
    for (const spec of specs) services.start(spec);
    for (const spec of specs) await services.waitReady(spec, 120_000);
    await startPortal('a', specA);
    await startPortal('b', specB);
    portalDb = await createConnection(databaseUrl(mongoUrl, `${run}_portal`)).asPromise();
    browser = await launchChromium();
  }, 240_000);

  afterAll(async () => {
    await browser?.close();
    await portalDb?.close();
    for (const processes of portals.values()) await processes.stopAll();
    await services?.stopAll();
  });

  /** The login form's answer to one attempt: its HTTP status and the message it shows. */
  async function tryPassword(page: Page, password: string): Promise<{ status: number; message: string }> {
    await page.fill('#password', password);
    const [response] = await Promise.all([
      page.waitForResponse((r) => r.request().method() === 'POST' && r.url().startsWith(issuer)),
      page.click('button[type=submit]'),
    ]);
    await page.waitForLoadState();
    return { status: response.status(), message: await textOf(page.locator('[role=alert]')) };
  }

  it('locks after wrong passwords, keeps the session over a restart and across two portal processes, and saves a form posted after the token expired', async () => {
    const context = await browser.newContext({ viewport: desktop, locale: 'vi-VN', timezoneId: 'Asia/Ho_Chi_Minh' });
    context.setDefaultTimeout(60_000);
    const page = await context.newPage();

    // 1. Three wrong passwords: the third answers 429 and says how long to wait.
    await page.goto(`${portalA}/sign-in`);
    await page.waitForURL(`${issuer}/**`);
    await page.fill('#username', 'canbo.yty');
    expect((await tryPassword(page, 'wrong-1')).status).toBe(401);
    expect((await tryPassword(page, 'wrong-2')).status).toBe(401);
    const locked = await tryPassword(page, 'wrong-3');
    expect(locked.status).toBe(429);
    expect(locked.message).toMatch(/thử lại sau \d+ giây/);
    // The right password during the lockout is refused the same way; after the wait it works.
    const during = await tryPassword(page, 'yty-intake-01');
    expect(during.status).toBe(429);
    const seconds = Number(/(\d+) giây/.exec(during.message)?.[1]);
    expect(seconds).toBeGreaterThan(0);
    expect(seconds).toBeLessThanOrEqual(5);
    await page.waitForTimeout(seconds * 1000 + 500);
    await page.fill('#password', 'yty-intake-01');
    await page.click('button[type=submit]');
    await page.waitForURL(`${portalA}/children`);
    await expect.poll(() => textOf(page.locator('h1')), wait).toBe('Trẻ em của xã');

    // 2. The portal restarts mid-session: the next page still knows the person.
    await portals.get('a')!.stopAll();
    await startPortal('a', specA);
    const afterRestart = await page.goto(`${portalA}/children`);
    expect(afterRestart?.status()).toBe(200);
    expect(page.url()).toBe(`${portalA}/children`);
    await expect.poll(() => textOf(page.locator('h1')), wait).toBe('Trẻ em của xã');

    // 3. A second portal process serves the same session (same cookie, same store).
    const onB = await page.goto(`${portalB}/children`);
    expect(onB?.status()).toBe(200);
    expect(page.url()).toBe(`${portalB}/children`);
    await expect.poll(() => textOf(page.locator('header')), wait).toContain('Chu Thị Sa');

    // 4. A long form: the access token expires while it is being filled; posting it still saves it.
    await page.goto(`${portalA}/children/new`);
    const name = `Lò Thị Phiên ${run.slice(-4).replace(/[^a-z]/gi, 'A')}`;
    await page.fill('#fullName', name);
    await page.fill('#dateOfBirth', new Date(Date.now() - 400 * 86_400_000).toISOString().slice(0, 10));
    await page.check('input[name=sex][value=female]');
    await page.selectOption('#ethnicityCode', '08');
    await page.fill('#village', 'Thôn Phìn Hồ');
    await page.fill('#caregiverName', 'Lò Văn Sử');
    await page.fill('#caregiverRelationship', 'bố');
    const sessions = portalDb.collection<{ accessTokenExpiresAt: number }>('portal_sessions');
    const [stored] = await sessions.find({}).toArray();
    expect(stored).toBeDefined();
    await page.waitForTimeout(Math.max(0, stored!.accessTokenExpiresAt - Date.now()) + 1_000);
    expect((await sessions.find({}).toArray())[0]!.accessTokenExpiresAt).toBeLessThan(Date.now());
    await page.click('main button[type=submit]');
    await page.waitForURL(/\/children\/[0-9a-f-]{36}\?registered=1$/);
    await expect.poll(() => textOf(page.locator('h1')), wait).toBe(name);
    await expect.poll(() => textOf(page.locator('.notice.success')), wait).toContain('Đã đăng ký trẻ');
    // The session now holds a fresh token.
    expect((await sessions.find({}).toArray())[0]!.accessTokenExpiresAt).toBeGreaterThan(Date.now());
    await context.close();
  }, 240_000);
});
