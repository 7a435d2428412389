/**
 * Regenerates `samples/access.log` (the README demo log) byte for byte from SAMPLE_OPTIONS,
 * prints its profile, and fails if it no longer has what the demo needs.
 *
 *   npx tsc -p tsconfig.json && node dist/bench/makeSample.js [output-path]
 *   node dist/bench/makeSample.js --latency [output-path]   (samples/access-latency.log, see latencySample.ts)
 */
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { inspectLog } from './inspectLog.js';
import { checkSample, SAMPLE_OPTIONS } from './sampleOptions.js';
import { writeLog } from './writeLog.js';

const defaultPath = fileURLToPath(new URL('../../samples/access.log', import.meta.url));
if (process.argv[2] === '--latency') {
  const { writeLatencySample } = await import('./latencySample.js');
  const out = process.argv[3] ?? fileURLToPath(new URL('../../samples/access-latency.log', import.meta.url));
  const { lines, bytes } = await writeLatencySample(out);
  console.log(`wrote ${out}: ${lines} lines, ${bytes} bytes`);
  process.exit(0);
}
const path = process.argv[2] ?? defaultPath;

const { lines, bytes } = await writeLog(path, SAMPLE_OPTIONS);
const profile = inspectLog(readFileSync(path, 'utf8').split('\n'));
const iso = (seconds: number): string => new Date(seconds * 1000).toISOString().replace('.000Z', 'Z');

console.log(`wrote ${path}: ${lines} lines, ${bytes} bytes`);
console.log(`  event time ${iso(profile.first)} .. ${iso(profile.last)}`);
console.log(`  combined ${profile.combined}, common ${profile.common}, malformed ${profile.malformed}`);
console.log(`  zones ${JSON.stringify(profile.zones)}`);
console.log(`  out of order ${profile.outOfOrder} (late > 20 s: ${profile.late}, max lag ${profile.maxLag} s)`);
console.log(`  longest gap ${profile.longestGap} s, peak 120 s window ${profile.peakWindowHits} hits`);
console.log(`  alert > 10 req/s over 120 s: ${profile.alertFires} fired, ${profile.alertRecoveries} recovered`);

const problems = checkSample(profile, bytes);
if (problems.length > 0) {
  console.error(`makeSample: the sample no longer meets: ${problems.join('; ')}`);
  process.exitCode = 1;
}
