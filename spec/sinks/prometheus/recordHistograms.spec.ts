import { test } from 'node:test';
import assert from 'node:assert/strict';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { from, lastValueFrom, toArray } from 'rxjs';
import { monitor, readLogFile, type AccessRecord } from '../../../src/index.js';
import { resolveFormat } from '../../../src/parse/index.js';
import { startPrometheusExporter } from '../../../src/sinks/prometheus/index.js';
import { RESPONSE_SIZE_BUCKETS } from '../../../src/sinks/prometheus/histograms.js';
import { parseExposition } from '../../helpers/prometheusServer.js';
import { tempDir } from '../../helpers/tempDir.js';

const STAMP = '[01/Jan/2026:00:00:05 +0000]';

test('%D, %T and %{ms}T give the record a duration in seconds; formats without them give none', () => {
  const cases: [string, string, number | undefined][] = [
    ['%h %t "%r" %>s %b %D', `1.2.3.4 ${STAMP} "GET /a HTTP/1.1" 200 10 2500`, 0.0025],
    ['%h %t "%r" %>s %b %T', `1.2.3.4 ${STAMP} "GET /a HTTP/1.1" 200 10 3`, 3],
    ['%h %t "%r" %>s %b %{ms}T', `1.2.3.4 ${STAMP} "GET /a HTTP/1.1" 200 10 40`, 0.04],
    ['%h %t "%r" %>s %b %{us}T', `1.2.3.4 ${STAMP} "GET /a HTTP/1.1" 200 10 7`, 0.000007],
    ['%h %t "%r" %>s %b %D', `1.2.3.4 ${STAMP} "GET /a HTTP/1.1" 200 10 x`, undefined],
    ['common', `1.2.3.4 - - ${STAMP} "GET /a HTTP/1.1" 200 10`, undefined],
  ];
  for (const [format, line, duration] of cases) {
    const parsed = resolveFormat(format)(line);
    assert.equal(parsed.type, 'record', `${format}: ${line}`);
    assert.equal((parsed as AccessRecord).duration, duration, format);
    assert.equal('duration' in parsed, duration !== undefined, `${format}: duration present only when read`);
  }
});

test('onRecord sees every parsed record once, late ones too, and not invalid lines', async () => {
  const lines = [
    `1.2.3.4 - - ${STAMP} "GET /a HTTP/1.1" 200 10`,
    'junk',
    `1.2.3.4 - - [01/Jan/2026:00:00:45 +0000] "GET /b HTTP/1.1" 200 20`,
    `1.2.3.4 - - ${STAMP} "GET /late HTTP/1.1" 500 30`,
  ];
  const seen: string[] = [];
  const events = await lastValueFrom(monitor(from(lines), { lateness: 0, onRecord: (r) => seen.push(r.path) }).pipe(toArray()));
  assert.deepEqual(seen, ['/a', '/b', '/late']);
  assert.deepEqual(events.at(-1), { type: 'summary', lines: 4, parsed: 3, invalid: 1, late: 1, invalidReasons: { no_match: 1 } });
});

test('monitor(readLogFile()) with onRecord: the same events as without, and every record seen', async () => {
  const path = join(tempDir(), 'access.log');
  const lines = Array.from(
    { length: 50 },
    (_, i) =>
      `10.0.0.${i % 3} - - [01/Jan/2026:00:0${Math.floor(i / 10)}:${String(i % 10).padStart(2, '0')} +0000] "GET /s${i % 4} HTTP/1.1" 200 ${i}`,
  );
  writeFileSync(path, `${lines.join('\n')}\n`);
  let records = 0;
  const withHook = await lastValueFrom(monitor(readLogFile(path), { onRecord: () => records++ }).pipe(toArray()));
  const without = await lastValueFrom(monitor(readLogFile(path)).pipe(toArray()));
  assert.deepEqual(withHook, without);
  assert.equal(records, 50);
});

