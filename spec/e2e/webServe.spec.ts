/**
 * `--serve` end to end in Debian's chromium: the page follows a log while lines are appended
 * (an interval at a time), shows the alert banner when the rate crosses the threshold and
 * clears it on recovery, and ends with the figures of the NDJSON events of the same run; killed
 * and restarted, apachescan's page says it is reconnecting, then goes on.
 */
import { after, test } from 'node:test';
import assert from 'node:assert/strict';
import { appendFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { combinedLine } from '../helpers/cli.js';
import { figure, noChromium, openBrowser, tableRows, waitForValue } from '../helpers/browser.js';
import { alertsOf, startFollower, statsOf, stopFollowers, totalHits, type Follower } from '../helpers/follower.js';
import { freePort } from '../helpers/system.js';
import { tempDir } from '../helpers/tempDir.js';
import type { Page } from 'playwright-core';

after(() => stopFollowers());

/** 1 s intervals, the alert over 2 s above 5 req/s; windows close on the next second's lines, the last by 1 s of quiet. */
const ARGS = [
  '--json',
  '--no-checkpoint',
  '--interval',
  '1',
  '--alert-window',
  '2',
  '--threshold',
  '5',
  '--lateness',
  '0',
  '--idle-timeout',
  '1',
];

/** Appends `perSecond` lines for each second of [from, to). */
function append(log: string, from: number, to: number, perSecond: number): void {
  let text = '';
  for (let s = from; s < to; s++)
    for (let i = 0; i < perSecond; i++)
      text += `${combinedLine(s, { host: `10.0.0.${i % 7}`, path: `/p${i % 3}/x`, status: i % 5 === 0 ? 404 : 200 })}\n`;
  appendFileSync(log, text);
}

const state = (page: Page): Promise<string | null> => page.locator('#state').getAttribute('data-state', { timeout: 1000 });
const bannerShown = (page: Page): Promise<boolean> => page.locator('#banner').isVisible();

/**
 * Waits until the page shows what the NDJSON of the same run says: every interval reported so
 * far, and `hits` in all (empty intervals keep coming by the clock while the log is quiet).
 */
async function showsRun(page: Page, f: Follower, hits: number): Promise<void> {
  await f.waitFor(`${hits} hits reported`, () => totalHits(f.events) === hits);
  await waitForValue(
    `the page to show the ${hits} hits of the NDJSON's intervals`,
    async () => [await figure(page, 'intervals'), await figure(page, 'hits'), statsOf(f.events).length],
    ([intervals, shown, reported]) => shown === hits && intervals === reported,
  );
}

async function serving(f: Follower): Promise<void> {
  await f.waitFor('the web page to be served', () => f.stderr().includes('serving the web page at'), 20_000);
}

test('--serve while a writer appends: an update each interval, the banner on firing and off on recovery, the NDJSON figures', {
  skip: noChromium,
  timeout: 180_000,
}, async () => {
  const log = join(tempDir(), 'access.log');
  writeFileSync(log, '');
  const port = await freePort();
  const f = startFollower([log, ...ARGS, '--serve', `127.0.0.1:${port}`]);
  await serving(f);
  const browser = await openBrowser();
  try {
    const page = browser.page;
    await page.goto(`http://127.0.0.1:${port}/`);
    await waitForValue(
      'the page to be live',
      () => state(page),
      (s) => s === 'live',
    );
    // Quiet traffic, one second (one interval) at a time: the page shows each one.
    for (let s = 0; s < 4; s++) {
      append(log, s, s + 1, 2);
      await showsRun(page, f, 2 * (s + 1));
    }
    assert.equal(await bannerShown(page), false);
    // A burst: 20 req/s over the 2 s window fires the alert.
    append(log, 4, 8, 20);
    await f.waitFor('the alert to fire', () => alertsOf(f.events).some((a) => a['state'] === 'firing'));
    await waitForValue(
      'the banner',
      () => bannerShown(page),
      (shown) => shown,
    );
    const fired = alertsOf(f.events).find((a) => a['state'] === 'firing') as Record<string, unknown>;
    assert.match(
      (await page.locator('#banner').textContent()) ?? '',
      new RegExp(`hits = ${fired['hits'] as number}, rate ${String(fired['rate'])} req/s`),
    );
    // Back to quiet: it recovers and the banner goes.
    append(log, 8, 14, 1);
    await f.waitFor('the recovery', () => alertsOf(f.events).some((a) => a['state'] === 'recovered'));
    await waitForValue(
      'the banner to clear',
      () => bannerShown(page),
      (shown) => !shown,
    );
    await showsRun(page, f, 8 + 80 + 6);
    const exit = await f.stop('SIGINT');
    assert.equal(exit.code, 0, f.stderr());
    await waitForValue(
      'the page to say stopped',
      () => state(page),
      (s) => s === 'stopped',
    );
    // The page's figures are the NDJSON events'.
    const stats = statsOf(f.events);
    assert.equal(await figure(page, 'hits'), totalHits(f.events));
    assert.equal(
      await figure(page, 'bytes'),
      stats.reduce((s, e) => s + (e['bytes'] as number), 0),
    );
    assert.equal(await figure(page, 'last-hits'), stats.at(-1)?.['hits']);
    assert.equal(await figure(page, 'peak-clients'), Math.max(...stats.map((e) => e['clients'] as number)));
    const alerts = alertsOf(f.events);
    assert.deepEqual(
      (await tableRows(page, 't-alerts')).map((r) => [r[1], r[2], r[3], r[5]]),
      [...alerts].reverse().map((a) => [a['state'], '(traffic)', `${String(a['rate'])} req/s`, String(a['hits'])]),
    );
    assert.deepEqual(browser.errors, []);
    assert.deepEqual(browser.dialogs, []);
  } finally {
    await browser.close();
  }
});

test('apachescan killed and restarted while the page is open: it says reconnecting, then goes on', {
  skip: noChromium,
  timeout: 180_000,
}, async () => {
  const log = join(tempDir(), 'access.log');
  writeFileSync(log, '');
  append(log, 0, 5, 3);
  const port = await freePort();
  const args = [log, ...ARGS, '--serve', `127.0.0.1:${port}`];
  const first = startFollower(args);
  await serving(first);
  const browser = await openBrowser();
  try {
    const page = browser.page;
    await page.goto(`http://127.0.0.1:${port}/`);
    await showsRun(page, first, 15);
    await first.stop('SIGKILL');
    await waitForValue(
      'the page to say reconnecting',
      () => state(page),
      (s) => s === 'reconnecting',
    );
    const second = startFollower(args);
    await serving(second);
    await waitForValue(
      'the page to be live again',
      () => state(page),
      (s) => s === 'live',
    );
    await showsRun(page, second, 15);
    // New lines after the restart reach the page. They are dated well past the log's newest line:
    // while the test waited for the page, the idle clock (--idle-timeout 1, --lateness 0) moved the
    // watermark on by the seconds waited, and lines of seconds 5-6 would be late after a wait of
    // two seconds (a loaded machine).
    append(log, 300, 302, 3);
    await showsRun(page, second, 21);
    await second.stop('SIGINT');
  } finally {
    await browser.close();
  }
});
