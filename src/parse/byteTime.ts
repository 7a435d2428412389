/**
 * Apache's `%t` text (`10/Oct/2000:13:55:36 -0700`, 26 bytes, no brackets) read from bytes,
 * with the value of `parseApacheTime` (src/parse/apacheTime.ts) for every input.
 *
 * The checks of that parser split into two independent parts: the date and offset
 * (`10/Oct/2000:` and ` -0700`), and the clock `13:55:36`; and its value is the value of the
 * same date at `00:00:00` plus the clock's seconds. Lines share their day, so the date part is
 * parsed by `parseApacheTime` itself once per day (and offset) and cached; per line only the
 * clock's six digits are read.
 */
import { parseApacheTime } from './apacheTime.js';

export class ByteTimeReader {
  /** Day key of `dayBase`: bytes 0..11 (`dd/Mon/yyyy:`) as three words, 20..25 (` +zzzz`) as a word and a half. */
  private k0 = -1;
  private k1 = -1;
  private k2 = -1;
  private k3 = -1;
  private k4 = -1;
  /** The instant of the cached day at 00:00:00, ms; NaN when nothing valid is cached. */
  private dayBase = NaN;
  /** The result of the last `read` (kept in a field: a returned double would be boxed). */
  time = 0;

  /**
   * Reads the 26 bytes at `at` into `time` (ms since the epoch).
   * @param view a DataView of the same bytes as `b`.
   * @returns false when they are not a valid time.
   */
  read(b: Buffer, view: DataView, at: number): boolean {
    const h1 = (b[at + 12] as number) - 0x30;
    const h2 = (b[at + 13] as number) - 0x30;
    const m1 = (b[at + 15] as number) - 0x30;
    const m2 = (b[at + 16] as number) - 0x30;
    const s1 = (b[at + 18] as number) - 0x30;
    const s2 = (b[at + 19] as number) - 0x30;
    if (b[at + 14] !== 0x3a || b[at + 17] !== 0x3a) return false;
    if (!(h1 >= 0 && h1 <= 2 && h2 >= 0 && h2 <= 9 && m1 >= 0 && m1 <= 5 && m2 >= 0 && m2 <= 9 && s1 >= 0 && s1 <= 5 && s2 >= 0 && s2 <= 9))
      return false;
    const hour = h1 * 10 + h2;
    if (hour > 23) return false;
    const sameDay =
      view.getInt32(at + 8, true) === this.k2 &&
      view.getInt32(at + 4, true) === this.k1 &&
      view.getInt32(at, true) === this.k0 &&
      view.getInt32(at + 20, true) === this.k3 &&
      view.getUint16(at + 24, true) === this.k4;
    if (!sameDay && !this.readDay(b, view, at)) return false;
    this.time = this.dayBase + ((hour * 60 + m1 * 10 + m2) * 60 + s1 * 10 + s2) * 1000;
    return true;
  }

  /** Parses and caches the day of the time at `at`; false (and nothing cached) when it is invalid. */
  private readDay(b: Buffer, view: DataView, at: number): boolean {
    const text = `${b.toString('latin1', at, at + 12)}00:00:00${b.toString('latin1', at + 20, at + 26)}`;
    const base = parseApacheTime(text) ?? NaN;
    const valid = !Number.isNaN(base);
    // An invalid day is never cached: k4 = -1 matches no 16-bit value.
    this.k0 = view.getInt32(at, true);
    this.k1 = view.getInt32(at + 4, true);
    this.k2 = view.getInt32(at + 8, true);
    this.k3 = view.getInt32(at + 20, true);
    this.k4 = valid ? view.getUint16(at + 24, true) : -1;
    this.dayBase = base;
    return valid;
  }
}
