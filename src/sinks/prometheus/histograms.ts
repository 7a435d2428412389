import { Histogram, type Registry } from 'prom-client';
import type { AccessRecord } from '../../types.js';

/** Response sizes: powers of 4 from 64 B to 16 MiB (a favicon, a page, an image, a download). */
export const RESPONSE_SIZE_BUCKETS: readonly number[] = [64, 256, 1024, 4096, 16_384, 65_536, 262_144, 1_048_576, 4_194_304, 16_777_216];

/** Request durations, seconds: 1 ms to 30 s (Prometheus' default buckets, widened at both ends). */
export const REQUEST_DURATION_BUCKETS: readonly number[] = [0.001, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30];

/**
 * Histograms of what each request looked like, fed one parsed record at a time (the engine's
 * `onRecord`; `createRequestHistograms` is the cheaper feed).
 */
export function createRecordHistograms(registry: Registry): (record: AccessRecord) => void {
  const observe = createRequestHistograms(registry);
  return (record) => observe(record.bytes, record.duration);
}

/**
 * Histograms of what each request looked like, fed its size and duration (the engine's
 * `onRequest`): `apachescan_response_size_bytes` always, `apachescan_request_duration_seconds`
 * from the first request that carries a duration (formats with `%D` or `%T`), so that a log
 * without durations serves no empty histogram.
 */
export function createRequestHistograms(registry: Registry): (bytes: number, duration: number | undefined) => void {
  const registers = [registry];
  const size = new Histogram({
    name: 'apachescan_response_size_bytes',
    help: 'Response size of each parsed request (late ones included), from %b/%B/%O.',
    buckets: [...RESPONSE_SIZE_BUCKETS],
    registers,
  });
  let duration: Histogram | undefined;
  return (bytes, seconds) => {
    if (Number.isFinite(bytes) && bytes >= 0) size.observe(bytes);
    if (seconds === undefined || !Number.isFinite(seconds) || seconds < 0) return;
    duration ??= new Histogram({
      name: 'apachescan_request_duration_seconds',
      help: 'Time taken to serve each parsed request (late ones included), from %D or %T.',
      buckets: [...REQUEST_DURATION_BUCKETS],
      registers,
    });
    duration.observe(seconds);
  };
}
