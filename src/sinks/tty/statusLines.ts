import { clockTime, isoTime } from '../timeFormat.js';
import { formatRuleValue } from '../timeFormat.js';
import { span, type Line, type Span } from './line.js';
import { block, sparkline, sparklineTop } from './sparkline.js';
import { safeText, textWidth } from './textWidth.js';
import { duration, intervalRate, num } from './viewFormat.js';
import { HISTORY, currentInterval, type LiveInterval, type ViewState } from './viewState.js';

// The one-line parts at the top of the view; renderView cuts them to the width.

/** `● FIRING  rate(2m) 18.4/s > threshold 10/s · follow · FILE · apachescan` (most important first). */
export function headerLine(state: ViewState): Line {
  const { file, mode, threshold, alertWindow } = state.config;
  const badge = state.firing ? span('● FIRING', 'redBold') : span('● OK', 'greenBold');
  const rate = state.rate;
  const over = rate !== undefined && rate > threshold;
  return [
    badge,
    span(`  rate(${duration(alertWindow)}) `),
    rate === undefined ? span('–', 'dim') : span(`${num(rate)}/s`, over ? 'red' : 'green'),
    span(` ${rate === undefined ? '' : over ? '> ' : '≤ '}threshold ${num(threshold)}/s · ${mode} · `),
    span(safeText(file), 'cyan'),
    span(' · '),
    span('apachescan', 'bold'),
  ];
}

/**
 * The open interval so far: `current  2026-01-01 00:06:40 UTC  37 hits so far · last line 4s ago`;
 * `current  – waiting for lines · last line 2m 5s ago` once it closed (see `currentInterval`).
 */
export function currentLine(state: ViewState, live: LiveInterval | undefined): Line {
  const label = span('current  ', 'bold');
  const open = currentInterval(state, live);
  const idle = live?.idle;
  const age = idle === undefined ? [] : [span(` · last line ${ago(idle)}`, idle >= STALE ? 'yellow' : 'dim')];
  if (open === undefined) return [label, span(idle === undefined ? '–' : '– waiting for lines', 'dim'), ...age];
  const date = isoTime(open.start).slice(0, 10);
  return [
    label,
    span(`${date} ${clockTime(open.start)} UTC  `),
    span(`${open.hits} ${open.hits === 1 ? 'hit' : 'hits'} so far`, 'bold'),
    ...age,
  ];
}

/** From this much silence (ms) on, "last line ... ago" is highlighted. */
const STALE = 60_000;

/** `just now`, `12s ago`, `3m 5s ago`, `2h 10m ago`. */
export function ago(ms: number): string {
  const s = Math.floor(ms / 1000);
  if (s < 1) return 'just now';
  if (s < 60) return `${s}s ago`;
  if (s < 3600) return `${Math.floor(s / 60)}m ${s % 60}s ago`;
  return `${Math.floor(s / 3600)}h ${Math.floor((s % 3600) / 60)}m ago`;
}

/** `totals   lines 5000 · parsed 4990 · invalid 10 · late 3` */
export function totalsLine(state: ViewState): Line {
  const t = state.totals;
  return [
    span('totals   ', 'bold'),
    span(`lines ${t.lines} · parsed ${t.parsed} · `),
    span(`invalid ${t.invalid}`, t.invalid > 0 ? 'yellow' : undefined),
    span(' · '),
    span(`late ${t.late}`, t.late > 0 ? 'yellow' : undefined),
    span(t.final ? '' : '  (closed intervals so far)', 'dim'),
    span(t.held === undefined ? '' : `  + ${t.held} held in open windows for the next run`, 'dim'),
  ];
}

/**
 * `rate/s   ▁▂▃▅█▇▃▁  peak 23.4/s · threshold 10/s = ▅`: one block per interval (the last
 * ones that fit, at most HISTORY), scaled to the peak or the threshold; intervals above the
 * threshold in red; the threshold marker is the block its level maps to.
 */
export function sparklineLine(state: ViewState, width: number): Line {
  const threshold = state.config.threshold;
  const rates = state.intervals.map(intervalRate);
  const label = span('rate/s   ', 'bold');
  if (rates.length === 0) return [label, span('–', 'dim')];
  const top = sparklineTop(rates, threshold);
  const suffix = `  peak ${num(Math.max(...rates))}/s · threshold ${num(threshold)}/s = ${block(threshold, top)}`;
  const room = Math.max(10, width - textWidth(label.text) - textWidth(suffix));
  const shown = rates.slice(-Math.min(HISTORY, room));
  // Runs of intervals on the same side of the threshold share one colour.
  const bars: Span[] = [];
  let run: number[] = [];
  shown.forEach((r, i) => {
    run.push(r);
    const next = shown[i + 1];
    if (next === undefined || next > threshold !== r > threshold) {
      bars.push(span(sparkline(run, top), r > threshold ? 'red' : 'green'));
      run = [];
    }
  });
  return [label, ...bars, span(suffix, 'dim')];
}

/** `rules    ● errors 6.2% > 5% · ○ slow 120 ms ≤ 500 ms`: each alert rule, firing ones in red; undefined without rules. */
export function rulesLine(state: ViewState): Line | undefined {
  if (state.rules === undefined || state.rules.length === 0) return undefined;
  const line: Span[] = [span('rules    ', 'bold')];
  state.rules.forEach((r, i) => {
    if (i > 0) line.push(span(' · ', 'dim'));
    const value = r.value === null ? '–' : formatRuleValue(r.kind, r.value);
    const relation = r.value !== null && r.value > r.threshold ? '>' : '≤';
    line.push(
      span(`${r.firing ? '●' : '○'} ${r.rule} ${value} ${relation} ${formatRuleValue(r.kind, r.threshold)}`, r.firing ? 'red' : 'green'),
    );
  });
  return line;
}
