import { existsSync, mkdirSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { resolve } from 'node:path';
import { chromium, type Browser, type Page } from 'playwright-core';

/** Debian's Chromium (infra/local/bin/install installs it); the tests never download a browser. */
export const CHROMIUM_PATH = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';

export async function launchChromium(): Promise<Browser> {
  if (!existsSync(CHROMIUM_PATH)) {
    throw new Error(
      `browser tests need Chromium at ${CHROMIUM_PATH}: run infra/local/bin/install (apt-get install chromium) or set CHROMIUM_PATH`,
    );
  }
  return chromium.launch({ executablePath: CHROMIUM_PATH, headless: true, args: ['--no-sandbox', '--lang=vi-VN'] });
}

export const desktop = { width: 1280, height: 900 };
/** The phone the issue names: 360 CSS pixels wide. */
export const phone = { width: 360, height: 740 };

const screenshotDir = resolve(import.meta.dirname, '../../test-results/screenshots');
const axeSource = readFileSync(createRequire(import.meta.url).resolve('axe-core/axe.min.js'), 'utf8');

export interface AxeViolation {
  id: string;
  impact: string | null;
  help: string;
  nodes: { target: string[]; failureSummary?: string }[];
}

/** Runs axe-core (WCAG 2.1 A/AA rules and best practices) on the page; returns serious and critical violations. */
export async function seriousAccessibilityViolations(page: Page): Promise<AxeViolation[]> {
  // Browser-side code as text: this package's TypeScript has no DOM types.
  // Evaluated over the DevTools protocol, so the portal's Content-Security-Policy (scripts from
  // its own origin only) stays on while axe runs.
  if (!(await page.evaluate<boolean>("'axe' in window"))) await page.evaluate(axeSource);
  const violations = await page.evaluate<AxeViolation[]>(`axe.run(document, { resultTypes: ['violations'] }).then((r) =>
    r.violations.map((v) => ({
      id: v.id,
      impact: v.impact,
      help: v.help,
      nodes: v.nodes.slice(0, 5).map((n) => ({ target: n.target, failureSummary: n.failureSummary })),
    })))`);
  return violations.filter((v) => v.impact === 'serious' || v.impact === 'critical');
}

/**
 * Screenshots of the page at desktop and phone width (test-results/screenshots/<name>-desktop.png,
 * <name>-phone.png), each checked with axe; returns the serious/critical violations found, by size.
 * Also reports whether the phone layout scrolls sideways (it must not, at 360 px).
 */
export async function captureView(
  page: Page,
  name: string,
): Promise<{ violations: string[]; horizontalScroll: boolean }> {
  mkdirSync(screenshotDir, { recursive: true });
  const found: string[] = [];
  const original = page.viewportSize() ?? desktop;
  let horizontalScroll = false;
  for (const [size, viewport] of [
    ['desktop', desktop],
    ['phone', phone],
  ] as const) {
    await page.setViewportSize(viewport);
    await page.screenshot({ path: resolve(screenshotDir, `${name}-${size}.png`), fullPage: true });
    for (const v of await seriousAccessibilityViolations(page)) {
      found.push(
        `${name} (${size}): ${v.impact} ${v.id} — ${v.help} at ${v.nodes.map((n) => n.target.join(' ')).join(', ')}`,
      );
    }
    if (size === 'phone') {
      horizontalScroll = await page.evaluate<boolean>('document.documentElement.scrollWidth > window.innerWidth + 1');
    }
  }
  await page.setViewportSize(original);
  return { violations: found, horizontalScroll };
}

type Locator = ReturnType<Page['locator']>;

/** The visible text of the first match, or '' while there is none (for polling with expect.poll). */
export const textOf = (locator: Locator) =>
  locator
    .first()
    .innerText({ timeout: 1_000 })
    .then((t) => t.replace(/\s+/g, ' ').trim())
    .catch(() => '');
