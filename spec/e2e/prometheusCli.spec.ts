/**
 * The CLI's --prometheus end to end: a real apachescan process follows a log in a format with
 * %D, and its /metrics serves the renamed metrics, the threshold, build info and both
 * histograms fed by every record.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { BIN, ROOT } from '../helpers/cli.js';
import { freePort } from '../helpers/system.js';
import { PROMTOOL_BIN, binaryTestOptions, byLabel, parseExposition, promtool, type TextSample } from '../helpers/prometheusServer.js';
import { tempDir } from '../helpers/tempDir.js';

const FORMAT = '%h %l %u %t "%r" %>s %b %D';

test('apachescan --prometheus serves histograms of response sizes and durations (%D), the threshold and build info', {
  timeout: 60_000,
}, async () => {
  const dir = tempDir();
  const log = join(dir, 'access.log');
  const lines = Array.from(
    { length: 40 },
    (_, i) =>
      `10.0.0.${i % 5} - - [01/Jan/2026:00:00:${String(i).padStart(2, '0')} +0000] "GET /api/${i} HTTP/1.1" 200 ${500 * (i + 1)} ${25_000 * (i + 1)}`,
  );
  writeFileSync(log, `${lines.join('\n')}\n`);
  const port = await freePort();
  const child = spawn(
    process.execPath,
    [BIN, log, '--json', '--no-checkpoint', '--format', FORMAT, '--threshold', '7', '--prometheus', `127.0.0.1:${port}`],
    { cwd: ROOT, stdio: ['ignore', 'pipe', 'pipe'] },
  );
  let stderr = '';
  child.stderr.setEncoding('utf8').on('data', (d: string) => (stderr += d));
  try {
    let samples: TextSample[] = [];
    let text = '';
    const count = (name: string) => samples.find((s) => s.name === name)?.value;
    for (let tries = 0; count('apachescan_request_duration_seconds_count') !== 40 && tries < 200; tries++) {
      await new Promise((resolve) => setTimeout(resolve, 100));
      try {
        text = await (await fetch(`http://127.0.0.1:${port}/metrics`)).text();
        samples = parseExposition(text);
      } catch {
        // not listening yet
      }
    }
    assert.equal(count('apachescan_request_duration_seconds_count'), 40, stderr);
    assert.equal(count('apachescan_response_size_bytes_count'), 40);
    assert.equal(count('apachescan_response_size_bytes_sum'), (500 * 40 * 41) / 2);
    // 25 ms .. 1 s: 4 requests at or below 0.1 s, all 40 at or below 1 s.
    const le = (name: string) =>
      byLabel(
        samples.filter((s) => s.name === name),
        name,
        'le',
      );
    assert.equal(le('apachescan_request_duration_seconds_bucket')['0.1'], 4);
    assert.equal(le('apachescan_request_duration_seconds_bucket')['1'], 40);
    assert.equal(count('apachescan_alert_threshold_requests_per_second'), 7);
    assert.equal(
      samples.find((s) => s.name === 'apachescan_build_info')?.labels['version'],
      (JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')) as { version: string }).version,
    );
    assert.ok(samples.some((s) => s.name === 'process_resident_memory_bytes'));
    // What Prometheus' own linter says of the whole page (prom-client's process metrics included).
    if (binaryTestOptions(PROMTOOL_BIN).skip === undefined) {
      const { code, output } = promtool(['check', 'metrics'], text);
      assert.equal(code, 0, output);
      assert.equal(output.trim(), '', 'no lint problem');
    }
  } finally {
    child.kill('SIGTERM');
    await new Promise((resolve) => (child.exitCode !== null ? resolve(undefined) : child.once('exit', resolve)));
  }
});
