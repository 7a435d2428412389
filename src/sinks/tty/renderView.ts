import { fitLine, type Line } from './line.js';
import { currentLine, headerLine, rulesLine, sparklineLine, totalsLine } from './statusLines.js';
import { alertLines, breakdownLines, intervalLines, sectionLines } from './tableLines.js';
import type { LiveInterval, ViewState } from './viewState.js';

export interface RenderOptions {
  /** Terminal columns: every line is cut to this width. */
  readonly width: number;
  /** Terminal rows: parts that do not fit are shortened or dropped, never wrapped. */
  readonly height: number;
  /** Emit ANSI colours (SGR); plain text when false. */
  readonly color: boolean;
  /** The open interval so far, if the engine can tell. */
  readonly live?: LiveInterval | undefined;
}

/**
 * A part of the view, shown in array order. Its rows are granted in stages: every stage of
 * every part, by `priority` (lower first), grows the part up to `upTo` lines if rows are left.
 */
interface Part {
  readonly lines: readonly Line[];
  readonly stages: readonly { readonly priority: number; readonly upTo: number }[];
  /** Fewest lines worth showing (heading + one row); the part is dropped rather than shown shorter. */
  readonly min: number;
  /** Preceded by a blank line when shown. */
  readonly gap: boolean;
}

/**
 * The whole view as screen lines, at most `height` of them, none wider than `width` columns.
 * Pure: the same state and options give the same lines. When rows are short, the interval
 * table shrinks first (to five rows), then the top sections go, then the rest of the table,
 * then the alert history; the header goes last.
 */
export function renderView(state: ViewState, options: RenderOptions): string[] {
  const { width, height, color } = options;
  if (width <= 0 || height <= 0) return [];
  const all = Infinity;
  const one = (priority: number, lines: readonly Line[]): Part => ({ lines, stages: [{ priority, upTo: 1 }], min: 1, gap: false });
  const parts: Part[] = [
    one(0, [headerLine(state)]),
    one(1, [currentLine(state, options.live)]),
    one(2, [sparklineLine(state, width)]),
    one(3, [totalsLine(state)]),
    ...withRules(state),
    {
      lines: intervalLines(state),
      stages: [
        { priority: 5, upTo: 6 },
        { priority: 7, upTo: all },
      ],
      min: 2,
      gap: true,
    },
    { lines: sectionLines(state, width), stages: [{ priority: 6, upTo: all }], min: 2, gap: true },
    { lines: breakdownLines(state, width), stages: [{ priority: 8, upTo: all }], min: 2, gap: true },
    { lines: alertLines(state), stages: [{ priority: 4, upTo: all }], min: 2, gap: true },
  ];
  const shown = allocate(parts, height);
  const out: string[] = [];
  parts.forEach((part, i) => {
    const n = shown[i] ?? 0;
    if (n === 0) return;
    if (part.gap) out.push('');
    for (const line of part.lines.slice(0, n)) out.push(fitLine(line, width, color));
  });
  return out;
}

/** Lines granted to each part (by index) within `height` rows, stage by stage. */
function allocate(parts: readonly Part[], height: number): number[] {
  const shown = parts.map(() => 0);
  const stages = parts.flatMap((part, i) => part.stages.map((stage) => ({ ...stage, i }))).sort((a, b) => a.priority - b.priority);
  let left = height;
  for (const { i, upTo } of stages) {
    const part = parts[i];
    const had = shown[i] ?? 0;
    if (part === undefined) continue;
    const gap = had === 0 && part.gap ? 1 : 0;
    const n = Math.min(part.lines.length, upTo, had + left - gap);
    if (n <= had || (had === 0 && n < Math.min(part.min, part.lines.length))) continue;
    shown[i] = n;
    left -= n - had + gap;
  }
  return shown;
}

/** The alert rules' line, when there are rules (shown after the totals, before the alert history). */
function withRules(state: ViewState): Part[] {
  const line = rulesLine(state);
  return line === undefined ? [] : [{ lines: [line], stages: [{ priority: 3.5, upTo: 1 }], min: 1, gap: false }];
}
