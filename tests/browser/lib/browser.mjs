// Headless system Chromium driven by playwright-core, with guards: every console error,
// page error and request to a host other than the local server is recorded (and such
// requests are aborted: the interface must work offline).
import { chromium } from 'playwright-core';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';

export const CHROMIUM = process.env.ISNAD_CHROMIUM || '/usr/bin/chromium';

const ARGS = [
  '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run',
  // Without these Chromium phones home at start-up, and the closed network refuses it.
  '--disable-background-networking', '--disable-component-update', '--disable-sync',
];

export async function openBrowser(base) {
  const profile = mkdtempSync(path.join(tmpdir(), 'isnad-chromium-'));
  const context = await chromium.launchPersistentContext(profile, {
    executablePath: CHROMIUM,
    headless: true,
    args: ARGS,
    viewport: { width: 1280, height: 900 },
    locale: 'ar',
    acceptDownloads: false,
  });
  const problems = { console: [], pageErrors: [], foreign: [], failed: [] };
  const local = new URL(base);
  await context.route('**/*', (route) => {
    const u = new URL(route.request().url());
    if (u.protocol === 'data:' || (u.hostname === local.hostname && u.port === local.port)) return route.continue();
    problems.foreign.push(u.href);
    return route.abort('blockedbyclient');
  });
  const watch = (page) => {
    page.on('console', (m) => { if (m.type() === 'error') problems.console.push(m.text()); });
    page.on('pageerror', (e) => problems.pageErrors.push(String(e && e.stack ? e.stack : e)));
    page.on('requestfailed', (r) => problems.failed.push(`${r.url()} ${r.failure() ? r.failure().errorText : ''}`));
  };
  context.on('page', watch);
  const page = context.pages()[0] || await context.newPage();
  watch(page);
  const close = async () => {
    await context.close().catch(() => {});
    rmSync(profile, { recursive: true, force: true });
  };
  return { context, page, problems, close };
}

// Navigates to a route of the single-page app and waits until it has rendered.
export async function go(page, base, hash) {
  const target = new URL(base);
  target.hash = hash;
  if (page.url().startsWith(base)) {
    const changed = await page.evaluate((h) => {
      if (location.hash === h) return false;
      document.body.dataset.ready = 'false';
      location.hash = h;
      return true;
    }, hash);
    if (!changed) await page.reload();
  } else {
    await page.goto(target.href);
  }
  await page.waitForSelector('body[data-ready="true"]', { timeout: 20000 });
}
