/**
 * Deterministic generator of Apache/Nginx access-log lines in the Combined format:
 *
 *   %h %l %u %t "%r" %>s %b "%{Referer}i" "%{User-agent}i"
 *
 * Pure: no I/O, no clock. The same options (seed included) always give the same lines.
 * Realism: Poisson arrivals with a daily cycle, bursts and quiet spells (or a scripted list of
 * phases), Zipf-distributed clients and sections with a long tail, plus the faults a monitor
 * must survive: lines written slightly out of order, a few very late ones, malformed lines.
 */
import { Random } from './prng.js';
import { RequestFactory } from './requests.js';
import { PhasedTraffic, RandomTraffic, type Traffic, type TrafficPhase } from './traffic.js';
import { MONTHS } from './vocabulary.js';

export type { TrafficPhase } from './traffic.js';

/** Bump when the output for given options changes, so that cached bench files are rebuilt. */
export const GENERATOR_VERSION = 1;

export interface GenerateOptions {
  /** Number of lines (malformed ones included). With `phases`, at most this many. */
  readonly lines: number;
  /** Any safe integer. */
  readonly seed: number;
  /** Event time of the start of traffic, ms since the epoch. Default 2026-10-10T00:00:00Z. */
  readonly start?: number;
  /**
   * Base request rate of normal traffic (req/s of event time), before the daily cycle and the
   * bursts. Default 7.2, which averages about 8 req/s: 2M lines cover about 2.9 days.
   */
  readonly rate?: number;
  /** Random bursts (30-50 req/s for 1-5 min) and quiet spells (2-6 min). Default true. */
  readonly bursts?: boolean;
  /** A scripted traffic profile instead of random traffic; the log ends after the last phase. */
  readonly phases?: readonly TrafficPhase[];
  /** Number of distinct clients. Default 5000. */
  readonly clients?: number;
  /** Fraction of lines whose timestamp is shifted back by 1-8 s. Default 0.01. */
  readonly disorder?: number;
  /** Fraction of lines whose timestamp is shifted back by 30-60 s (late). Default 5e-6. */
  readonly late?: number;
  /** Fraction of malformed lines (truncated, garbage). Default 1e-4. */
  readonly malformed?: number;
  /** Fraction of lines in Common format (no referer, no user agent). Default 0. */
  readonly common?: number;
  /** Fraction of lines whose timestamp is written in another time zone. Default 0. */
  readonly altZone?: number;
  /** UTC offset in minutes for `altZone` lines. Default 120 (`+0200`). */
  readonly altZoneMinutes?: number;
  /** Host name in internal referers. Default `www.example.com`. */
  readonly host?: string;
}

export const DEFAULTS = {
  start: Date.UTC(2026, 9, 10),
  rate: 7.2,
  bursts: true,
  clients: 5000,
  disorder: 0.01,
  late: 5e-6,
  malformed: 1e-4,
  common: 0,
  altZone: 0,
  altZoneMinutes: 120,
  host: 'www.example.com',
} as const;

/** No timestamp is shifted during the first minute, so that no line predates the start. */
const SHIFT_GUARD_MS = 60_000;

/** Random streams: changing one part of the generator leaves the others' draws alone. */
const STREAM = { traffic: 1, requests: 2, faults: 3 } as const;

/**
 * The lines of a log, without line terminators. Options are checked here, before the first
 * line is asked for (a RangeError names the bad one).
 */
export function generateLog(options: GenerateOptions): Generator<string, void, undefined> {
  const o = { ...DEFAULTS, ...options };
  if (!Number.isSafeInteger(o.lines) || o.lines < 0) throw new RangeError(`lines must be an integer >= 0, got ${o.lines}`);
  for (const key of ['disorder', 'late', 'malformed', 'common', 'altZone'] as const) {
    if (!(o[key] >= 0 && o[key] <= 1)) throw new RangeError(`${key} must be a fraction in [0, 1], got ${o[key]}`);
  }
  if (o.disorder + o.late > 1) throw new RangeError('disorder + late must not exceed 1');
  if (!Number.isSafeInteger(o.altZoneMinutes) || Math.abs(o.altZoneMinutes) >= 24 * 60) {
    throw new RangeError(`altZoneMinutes must be an integer in (-1440, 1440), got ${o.altZoneMinutes}`);
  }
  if (!Number.isFinite(o.start)) throw new RangeError(`start must be a finite time in ms, got ${o.start}`);

  const trafficRandom = new Random(o.seed, STREAM.traffic);
  const traffic: Traffic = o.phases
    ? new PhasedTraffic(trafficRandom, o.start, o.phases)
    : new RandomTraffic(trafficRandom, o.start, o.rate, o.bursts);
  const requests = new RequestFactory(new Random(o.seed, STREAM.requests), { clients: o.clients, host: o.host });
  return lines(o, traffic, requests, new Random(o.seed, STREAM.faults));
}

