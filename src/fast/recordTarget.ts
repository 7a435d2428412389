/**
 * Where parsed lines go: host and section travel as ids of the parser's intern tables, so
 * that a worker thread can hand them over as numbers.
 */
import type { EventAssembler } from './eventAssembler.js';
import type { InternTable } from './internTable.js';
import type { ParsedFields } from './parsedFields.js';

export interface RecordTarget {
  /** One parsed line; `fields` is reused once this returns. */
  record(fields: ParsedFields): void;
  invalidLine(): void;
}

/** In the same thread: ids back to strings, straight into the assembler. */
export class AssemblerTarget implements RecordTarget {
  constructor(
    private readonly events: EventAssembler,
    private readonly hosts: InternTable,
    private readonly sections: InternTable,
  ) {}

  record(fields: ParsedFields): void {
    this.events.record(fields, this.hosts.nameOf(fields.hostId), this.sections.nameOf(fields.sectionId));
  }

  invalidLine(): void {
    this.events.invalidLine();
  }
}
