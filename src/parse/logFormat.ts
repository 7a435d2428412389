/**
 * `compileLogFormat`: an Apache `LogFormat` string becomes a function from a line to a
 * {@link ParsedLine}. The format is compiled once into literal/field steps (see `plan.ts`)
 * and each line is scanned by hand (see `scan.ts`); only the fields a record keeps are
 * turned into strings. The parser never throws: any line gives a record or an invalid line.
 *
 * Record fields: `host` from `%h`, else `%a` (a line where it is empty is `no_match`: its
 * fields are shifted, as in a line that starts with a space); `status` from `%>s`, else `%s`; `bytes` from
 * `%b`/`%B`, else `%O`, else 0; `method` and `path` from `%r`, else from `%m` and `%U%q`
 * (`''` when absent); `section` from the path (see `section.ts` and `request.ts`).
 * A trailing `\r` is ignored, and so is a byte-order mark at the start of the line.
 */
import type { AccessRecord, ParsedLine } from '../types.js';
import { apacheTimeAt } from './apacheTime.js';
import { DETACH_OVER, detach } from './detach.js';
import { bytesAt, statusAt } from './fields.js';
import { AUTO_VHOST_FORMAT, LOG_FORMATS, isVhostPrefixed, namedFormat } from './namedFormats.js';
import { tokenizeLogFormat } from './formatTokens.js';
import { invalidLine } from './invalid.js';
import { buildPlan, type Plan } from './plan.js';
import { methodAt, splitRequest, type RequestSplit } from './request.js';
import { scanLine } from './scan.js';
import { isOverlongLine } from '../source/overlong.js';
import { sectionOf } from './section.js';

/** Parses one log line (without its line terminator). Never throws. */
export type LineParser = (line: string) => ParsedLine;

export interface CompileOptions {
  /** Accept text after the last field when it starts with a space (e.g. extra nginx fields). */
  readonly allowTrailing?: boolean | undefined;
}

/**
 * Compiles an Apache `LogFormat` string into a line parser.
 * @param format e.g. `%h %l %u %t "%r" %>s %b`, or a name from `FORMAT_NAMES` (`auto`,
 *   `common`, `combined`, `vhost_combined`: a name implies `allowTrailing`, see `namedFormat`;
 *   `auto` also reads a line that starts with `name:port ` as vhost_combined, see
 *   `isVhostPrefixed`).
 * @returns a parser that turns a line into an `AccessRecord` or an `InvalidLine`.
 * @throws LogFormatError for an unknown directive, `%{format}t`, or a format without
 *   `%t` or a status directive.
 */
export function compileLogFormat(format: string, options: CompileOptions = {}): LineParser {
  if (format === 'auto') {
    const common = compilePlan(buildPlan(tokenizeLogFormat(LOG_FORMATS['common'] ?? ''), true));
    const vhost = compilePlan(buildPlan(tokenizeLogFormat(AUTO_VHOST_FORMAT), true));
    return (line) => (isVhostPrefixed(line) ? vhost(line) : common(line));
  }
  const named = namedFormat(format);
  const allowTrailing = options.allowTrailing === true || named?.allowTrailing === true;
  return compilePlan(buildPlan(tokenizeLogFormat(named?.format ?? format), allowTrailing));
}

function compilePlan(plan: Plan): LineParser {
  const starts = new Int32Array(plan.slots);
  const ends = new Int32Array(plan.slots);
  const split: RequestSplit = { methodEnd: 0, targetStart: 0, targetEnd: 0 };
  return (line) => {
    let end = line.length;
    if (end > 0 && line.charCodeAt(end - 1) === 0x0d) end--;
    if (!scanLine(plan, line, end, starts, ends)) return invalidLine(line, end, isOverlongLine(line) ? 'overlong' : 'no_match');
    return toRecord(plan, line, end, starts, ends, split);
  };
}

function toRecord(plan: Plan, line: string, end: number, starts: Int32Array, ends: Int32Array, split: RequestSplit): ParsedLine {
  // An empty client (a line that starts with a space): the fields after it are shifted.
  if (plan.host >= 0 && ends[plan.host] === starts[plan.host]) return invalidLine(line, end, 'no_match');
  const time = apacheTimeAt(line, starts[plan.time] ?? 0, ends[plan.time] ?? 0);
  if (Number.isNaN(time)) return invalidLine(line, end, 'bad_time');
  const status = statusAt(line, starts[plan.status] ?? 0, ends[plan.status] ?? 0);
  if (Number.isNaN(status)) return invalidLine(line, end, 'bad_status');
  const bytes = plan.bytes < 0 ? 0 : bytesAt(line, starts[plan.bytes] ?? 0, ends[plan.bytes] ?? 0);
  if (Number.isNaN(bytes)) return invalidLine(line, end, 'bad_bytes');
  const host = plan.host < 0 ? '' : line.slice(starts[plan.host] ?? 0, ends[plan.host] ?? 0);
  let method = '';
  let path = '';
  if (plan.request >= 0) {
    const start = starts[plan.request] ?? 0;
    if (splitRequest(line, start, ends[plan.request] ?? 0, split)) {
      method = methodAt(line, start, split.methodEnd);
      path = line.slice(split.targetStart, split.targetEnd);
    } else {
      path = '-';
    }
  } else {
    if (plan.method >= 0) method = methodAt(line, starts[plan.method] ?? 0, ends[plan.method] ?? 0);
    if (plan.urlPath >= 0) path = line.slice(starts[plan.urlPath] ?? 0, ends[plan.urlPath] ?? 0);
    if (plan.urlPath >= 0 && plan.query >= 0) path += line.slice(starts[plan.query] ?? 0, ends[plan.query] ?? 0);
  }
  if (plan.duration >= 0)
    return withDuration(
      line.length > DETACH_OVER
        ? detachedRecord(time, host, status, bytes, method, path)
        : { type: 'record', time, host, section: path === '' ? '-' : sectionOf(path), status, bytes, method, path },
      durationOf(plan, line, starts, ends),
    );
  if (line.length > DETACH_OVER) return detachedRecord(time, host, status, bytes, method, path);
  return { type: 'record', time, host, section: path === '' ? '-' : sectionOf(path), status, bytes, method, path };
}

/** The time taken, in seconds, or NaN when the field is not a whole number (`-`: 0). */
function durationOf(plan: Plan, line: string, starts: Int32Array, ends: Int32Array): number {
  return bytesAt(line, starts[plan.duration] ?? 0, ends[plan.duration] ?? 0) * plan.durationScale;
}

/** Formats with `%D`/`%T` only: their records carry `duration` (left out when unreadable, never invalid). */
function withDuration(record: AccessRecord, duration: number): AccessRecord {
  return Number.isNaN(duration) ? record : { ...record, duration };
}

/** The record of a long line, with its strings copied out of the line (see `detach.ts`). */
function detachedRecord(time: number, host: string, status: number, bytes: number, method: string, path: string): AccessRecord {
  const kept = detach(path);
  const section = kept === '' ? '-' : sectionOf(kept);
  return { type: 'record', time, host: detach(host), section, status, bytes, method: detach(method), path: kept };
}