test('onRequest gives what onRecord gives (size, duration), from batches and from plain strings, with or without durations', async () => {
  const dir = tempDir();
  const cases: [string, (i: number) => string][] = [
    [
      '%h %t "%r" %>s %b %D',
      (i) =>
        `10.0.0.${i % 3} [01/Jan/2026:00:0${Math.floor(i / 10)}:${String(i % 10).padStart(2, '0')} +0000] "GET /s${i % 4} HTTP/1.1" 200 ${i} ${i % 7 === 0 ? '-' : i * 100}`,
    ],
    [
      'auto',
      (i) =>
        `10.0.0.${i % 3} - - [01/Jan/2026:00:0${Math.floor(i / 10)}:${String(i % 10).padStart(2, '0')} +0000] "GET /s${i % 4} HTTP/1.1" ${i % 5 === 0 ? 404 : 200} ${i % 6 === 0 ? '-' : i}`,
    ],
  ];
  for (const [format, line] of cases) {
    // Every 9th line junk, and one line far in the past (late).
    const lines = Array.from({ length: 60 }, (_, i) => (i % 9 === 4 ? 'junk' : i === 50 ? line(0) : line(i)));
    const path = join(dir, `${format === 'auto' ? 'auto' : 'custom'}.log`);
    writeFileSync(path, `${lines.join('\n')}\n`);
    const viaRecords: [number, number | undefined][] = [];
    const viaRequests: [number, number | undefined][] = [];
    const viaStrings: [number, number | undefined][] = [];
    await lastValueFrom(monitor(readLogFile(path), { format, onRecord: (r) => viaRecords.push([r.bytes, r.duration]) }).pipe(toArray()));
    await lastValueFrom(
      monitor(readLogFile(path), { format, onRequest: (bytes, duration) => viaRequests.push([bytes, duration]) }).pipe(toArray()),
    );
    await lastValueFrom(
      monitor(from(lines), { format, onRequest: (bytes, duration) => viaStrings.push([bytes, duration]) }).pipe(toArray()),
    );
    assert.equal(viaRecords.length, lines.filter((l) => l !== 'junk').length, format);
    assert.deepEqual(viaRequests, viaRecords, `${format}: batches`);
    assert.deepEqual(viaStrings, viaRecords, `${format}: strings`);
    assert.equal(
      viaRecords.some(([, d]) => d !== undefined),
      format !== 'auto',
      `${format}: durations read`,
    );
  }
});

test('the exporter: a response size histogram from the start, a duration histogram once a record has a duration', async () => {
  const exporter = await startPrometheusExporter({ port: 0, processMetrics: false });
  try {
    const scrape = async () => parseExposition(await (await fetch(exporter.url)).text());
    let samples = await scrape();
    assert.equal(samples.find((s) => s.name === 'apachescan_response_size_bytes_count')?.value, 0);
    assert.ok(!samples.some((s) => s.name.startsWith('apachescan_request_duration_seconds')), 'no empty duration histogram');
    const record = (bytes: number, duration?: number): AccessRecord => ({
      type: 'record',
      time: 0,
      host: 'h',
      section: '/',
      status: 200,
      bytes,
      method: 'GET',
      path: '/',
      ...(duration === undefined ? {} : { duration }),
    });
    exporter.observeRecord(record(100));
    exporter.observeRecord(record(5000, 0.02));
    exporter.observeRecord(record(2_000_000, 3));
    samples = await scrape();
    const bucket = (name: string, le: string) => samples.find((s) => s.name === `${name}_bucket` && s.labels['le'] === le)?.value;
    assert.equal(bucket('apachescan_response_size_bytes', '256'), 1);
    assert.equal(bucket('apachescan_response_size_bytes', '16384'), 2);
    assert.equal(bucket('apachescan_response_size_bytes', '+Inf'), 3);
    assert.equal(samples.find((s) => s.name === 'apachescan_response_size_bytes_sum')?.value, 2_005_100);
    assert.equal(samples.filter((s) => s.name === 'apachescan_response_size_bytes_bucket').length, RESPONSE_SIZE_BUCKETS.length + 1);
    assert.equal(bucket('apachescan_request_duration_seconds', '0.025'), 1);
    assert.equal(bucket('apachescan_request_duration_seconds', '5'), 2);
    assert.equal(samples.find((s) => s.name === 'apachescan_request_duration_seconds_count')?.value, 2);
  } finally {
    await exporter.close();
  }
});
