/**
 * Per line: skip blank lines, read the line with the byte parser, or, when it is unsure (or
 * the format is a custom one), decode the line and ask the string parser; the parsed fields
 * go to a record target. Mirrors `readLogFile` (src/source/readLines.ts: one trailing `\r`
 * stripped, lines over `DEFAULT_MAX_LINE_BYTES` invalid) feeding `parseAccessLog`.
 */
import { resolveFormat, type LineParser } from '../parse/index.js';
import { DEFAULT_MAX_LINE_BYTES } from '../source/lineSplitter.js';
import { ByteLineParser, SECTION_SEEDS } from './byteLineParser.js';
import { shapeOf } from './fastShape.js';
import { InternTable } from './internTable.js';
import { ParsedFields } from './parsedFields.js';
import type { RecordTarget } from './recordTarget.js';

const CR = 0x0d;

/** Lines longer than this (after one trailing `\r` is stripped) are invalid, as `readLogFile` cuts them. */
export const MAX_LINE_BYTES = DEFAULT_MAX_LINE_BYTES;

export class LineSink {
  /** Set when the consumer is gone: the splitter stops feeding lines. */
  stopped = false;
  /** The fields of a line read by the string parser. */
  private readonly fields = new ParsedFields();

  /**
   * @param bytesParser the byte parser, or undefined for a format it does not read.
   * @param hosts, sections where ids come from for lines of the string parser (the byte parser's tables).
   */
  constructor(
    private readonly bytesParser: ByteLineParser | undefined,
    private readonly textParser: LineParser,
    private readonly hosts: InternTable,
    private readonly sections: InternTable,
    private readonly target: RecordTarget,
  ) {}

  /** The line `b[start, end)`, without its `\n`. */
  line(b: Buffer, start: number, end: number): void {
    if (end > start && b[end - 1] === CR) end--; // the line splitter's
    if (end - start > MAX_LINE_BYTES) return this.target.invalidLine('overlong');
    // isBlankLine: only space, tab, CR, LF, VT, FF (all ASCII, so bytes decide as characters do).
    let k = start;
    for (; k < end; k++) {
      const c = b[k] as number;
      if (c !== 0x20 && (c < 0x09 || c > 0x0d)) break;
    }
    if (k === end) return;
    const parser = this.bytesParser;
    if (parser !== undefined && parser.parse(b, start, b[end - 1] === CR ? end - 1 : end)) {
      this.target.record(parser.fields);
      return;
    }
    const parsed = this.textParser(b.toString('utf8', start, end));
    if (parsed.type === 'record') {
      const fields = this.fields;
      fields.time = parsed.time;
      fields.status = parsed.status;
      fields.bytes = parsed.bytes;
      fields.hostId = this.hosts.idOf(parsed.host);
      fields.sectionId = this.sections.idOf(parsed.section);
      this.target.record(fields);
    } else {
      this.target.invalidLine(parsed.reason);
    }
  }

  /** A line too long to be kept whole (the splitter dropped its bytes): invalid. */
  overlongLine(): void {
    this.target.invalidLine('overlong');
  }
}

/**
 * The line sink for a format: the byte parser when it reads the format, the string parser
 * always (for what the byte parser is unsure of). `target` gets the intern tables that the ids
 * it receives belong to.
 */
export function createLineSink(format: string, target: (hosts: InternTable, sections: InternTable) => RecordTarget): LineSink {
  const shape = shapeOf(format);
  const hosts = new InternTable(16);
  const sections = new InternTable(16, SECTION_SEEDS);
  const bytesParser = shape === undefined ? undefined : new ByteLineParser(shape, hosts, sections);
  return new LineSink(bytesParser, resolveFormat(format), hosts, sections, target(hosts, sections));
}
