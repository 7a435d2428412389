import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { createExporterMetrics } from '../src/sinks/prometheus/metrics.js';
import { binaryTestOptions, promtool, PROMTOOL_BIN } from './helpers/prometheusServer.js';

// dist/spec -> repository root -> samples/prometheus
const SAMPLES = fileURLToPath(new URL('../../samples/prometheus/', import.meta.url));
const options = binaryTestOptions(PROMTOOL_BIN);

test('promtool accepts the sample rules', options, () => {
  const { code, output } = promtool(['check', 'rules', join(SAMPLES, 'apachescan-rules.yml')]);
  assert.equal(code, 0, output);
  assert.match(output, /SUCCESS: 5 rules found/);
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
  const served = new Set(createExporterMetrics().registry.getMetricsAsArray().map((m) => m.name));
  const rules = readFileSync(join(SAMPLES, 'apachescan-rules.yml'), 'utf8');
  const used = new Set([...rules.matchAll(/(?<![:\w])apachescan_[a-z_]+/g)].map((m) => m[0]));
  assert.ok(used.size >= 2);
  for (const name of used) assert.ok(served.has(name), `${name} is not served by the exporter`);
});
