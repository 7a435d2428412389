/**
 * A custom `LogFormat` read on bytes: the steps of its scan plan (`plan.ts`), walked over the
 * line's bytes as `scanLine` (`scan.ts`) walks them over characters, then time, status and
 * bytes read in place and host and section interned, as the named formats' byte parser does.
 *
 * Contract (as `byteLineParser.ts`): when `parse` returns true, `fields` are exactly what the
 * string parser (`compileLogFormat`) makes of the decoded line; when false, nothing is claimed
 * and the caller asks the string parser. Why bytes find the same places: every literal of the
 * format is ASCII (else there is no byte parser for it), and UTF-8 decoding maps each ASCII byte
 * to itself and never makes an ASCII character from other bytes.
 */
import { ByteTimeReader } from './byteTime.js';
import { bytesValue, closingQuote, requestSectionId } from './byteLineParser.js';
import { tokenizeLogFormat } from './formatTokens.js';
import type { InternTable } from './internTable.js';
import { namedFormat } from './namedFormats.js';
import { ParsedFields } from './parsedFields.js';
import { Mode, buildPlan, type Plan, type Step } from './plan.js';
import { sectionOf } from './section.js';

const SP = 0x20;
const LBRACKET = 0x5b;
const RBRACKET = 0x5d;
const QUESTION = 0x3f;

interface ByteStep {
  readonly step: Step;
  readonly lead: Buffer;
  readonly terminator: Buffer;
}

export class ByteFormatParser {
  readonly fields = new ParsedFields();
  private readonly clock = new ByteTimeReader();
  private readonly steps: readonly ByteStep[];
  private readonly starts: Int32Array;
  private readonly ends: Int32Array;
  private viewOf: Buffer | undefined;
  private view: DataView = new DataView(new ArrayBuffer(0));

  private constructor(
    private readonly plan: Plan,
    private readonly hosts: InternTable,
    private readonly sections: InternTable,
  ) {
    this.steps = plan.steps.map((step) => ({ step, lead: Buffer.from(step.lead, 'latin1'), terminator: Buffer.from(step.terminator, 'latin1') }));
    this.starts = new Int32Array(plan.slots + 1);
    this.ends = new Int32Array(plan.slots + 1);
  }

  /** The byte parser of a LogFormat string, or undefined when one of its literals is not ASCII. */
  static of(format: string, hosts: InternTable, sections: InternTable): ByteFormatParser | undefined {
    const named = namedFormat(format);
    const plan = buildPlan(tokenizeLogFormat(named?.format ?? format), named?.allowTrailing === true);
    // eslint-disable-next-line no-control-regex
    if (!plan.steps.every((s) => /^[\x00-\x7f]*$/.test(s.lead + s.terminator))) return undefined;
    return new ByteFormatParser(plan, hosts, sections);
  }

  /** Reads `b[start, end)`: a line without its terminator and without a trailing CR. */
  parse(b: Buffer, start: number, end: number): boolean {
    if (end > start && (b[start] as number) >= 0x80) return false; // a BOM, which the string parser skips
    if (b !== this.viewOf) {
      this.viewOf = b;
      this.view = new DataView(b.buffer, b.byteOffset, b.byteLength);
    }
    const view = this.view;
    if (!this.scan(b, view, start, end)) return false;
    const plan = this.plan;
    const { starts, ends } = this;
    // %t: `[...]` or bare, 26 characters of Apache time.
    let t = starts[plan.time] as number;
    let te = ends[plan.time] as number;
    if (te - t === 28 && b[t] === LBRACKET && b[te - 1] === RBRACKET) {
      t++;
      te--;
    }
    if (te - t !== 26 || !this.clock.read(b, view, t)) return false;
    const s = starts[plan.status] as number;
    if ((ends[plan.status] as number) - s !== 3) return false;
    const s1 = (b[s] as number) - 0x30;
    const s2 = (b[s + 1] as number) - 0x30;
    const s3 = (b[s + 2] as number) - 0x30;
    if (!(s1 >= 1 && s1 <= 9 && s2 >= 0 && s2 <= 9 && s3 >= 0 && s3 <= 9)) return false;
    const bytes = plan.bytes < 0 ? 0 : bytesValue(b, starts[plan.bytes] as number, ends[plan.bytes] as number);
    if (Number.isNaN(bytes)) return false;
    const fields = this.fields;
    fields.sectionId = this.sectionId(b, view);
    fields.hostId = plan.host < 0 ? this.hosts.idOf('') : this.hosts.intern(b, view, starts[plan.host] as number, ends[plan.host] as number);
    fields.time = this.clock.time;
    fields.status = s1 * 100 + s2 * 10 + s3;
    fields.bytes = bytes;
    return true;
  }

