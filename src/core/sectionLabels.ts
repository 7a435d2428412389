import type { SectionHits } from '../types.js';

/** The label value that collects every section without a label of its own. */
export const OTHER_SECTION = 'other';

/** Sections longer than this never get a label of their own (they fold into `other`). */
export const MAX_SECTION_LABEL_LENGTH = 128;

/**
 * Which sections have a label of their own: the first `maxSections` distinct sections seen
 * over the process lifetime. Later ones fold into `other`, so a scanner requesting random
 * paths cannot grow the label set without bound.
 */
export interface SectionLabels {
  /** How many sections get a label of their own; the others count as `other`. */
  readonly maxSections: number;
  /** The sections that have one, first come first served. */
  readonly known: Set<string>;
}

/** An empty label set that gives at most `maxSections` sections a label of their own. */
export function createSectionLabels(maxSections: number): SectionLabels {
  if (!Number.isInteger(maxSections) || maxSections < 0) {
    throw new RangeError(`maxSections must be a non-negative integer, got ${maxSections}`);
  }
  return { maxSections, known: new Set() };
}

/**
 * Hits per `section` label for one stats event. The first `top` listed sections keep their
 * name while they fit under the cap; all other hits (unlisted sections, sections past `top`
 * or past the cap) go to `other`, so the values always add up to `hits`. `other` is always
 * present (possibly 0). Registers newly labelled sections in `labels`.
 */
export function foldSections(
  labels: SectionLabels,
  sections: readonly SectionHits[],
  hits: number,
  top: number = Number.POSITIVE_INFINITY,
): Map<string, number> {
  const out = new Map<string, number>();
  let labelled = 0;
  sections.forEach((section, i) => {
    if (i >= top || !labelFor(labels, section.name)) return;
    out.set(section.name, (out.get(section.name) ?? 0) + section.hits);
    labelled += section.hits;
  });
  out.set(OTHER_SECTION, Math.max(0, hits - labelled));
  return out;
}

/** Whether `name` has (or now gets) a label of its own. */
function labelFor(labels: SectionLabels, name: string): boolean {
  if (labels.known.has(name)) return true;
  if (name === OTHER_SECTION || name.length > MAX_SECTION_LABEL_LENGTH) return false;
  if (labels.known.size >= labels.maxSections) return false;
  labels.known.add(name);
  return true;
}
