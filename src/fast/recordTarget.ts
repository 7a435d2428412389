/**
 * Where parsed lines go: the event assembler on the same thread, or the batch writer of the
 * parsing worker. Host and section travel as ids of the parser's intern tables.
 */
import type { InvalidReason } from '../types.js';
import type { ParsedFields } from './parsedFields.js';

export interface RecordTarget {
  /** One parsed line; `fields` is reused once this returns. */
  record(fields: ParsedFields): void;
  /** One non-blank line that did not parse. */
  invalidLine(reason: InvalidReason): void;
}
