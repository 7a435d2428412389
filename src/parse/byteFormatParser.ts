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
import { bytesValue, requestSectionId } from './byteLineParser.js';
import { tokenizeLogFormat } from './formatTokens.js';
import type { InternTable } from './internTable.js';
import { namedFormat } from './namedFormats.js';
import { ParsedFields } from './parsedFields.js';
import { buildPlan, type Plan } from './plan.js';
import { compileByteScan, type ByteScan } from './compileByteScan.js';
import { sectionOf } from './section.js';

const LBRACKET = 0x5b;
const RBRACKET = 0x5d;

/** Compiled scans by format (null: not ASCII, no byte parser). */
const scans = new Map<string, { readonly plan: Plan; readonly scan: ByteScan } | null>();

export class ByteFormatParser {
  readonly fields = new ParsedFields();
  private readonly clock = new ByteTimeReader();
  private readonly scan: ByteScan;
  private readonly starts: Int32Array;
  private readonly ends: Int32Array;
  private viewOf: Buffer | undefined;
  private view: DataView = new DataView(new ArrayBuffer(0));

  private constructor(
    private readonly plan: Plan,
    private readonly hosts: InternTable,
    private readonly sections: InternTable,
    scan: ByteScan,
  ) {
    this.scan = scan;
    this.starts = new Int32Array(plan.slots + 1);
    this.ends = new Int32Array(plan.slots + 1);
  }

  /** The byte parser of a LogFormat string, or undefined when one of its literals is not ASCII. */
  static of(format: string, hosts: InternTable, sections: InternTable): ByteFormatParser | undefined {
    let known = scans.get(format);
    if (known === undefined) {
      const named = namedFormat(format);
      const plan = buildPlan(tokenizeLogFormat(named?.format ?? format), named?.allowTrailing === true);
      // eslint-disable-next-line no-control-regex
      const ascii = plan.steps.every((s) => /^[\x00-\x7f]*$/.test(s.lead + s.terminator));
      // The scan is a pure function of the plan: compiled once per format.
      known = ascii ? { plan, scan: compileByteScan(plan) } : null;
      if (scans.size >= 32) scans.delete(scans.keys().next().value as string);
      scans.set(format, known);
    }
    return known === null ? undefined : new ByteFormatParser(known.plan, hosts, sections, known.scan);
  }

  /** Reads `b[start, end)`: a line without its terminator and without a trailing CR. */
  parse(b: Buffer, start: number, end: number): boolean {
    if (end > start && (b[start] as number) >= 0x80) return false; // a BOM, which the string parser skips
    if (b !== this.viewOf) {
      this.viewOf = b;
      this.view = new DataView(b.buffer, b.byteOffset, b.byteLength);
    }
    const view = this.view;
    const { starts, ends } = this;
    if (!this.scan(b, start, end, starts, ends)) return false;
    const plan = this.plan;
    if (plan.host >= 0 && ends[plan.host] === starts[plan.host]) return false; // an empty client: the string parser's no_match
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
    fields.hostId =
      plan.host < 0 ? this.hosts.idOf('') : this.hosts.intern(b, view, starts[plan.host] as number, ends[plan.host] as number);
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
}
