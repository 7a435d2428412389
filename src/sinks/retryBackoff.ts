/**
 * The retry delay of the sinks that talk to a server (the InfluxDB writer, the Alertmanager
 * pusher): exponential backoff with jitter, written once.
 */

/**
 * The delay before retry number `failures` (1 after the first failure): `initial` doubled per
 * failure up to `max`, then shortened by up to half at random ("equal jitter"), so that many
 * apachescan instances cut off by one outage do not retry in step. With the defaults of the
 * InfluxDB writer (250 ms, 30 s): 125–250, 250–500, 500–1000 ms ... 15–30 s.
 *
 * @param random The jitter's source, `[0, 1)`; `() => 0` gives the plain doubling (tests).
 */
export function backoffDelay(failures: number, initial: number, max: number, random: () => number = Math.random): number {
  const plain = Math.min(max, initial * 2 ** Math.max(0, Math.min(failures - 1, 40)));
  const r = random();
  return plain - (plain / 2) * (Number.isFinite(r) ? Math.min(Math.max(r, 0), 1) : 0);
}
