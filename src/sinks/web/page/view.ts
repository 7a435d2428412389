import type { AlertJson } from '../model/eventJson.js';
import { timeOf } from '../model/eventJson.js';
import { alertValueCells, ruleFiringText, ruleRows } from '../model/ruleText.js';
import { Charts } from './charts.js';
import { bytes, duration, el, fill, num, table, visible } from './dom.js';
import { firing, lastInterval, totalsOf, type Store } from './store.js';
import { formatTime, saveZone, savedZone, zoneLabel, type Zone } from './timeZone.js';

/** The page's parts, built once; `render` fills them from the store. */
export class View {
  private zone: Zone = savedZone();
  private readonly state = el('span', { id: 'state', class: 'state' });
  private readonly source = el('span', { id: 'source', class: 'source' });
  private readonly banner = el('div', { id: 'banner', class: 'banner', role: 'alert', hidden: '' });
  private readonly figures = el('section', { id: 'figures', class: 'figures', 'aria-label': 'figures' });
  private readonly tables = el('section', { id: 'tables', class: 'tables' });
  private readonly note = el('p', { id: 'note', class: 'note' });
  private readonly charts: Charts;
  private pending = false;

  constructor(
    root: HTMLElement,
    private readonly store: Store,
  ) {
    const select = el(
      'select',
      { id: 'zone', 'aria-label': 'time zone' },
      el('option', { value: 'utc' }, 'UTC'),
      el('option', { value: 'local' }, `Browser (${zoneLabel('local')})`),
    );
    select.value = this.zone;
    select.addEventListener('change', () => {
      this.zone = select.value === 'local' ? 'local' : 'utc';
      saveZone(this.zone);
      this.render();
    });
    const box = (id: string, title: string): HTMLElement => {
      const b = el('div', { class: 'chart', id: `chart-${id}` });
      root.append(el('figure', { class: 'panel' }, el('figcaption', {}, title), b));
      return b;
    };
    root.append(
      el('header', {}, el('h1', {}, 'apachescan'), this.source, this.state, el('label', { class: 'zone' }, 'Time ', select)),
      this.banner,
      this.figures,
      this.note,
    );
    const boxes = {
      rate: box('rate', 'Request rate over the alert window, against the threshold (red: alert firing)'),
      status: box('status', 'Hits per interval by status class'),
      bytes: box('bytes', 'Bytes per interval'),
      clients: box('clients', 'Distinct clients per interval'),
    };
    root.append(this.tables);
    this.charts = new Charts(boxes);
  }

  /** Renders at the next frame (many events may arrive at once). */
  schedule(): void {
    if (this.pending) return;
    this.pending = true;
    requestAnimationFrame(() => {
      this.pending = false;
      this.render();
    });
  }

  render(): void {
    const s = this.store;
    const meta = s.meta;
    const t = (ms: number): string => formatTime(ms, this.zone);
    this.state.textContent = s.connection === 'report' ? 'report' : s.connection;
    this.state.dataset['state'] = s.connection;
    this.source.textContent = meta === undefined ? '' : visible(meta.source);
    // The banner: what fires now, with its time and value.
    const on = firing(s);
    if (on.length === 0) this.banner.hidden = true;
    else {
      this.banner.hidden = false;
      fill(
        this.banner,
        ...on.map((a) =>
          el(
            'div',
            a.rule === undefined ? {} : { 'data-rule': visible(a.rule) },
            a.rule === undefined
              ? `High traffic generated an alert - hits = ${a.hits}, rate ${num(a.rate)} req/s > ${num(a.threshold)}, triggered at ${t(timeOf(a.at))}`
              : ruleFiringText(a, visible(a.rule), t(timeOf(a.at))),
          ),
        ),
      );
    }
    const totals = totalsOf(s);
    const last = lastInterval(s);
    const lastRow = s.rows[s.rows.length - 1];
    const tiles: Array<[string, string, number | undefined, string]> = [
      ['rate', 'req/s now', lastRow?.rate, lastRow === undefined ? '-' : num(Math.round(lastRow.rate * 100) / 100)],
      ['threshold', 'threshold', meta?.threshold, meta === undefined ? '-' : `${num(meta.threshold)} req/s`],
      ['last-hits', 'hits, last interval', last?.hits, last === undefined ? '-' : num(last.hits)],
      ['hits', s.report === undefined ? 'hits, shown period' : 'hits, whole run', totals.hits, num(totals.hits)],
      ['bytes', 'bytes', totals.bytes, bytes(totals.bytes)],
      ['intervals', 'intervals', totals.intervals, num(totals.intervals)],
      ['peak-clients', 'peak clients', totals.peakClients, num(totals.peakClients)],
      ['invalid', 'invalid lines', totals.invalid, num(totals.invalid)],
      ['late', 'late lines', totals.late, num(totals.late)],
    ];
    if (s.report === undefined && last !== undefined) {
      const behind = Date.now() - timeOf(last.end);
      tiles.push(['lag', 'log behind the clock', behind, duration(Math.max(0, behind))]);
      if (s.progress?.idle !== undefined) tiles.push(['idle', 'last line', s.progress.idle, `${duration(s.progress.idle)} ago`]);
    }
    fill(
      this.figures,
      ...tiles.map(([key, label, value, text]) =>
        el(
          'div',
          { class: 'tile', 'data-figure': key, ...(value === undefined ? {} : { 'data-value': String(value) }) },
          el('span', { class: 'value' }, text),
          el('span', { class: 'label' }, label),
        ),
      ),
    );
    const span =
      totals.first === undefined || totals.last === undefined
        ? 'no interval yet'
        : `${t(timeOf(totals.first))} to ${t(timeOf(totals.last))} ${zoneLabel(this.zone)}`;
    const shape =
      s.bucketSize === undefined
        ? ''
        : ` Charts: ${duration(s.bucketSize * 1000)} buckets (sums; clients and rate are peaks); tables exact.`;
    const mode = s.report !== undefined ? 'Whole run' : 'Shown period (the last hour at most)';
    this.note.textContent = `${mode}: ${span}.${shape}`;
    this.charts.update(s, this.zone);
    this.renderTables(t);
  }

