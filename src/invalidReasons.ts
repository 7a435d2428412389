/**
 * Why a line is invalid: a small, fixed set of stable keys, counted per stats event and in
 * the summary (`invalidReasons`), and their words for people.
 */
import type { InvalidCounts, InvalidReason } from './types.js';

/** Every reason, in the order counts are listed. */
export const INVALID_REASONS: readonly InvalidReason[] = ['no_match', 'bad_time', 'bad_status', 'bad_bytes', 'future_time', 'overlong'];

const PHRASES: Readonly<Record<InvalidReason, string>> = {
  no_match: 'not in the log format',
  bad_time: 'bad date or UTC offset',
  bad_status: 'bad status',
  bad_bytes: 'bad byte count',
  future_time: 'dated more than a day ahead',
  overlong: 'longer than 64 KiB',
};

/** The reason in words, e.g. `bad date or UTC offset`. */
export function describeReason(reason: InvalidReason): string {
  return PHRASES[reason];
}

/** Adds one line of `reason` to `counts` (in place). */
export function countReason(counts: Record<string, number>, reason: InvalidReason): void {
  counts[reason] = (counts[reason] ?? 0) + 1;
}

/** A copy of `counts` with the reasons in {@link INVALID_REASONS} order and zeros left out. */
export function orderedReasons(counts: Readonly<Record<string, number>>): InvalidCounts {
  const out: Record<string, number> = {};
  for (const reason of INVALID_REASONS) {
    const n = counts[reason];
    if (n !== undefined && n > 0) out[reason] = n;
  }
  return out as InvalidCounts;
}

/** The reason with code `code` (1-based index in {@link INVALID_REASONS}), for compact transfer. */
export function reasonOfCode(code: number): InvalidReason {
  return INVALID_REASONS[code - 1] ?? 'no_match';
}

export function codeOfReason(reason: InvalidReason): number {
  return INVALID_REASONS.indexOf(reason) + 1;
}