function* lines(
  o: Required<Omit<GenerateOptions, 'phases'>>,
  traffic: Traffic,
  requests: RequestFactory,
  faults: Random,
): Generator<string, void, undefined> {
  const stamps = new StampCache();
  for (let n = 0; n < o.lines; n++) {
    const time = traffic.next();
    if (time === undefined) return;
    const { prefix, request, extra } = requests.next(traffic.busy);

    let shown = time;
    if (time - o.start >= SHIFT_GUARD_MS && (o.late > 0 || o.disorder > 0)) {
      const r = faults.next();
      if (r < o.late) shown -= faults.int(30_000, 60_000);
      else if (r < o.late + o.disorder) shown -= faults.int(1_000, 8_000);
    }
    const zone = o.altZone > 0 && faults.chance(o.altZone) ? o.altZoneMinutes : 0;
    const common = o.common > 0 && faults.chance(o.common);
    const line = `${prefix} [${stamps.format(Math.floor(shown / 1000), zone)}] ${request}${common ? '' : extra}`;
    yield o.malformed > 0 && faults.chance(o.malformed) ? corrupt(line, shown, faults) : line;
  }
}

/** `%t` without brackets, e.g. `10/Oct/2026:13:55:36 +0000`; remembers the last one. */
class StampCache {
  #second = Number.NaN;
  #zone = 0;
  #text = '';

  format(second: number, zoneMinutes: number): string {
    if (second !== this.#second || zoneMinutes !== this.#zone) {
      this.#second = second;
      this.#zone = zoneMinutes;
      this.#text = formatStamp(second, zoneMinutes);
    }
    return this.#text;
  }
}

export function formatStamp(second: number, zoneMinutes: number): string {
  const d = new Date((second + zoneMinutes * 60) * 1000);
  const abs = Math.abs(zoneMinutes);
  const zone = `${zoneMinutes < 0 ? '-' : '+'}${pad2(Math.floor(abs / 60))}${pad2(abs % 60)}`;
  return (
    `${pad2(d.getUTCDate())}/${MONTHS[d.getUTCMonth()]}/${d.getUTCFullYear()}:` +
    `${pad2(d.getUTCHours())}:${pad2(d.getUTCMinutes())}:${pad2(d.getUTCSeconds())} ${zone}`
  );
}

function pad2(n: number): string {
  return n < 10 ? `0${n}` : String(n);
}

const GARBAGE = 'abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789 ./:;=-_%&?!#@[](){}<>,';

/**
 * A line that matches no access-log format: cut inside the request (a partial write), random
 * characters, a raw TLS handshake, or an error-log line that strayed into the access log.
 */
function corrupt(line: string, time: number, random: Random): string {
  const r = random.next();
  if (r < 0.7) {
    const requestEnd = line.indexOf('" ', line.indexOf('"') + 1);
    return line.slice(0, random.int(8, requestEnd - 1));
  }
  if (r < 0.85) {
    let s = random.pick([...'abcdefghijklmnopqrstuvwxyz']);
    const length = random.int(10, 120);
    for (let i = 1; i < length; i++) s += GARBAGE[random.below(GARBAGE.length)];
    return s;
  }
  if (r < 0.93) {
    let s = '\\x16\\x03\\x01\\x02\\x00\\x01\\x00\\x01\\xfc\\x03\\x03';
    const length = random.int(8, 40);
    for (let i = 0; i < length; i++) s += `\\x${random.hex(2)}`;
    return s;
  }
  const d = new Date(time);
  const stamp =
    `${WEEKDAYS[d.getUTCDay()]} ${MONTHS[d.getUTCMonth()]} ${pad2(d.getUTCDate())} ` +
    `${pad2(d.getUTCHours())}:${pad2(d.getUTCMinutes())}:${pad2(d.getUTCSeconds())}.${String(random.below(1e6)).padStart(6, '0')} ${d.getUTCFullYear()}`;
  const client = line.slice(0, line.indexOf(' '));
  return (
    `[${stamp}] [core:error] [pid ${random.int(1000, 65_000)}] [client ${client}:${random.int(1024, 65_535)}] ` +
    `AH10244: invalid URI path (/%${random.hex(1)}%g)`
  );
}

const WEEKDAYS = ['Sun', 'Mon', 'Tue', 'Wed', 'Thu', 'Fri', 'Sat'];
