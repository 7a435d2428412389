/**
 * The options that produce `samples/access.log`, the README demo log, and the properties the
 * demo relies on. `node dist/bench/makeSample.js` regenerates the file byte for byte.
 */
import type { GenerateOptions } from './generateLog.js';
import type { LogProfile } from './inspectLog.js';

/**
 * About 25 minutes of a small site: 2-4 req/s, a 150 s burst at 20 req/s (the 2-minute
 * average passes 10 req/s about a minute in, and falls back below it about 80 s after the
 * burst ends), calmer traffic, a 4-minute quiet gap, then normal traffic again.
 * Lines mix Common and Combined; a few are written in +0200, a few are out of order (1-8 s),
 * two or three are late (30-60 s) and a handful are malformed.
 * The seed is the first one for which `checkSample` finds nothing to complain about.
 */
export const SAMPLE_OPTIONS = {
  lines: 100_000,
  seed: 0,
  start: Date.UTC(2026, 9, 10, 13, 50, 0),
  phases: [
    { seconds: 300, rate: 2 },
    { seconds: 120, rate: 4 },
    { seconds: 150, rate: 20 },
    { seconds: 60, rate: 5 },
    { seconds: 180, rate: 2 },
    { seconds: 240, rate: 0 },
    { seconds: 300, rate: 1.5 },
    { seconds: 180, rate: 3 },
  ],
  clients: 300,
  disorder: 0.004,
  late: 0.0005,
  malformed: 0.0015,
  common: 0.15,
  altZone: 0.005,
  altZoneMinutes: 120,
} as const satisfies GenerateOptions;

/** What the README demo needs from the sample; returns the unmet requirements. */
export function checkSample(p: LogProfile, bytes: number): string[] {
  const problems: string[] = [];
  const need = (ok: boolean, what: string): void => {
    if (!ok) problems.push(what);
  };
  need(p.lines >= 3000 && p.lines <= 6000, `3000-6000 lines (got ${p.lines})`);
  need(bytes <= 1_500_000, `at most 1.5 MB (got ${bytes} bytes)`);
  need(p.combined > 0 && p.common > 0, `Common and Combined lines (got ${p.common} / ${p.combined})`);
  need(p.malformed >= 5 && p.malformed <= 10, `5-10 malformed lines (got ${p.malformed})`);
  need(p.late >= 2 && p.late <= 3, `2-3 lines more than 20 s late (got ${p.late})`);
  need(p.outOfOrder - p.late >= 3, `a few lines out of order by at most 20 s (got ${p.outOfOrder - p.late})`);
  need(p.maxLag <= 60, `no line more than 60 s behind (got ${p.maxLag} s)`);
  need(Object.keys(p.zones).length >= 2, `lines in two time zones (got ${Object.keys(p.zones).join(', ')})`);
  need(p.longestGap >= 180, `a quiet gap of at least 3 minutes (got ${p.longestGap} s)`);
  need(p.peakWindowHits > 1200, `more than 1200 hits in some 120 s window (got ${p.peakWindowHits})`);
  need(p.alertFires === 1 && p.alertRecoveries === 1, `one alert that fires and recovers (got ${p.alertFires} / ${p.alertRecoveries})`);
  return problems;
}
