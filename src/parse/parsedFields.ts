/**
 * The fields of one parsed line, in a reused object: numbers passed between functions that
 * V8 does not inline are boxed when they are not small integers (times are not), while a
 * field of this object holds its double in place. Host and section are intern-table ids.
 */
export class ParsedFields {
  /** Event time, ms since the epoch. */
  time = 0.5;
  status = 0;
  /** Bytes may exceed the small-integer range. */
  bytes = 0.5;
  hostId = 0;
  sectionId = 0;
}
