import { randomBytes } from 'node:crypto';
import { resolve } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { ServiceProcesses, type ServiceSpec } from '../../infra/local/stack/service-processes';
import { publishShortPolicyVersion } from '../../infra/local/stack/short-policy';
import { waitForFacilityDirectory } from '../../infra/local/stack/demo-data';
import { signIn } from '../support/sign-in';
import { captureView, desktop, launchChromium, textOf } from '../support/browser';
import { databaseUrl, infra, uniqueName } from '../support/infra';

/**
 * The staff portal in a real browser (Debian's Chromium through playwright-core) against the real
 * stack, each service its own process: the issue-6 walk through the UI, screenshots of every main
 * view at desktop and phone width with an axe check on each, and the error pages.
 */
describe('staff portal in a browser', () => {
  const run = uniqueName('portal');
  // Ports of their own (not the end-to-end test's), shifted by ECD_E2E_PORT_OFFSET like it.
  const port = (base: number) => base + Number(process.env.ECD_E2E_PORT_OFFSET ?? 10_000);
  const url = (base: number) => `http://127.0.0.1:${port(base)}`;
  const portal = url(4000);
  const issuer = url(4800);
  const taskQueue = `${run}_referrals`;
  let processes: ServiceProcesses;
  let browser: Browser;
  const violations: string[] = [];
  const sideways: string[] = [];

  const capture = async (page: Page, name: string) => {
    const result = await captureView(page, name);
    violations.push(...result.violations);
    if (result.horizontalScroll) sideways.push(name);
  };

  beforeAll(async () => {
    const { kafkaBrokers, temporalAddress, mongoUrl } = infra();
    const common = (name: string) => ({
      KAFKA_BROKERS: kafkaBrokers,
      TEMPORAL_ADDRESS: temporalAddress,
      TEMPORAL_TASK_QUEUE: taskQueue,
      KAFKA_GROUP_ID: `${run}_${name}`,
      MONGO_URL: databaseUrl(mongoUrl, `${run}_${name}`),
      OIDC_ISSUER: issuer,
      OIDC_JWKS_URL: `${issuer}/jwks`,
      LOG_LEVEL: 'warn',
    });
    const specs: ServiceSpec[] = [
      {
        name: 'identity',
        port: port(4800),
        env: () => ({
          ISSUER: issuer,
          MONGO_URL: databaseUrl(mongoUrl, `${run}_identity`),
          PORTAL_REDIRECT_URIS: `${portal}/auth/callback`,
          PORTAL_POST_LOGOUT_REDIRECT_URIS: `${portal}/`,
          LOG_LEVEL: 'warn',
        }),
      },
      { name: 'referrals', port: port(4810), env: () => common('referrals') },
      { name: 'intake', port: port(4811), env: () => common('intake') },
      { name: 'health', port: port(4812), env: () => common('health') },
      { name: 'education', port: port(4813), env: () => common('education') },
      {
        name: 'protection',
        port: port(4814),
        env: () => ({
          ...common('protection'),
          TEMPORAL_TASK_QUEUE: `${run}_protection`,
          TEMPORAL_REFERRALS_TASK_QUEUE: taskQueue,
          // A key of this run only: the protection service seals its sensitive fields with it.
          PROTECTION_ENCRYPTION_KEYS: `k1:${randomBytes(32).toString('base64')}`,
          PROTECTION_ENCRYPTION_KEY_ID: 'k1',
        }),
      },
      {
        name: 'portal',
        port: port(4000),
        env: () => ({
          PUBLIC_URL: portal,
          OIDC_ISSUER: issuer,
          MONGO_URL: databaseUrl(mongoUrl, `${run}_portal`),
          INTAKE_URL: url(4811),
          HEALTH_URL: url(4812),
          EDUCATION_URL: url(4813),
          PROTECTION_URL: url(4814),
          KAFKA_BROKERS: kafkaBrokers,
          KAFKA_GROUP_ID: `${run}_portal`,
          LOG_LEVEL: 'warn',
        }),
      },
    ];
    processes = new ServiceProcesses({}, resolve(import.meta.dirname, '../../test-results/portal-logs'));
    for (const spec of specs) processes.start(spec);
    for (const spec of specs) await processes.waitReady(spec, 120_000);
    // Health and education register their facilities at start; referrals wait for intake's directory.
    await waitForFacilityDirectory(url(4811), await signIn(url(4800), 'canbo.yty', 'yty-intake-01'), [
      'TYT-02704',
      'MN-02704',
    ]);

    // As the end-to-end test does: education/routine v2 with an 8-second accept window, so a
    // preschool referral that nobody accepts escalates to the commune within the walk.
    await publishShortPolicyVersion(databaseUrl(mongoUrl, `${run}_referrals`), 'education.routine', {
      acceptSeconds: 8,
    });

    browser = await launchChromium();
  }, 240_000);

  afterAll(async () => {
    await browser?.close();
    await processes?.stopAll();
  });

  /** A staff member's own browser (cookies of their own), signed in through the identity provider's form. */
  async function signedInAs(username: string, password: string): Promise<{ context: BrowserContext; page: Page }> {
    const context = await browser.newContext({ viewport: desktop, locale: 'vi-VN', timezoneId: 'Asia/Ho_Chi_Minh' });
    // Shared machines run slowly at times: wait long rather than fail on a slow moment.
    context.setDefaultTimeout(60_000);
    const page = await context.newPage();
    await page.goto(`${portal}/`);
    await page.getByRole('link', { name: 'Đăng nhập' }).click();
    await page.waitForURL(`${issuer}/**`);
    await page.fill('#username', username);
    await page.fill('#password', password);
    await page.click('button[type=submit]');
    await page.waitForURL(`${portal}/**`);
    return { context, page };
  }

  const daysAgo = (days: number) => new Date(Date.now() + 7 * 3_600_000 - days * 86_400_000).toISOString().slice(0, 10);
  /** How long a page may take to show what the services already know (the read models follow events). */
  const wait = { timeout: 30_000, interval: 200 };
  const live = (page: Page) => page.waitForSelector('body[data-live-connected="true"]');

  it('walks the loop through the UI: register, screen, refer; accept and complete; the loop closes; an escalation arrives live', async () => {
    // Intake staff sign in and land on the child register.
    const intake = await signedInAs('canbo.yty', 'yty-intake-01');
    const i = intake.page;
    expect(new URL(i.url()).pathname).toBe('/children');
    await expect.poll(() => textOf(i.locator('h1')), wait).toBe('Trẻ em của xã');
    await capture(i, 'children-search');

    // Register a child (about 11 months old).
    const name = `Giàng Thị Mỷ ${run.slice(-4).replace(/[^a-z]/gi, 'A')}`;
    const register = async () => {
      await i.goto(`${portal}/children/new`);
      await i.fill('#fullName', name);
      await i.fill('#dateOfBirth', daysAgo(340));
      await i.check('input[name=sex][value=female]');
      await i.selectOption('#ethnicityCode', '08');
      await i.fill('#village', 'Thôn Lao Chải');
      await i.fill('#caregiverName', 'Giàng Seo Lử');
      await i.fill('#caregiverRelationship', 'bố');
      await i.click('main button[type=submit]');
    };
    await register();
    await i.waitForURL(/\/children\/[0-9a-f-]{36}\?registered=1$/);
    const childUrl = i.url().split('?')[0]!;
    await expect.poll(() => textOf(i.locator('h1')), wait).toBe(name);
    await expect.poll(() => textOf(i.locator('.notice.success')), wait).toContain('Đã đăng ký trẻ');

    // The same child again: the duplicate warning, naming the registered child.
    await register();
    await expect.poll(() => textOf(i.locator('.notice.warning')), wait).toContain('Có thể trùng hồ sơ');
    await expect.poll(() => i.locator('.notice.warning a').getAttribute('href'), wait).toBe(new URL(childUrl).pathname);
    await capture(i, 'register-duplicate-warning');

    // Open a case, then screen: BCG only, no back-and-forth sounds at 11 months.
    // The father consents to sharing with health and education (referrals need it).
    await i.goto(childUrl);
    await i.fill('#consent-name', 'Giàng Seo Lử');
    await i.click('#consent-form button[type=submit]');
    await i.waitForURL(/done=consent/);
    await expect.poll(() => textOf(i.locator('[data-consent]')), wait).toContain('Còn hiệu lực');
    await capture(i, 'child');
    await i.click('form[action$="/cases"] button[type=submit]');
    await i.waitForURL(/\/cases\/[0-9a-f-]{36}$/);
    const caseUrl = i.url();
    await i.fill('#weightKg', '8.1');
    await i.fill('#heightCm', '71');
    await i.fill('#dose-BCG-1', daysAgo(339));
    await i.check('input[name="obs:social-smile"][value=yes]');
    await i.check('input[name="obs:back-and-forth-sounds-smiles"][value=no]');
    await i.click('#screening-form button[type=submit]');
    await i.waitForURL(/done=screened/);
    await expect.poll(() => textOf(i.locator('.findings')), wait).toContain('Không có sự qua lại');

    // The health station and the protection officer watch their views before anything is sent.
    const nurse = await signedInAs('yte.yty', 'yty-health-01');
    const n = nurse.page;
    expect(new URL(n.url()).pathname).toBe('/inbox');
    await live(n);
    const officer = await signedInAs('baove.yty', 'yty-protection-01');
    expect(new URL(officer.page.url()).pathname).toBe('/board');
    await live(officer.page);

    // Refer to the health station and to the preschool.
    const refer = async (sector: string, facilityId: string, reason: string) => {
      await i.goto(caseUrl);
      await i.locator('details:has(#ref-sector) > summary').click();
      await i.selectOption('#ref-sector', sector);
      await i.selectOption('#ref-facility', facilityId);
      await i.fill('#ref-reason', reason);
      await i.click('form:has(#ref-sector) button[type=submit]');
      await i.waitForURL(/done=referred/);
    };
    await refer(
      'health',
      'TYT-02704',
      'Chậm tiêm vắc xin 5 trong 1 và bại liệt; không có qua lại âm thanh lúc 9 tháng',
    );
    await refer('education', 'MN-02704', 'Can thiệp sớm cho dấu hiệu chậm phát triển');
    await expect.poll(() => i.locator('[data-referral]').count(), { timeout: 30_000 }).toBe(2);
    // The referrals' ids, to find their lines in the inbox and on the board: the services read the
    // whole topic, so older runs' referrals to the same facilities are there too.
    const preschoolReferral = await i
      .locator('#referrals ~ ul [data-referral]', { hasText: 'Mầm non' })
      .getAttribute('data-referral');
    expect(preschoolReferral).toMatch(/^[0-9a-f-]{36}$/);
    const healthReferral = await i
      .locator('#referrals ~ ul [data-referral]', { hasText: 'Trạm Y tế' })
      .getAttribute('data-referral');
    expect(healthReferral).toMatch(/^[0-9a-f-]{36}$/);
    await capture(i, 'case');

    // The referral arrives in the health station's inbox without a reload; accept, then complete.
    const item = n.locator(`#open-referrals ~ ul [data-referral="${healthReferral}"]`);
    await expect.poll(() => textOf(item), { timeout: 30_000 }).toContain('Chờ tiếp nhận');
    await capture(n, 'facility-inbox');
    await item.getByRole('button', { name: 'Tiếp nhận' }).click();
    await n.waitForURL(/done=accept/);
    await expect.poll(() => textOf(n.locator('.notice.success')), wait).toContain('Đã tiếp nhận');
    const accepted = n.locator(`#open-referrals ~ ul [data-referral="${healthReferral}"]`);
    await accepted.locator('summary', { hasText: 'Hoàn thành' }).click();
    await accepted.locator('select[name=kind]').selectOption('vaccination');
    await accepted.locator('textarea[name=summary]').fill('Đã tiêm DPT-VGB-Hib và OPV mũi 1; hẹn đánh giá phát triển');
    await capture(n, 'facility-complete-form');
    await accepted.getByRole('button', { name: 'Hoàn thành chuyển tuyến' }).click();
    await n.waitForURL(/done=complete/);
    await expect
      .poll(() => textOf(n.locator(`#closed-referrals ~ ul [data-referral="${healthReferral}"]`)), wait)
      .toContain('Đã hoàn thành');

    // Back as intake: the case page shows the loop closed with the service record.
    await i.goto(caseUrl);
    await expect
      .poll(() => textOf(i.locator('#referrals ~ ul .notice.success')), { timeout: 30_000 })
      .toContain('Đã khép vòng chuyển tuyến');
    await expect.poll(() => textOf(i.locator('#referrals ~ ul .notice.success code')), wait).toMatch(/-record$/);

    // The preschool never accepts: the escalation reaches the protection officer's board live.
    const o = officer.page;
    const entry = o.locator(`[data-entry="referral-${preschoolReferral}"]`);
    await expect.poll(() => textOf(entry), { timeout: 60_000 }).toContain('Cấp 1');
    await expect.poll(() => textOf(entry), wait).toContain('Trường Mầm non Y Tý');
    await capture(o, 'escalation-board');
    await entry.locator('input[name=note]').fill('Đã gọi điện cho nhà trường');
    await entry.getByRole('button', { name: 'Ghi nhận và xử lý' }).click();
    await o.waitForURL(/done=acknowledge/);
    await expect
      .poll(() => o.locator(`[data-entry="referral-${preschoolReferral}"]`).getAttribute('data-acknowledged'), wait)
      .toBe('true');
    await o.goto(`${portal}/protection-cases`);
    await capture(o, 'protection-cases');
    await officer.context.close();

    // The intake case page shows the escalation on the preschool referral.
    await i.goto(caseUrl);
    await expect.poll(() => textOf(i.locator('[data-referral] .badge.level')), { timeout: 30_000 }).toContain('cấp 1');

    // The province supervisor's dashboard counts them.
    const supervisor = await signedInAs('giamsat.laocai', 'laocai-supervisor-01');
    const s = supervisor.page;
    expect(new URL(s.url()).pathname).toBe('/dashboard');
    await expect.poll(() => s.locator('figure').count(), wait).toBe(4);
    await expect.poll(() => textOf(s.locator('[data-figure="completed-on-time"]')), wait).not.toMatch(/^(—)?$/);
    await capture(s, 'dashboard');

    // English switch: the same page in English, and back.
    await s.getByRole('link', { name: 'English' }).click();
    await expect.poll(() => textOf(s.locator('h1')), wait).toBe('Referral dashboard');
    await expect.poll(() => s.locator('html').getAttribute('lang'), wait).toBe('en');
    await capture(s, 'dashboard-english');
    await s.getByRole('link', { name: 'Tiếng Việt' }).click();
    await expect.poll(() => textOf(s.locator('h1')), wait).toBe('Thống kê chuyển tuyến');

    await Promise.all([intake.context.close(), nurse.context.close(), supervisor.context.close()]);
  }, 300_000);

  it('says what went wrong: wrong password, expired session, 403, a service down', async () => {
    // Wrong password: the identity provider's form says so, in Vietnamese and English.
    const context = await browser.newContext({ viewport: desktop });
    context.setDefaultTimeout(60_000);
    const page = await context.newPage();
    await page.goto(`${portal}/sign-in`);
    await page.fill('#username', 'canbo.yty');
    await page.fill('#password', 'not-the-password');
    await page.click('button[type=submit]');
    await expect.poll(() => textOf(page.locator('[role=alert]')), wait).toContain('Sai tên đăng nhập hoặc mật khẩu');
    await capture(page, 'error-wrong-password');
    await context.close();

    // Expired session: a session cookie whose session is over (signed out) shows the expiry page.
    const intake = await signedInAs('canbo.yty', 'yty-intake-01');
    const cookies = await intake.context.cookies(portal);
    expect(cookies.find((c) => c.name === 'ecd_session')).toMatchObject({ httpOnly: true, sameSite: 'Lax' });
    await intake.page.getByRole('button', { name: 'Đăng xuất' }).click();
    await intake.page.waitForURL(`${issuer}/**`);
    await intake.page.click('button[name=logout][value=yes]');
    await intake.page.waitForURL(`${portal}/`);
    await intake.context.addCookies(cookies.filter((c) => c.name === 'ecd_session'));
    const expired = await intake.page.goto(`${portal}/children`);
    expect(expired?.status()).toBe(401);
    await expect.poll(() => textOf(intake.page.locator('h1')), wait).toBe('Phiên làm việc đã hết hạn');
    await expect.poll(() => intake.page.getByRole('link', { name: 'Đăng nhập lại' }).isVisible(), wait).toBe(true);
    await capture(intake.page, 'error-session-expired');
    await intake.context.close();

    // 403: a health station's staff member opening the child register.
    const nurse = await signedInAs('yte.yty', 'yty-health-01');
    const forbidden = await nurse.page.goto(`${portal}/children`);
    expect(forbidden?.status()).toBe(403);
    await expect.poll(() => textOf(nurse.page.locator('h1')), wait).toBe('Bạn không có quyền xem trang này');
    await capture(nurse.page, 'error-forbidden');
    await nurse.context.close();

    // A server error: the intake service stops; intake staff get a page that says so, with a reference.
    const staff = await signedInAs('canbo.yty', 'yty-intake-01');
    await processes.stop('intake');
    const down = await staff.page.goto(`${portal}/cases`);
    expect(down?.status()).toBe(503);
    await expect.poll(() => textOf(staff.page.locator('h1')), wait).toBe('Hệ thống tạm thời gián đoạn');
    await expect.poll(() => textOf(staff.page.locator('code')), wait).toMatch(/[0-9a-f-]{36}/);
    await capture(staff.page, 'error-service-down');
    await staff.context.close();
  }, 120_000);

  it('finds no serious or critical accessibility violation and no sideways scrolling at 360 px', () => {
    expect(violations).toEqual([]);
    expect(sideways).toEqual([]);
  });
});
