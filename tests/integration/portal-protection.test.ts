import { execFileSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdirSync } from 'node:fs';
import { resolve } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import mongoose from 'mongoose';
import { WorkingDayCalendar, computeDeadline, defaultSlaPolicies, vietnamHolidayCalendars } from '@ecd/referral-policy';
import { ServiceProcesses, type ServiceSpec } from '../../infra/local/stack/service-processes';
import { publishShortPolicyVersion } from '../../infra/local/stack/short-policy';
import { formatInstant } from '../../services/portal/src/views/format';
import { captureView, desktop, launchChromium, textOf } from '../support/browser';
import { databaseUrl, infra, uniqueName } from '../support/infra';

/**
 * The protection officer's whole job in a real browser (Debian's Chromium through playwright-core)
 * against the real stack, each service its own process, no API call in the walk: a hotline report
 * through every Decree 56 step to closure with the commune chairman's approval, the clocks on the
 * case page, who sees what; the escalation board resolving referrals by redirect and extension;
 * the special-circumstances register; forms 01–06 printed as PDFs (text extracted with pdftotext,
 * page 1 rendered with pdftoppm); axe and sideways scrolling on every new view at 1280 and 360 px.
 */
describe('protection officer in the portal', () => {
  const run = uniqueName('protect');
  // Ports of their own (not the other browser tests'), shifted by ECD_E2E_PORT_OFFSET like them.
  const port = (base: number) => base + Number(process.env.ECD_E2E_PORT_OFFSET ?? 10_000);
  const url = (base: number) => `http://127.0.0.1:${port(base)}`;
  const portal = url(4020);
  const issuer = url(4820);
  const taskQueue = `${run}_referrals`;
  const artefacts = resolve(import.meta.dirname, '../../test-results/protection-forms');
  const screenshots = resolve(import.meta.dirname, '../../test-results/screenshots');
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
    for (const tool of ['pdftotext', 'pdftoppm']) {
      try {
        execFileSync(tool, ['-v'], { stdio: 'ignore' });
      } catch {
        throw new Error(`${tool} not found: run infra/local/bin/install (apt-get install poppler-utils)`);
      }
    }
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
        port: port(4820),
        env: () => ({
          ISSUER: issuer,
          MONGO_URL: databaseUrl(mongoUrl, `${run}_identity`),
          PORTAL_REDIRECT_URIS: `${portal}/auth/callback`,
          PORTAL_POST_LOGOUT_REDIRECT_URIS: `${portal}/`,
          LOG_LEVEL: 'warn',
        }),
      },
      { name: 'referrals', port: port(4830), env: () => common('referrals') },
      { name: 'intake', port: port(4831), env: () => common('intake') },
      { name: 'health', port: port(4832), env: () => common('health') },
      { name: 'education', port: port(4833), env: () => common('education') },
      {
        name: 'protection',
        port: port(4834),
        env: () => ({
          ...common('protection'),
          TEMPORAL_TASK_QUEUE: `${run}_protection`,
          TEMPORAL_REFERRALS_TASK_QUEUE: taskQueue,
          PROTECTION_ENCRYPTION_KEYS: `k1:${randomBytes(32).toString('base64')}`,
          PROTECTION_ENCRYPTION_KEY_ID: 'k1',
        }),
      },
      {
        name: 'portal',
        port: port(4020),
        env: () => ({
          PUBLIC_URL: portal,
          OIDC_ISSUER: issuer,
          MONGO_URL: databaseUrl(mongoUrl, `${run}_portal`),
          INTAKE_URL: url(4831),
          HEALTH_URL: url(4832),
          EDUCATION_URL: url(4833),
          PROTECTION_URL: url(4834),
          KAFKA_BROKERS: kafkaBrokers,
          KAFKA_GROUP_ID: `${run}_portal`,
          LOG_LEVEL: 'warn',
        }),
      },
    ];
    processes = new ServiceProcesses({}, resolve(import.meta.dirname, '../../test-results/portal-protection-logs'));
    for (const spec of specs) processes.start(spec);
    for (const spec of specs) await processes.waitReady(spec, 120_000);
    // A province's policy version for preschool referrals: accepted within 8 seconds (so the
    // case's referrals escalate during the walk), and extendable by the commune's protection officer.
    await publishShortPolicyVersion(databaseUrl(mongoUrl, `${run}_referrals`), 'education.routine', {
      acceptSeconds: 8,
      allowedExtensionRoles: ['school-principal', 'education-officer', 'protection-officer'],
    });
    mkdirSync(artefacts, { recursive: true });
    mkdirSync(screenshots, { recursive: true });
    browser = await launchChromium();
  }, 240_000);

  afterAll(async () => {
    await browser?.close();
    await processes?.stopAll();
  });

  async function signedInAs(username: string, password: string): Promise<{ context: BrowserContext; page: Page }> {
    const context = await browser.newContext({
      viewport: desktop,
      locale: 'vi-VN',
      timezoneId: 'Asia/Ho_Chi_Minh',
      acceptDownloads: true,
    });
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
  const letters = run.slice(-4).replace(/[^a-z]/gi, 'A');
  const childName = `Giàng Thị Mỷ ${letters}`;
  const findings = 'Vết bầm tím ở tay và lưng; trẻ sợ về nhà';
  const minutes = 'Thống nhất tạm thời cho trẻ ở nhà bà ngoại, y tế khám vết thương';
  const objectives = 'Bảo đảm an toàn cho trẻ và phục hồi sức khỏe';
  const reviewText = 'Trẻ đã ổn định, đi học đều, không còn dấu hiệu bạo lực';
  const closureText = 'Gia đình đã cam kết; trẻ được chăm sóc an toàn';
  /** Received 10½ hours ago, Vietnam time, to the minute: the 12-hour clocks have 1½ hours left. */
  const receivedAt = new Date(Math.floor((Date.now() - 10.5 * 3_600_000) / 60_000) * 60_000);
  const localInput = (d: Date) => new Date(d.getTime() + 7 * 3_600_000).toISOString().slice(0, 16);
  let caseUrl = '';
  let caseId = '';
  let officer: { context: BrowserContext; page: Page };

  it('takes a hotline report through every Decree 56 step to closure, with the chairman; the clocks are right; others see nothing', async () => {
    officer = await signedInAs('baove.yty', 'yty-protection-01');
    const o = officer.page;
    // A colleague of the commune keeps the board open: the notifications come to it live.
    const colleague = await signedInAs('phobaove.yty', 'yty-protection-02');
    const watcher = await colleague.context.newPage();
    await watcher.goto(`${portal}/board`);
    await watcher.waitForSelector('#notifications[data-connected="true"]', { state: 'attached' });
    await o.getByRole('link', { name: 'Hồ sơ bảo vệ' }).click();
    await o.waitForURL(`${portal}/protection-cases`);
    await capture(o, 'protection-cases-empty');
    await o.getByRole('link', { name: 'Tiếp nhận tin báo (Mẫu 01)' }).click();
    await o.waitForURL(`${portal}/protection-cases/new`);

    // Form 01: a call forwarded from hotline 111, received 3 hours ago; the child at serious risk.
    await o.selectOption('#source', 'hotline-111');
    await o.fill('#receivedAt', localInput(receivedAt));
    await o.check('input[name=seriousRisk]');
    await o.fill('#reporterName', 'Tổng đài 111');
    await o.fill('#reporterContact', '111');
    await o.fill('#reporterRelationship', 'Hàng xóm gọi tổng đài');
    await o.fill('#childName', childName);
    await o.fill('#childDateOfBirth', '2021-03-04');
    await o.check('input[name=childSex][value=female]');
    await o.fill('#childAddress', 'Thôn Lao Chải, xã Y Tý');
    await o.fill('#description', 'Trẻ bị bố dượng đánh, có vết bầm tím ở tay và lưng');
    await o.fill('#place', 'Tại nhà');
    await capture(o, 'protection-report-form');
    await o.click('#report-form button[type=submit]');
    await o.waitForURL(/\/protection-cases\/[0-9a-f-]{36}\?done=reported$/);
    // New report and steps due within 2 hours, live on the colleague's page, without details.
    const notices = watcher.locator('#notifications');
    await expect.poll(() => textOf(notices), wait).toContain('Có tin báo mới tại xã (Mẫu 01)');
    await expect.poll(() => textOf(notices), wait).toContain('Đến hạn trong 2 giờ: Biện pháp khẩn cấp');
    expect(await textOf(notices)).not.toContain(childName);
    caseUrl = o.url().split('?')[0]!;
    caseId = caseUrl.split('/').pop()!;
    await expect.poll(() => textOf(o.locator('[data-child-name]')), wait).toBe(childName);
    await expect.poll(() => textOf(o.locator('[data-stage]')), wait).toBe('Đã tiếp nhận tin báo (Mẫu 01)');

    // The clocks count from the receipt: 12 hours for the emergency measure and (an emergency
    // case) the initial assessment, 5 working days for the plan, each with its time left.
    const emergencyDue = new Date(receivedAt.getTime() + 12 * 3_600_000);
    const policy = defaultSlaPolicies.find((p) => p.id === 'protection.emergency')!;
    const planDue = computeDeadline(policy.completeWithin, receivedAt, new WorkingDayCalendar(vietnamHolidayCalendars));
    const clock = (step: string) => o.locator(`[data-clock="${step}"]`);
    await expect
      .poll(() => textOf(clock('EMERGENCY_MEASURE').locator('[data-due]')), wait)
      .toBe(formatInstant(emergencyDue.toISOString()));
    await expect.poll(() => textOf(clock('EMERGENCY_MEASURE')), wait).toMatch(/còn 1 giờ \d+ phút/);
    await expect
      .poll(() => textOf(clock('INITIAL_ASSESSMENT').locator('[data-due]')), wait)
      .toBe(formatInstant(emergencyDue.toISOString()));
    await expect
      .poll(() => textOf(clock('PLAN').locator('[data-due]')), wait)
      .toBe(formatInstant(planDue.toISOString()));
    await expect.poll(() => textOf(clock('PLAN')), wait).toMatch(/còn \d+ ngày/);
    await capture(o, 'protection-case-reported');

    // Another officer of the commune, not on the case: stage and deadlines only.
    await colleague.page.goto(caseUrl);
    await expect.poll(() => textOf(colleague.page.locator('[data-stage]')), wait).toBe('Đã tiếp nhận tin báo (Mẫu 01)');
    await expect.poll(() => colleague.page.locator('[data-clock]').count(), wait).toBe(3);
    expect(await colleague.page.content()).not.toContain(childName);
    await capture(colleague.page, 'protection-case-outline');

    // The emergency measure, then the initial assessment (form 02).
    await o.selectOption('#measure', 'temporary-separation');
    await o.fill('#measureDescription', 'Đưa trẻ đến ở tạm nhà bà ngoại');
    await o.click('#step-emergency-measures button[type=submit]');
    await o.waitForURL(/done=emergency-measures/);
    await expect.poll(() => clock('EMERGENCY_MEASURE').getAttribute('data-state'), wait).toBe('DONE');
    await o.check('#step-risk-assessment input[name=seriousRisk][value=yes]');
    await o.selectOption('#riskLevel', 'high');
    await o.fill('#findings', findings);
    await o.click('#step-risk-assessment button[type=submit]');
    await o.waitForURL(/done=risk-assessment/);
    await expect.poll(() => textOf(o.locator('[data-stage]')), wait).toBe('Đã đánh giá nguy cơ ban đầu (Mẫu 02)');
    await expect.poll(() => clock('INITIAL_ASSESSMENT').getAttribute('data-state'), wait).toBe('DONE');

    // The case meeting (form 03); a colleague joins the team.
    await o.fill('#participants', 'Sùng Thị Mai, cán bộ bảo vệ trẻ em\nLý Seo Chứ, trạm y tế\nTrưởng thôn Lao Chải');
    await o.fill('#detailedAssessment', 'Bạo lực lặp lại nhiều lần; mẹ không bảo vệ được trẻ');
    await o.fill('#minutes', minutes);
    await o.click('#step-case-meeting button[type=submit]');
    await o.waitForURL(/done=case-meeting/);
    await o.fill('#team-user', 'staff-0018');
    await o.click('#team-form button[type=submit]');
    await o.waitForURL(/done=team/);
    await expect.poll(() => textOf(o.locator('[data-team]')), wait).toContain('staff-0018');
    await colleague.page.reload();
    await expect.poll(() => textOf(colleague.page.locator('[data-child-name]')), wait).toBe(childName);

    // The plan (form 04), reviewed in 10 days; only the chairman may approve it.
    await o.fill('#objectives', objectives);
    await o.fill('#actionBody1', 'Trạm Y tế xã Y Tý');
    await o.selectOption('#actionSector1', 'health');
    await o.fill('#actionText1', 'Khám, điều trị vết thương');
    await o.fill('#actionBody2', 'Trường Mầm non Y Tý');
    await o.selectOption('#actionSector2', 'education');
    await o.fill('#actionText2', 'Hỗ trợ trẻ đi học đều, theo dõi');
    const reviewDate = new Date(Date.now() + 7 * 3_600_000 + 10 * 86_400_000).toISOString().slice(0, 10);
    await o.fill('#reviewBy', reviewDate);
    await o.click('#step-plan button[type=submit]');
    await o.waitForURL(/done=plan/);
    await expect.poll(() => textOf(o.locator('[data-stage]')), wait).toBe('Đã lập kế hoạch, chờ phê duyệt (Mẫu 04)');
    await expect.poll(() => clock('PLAN').getAttribute('data-state'), wait).toBe('DONE');
    await expect.poll(() => clock('APPROVAL').getAttribute('data-state'), wait).toBe('RUNNING');
    expect(await o.locator('#step-approval').count()).toBe(0);
    await capture(o, 'protection-case-plan-drafted');

    // The commune chairman approves (form 05).
    const chairman = await signedInAs('chutich.yty', 'yty-chairman-01');
    const c = chairman.page;
    await c.getByRole('link', { name: 'Hồ sơ bảo vệ' }).click();
    await c.locator(`[data-case="${caseId}"] a`).click();
    await c.waitForURL(caseUrl);
    await expect.poll(() => textOf(c.locator('[data-child-name]')), wait).toBe(childName);
    await c.fill('#decisionNumber', '15/QĐ-UBND');
    await capture(c, 'protection-case-approval');
    await c.click('#step-approval button[type=submit]');
    await c.waitForURL(/done=approval/);
    await expect.poll(() => textOf(c.locator('[data-stage]')), wait).toBe('Kế hoạch đã được phê duyệt (Mẫu 05)');
    await chairman.context.close();

    // Carrying out the plan: referrals to the health station and (twice) the preschool.
    await o.goto(caseUrl);
    await o.click('#step-implementation button[type=submit]');
    await o.waitForURL(/done=implementation/);
    await expect.poll(() => textOf(o.locator('[data-stage]')), wait).toBe('Đang thực hiện kế hoạch');
    await expect.poll(() => clock('REVIEW').getAttribute('data-state'), wait).toBe('RUNNING');
    // The review falls due at the end of the office day the plan set.
    const [ry, rm, rd] = reviewDate.split('-');
    await expect.poll(() => textOf(clock('REVIEW').locator('[data-due]')), wait).toBe(`${rd}/${rm}/${ry} 17:00`);
    const refer = async (facility: string, reason: string) => {
      await o.selectOption('#ref-facility', facility);
      await o.selectOption('#ref-urgency', 'routine');
      await o.fill('#ref-reason', reason);
      await o.click('#case-referral button[type=submit]');
      await o.waitForURL(/done=referred/);
    };
    await refer('health:TYT-02704', 'Khám và điều trị vết thương phần mềm');
    await refer('education:MN-02704', 'Nhận trẻ vào lớp, theo dõi chuyên cần');
    await refer('education:MN-02704', 'Hỗ trợ tâm lý tại trường');
    await capture(o, 'protection-case-implementation');
    // The preschool referrals escalate (8-second policy) to the commune: the colleague is told.
    await expect
      .poll(() => textOf(notices), { timeout: 60_000, interval: 500 })
      .toContain('Một chuyển tuyến quá hạn đã được báo cáo đến đơn vị của bạn');
    await capture(watcher, 'protection-notifications');
    await colleague.context.close();

    // Review, then closure (form 06).
    await o.fill('#reviewSummary', reviewText);
    await o.selectOption('#reviewRiskLevel', 'medium');
    await o.click('#step-review button[type=submit]');
    await o.waitForURL(/done=review/);
    await o.selectOption('#riskAtClosure', 'low');
    await o.fill('#closureSummary', closureText);
    await o.click('#step-closure button[type=submit]');
    await o.waitForURL(/done=closure/);
    await expect.poll(() => textOf(o.locator('[data-stage]')), wait).toBe('Đã đóng hồ sơ (Mẫu 06)');
    await expect.poll(() => textOf(o.locator('ol.timeline')), wait).toContain('Đóng hồ sơ');
    // Every code in words: no stage, step or action code shows raw.
    expect(await textOf(o.locator('main'))).not.toMatch(/\b[A-Z]{2,}_[A-Z_]+\b/);
    await capture(o, 'protection-case-closed');
    await o.getByRole('link', { name: 'English' }).click();
    await expect.poll(() => textOf(o.locator('[data-stage]')), wait).toBe('Closed (form 06)');
    await capture(o, 'protection-case-english');
    await o.getByRole('link', { name: 'Tiếng Việt' }).click();
    await expect.poll(() => textOf(o.locator('[data-stage]')), wait).toBe('Đã đóng hồ sơ (Mẫu 06)');

    // Forms 01–06 as PDFs, downloaded from the case page like an officer would.
    const expected: Record<string, string[]> = {
      '01': [childName, 'Tổng đài điện thoại quốc gia bảo vệ trẻ em 111', 'bố dượng đánh'],
      '02': [childName, findings, 'Cao'],
      '03': [childName, minutes],
      '04': [childName, objectives, 'Trạm Y tế xã Y Tý'],
      '05': [childName, '15/QĐ-UBND'],
      '06': [childName, closureText, reviewText],
    };
    for (const form of Object.keys(expected)) {
      const [download] = await Promise.all([
        o.waitForEvent('download'),
        o.locator(`a[href="/protection-cases/${caseId}/forms/${form}.pdf"]`).click(),
      ]);
      const file = resolve(artefacts, `mau-${form}.pdf`);
      await download.saveAs(file);
      const text = execFileSync('pdftotext', ['-enc', 'UTF-8', file, '-'], { encoding: 'utf8' }).replace(/\s+/g, ' ');
      expect(text).toContain(`Mẫu số ${form}`);
      expect(text).toContain('CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM');
      for (const phrase of expected[form]!) expect(text).toContain(phrase);
      execFileSync('pdftoppm', [
        '-png',
        '-r',
        '80',
        '-f',
        '1',
        '-l',
        '1',
        '-singlefile',
        file,
        resolve(screenshots, `protection-form-${form}`),
      ]);
    }

    // An officer of another commune sees nothing of it; a health station gets a clear refusal.
    const other = await signedInAs('baove.batxat', 'batxat-protection-01');
    await other.page.goto(`${portal}/protection-cases`);
    expect(await other.page.locator(`[data-case="${caseId}"]`).count()).toBe(0);
    const notFound = await other.page.goto(caseUrl);
    expect(notFound?.status()).toBe(404);
    expect(await other.page.content()).not.toContain(childName);
    const pdf = await other.page.goto(`${caseUrl}/forms/01.pdf`);
    expect(pdf?.status()).toBe(404);
    await other.page.goto(`${portal}/board`);
    expect(await other.page.locator(`[data-case="${caseId}"]`).count()).toBe(0);
    await other.context.close();
    const nurse = await signedInAs('yte.yty', 'yty-health-01');
    const refused = await nurse.page.goto(caseUrl);
    expect(refused?.status()).toBe(403);
    await expect.poll(() => textOf(nurse.page.locator('h1')), wait).toBe('Bạn không có quyền xem trang này');
    await nurse.context.close();

    // Every printout is in the protection service's audit trail, the refused one too.
    const db = await mongoose.createConnection(databaseUrl(infra().mongoUrl, `${run}_protection`)).asPromise();
    try {
      const printed = await db.collection('printout_log').find({ protectionCaseId: caseId }).toArray();
      expect(
        printed
          .filter((p) => p.status === 200)
          .map((p) => p.form)
          .sort(),
      ).toEqual(['01', '02', '03', '04', '05', '06']);
      expect(printed.filter((p) => p.status === 200).every((p) => p.actor?.userId === 'staff-0009')).toBe(true);
      expect(printed.some((p) => p.status === 404 && p.actor?.userId === 'staff-0010')).toBe(true);
    } finally {
      await db.close();
    }
  }, 420_000);

  it("resolves the board's entries: one redirected (the new preschool sees it), one extended", async () => {
    const o = officer.page;
    await o.goto(`${portal}/board?kind=referral`);
    const entries = o.locator(`[data-case="${caseId}"]`);
    await expect.poll(() => entries.count(), { timeout: 60_000, interval: 1_000 }).toBe(2);
    await expect.poll(() => textOf(entries.first()), wait).toContain('Cơ sở chưa tiếp nhận quá hạn');
    await expect.poll(() => textOf(o.locator('#filter-kind option[value=referral]')), wait).toMatch(/\(\d+\)/);
    await capture(o, 'protection-board');
    const [first, second] = [
      await entries.nth(0).getAttribute('data-entry'),
      await entries.nth(1).getAttribute('data-entry'),
    ];

    // Take ownership of the first: "mine" shows it.
    await o.locator(`[data-entry="${first}"]`).getByRole('button', { name: 'Nhận phụ trách' }).click();
    await o.waitForURL(/done=ownership/);
    await o.goto(`${portal}/board?mine=1`);
    await expect.poll(() => o.locator(`[data-entry="${first}"]`).count(), wait).toBe(1);
    expect(await o.locator(`[data-entry="${second}"]`).count()).toBe(0);

    // Redirect it to Bát Xát's preschool.
    const a = o.locator(`[data-entry="${first}"]`);
    await a.locator('details.resolve > summary').click();
    await a.locator('[data-resolve=redirect] select').selectOption('MN-02701');
    await a.locator('[data-resolve=redirect] input[name=reason]').fill('Gia đình chuyển đến sống tại xã Bát Xát');
    await capture(o, 'protection-board-resolve');
    await a.locator('[data-resolve=redirect] button[type=submit]').click();
    await o.waitForURL(/done=redirect/);
    await expect.poll(() => textOf(o.locator('.notice.success')), wait).toContain('Đã chuyển');

    // Extend the second, with a reason.
    await o.goto(`${portal}/board?kind=referral`);
    const b = o.locator(`[data-entry="${second}"]`);
    await b.locator('details.resolve > summary').click();
    await b.locator('[data-resolve=extend] input[name=reason]').fill('Nhà trường đang sắp xếp lớp, hẹn tuần sau');
    await b.locator('[data-resolve=extend] button[type=submit]').click();
    await o.waitForURL(/done=extend/);
    await expect.poll(() => textOf(o.locator('.notice.success')), wait).toContain('Đã gia hạn');

    // Bát Xát's preschool sees the redirected referral in its inbox.
    const teacher = await signedInAs('giaovien.batxat', 'batxat-teacher-01');
    // A redirect continues as a new referral to the new facility: `<referral id>-r1`.
    const referralId = `${first!.replace(/^referral-/, '')}-r1`;
    await expect
      .poll(
        async () => {
          await teacher.page.goto(`${portal}/inbox`);
          return teacher.page.locator(`[data-referral="${referralId}"]`).count();
        },
        { timeout: 30_000, interval: 1_000 },
      )
      .toBeGreaterThan(0);
    await teacher.context.close();

    // English: every code in words.
    await o.goto(`${portal}/board?kind=referral`);
    await o.getByRole('link', { name: 'English' }).click();
    await expect.poll(() => textOf(o.locator('h1')), wait).toBe('Escalation board');
    const text = await textOf(o.locator('main'));
    expect(text).not.toMatch(/NOT_ACCEPTED|REQUESTED|INITIAL_ASSESSMENT|protection-step/);
    await capture(o, 'protection-board-english');
    await o.getByRole('link', { name: 'Tiếng Việt' }).click();
  }, 180_000);

  it('keeps the special-circumstances register: add a child, record care, the cared-for share per commune', async () => {
    const o = officer.page;
    await o.getByRole('link', { name: 'Trẻ HCĐB' }).click();
    await o.waitForURL(`${portal}/special-circumstances`);
    await o.getByRole('link', { name: 'Thêm trẻ vào sổ' }).click();
    const add = async (name: string, group: string, sub: string | undefined, status: string) => {
      await o.goto(`${portal}/special-circumstances/new`);
      await o.fill('#fullName', name);
      await o.fill('#dateOfBirth', '2020-06-01');
      await o.check('#register-form input[name=sex][value=male]');
      await o.check(`#register-form input[name=groups][value="${group}"]`);
      if (sub) await o.selectOption(`#sub-${group}`, sub);
      await o.check(`#register-form input[name=status][value=${status}]`);
      await o.click('#register-form button[type=submit]');
      await o.waitForURL(/done=added/);
    };
    await o.goto(`${portal}/special-circumstances/new`);
    await capture(o, 'protection-register-add');
    await add(`Lò Văn Páo ${letters}`, '04', '04.b', 'receiving-care');

    // A child already in the commune's register (intake) is chosen from it, not typed again.
    const intake = await signedInAs('canbo.yty', 'yty-intake-01');
    const registered = `Hầu Thị Dua ${letters}`;
    await intake.page.goto(`${portal}/children/new`);
    await intake.page.fill('#fullName', registered);
    await intake.page.fill('#dateOfBirth', '2022-02-02');
    await intake.page.check('input[name=sex][value=female]');
    await intake.page.selectOption('#ethnicityCode', '08');
    await intake.page.click('main button[type=submit]');
    await intake.page.waitForURL(/\/children\/[0-9a-f-]{36}\?registered=1$/);
    await intake.context.close();
    await o.goto(`${portal}/special-circumstances/new`);
    await o.fill('#q', registered);
    await o.click('form[role=search] button[type=submit]');
    await o.locator('[data-found] li', { hasText: registered }).getByRole('link', { name: 'Chọn trẻ này' }).click();
    await expect.poll(() => o.inputValue('#fullName'), wait).toBe(registered);
    expect(await o.inputValue('#dateOfBirth')).toBe('2022-02-02');
    expect(await o.locator('#register-form input[name=childId]').count()).toBe(1);
    await o.check('#register-form input[name=groups][value="13"]');
    await o.check('#register-form input[name=status][value=receiving-care]');
    await o.click('#register-form button[type=submit]');
    await o.waitForURL(/done=added/);
    await o.goto(`${portal}/special-circumstances?group=13`);
    await expect.poll(() => textOf(o.locator('[data-register]')), wait).toContain(registered);
    await add(`Sùng A Dế ${letters}`, '01', undefined, 'not-receiving-care');
    await o.goto(`${portal}/special-circumstances?status=not-receiving-care`);
    const entry = o.locator('[data-register-entry]', { hasText: `Sùng A Dế ${letters}` });
    await expect.poll(() => entry.count(), wait).toBe(1);
    await capture(o, 'protection-register');

    // Record care for the second child: the commune reaches 100%.
    await entry.locator('summary').click();
    await entry.locator('input[name=status][value=receiving-care]').check();
    await entry.locator('input[name=provider]').fill('UBND xã Y Tý');
    await entry.locator('button[type=submit]').click();
    await o.waitForURL(/done=care/);
    await o.goto(`${portal}/special-circumstances/summary`);
    await expect.poll(() => textOf(o.locator('[data-cared-share]')), wait).toBe('100%');
    await expect.poll(() => textOf(o.locator('[data-group="04"]')), wait).toContain('Trẻ em khuyết tật');
    await capture(o, 'protection-register-summary');

    // The province supervisor: the share per commune.
    const supervisor = await signedInAs('giamsat.laocai', 'laocai-supervisor-01');
    await supervisor.page.goto(`${portal}/special-circumstances/summary`);
    await expect.poll(() => textOf(supervisor.page.locator('[data-commune="02704"]')), wait).toContain('100%');
    await capture(supervisor.page, 'protection-register-province');
    await supervisor.context.close();
    await officer.context.close();
  }, 180_000);

  it('finds no serious or critical accessibility violation and no sideways scrolling at 360 px', () => {
    expect(violations).toEqual([]);
    expect(sideways).toEqual([]);
  });
});