  private sectionId(b: Buffer, view: DataView): number {
    const { plan, starts, ends } = this;
    if (plan.request >= 0) return requestSectionId(b, view, starts[plan.request] as number, ends[plan.request] as number, this.sections);
    if (plan.urlPath < 0) return this.sections.idOf('-');
    let path = b.toString('utf8', starts[plan.urlPath] as number, ends[plan.urlPath] as number);
    if (plan.query >= 0) path += b.toString('utf8', starts[plan.query] as number, ends[plan.query] as number);
    return this.sections.idOf(path === '' ? '-' : sectionOf(path));
  }

  /** `scanLine` on bytes: fills `starts` / `ends` per slot; false when the line does not have the format's shape. */
  private scan(b: Buffer, view: DataView, start: number, end: number): boolean {
    const { starts, ends } = this;
    let pos = start;
    for (const { step, lead, terminator } of this.steps) {
      if (step.known < lead.length) {
        if (pos + lead.length > end) return false;
        for (let k = step.known; k < lead.length; k++) if (b[pos + k] !== lead[k]) return false;
      }
      pos += lead.length;
      const slot = step.slot;
      if (slot < 0) continue;
      const fieldEnd = fieldEndAt(step, terminator, b, view, pos, end);
      if (fieldEnd < 0) return false;
      starts[slot] = pos;
      ends[slot] = fieldEnd;
      if (step.querySplit) {
        let q = pos;
        while (q < fieldEnd && b[q] !== QUESTION) q++;
        ends[slot] = q;
        starts[slot + 1] = q;
        ends[slot + 1] = fieldEnd;
      }
      pos = fieldEnd;
    }
    return pos === end || (this.plan.allowTrailing && b[pos] === SP);
  }
}

/** `fieldEndAt` of scan.ts on bytes (searches bounded by the line). */
function fieldEndAt(step: Step, terminator: Buffer, b: Buffer, view: DataView, pos: number, end: number): number {
  if (step.bracketed && b[pos] === LBRACKET) {
    if (b[pos + 27] === RBRACKET && pos + 28 <= end) return pos + 28;
    for (let k = pos; k < end; k++) if (b[k] === RBRACKET) return k + 1;
    return -1;
  }
  switch (step.mode) {
    case Mode.Quoted:
      return closingQuote(b, view, pos, end);
    case Mode.UntilLiteral:
      return findBytes(b, pos, end, terminator);
    case Mode.UntilSpaceOrEnd: {
      let at = pos;
      while (at < end && b[at] !== SP) at++;
      return at;
    }
    default:
      return end;
  }
}

/** Start of the first occurrence of `literal` in `b[pos, end)`, or -1. */
function findBytes(b: Buffer, pos: number, end: number, literal: Buffer): number {
  const first = literal[0] as number;
  const last = end - literal.length;
  outer: for (let at = pos; at <= last; at++) {
    if (b[at] !== first) continue;
    for (let k = 1; k < literal.length; k++) if (b[at + k] !== literal[k]) continue outer;
    return at;
  }
  return -1;
}
