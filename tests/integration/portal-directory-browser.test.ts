import { resolve } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { ServiceProcesses, type ServiceSpec } from '../../infra/local/stack/service-processes';
import { waitForFacilityDirectory } from '../../infra/local/stack/demo-data';
import { signIn } from '../support/sign-in';
import { captureView, desktop, launchChromium, textOf } from '../support/browser';
import { databaseUrl, infra, uniqueName } from '../support/infra';

/**
 * The service directory administered in the portal, in a real browser against the real stack:
 * the commune chairman registers a health point, intake's referral form offers it to a child of
 * the commune; the chairman closes it to referrals and the form no longer offers it. Screenshots
 * at 1280 and 360 px with axe on each, as the portal's other browser tests.
 */
describe('service directory administration in the portal', () => {
  const run = uniqueName('directory');
  // Ports of their own (not the other browser tests'), shifted by ECD_E2E_PORT_OFFSET like them.
  const port = (base: number) => base + Number(process.env.ECD_E2E_PORT_OFFSET ?? 10_000);
  const url = (base: number) => `http://127.0.0.1:${port(base)}`;
  const portal = url(4060);
  const issuer = url(4860);
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
        port: port(4860),
        env: () => ({
          ISSUER: issuer,
          MONGO_URL: databaseUrl(mongoUrl, `${run}_identity`),
          PORTAL_REDIRECT_URIS: `${portal}/auth/callback`,
          PORTAL_POST_LOGOUT_REDIRECT_URIS: `${portal}/`,
          LOG_LEVEL: 'warn',
        }),
      },
      { name: 'referrals', port: port(4861), env: () => common('referrals') },
      { name: 'intake', port: port(4862), env: () => common('intake') },
      { name: 'health', port: port(4863), env: () => common('health') },
      { name: 'education', port: port(4864), env: () => common('education') },
      { name: 'welfare', port: port(4866), env: () => common('welfare') },
      {
        name: 'portal',
        port: port(4060),
        env: () => ({
          PUBLIC_URL: portal,
          OIDC_ISSUER: issuer,
          MONGO_URL: databaseUrl(mongoUrl, `${run}_portal`),
          INTAKE_URL: url(4862),
          HEALTH_URL: url(4863),
          EDUCATION_URL: url(4864),
          WELFARE_URL: url(4866),
          // Not started: no page of this walk asks the protection service.
          PROTECTION_URL: url(4865),
          KAFKA_BROKERS: kafkaBrokers,
          KAFKA_GROUP_ID: `${run}_portal`,
          LOG_LEVEL: 'warn',
        }),
      },
    ];
    processes = new ServiceProcesses({}, resolve(import.meta.dirname, '../../test-results/portal-directory-logs'));
    for (const spec of specs) processes.start(spec);
    // Shared machines start six processes slowly at times: wait long rather than fail.
    for (const spec of specs) await processes.waitReady(spec, 300_000);
    await waitForFacilityDirectory(url(4862), await signIn(issuer, 'canbo.yty', 'yty-intake-01'), [
      'TYT-02704',
      'MN-02704',
    ]);
    browser = await launchChromium();
  }, 600_000);

  afterAll(async () => {
    await browser?.close();
    await processes?.stopAll();
  });

  async function signedInAs(username: string, password: string): Promise<{ context: BrowserContext; page: Page }> {
    const context = await browser.newContext({ viewport: desktop, locale: 'vi-VN', timezoneId: 'Asia/Ho_Chi_Minh' });
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

  const wait = { timeout: 30_000, interval: 200 };

  it('a facility registered in the portal is offered by the referral form; deactivated, it disappears from it', async () => {
    // A case of a child of Y Tý (through intake's API: the referral form is what this test is about).
    const intakeToken = await signIn(issuer, 'canbo.yty', 'yty-intake-01');
    const opened = await fetch(`${url(4862)}/cases`, {
      method: 'POST',
      headers: { authorization: `Bearer ${intakeToken}`, 'content-type': 'application/json' },
      body: JSON.stringify({
        child: { fullName: 'Sùng Thị Dở', dateOfBirth: '2024-05-02', sex: 'female', communeCode: '02704' },
        concerns: ['health'],
      }),
    });
    expect(opened.status, await opened.clone().text()).toBe(201);
    const { _id: caseId } = (await opened.json()) as { _id: string };

    // The commune chairman opens the service directory of Y Tý.
    const chairman = await signedInAs('chutich.yty', 'yty-chairman-01');
    const c = chairman.page;
    await c.getByRole('link', { name: 'Danh bạ dịch vụ' }).click();
    await expect.poll(() => textOf(c.locator('h1')), wait).toBe('Danh bạ dịch vụ');
    await expect.poll(() => textOf(c.locator('[data-facility="TYT-02704"]')), wait).toContain('Trạm Y tế xã Y Tý');
    // Only the commune's own facilities: A Mú Sung's station is not the chairman's to administer.
    expect(await c.locator('[data-facility="TYT-02707"]').count()).toBe(0);
    await capture(c, 'directory');

    // Registers a health point for the village, serving the commune.
    const code = `TYT-L${run.replace(/[^A-Za-z0-9]/g, '').slice(-6)}`;
    await c.locator('details:has(#new-facility-form) > summary').click();
    await c.selectOption('#new-owner', 'health');
    await c.fill('#new-code', code);
    await c.fill('#new-name', 'Điểm y tế thôn Lao Chải');
    await c.check('#new-facility-form input[name=sectors][value=health]');
    await c.check('#new-facility-form input[name=sectors][value=nutrition]');
    await c.fill('#new-catchment', '02704');
    await c.fill('#new-hours', 'Thứ 3 và thứ 6, 7:30–11:00');
    await c.fill('#new-phone', '0214 3880 123');
    await capture(c, 'directory-new-facility');
    await c.click('#new-facility-form button[type=submit]');
    await c.waitForURL(/done=created/);
    await expect.poll(() => textOf(c.locator(`[data-facility="${code}"]`)), wait).toContain('Đang nhận chuyển tuyến');

    // Intake's referral form offers it to the child of Y Tý once the directory has it.
    const intake = await signedInAs('canbo.yty', 'yty-intake-01');
    const i = intake.page;
    const offered = async () => {
      await i.goto(`${portal}/cases/${caseId}`);
      return i.locator(`#ref-facility option[value="${code}"]`).count();
    };
    await expect.poll(offered, { timeout: 30_000, interval: 500 }).toBeGreaterThan(0);
    // A Mú Sung's station serves A Mú Sung only: never offered to a child of Y Tý.
    expect(await i.locator('#ref-facility option[value="TYT-02707"]').count()).toBe(0);
    await i.locator('details:has(#ref-sector) > summary').click();
    await i.selectOption('#ref-sector', 'health');
    await i.selectOption('#ref-facility', code);
    await capture(i, 'referral-form-directory');

    // The chairman closes it to referrals.
    await c
      .locator(`[data-facility="${code}"]`)
      .getByRole('button', { name: /Ngừng nhận chuyển tuyến/ })
      .click();
    await c.waitForURL(/done=closed/);
    await expect.poll(() => textOf(c.locator(`[data-facility="${code}"]`)), wait).toContain('Ngừng nhận');
    await expect.poll(() => textOf(c.locator('.notice.success')), wait).toContain('không còn đưa ra');
    await capture(c, 'directory-deactivated');

    // Gone from the referral form; the commune's station is still there.
    await expect.poll(offered, { timeout: 30_000, interval: 500 }).toBe(0);
    expect(await i.locator('#ref-facility option[value="TYT-02704"]').count()).toBeGreaterThan(0);

    // Details edited from the revision shown; in English too.
    await c
      .locator(`[data-facility="${code}"]`)
      .getByRole('link', { name: /Sửa thông tin/ })
      .click();
    await c.waitForURL(new RegExp(`/directory/health/${code}$`));
    await c.fill('#edit-capacity', 'Một y sĩ; tiêm chủng mở rộng hằng tháng');
    await capture(c, 'directory-edit');
    await c.click('#edit-facility-form button[type=submit]');
    await c.waitForURL(/done=updated/);
    await expect
      .poll(() => textOf(c.locator(`[data-facility="${code}"]`)), wait)
      .toContain('Một y sĩ; tiêm chủng mở rộng hằng tháng');
    await c.getByRole('link', { name: 'English' }).click();
    await expect.poll(() => textOf(c.locator('h1')), wait).toBe('Service directory');
    await capture(c, 'directory-english');

    // Other roles have no business here.
    const refused = await i.goto(`${portal}/directory`);
    expect(refused?.status()).toBe(403);

    await Promise.all([chairman.context.close(), intake.context.close()]);
  }, 300_000);

  it('finds no serious or critical accessibility violation and no sideways scrolling at 360 px', () => {
    expect(violations).toEqual([]);
    expect(sideways).toEqual([]);
  });
});
