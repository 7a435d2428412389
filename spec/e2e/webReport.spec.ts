/**
 * `--report` end to end in Debian's chromium: the report of the sample log, opened from
 * file:// (no server, no network), shows the same figures as `--once --json` of the same log;
 * a log full of markup and bidi overrides shows it as text, and nothing of it runs.
 */
import { after, test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { ndjson, ROOT, runCli, writeLog } from '../helpers/cli.js';
import { figure, noChromium, openBrowser, tableRows, waitForValue } from '../helpers/browser.js';
import { removeTempDirs, tempDir } from '../helpers/tempDir.js';
import type { MonitorEvent } from '../../src/types.js';

after(() => removeTempDirs());

const SAMPLE = join(ROOT, 'samples', 'access.log');

test('--report of the sample log, opened from file://: the figures of --once --json', { skip: noChromium, timeout: 120_000 }, async () => {
  const file = join(tempDir(), 'report.html');
  const run = await runCli([SAMPLE, '--once', '--json', '--report', file]);
  assert.equal(run.code, 0, run.stderr);
  const events = ndjson(run.stdout);
  const stats = events.filter((e) => e['type'] === 'stats');
  const alerts = events.filter((e) => e['type'] === 'alert');
  const summary = events.find((e) => e['type'] === 'summary') as Record<string, number>;
  const sum = (key: string): number => stats.reduce((s, e) => s + (e[key] as number), 0);
  const browser = await openBrowser();
  const requests: string[] = [];
  browser.page.on('request', (r) => requests.push(r.url()));
  try {
    await browser.page.goto(pathToFileURL(file).href);
    const page = browser.page;
    assert.equal(
      await waitForValue(
        'the report to render',
        () => figure(page, 'intervals'),
        (v) => v !== undefined,
      ),
      stats.length,
    );
    assert.equal(await figure(page, 'hits'), sum('hits'));
    assert.equal(await figure(page, 'bytes'), sum('bytes'));
    assert.equal(await figure(page, 'invalid'), sum('invalid'));
    assert.equal(await figure(page, 'late'), sum('late'));
    assert.equal(await figure(page, 'peak-clients'), Math.max(...stats.map((e) => e['clients'] as number)));
    assert.equal(await figure(page, 'last-hits'), stats.at(-1)?.['hits']);
    assert.equal(await figure(page, 'threshold'), 10);
    // The alert history, newest first: state, the built-in alert, its rate, threshold and hits of each transition.
    const rows = await tableRows(page, 't-alerts');
    assert.ok(alerts.length >= 2, 'the sample log fires and recovers');
    assert.deepEqual(
      rows.map((r) => r.slice(1, 6)),
      [...alerts]
        .reverse()
        .map((a) => [
          a['state'],
          '(traffic)',
          `${String(a['rate'])} req/s`,
          `${String(a['threshold'])} req/s`,
          (a['hits'] as number).toLocaleString('en-US'),
        ]),
    );
    assert.deepEqual(
      rows.map((r) => r[0]),
      [...alerts].reverse().map((a) => (a['at'] as string).replace('T', ' ').replace('Z', '')),
    );
    // Run totals as the summary gives them.
    const totals = Object.fromEntries((await tableRows(page, 't-summary')).map(([k, v]) => [k, Number((v ?? '').replace(/,/g, ''))]));
    assert.deepEqual(
      [totals['lines'], totals['parsed'], totals['invalid'], totals['late']],
      [summary['lines'], summary['parsed'], summary['invalid'], summary['late']],
    );
    // Top sections: the sums over the intervals' lists.
    const bySection = new Map<string, number>();
    for (const e of stats)
      for (const s of e['sections'] as Array<{ name: string; hits: number }>) bySection.set(s.name, (bySection.get(s.name) ?? 0) + s.hits);
    const top = [...bySection].sort((a, b) => b[1] - a[1] || (a[0] < b[0] ? -1 : 1)).slice(0, 5);
    assert.deepEqual(
      (await tableRows(page, 't-sections')).slice(0, 5),
      top.map(([n, h]) => [n, h.toLocaleString('en-US')]),
    );
    assert.deepEqual(browser.dialogs, []);
    assert.deepEqual(browser.errors, []);
    assert.deepEqual(
      requests.filter((u) => !u.startsWith('file:') && !u.startsWith('data:')),
      [],
      'no request leaves the machine',
    );
    console.log(
      `# report of samples/access.log: ${statSync(file).size} bytes, rendered in ${await page.locator('html').getAttribute('data-rendered')} ms`,
    );
  } finally {
    await browser.close();
  }
});

const LATENCY_SAMPLE = join(ROOT, 'samples', 'access-latency.log');
const LATENCY_FORMAT = '%h %l %u %t "%r" %>s %b "%{Referer}i" "%{User-Agent}i" %D';
const RULES = ['errors: 5xx > 5% over 5m min 100', 'slow: p95 > 500ms over 5m recover 400ms'];

test("--report with two alert rules: the Rules panel, the rules' banner and alert rows say what --once --json gives", {
  skip: noChromium,
  timeout: 120_000,
}, async () => {
  const file = join(tempDir(), 'report.html');
  // Up to 14:10, in the outage: both rules fire at the end of the run (and the built-in alert has fired and recovered).
  const args = [
    LATENCY_SAMPLE,
    '--once',
    '--format',
    LATENCY_FORMAT,
    ...RULES.flatMap((r) => ['--rule', r]),
    '--until',
    '2026-10-10T14:10:00Z',
  ];
  const run = await runCli([...args, '--json', '--report', file]);
  assert.equal(run.code, 0, run.stderr);
  const events = ndjson(run.stdout);
  const stats = events.filter((e) => e['type'] === 'stats');
  const alerts = events.filter((e) => e['type'] === 'alert');
  const last = stats.at(-1) as { end: string; rules: Array<{ rule: string; value: number | null; firing: boolean }> };
  assert.deepEqual(
    last.rules.map((r) => [r.rule, r.firing]),
    [
      ['errors', true],
      ['slow', true],
    ],
    'the log fires both rules at its end',
  );
  const text = (await runCli(args)).stdout.split('\n');
  const browser = await openBrowser();
  try {
    const page = browser.page;
    await page.goto(pathToFileURL(file).href);
    await waitForValue(
      'the report to render',
      () => figure(page, 'intervals'),
      (v) => v === stats.length,
    );
    // The Rules panel: each rule of the last stats event, its kind, value in its unit, thresholds and state.
    const value = (kind: string, v: number): string =>
      kind === 'errors'
        ? `${Math.round(v * 10_000) / 100}%`
        : v < 1
          ? `${Math.round(v * 100_000) / 100} ms`
          : `${Math.round(v * 100) / 100} s`;
    const [errors, slow] = last.rules.map((r) => r.value as number) as [number, number];
    assert.deepEqual(await tableRows(page, 't-rules'), [
      ['errors', 'errors', value('errors', errors), '> 5%', 'firing'],
      ['slow', 'latency', value('latency', slow), '> 500 ms, recovers <= 400 ms', 'firing'],
    ]);
    assert.equal(await page.locator('#t-rules h2').textContent(), `Rules, at ${last.end.replace('T', ' ').replace('Z', '')}`);
    // The banner: a line per firing rule (its last transition fired), the text output's wording with the page's time.
    const lastOf = new Map(alerts.filter((a) => a['rule'] !== undefined).map((a) => [a['rule'], a]));
    const byRule = (a: Record<string, unknown>, b: Record<string, unknown>): number => String(a['rule']).localeCompare(String(b['rule']));
    const firing = [...lastOf.values()].filter((a) => a['state'] === 'firing').sort(byRule);
    assert.equal(firing.length, 2);
    const banner = (await page.locator('#banner > div[data-rule]').allTextContents()).sort();
    const textOf = (line: string): string => line.replace(/, triggered at .*/, '');
    assert.deepEqual(
      banner.map(textOf),
      firing.map((a) => textOf(text.find((l) => l.startsWith(`Rule ${String(a['rule'])} fired`) && l.endsWith(String(a['at']))) ?? '')),
    );
    assert.deepEqual(
      banner.map((l) => l.replace(/.*, triggered at /, '')),
      firing.map((a) => (a['at'] as string).replace('T', ' ').replace('Z', '')),
    );
    // The alert history: the rule and its value and threshold in its unit; the built-in alert's rate in req/s.
    const cells = (a: Record<string, unknown>): string[] => {
      const kind = a['kind'] as string | undefined;
      if (kind === undefined) return ['(traffic)', `${String(a['rate'])} req/s`, `${String(a['threshold'])} req/s`];
      return [a['rule'] as string, value(kind, a['value'] as number), value(kind, a['threshold'] as number)];
    };
    assert.deepEqual(
      (await tableRows(page, 't-alerts')).map((r) => r.slice(1, 6)),
      [...alerts].reverse().map((a) => [a['state'], ...cells(a), (a['hits'] as number).toLocaleString('en-US')]),
    );
    assert.deepEqual(browser.errors, []);
  } finally {
    await browser.close();
  }
});

// Inside a request line, a quote is written \" by Apache and a space ends the path: the payloads as a server logs them.
const HOSTILE = ['<script>alert(1)</script>', '\\"><img/src=x/onerror=alert(1)>', '\u202egnp.exe', 'a\u2066b\u2069c\u200bd'];

test('a log of markup and bidi overrides in paths, agents and vhosts: shown as text, nothing runs, no dialog', {
  skip: noChromium,
  timeout: 120_000,
}, async () => {
  const lines: string[] = [];
  for (let i = 0; i < 40; i++) {
    const bad = HOSTILE[i % HOSTILE.length] as string;
    const vhost = i % 2 === 0 ? '\\"><img/src=x/onerror=alert(1)>' : '\u202eevil.example';
    const second = String(i % 60).padStart(2, '0');
    lines.push(`${vhost}:80 10.0.0.${i % 9} - - [01/Jan/2026:00:00:${second} +0000] "GET /${bad} HTTP/1.1" 200 ${100 + i} "-" "${bad}"`);
  }
  const log = writeLog(lines);
  const file = join(tempDir(), 'report.html');
  const run = await runCli([
    log,
    '--once',
    '--json',
    '--format',
    'vhost_combined',
    '--by',
    'vhost',
    '--top',
    '50',
    '--interval',
    '10',
    '--report',
    file,
  ]);
  assert.equal(run.code, 0, run.stderr);
  const events = ndjson(run.stdout);
  const html = readFileSync(file, 'utf8');
  assert.doesNotMatch(html.slice(html.indexOf('apachescan-data')), /<img|<script>alert/i, 'no log text as markup in the file');
  const browser = await openBrowser();
  try {
    const page = browser.page;
    await page.goto(pathToFileURL(file).href);
    await waitForValue(
      'the report to render',
      () => figure(page, 'intervals'),
      (v) => v === events.filter((e) => e['type'] === 'stats').length,
    );
    assert.deepEqual(browser.dialogs, []);
    assert.equal(await page.locator('img').count(), 0, 'no <img> element from the log');
    assert.equal(await page.locator('script').count(), 2, 'only the data block and the bundle');
    const sections = (await tableRows(page, 't-sections')).map((r) => r[0]);
    assert.ok(sections.includes('/<script>alert(1)<'), `sections shown as text: ${JSON.stringify(sections)}`);
    assert.ok(sections.includes('/\\"><img'), JSON.stringify(sections));
    assert.ok(sections.includes('/\\u{202e}gnp.exe'), 'a bidi override shown as an escape');
    const by = (await tableRows(page, 't-by')).map((r) => r[0]);
    assert.ok(by.includes('\\"><img/src=x/onerror=alert(1)>'), JSON.stringify(by));
    assert.ok(
      by.some((v) => v?.includes('\\u{202e}evil.example')),
      JSON.stringify(by),
    );
    const text = await page.locator('main').textContent();
    assert.doesNotMatch(text ?? '', /[\u202a-\u202e\u2066-\u2069\u200b]/, 'no raw bidi or zero-width character on the page');
    assert.deepEqual(browser.errors, []);
  } finally {
    await browser.close();
  }
});

test('a rule name of markup and bidi overrides (the library API takes any): the banner, Rules panel and history show it as text', {
  skip: noChromium,
  timeout: 120_000,
}, async () => {
  const { writeReport } = await import('../../src/sinks/web/index.js');
  const name = '<img src=x onerror=alert(1)>\u202eevil';
  const T = Date.UTC(2026, 9, 10, 14);
  const stats = (i: number, firing: boolean): MonitorEvent => ({
    type: 'stats',
    start: T + i * 10_000,
    end: T + (i + 1) * 10_000,
    hits: 10,
    bytes: 100,
    hosts: 1,
    sections: [],
    status: { '5xx': 10 },
    invalid: 0,
    late: 0,
    rules: [{ rule: name, kind: 'errors', value: firing ? 1 : 0, threshold: 0.05, recover: 0.05, firing }],
  });
  const events: MonitorEvent[] = [
    stats(0, false),
    stats(1, true),
    { type: 'alert', state: 'firing', at: T + 20_000, hits: 10, rate: 0.08, threshold: 0.05, rule: name, kind: 'errors', value: 1 },
  ];
  const file = join(tempDir(), 'report.html');
  await writeReport(file, events, {
    source: 'x.log',
    threshold: 10,
    alertWindow: 120,
    interval: 10,
    rules: [{ rule: name, kind: 'errors', threshold: 0.05, recover: 0.05 }],
  });
  const browser = await openBrowser();
  try {
    const page = browser.page;
    await page.goto(pathToFileURL(file).href);
    await waitForValue(
      'the report to render',
      () => figure(page, 'intervals'),
      (v) => v === 2,
    );
    const shown = '<img src=x onerror=alert(1)>\\u{202e}evil';
    assert.deepEqual(await tableRows(page, 't-rules'), [[shown, 'errors', '100%', '> 5%', 'firing']]);
    assert.equal(
      await page.locator('#banner').textContent(),
      `Rule ${shown} fired - 100% > 5% (10 requests), triggered at 2026-10-10 14:00:20`,
    );
    assert.deepEqual(
      (await tableRows(page, 't-alerts')).map((r) => r[2]),
      [shown],
    );
    assert.equal(await page.locator('img').count(), 0);
    assert.doesNotMatch((await page.locator('main').textContent()) ?? '', /\u202e/);
    assert.deepEqual(browser.dialogs, []);
    assert.deepEqual(browser.errors, []);
  } finally {
    await browser.close();
  }
});
