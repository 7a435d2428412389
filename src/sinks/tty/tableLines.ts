import { formatAlert } from '../textFormat.js';
import { clockTime, humanBytes } from '../timeFormat.js';
import type { SectionHits, StatsEvent } from '../../types.js';
import { span, type Line, type Span } from './line.js';
import { ellipsize, pad, safeText, textWidth } from './textWidth.js';
import { duration, intervalRate } from './viewFormat.js';
import { recentHits, type RecentHits, type ViewState } from './viewState.js';

// The multi-line parts of the view (a heading, then rows); renderView decides how many rows fit.

const COLUMNS = [
  ['time', 8],
  ['hits', 7],
  ['bytes', 10],
  ['clients', 8],
  ['2xx', 6],
  ['3xx', 6],
  ['4xx', 6],
  ['5xx', 6],
  ['invalid', 8],
  ['late', 6],
] as const;

/** The interval table: a heading, then one row per interval, newest first. */
export function intervalLines(state: ViewState): Line[] {
  const heading = COLUMNS.map(([name, w], i) => (i === 0 ? pad(name, w) : pad(name, w, true))).join(' ');
  const rows = [...state.intervals].reverse().map((s) => intervalRow(s, state.config.threshold));
  return [[span(heading, 'bold')], ...(rows.length > 0 ? rows : [[span('no closed interval yet', 'dim')]])];
}

function intervalRow(s: StatsEvent, threshold: number): Line {
  const cls = (c: string): number => s.status[c] ?? 0;
  const cells: [string, Span['style']][] = [
    [clockTime(s.start), undefined],
    [String(s.hits), intervalRate(s) > threshold ? 'red' : undefined],
    [humanBytes(s.bytes), undefined],
    [String(s.hosts), undefined],
    [String(cls('2xx')), undefined],
    [String(cls('3xx')), undefined],
    [String(cls('4xx')), cls('4xx') > 0 ? 'yellow' : undefined],
    [String(cls('5xx')), cls('5xx') > 0 ? 'red' : undefined],
    [String(s.invalid), s.invalid > 0 ? 'yellow' : undefined],
    [String(s.late), s.late > 0 ? 'yellow' : undefined],
  ];
  const out: Span[] = [];
  cells.forEach(([text, style], i) => {
    const w = COLUMNS[i]?.[1] ?? 0;
    if (i > 0) out.push(span(' '));
    out.push(span(i === 0 ? pad(text, w) : pad(text, w, true), style));
  });
  return out;
}

/** Top sections of the last minute (`recentHits`) with proportional bars (names escaped). */
export function sectionLines(state: ViewState, width: number): Line[] {
  const recent = recentHits(state);
  if (recent === undefined) return [[span('top sections', 'bold')], [span('  no closed interval yet', 'dim')]];
  const title: Line = [span('top sections', 'bold'), span(`  ${recentSpan(recent)}`, 'dim')];
  if (recent.sections.length === 0) return [title, [span('  no hits', 'dim')]];
  return [title, ...hitBars(recent.sections, width)];
}

/** `--by file|vhost`: hits per log or virtual host of the last minute; nothing without `--by`. */
export function breakdownLines(state: ViewState, width: number): Line[] {
  const recent = recentHits(state);
  if (recent?.by === undefined) return [];
  const title: Line = [span('by log / vhost', 'bold'), span(`  ${recentSpan(recent)}`, 'dim')];
  if (recent.by.length === 0) return [title, [span('  no hits', 'dim')]];
  return [title, ...hitBars(recent.by, width)];
}

/** `last 1m  00:06:30–00:07:30`. */
function recentSpan(recent: RecentHits): string {
  return `last ${duration(recent.end - recent.start)}  ${clockTime(recent.start)}–${clockTime(recent.end)}`;
}

/** One row per name: the name, a bar proportional to its hits, the hits. */
function hitBars(items: readonly SectionHits[], width: number): Line[] {
  const names = items.map((x) => safeText(x.name));
  const nameWidth = Math.min(28, Math.max(...names.map(textWidth)));
  const max = Math.max(...items.map((x) => x.hits));
  const countWidth = String(max).length;
  const barWidth = Math.max(0, Math.min(40, width - 2 - nameWidth - 2 - countWidth - 1));
  return items.map((x, i): Line => {
    const len = max > 0 ? Math.min(barWidth, Math.max(x.hits > 0 ? 1 : 0, Math.round((x.hits / max) * barWidth))) : 0;
    return [
      span(`  ${pad(ellipsize(names[i] ?? '', nameWidth), nameWidth)}  `),
      span('█'.repeat(len), 'cyan'),
      span(`${' '.repeat(barWidth - len)} ${pad(String(x.hits), countWidth, true)}`),
    ];
  });
}

/** The last alert transitions, newest first, in the exact wording of `formatAlert`. */
export function alertLines(state: ViewState): Line[] {
  const title: Line = [span('alerts', 'bold'), span('  newest first', 'dim')];
  if (state.alerts.length === 0) return [title, [span('  none', 'dim')]];
  const rows = [...state.alerts].reverse().map((a): Line => [span('  '), span(formatAlert(a), a.state === 'firing' ? 'red' : 'green')]);
  return [title, ...rows];
}
