/**
 * Debian's chromium driven by playwright-core, for the web page's specs: headless, a fresh
 * profile each time, no network of its own. Records dialogs (dismissed), page errors and
 * console errors (a Content-Security-Policy violation is one), so a spec can say none happened.
 */
import { chromium, type BrowserContext, type Page } from 'playwright-core';
import { existsSync } from 'node:fs';
import { tempDir } from './tempDir.js';

export const CHROMIUM = '/usr/bin/chromium';
export const CHROMIUM_ARGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
];

/** Skip reason when chromium is not installed (.ci/run installs it). */
export const noChromium = existsSync(CHROMIUM) ? false : `${CHROMIUM} is not installed (apt-get install chromium)`;

export interface OpenBrowser {
  readonly context: BrowserContext;
  readonly page: Page;
  /** Messages of dialogs that opened (alert, confirm, prompt). */
  readonly dialogs: string[];
  /** Uncaught page errors and console errors. */
  readonly errors: string[];
  close(): Promise<void>;
}

export async function openBrowser(viewport = { width: 1280, height: 900 }, colorScheme: 'light' | 'dark' = 'light'): Promise<OpenBrowser> {
  const context = await chromium.launchPersistentContext(tempDir('apachescan-chromium-'), {
    executablePath: CHROMIUM,
    headless: true,
    args: CHROMIUM_ARGS,
    viewport,
    colorScheme,
  });
  const page = context.pages()[0] ?? (await context.newPage());
  const dialogs: string[] = [];
  const errors: string[] = [];
  page.on('dialog', (d) => {
    dialogs.push(d.message());
    void d.dismiss().catch(() => undefined);
  });
  page.on('pageerror', (e) => errors.push(`pageerror: ${e.message}`));
  page.on('console', (m) => {
    if (m.type() === 'error') errors.push(`console: ${m.text()}`);
  });
  return { context, page, dialogs, errors, close: () => context.close() };
}

/** Polls `read` on the page until `cond` holds of its value (bounded); returns the value. */
export async function waitForValue<T>(
  what: string,
  read: () => Promise<T>,
  cond: (value: T) => boolean,
  tries = 400,
  pauseMs = 50,
): Promise<T> {
  let value: T | undefined;
  for (let i = 0; i < tries; i++) {
    try {
      value = await read();
      if (cond(value)) return value;
    } catch {
      // the page is (re)loading
    }
    await new Promise((r) => setTimeout(r, pauseMs));
  }
  throw new Error(`waited in vain for ${what}; last value: ${JSON.stringify(value)}`);
}

/** The raw number of a figure tile (`data-figure` / `data-value`), or undefined. */
export async function figure(page: Page, name: string): Promise<number | undefined> {
  const v = await page.locator(`[data-figure="${name}"]`).getAttribute('data-value', { timeout: 1000 });
  return v === null ? undefined : Number(v);
}

/** The rows of a table panel (`#t-...`) as cell texts. */
export async function tableRows(page: Page, id: string): Promise<string[][]> {
  return page
    .locator(`#${id} tbody tr`)
    .evaluateAll((rows) => rows.map((r) => [...r.querySelectorAll('td')].map((td) => td.textContent ?? '')));
}
