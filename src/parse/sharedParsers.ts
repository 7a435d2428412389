/**
 * Parsers lent chunk by chunk (`parseAccessLog`, and each followed file of `monitorFiles`): a
 * batch is lent, valid only during the call that hands it over, so a parser is needed only while
 * a chunk is parsed, and ten thousand sources parsed apiece share a few, not one each. Each
 * chunk's batches carry the dictionaries their ids name.
 */
import type { LineChunk } from '../source/lineChunk.js';
import { BatchParser } from './batchParser.js';
import type { RecordBatch } from './recordBatch.js';

/** Parsers kept for reuse between chunks (more at once only when a parse runs inside another's emit). */
const MAX_SPARE_PARSERS = 4;

export class SharedParsers {
  private readonly spare: BatchParser[];

  /** @throws LogFormatError for a format `resolveFormat` rejects (compiled now, once). */
  constructor(private readonly format: string) {
    this.spare = [new BatchParser(format)];
  }

  /** Parses `lines` (a chunk, or one line as a string), handing each batch to `emit`. */
  parse(lines: LineChunk | string, emit: (batch: RecordBatch) => void): void {
    const parser = this.spare.pop() ?? new BatchParser(this.format);
    try {
      if (typeof lines !== 'string') parser.parseChunk(lines, emit);
      else {
        const batch = parser.parseLine(lines);
        if (batch !== undefined) emit(batch);
      }
    } finally {
      if (this.spare.length < MAX_SPARE_PARSERS) this.spare.push(parser.reset());
    }
  }
}
