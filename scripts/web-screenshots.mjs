#!/usr/bin/env node
// Screenshots of the web page for the README (samples/screenshots/web-*.png): the live page
// (`--serve`, following samples/access.log) and the report (`--once --report`), light and dark,
// desktop and phone width, in Debian's chromium. Run after `npm run build`:
//   node scripts/web-screenshots.mjs
import { spawn, execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { chromium } from 'playwright-core';

const root = fileURLToPath(new URL('..', import.meta.url));
const bin = join(root, 'bin/apachescan.js');
// Relative to the checkout (the page shows the path it was given, not this machine's folders).
const sample = 'samples/access.log';
const out = join(root, 'samples/screenshots');
const tmp = mkdtempSync(join(tmpdir(), 'apachescan-shots-'));
const report = join(tmp, 'report.html');
execFileSync(process.execPath, [bin, sample, '--once', '--report', report], { cwd: root, stdio: ['ignore', 'ignore', 'inherit'] });
const port = await new Promise((resolve) => {
  const s = createServer().listen(0, '127.0.0.1', () => {
    const { port: p } = s.address();
    s.close(() => resolve(p));
  });
});
const live = spawn(process.execPath, [bin, sample, '--no-checkpoint', '--json', '--serve', `127.0.0.1:${port}`], {
  cwd: root,
  stdio: ['ignore', 'ignore', 'pipe'],
});
await new Promise((resolve) => live.stderr.on('data', (d) => String(d).includes('serving the web page') && resolve()));
const sizes = { desktop: { width: 1280, height: 860 }, phone: { width: 390, height: 844 } };
try {
  for (const scheme of ['light', 'dark']) {
    for (const [name, viewport] of Object.entries(sizes)) {
      const context = await chromium.launchPersistentContext(mkdtempSync(join(tmp, 'profile-')), {
        executablePath: '/usr/bin/chromium',
        headless: true,
        args: [
          '--headless',
          '--no-sandbox',
          '--disable-gpu',
          '--disable-quic',
          '--no-first-run',
          '--disable-background-networking',
          '--disable-component-update',
          '--disable-sync',
        ],
        viewport,
        colorScheme: scheme,
        deviceScaleFactor: 1,
      });
      const page = context.pages()[0] ?? (await context.newPage());
      for (const [kind, url] of [
        ['live', `http://127.0.0.1:${port}/`],
        ['report', pathToFileURL(report).href],
      ]) {
        await page.goto(url);
        await page.waitForFunction(
          () => Number(document.querySelector('[data-figure="intervals"]')?.getAttribute('data-value')) >= 150,
          null,
          { timeout: 30_000 },
        );
        await page.waitForTimeout(300);
        await page.screenshot({ path: join(out, `web-${kind}-${scheme}-${name}.png`) });
      }
      await context.close();
    }
  }
} finally {
  live.kill('SIGINT');
  rmSync(tmp, { recursive: true, force: true });
}