  private allAlerts = false;

  /** The newest transitions, and a button for all of them when there are more. */
  private alertTable(t: (ms: number) => string): Node {
    const rows = alertRows(this.store.alerts, t);
    const shown = this.allAlerts ? rows : rows.slice(0, ALERT_ROWS);
    const box = el('div', {}, table(['time', 'state', 'rule', 'value', 'threshold', 'hits in window'], shown, 'no alert'));
    if (rows.length > shown.length) {
      const more = el('button', { type: 'button', class: 'more' }, `Show all ${rows.length} transitions`);
      more.addEventListener('click', () => {
        this.allAlerts = true;
        this.render();
      });
      box.append(more);
    }
    return box;
  }

  private renderTables(t: (ms: number) => string): void {
    const s = this.store;
    const totals = totalsOf(s);
    const last = lastInterval(s);
    const panel = (id: string, title: string, body: Node): HTMLElement => el('div', { class: 'panel', id }, el('h2', {}, title), body);
    const named = (rows: ReadonlyArray<{ name: string; hits: number }>): Array<[string, number]> =>
      rows.map((r) => [visible(r.name), r.hits]);
    const parts: HTMLElement[] = [
      panel('t-alerts', 'Alert history, newest first', this.alertTable(t)),
      panel(
        't-sections',
        s.report === undefined ? 'Top sections, shown period' : 'Top sections, whole run',
        table(['section', 'hits'], named(totals.sections)),
      ),
      panel(
        't-current',
        last === undefined ? 'Last interval' : `Last interval, ${t(timeOf(last.start))}`,
        table(['section', 'hits'], named(last?.sections ?? [])),
      ),
    ];
    // The alert rules (when the events carry them): each one's value and state at the newest interval.
    const rules = ruleRows(last, s.meta, s.alerts);
    if (last?.rules !== undefined) {
      const title = `Rules, at ${t(timeOf(last.end))}`;
      parts.splice(
        1,
        0,
        panel(
          't-rules',
          title,
          table(
            ['rule', 'kind', 'value', 'threshold', 'state'],
            rules.map((r) => [visible(r.rule), r.kind, r.value, r.threshold, r.state]),
            'no rule',
          ),
        ),
      );
    }
    if (totals.by.length > 0)
      parts.push(panel('t-by', `By ${s.meta?.by ?? 'file or host'}`, table([s.meta?.by ?? 'name', 'hits'], named(totals.by))));
    const reasons = Object.entries(totals.invalidReasons).map(([k, v]): [string, number] => [`invalid: ${k}`, v]);
    const sum = s.summary;
    parts.push(
      panel(
        't-invalid',
        'Invalid and late lines',
        table(['kind', 'lines'], [...reasons, ['late (after their interval closed)', totals.late]], 'none'),
      ),
    );
    if (s.report !== undefined)
      parts.push(
        panel(
          't-busiest',
          'Busiest intervals',
          table(
            ['start', 'hits', 'bytes', 'clients'],
            s.report.busiest.slice(0, 10).map((b) => [t(timeOf(b.start)), b.hits, bytes(b.bytes), b.clients]),
          ),
        ),
      );
    const status = Object.entries(totals.status).map(([k, v]): [string, number] => [k, v]);
    parts.push(panel('t-status', 'Status classes', table(['class', 'hits'], status)));
    if (sum !== undefined) {
      const rows: Array<[string, number]> = [
        ['lines', sum.lines],
        ['parsed', sum.parsed],
        ['invalid', sum.invalid],
        ['late', sum.late],
      ];
      if (sum.held !== undefined) rows.push(['held for the next run', sum.held]);
      if (sum.outOfRange !== undefined) rows.push(['out of --since/--until', sum.outOfRange]);
      parts.push(panel('t-summary', 'Run totals', table(['', 'count'], rows)));
    }
    fill(this.tables, ...parts);
  }
}

/** The rule column of the built-in traffic alert (a rule name has no parentheses). */
const BUILT_IN = '(traffic)';

/** Alert transitions shown before "show all". */
const ALERT_ROWS = 25;

function alertRows(alerts: readonly AlertJson[], t: (ms: number) => string): Array<Array<string | number>> {
  return [...alerts]
    .reverse()
    .map((a) => [t(timeOf(a.at)), a.state, a.rule === undefined ? BUILT_IN : visible(a.rule), ...alertValueCells(a), a.hits]);
}
