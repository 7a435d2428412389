/**
 * Lines into record batches (`recordBatch.ts`): blank lines skipped, lines read on bytes (the
 * named formats by `byteLineParser.ts`, custom LogFormats by `byteFormatParser.ts`; host and
 * section interned), and whatever the byte parser is unsure of decoded and given to the
 * string parser. Rows
 * carry exactly what the string parser makes of the line (its time, host, section, status and
 * bytes; an invalid line as its `InvalidLine`).
 *
 * Two inputs: line chunks (byte ranges, from our sources) and single strings (a batch of one,
 * from any `Observable<string>`).
 */
import type { InvalidLine } from '../types.js';
import type { LineChunk } from '../source/lineChunk.js';
import { isBlankLine } from './blank.js';
import { ByteFormatParser } from './byteFormatParser.js';
import { ByteLineParser, SECTION_SEEDS } from './byteLineParser.js';
import type { ParsedFields } from './parsedFields.js';
import { shapeOf } from './byteShape.js';
import { formatHasDuration, resolveFormat } from './formats.js';
import { InternTable, MAX_KEY } from './internTable.js';
import type { LineParser } from './logFormat.js';
import { BATCH_ROWS, RecordBatch } from './recordBatch.js';

const CR = 0x0d;
/** Strings up to this many characters go through the byte parser (their UTF-8 fits the scratch buffer). */
const SCRATCH_CHARS = 1 << 14;

export class BatchParser {
  readonly batch: RecordBatch;
  private readonly hosts = new InternTable(16);
  private readonly sections = new InternTable(16, SECTION_SEEDS);
  /** The named formats' byte parser, or a custom format's (when its literals are ASCII). */
  private readonly bytesParser: { parse(b: Buffer, start: number, end: number): boolean; readonly fields: ParsedFields } | undefined;
  private readonly textParser: LineParser;
  private readonly scratch = Buffer.allocUnsafe(SCRATCH_CHARS * 3);
  /** Row -> line of the current chunk. */
  private readonly rowLine = new Int32Array(BATCH_ROWS);
  private chunk: LineChunk | undefined;
  private line = '';
  private overlongLine: InvalidLine | undefined;
  private readonly chunkText = (row: number): string => (this.chunk as LineChunk).text(this.rowLine[row] as number);
  private readonly lineText = (): string => this.line;

  /** @throws LogFormatError for a format `resolveFormat` rejects. */
  constructor(format: string) {
    this.textParser = resolveFormat(format);
    const shape = shapeOf(format);
    this.bytesParser =
      shape === undefined ? ByteFormatParser.of(format, this.hosts, this.sections) : new ByteLineParser(shape, this.hosts, this.sections);
    this.batch = new RecordBatch(this.textParser);
    this.batch.durations = formatHasDuration(format);
  }

  /**
   * Parses the lines of `chunk`, handing over a batch per BATCH_ROWS rows (none for blank lines
   * only).
   */
  parseChunk(chunk: LineChunk, emit: (batch: RecordBatch) => void): void {
    const batch = this.batch;
    this.chunk = chunk;
    const { bytes, starts, ends, overlong, count } = chunk;
    for (let from = 0; from < count; from += BATCH_ROWS) {
      const to = Math.min(count, from + BATCH_ROWS);
      this.prepare(to - from);
      batch.textOf = this.chunkText;
      batch.lines = { chunk, rowLine: this.rowLine };
      for (let i = from; i < to; i++) {
        if (overlong[i] === 1) {
          this.rowLine[batch.count] = i;
          this.invalidRow((this.overlongLine ??= this.textParser(chunk.text(i)) as InvalidLine));
        } else if (this.addBytes(bytes, starts[i] as number, ends[i] as number)) {
          this.rowLine[batch.count - 1] = i;
        }
      }
      if (batch.count > 0) emit(batch);
    }
  }

  /** A batch of one for `line`, or undefined for a blank line. */
  parseLine(line: string): RecordBatch | undefined {
    if (isBlankLine(line)) return undefined;
    const batch = this.batch;
    this.prepare(1);
    this.line = line;
    batch.textOf = this.lineText;
    batch.lines = undefined;
    this.addText(line);
    return batch;
  }

  /** One non-blank line given as a string: a row. */
  private addText(line: string): void {
    const parser = this.bytesParser;
    if (parser !== undefined && line.length <= SCRATCH_CHARS) {
      const scratch = this.scratch;
      const n = scratch.write(line, 0, 'utf8');
      // As many bytes as characters: ASCII only, so the bytes say what the characters say.
      if (n === line.length && parser.parse(scratch, 0, n > 0 && scratch[n - 1] === CR ? n - 1 : n)) {
        this.fieldsRow();
        return;
      }
    }
    this.textRow(line);
  }

  /** Ready for another source's lines (its dictionaries kept: ids of one generation keep their names). */
  reset(): this {
    this.batch.reset();
    this.chunk = undefined;
    this.line = '';
    return this;
  }

  /** Room for `rows` more rows: a batch never spans two generations of an intern table. */
  private prepare(rows: number): void {
    const batch = this.batch;
    batch.reset();
    if (!this.hosts.hasRoom(rows, rows * MAX_KEY)) this.hosts.clear();
    if (!this.sections.hasRoom(rows, rows * MAX_KEY)) this.sections.clear();
    batch.hostDict = this.hosts.dictionary;
    batch.sectionDict = this.sections.dictionary;
  }

  /** The line `b[start, end)` (one trailing CR already stripped); false when blank. */
  private addBytes(b: Buffer, start: number, end: number): boolean {
    // isBlankLine: only space, tab, CR, LF, VT, FF (all ASCII, so bytes decide as characters do).
    let k = start;
    for (; k < end; k++) {
      const c = b[k] as number;
      if (c !== 0x20 && (c < 0x09 || c > 0x0d)) break;
    }
    if (k === end) return false;
    const parser = this.bytesParser;
    if (parser?.parse(b, start, b[end - 1] === CR ? end - 1 : end)) this.fieldsRow();
    else this.textRow(b.toString('utf8', start, end));
    return true;
  }

  private fieldsRow(): void {
    const fields = (this.bytesParser as { readonly fields: ParsedFields }).fields;
    const batch = this.batch;
    const row = batch.count++;
    batch.times[row] = fields.time;
    batch.status[row] = fields.status;
    batch.bytes[row] = fields.bytes;
    batch.hostIds[row] = fields.hostId;
    batch.sectionIds[row] = fields.sectionId;
  }

  private textRow(line: string): void {
    const parsed = this.textParser(line);
    if (parsed.type === 'invalid') {
      this.invalidRow(parsed);
      return;
    }
    const batch = this.batch;
    const row = batch.count++;
    batch.times[row] = parsed.time;
    batch.status[row] = parsed.status;
    batch.bytes[row] = parsed.bytes;
    batch.hostIds[row] = this.hosts.idOf(parsed.host);
    batch.sectionIds[row] = this.sections.idOf(parsed.section);
  }

  private invalidRow(invalid: InvalidLine): void {
    const batch = this.batch;
    batch.status[batch.count++] = 0;
    batch.invalid.push(invalid);
  }
}
