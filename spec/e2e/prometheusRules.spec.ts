import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { ROOT } from '../helpers/paths.js';
import { createExporterMetrics } from '../../src/sinks/prometheus/metrics.js';
import { createRecordHistograms } from '../../src/sinks/prometheus/histograms.js';
import { binaryTestOptions, promtool, PROMTOOL_BIN } from '../helpers/prometheusServer.js';

// dist/spec -> repository root -> samples/prometheus
const SAMPLES = join(ROOT, 'samples/prometheus');
const options = binaryTestOptions(PROMTOOL_BIN);

test('promtool accepts the sample rules', options, () => {
  const { code, output } = promtool(['check', 'rules', join(SAMPLES, 'apachescan-rules.yml')]);
  assert.equal(code, 0, output);
  assert.match(output, /SUCCESS: 7 rules found/);
});

test('promtool accepts the sample scrape config (and the rule file it loads)', options, () => {
  const { code, output } = promtool(['check', 'config', join(SAMPLES, 'prometheus.yml')]);
  assert.equal(code, 0, output);
  assert.match(output, /SUCCESS: 1 rule files found/);
});

test('the alerting rules fire as their unit tests expect (promtool test rules)', options, () => {
  const { code, output } = promtool(['test', 'rules', join(SAMPLES, 'apachescan-rules.test.yml')]);
  assert.equal(code, 0, output);
});

test('the sample rules use only metrics the exporter serves', () => {
  const { registry } = createExporterMetrics({ processMetrics: false });
  createRecordHistograms(registry)({
    type: 'record',
    time: 0,
    host: 'h',
    section: '/',
    status: 200,
    bytes: 1,
    method: 'GET',
    path: '/',
    duration: 0.1,
  });
  const histograms = new Set(
    registry
      .getMetricsAsArray()
      .filter((m) => String(m.type) === 'histogram')
      .map((m) => m.name),
  );
  assert.deepEqual([...histograms].sort(), ['apachescan_request_duration_seconds', 'apachescan_response_size_bytes']);
  const served = new Set(
    registry.getMetricsAsArray().flatMap((m) => (histograms.has(m.name) ? ['_bucket', '_sum', '_count'].map((x) => m.name + x) : [m.name])),
  );
  const rules = readFileSync(join(SAMPLES, 'apachescan-rules.yml'), 'utf8');
  const used = new Set([...rules.matchAll(/(?<![:\w])apachescan_[a-z_]+/g)].map((m) => m[0]));
  assert.ok(used.size >= 2);
  for (const name of used) assert.ok(served.has(name), `${name} is not served by the exporter`);
});
