// Debian's chromium driven by playwright-core, started as the machine needs (no sandbox as root,
// no GPU, no background connections: there is no outside network) with a fresh user data dir.
import { chromium, type BrowserContext, type Page } from 'playwright-core';
import { mkdirSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { tempDir } from '../node/fixtures/dirs.js';

export const CHROMIUM = process.env.STOWAGE_CHROMIUM ?? '/usr/bin/chromium';
export const ARTIFACTS = join(dirname(fileURLToPath(import.meta.url)), '..', 'artifacts');

export async function openBrowser(): Promise<BrowserContext> {
  return chromium.launchPersistentContext(tempDir('stowage-chromium-'), {
    executablePath: CHROMIUM,
    headless: true,
    viewport: { width: 1280, height: 900 },
    args: ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run']
  });
}

/** Opens a page and fails the test on any script error in it. */
export async function openPage(context: BrowserContext, url: string, errors: string[]): Promise<Page> {
  const page = await context.newPage();
  page.on('pageerror', (e) => errors.push(`${url}: ${e.message}`));
  await page.goto(url);
  return page;
}

/** Waits until the page has refreshed `more` times from now. */
export async function refreshed(page: Page, more = 1): Promise<void> {
  const now = Number((await page.getAttribute('body', 'data-refreshes')) ?? 0);
  await page.waitForFunction((n) => Number(document.body.dataset.refreshes ?? 0) >= n, now + more, { timeout: 20_000 });
}

/** Every [data-testid] on the page: its raw value and the text shown. */
export async function shown(page: Page): Promise<Record<string, { value: string | undefined; text: string }>> {
  return page.evaluate(() => Object.fromEntries([...document.querySelectorAll<HTMLElement>('[data-testid]')].map((el) => [el.dataset.testid!, { value: el.dataset.value, text: el.textContent ?? '' }])));
}

/** The cells of a table: one object per row, column key -> data-value. */
export async function tableRows(page: Page, container: string): Promise<Record<string, string>[]> {
  return page.evaluate(
    (sel) =>
      [...document.querySelectorAll<HTMLTableRowElement>(`${sel} tbody tr[data-row]`)].map((tr) =>
        Object.fromEntries([...tr.querySelectorAll<HTMLElement>('td[data-col]')].map((td) => [td.dataset.col!, td.dataset.value ?? '']))
      ),
    container
  );
}

export async function screenshot(page: Page, name: string): Promise<void> {
  mkdirSync(ARTIFACTS, { recursive: true });
  await page.screenshot({ path: join(ARTIFACTS, name), fullPage: true });
}
