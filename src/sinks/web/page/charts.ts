import uPlot from 'uplot';
import { timeOf } from '../model/eventJson.js';
import { firingPeriods } from '../model/totals.js';
import type { Row, Store } from './store.js';
import { formatTime, type Zone } from './timeZone.js';

/** Status classes in the order and colours the charts use. */
const CLASSES: ReadonlyArray<readonly [string, string]> = [
  ['1xx', '#8c8c8c'],
  ['2xx', '#2e9e44'],
  ['3xx', '#3a7bd5'],
  ['4xx', '#e08a00'],
  ['5xx', '#d6333a'],
];

interface Chart {
  plot: uPlot;
  data: (rows: readonly Row[], store: Store) => uPlot.AlignedData;
}

/** The four charts; re-created when the time zone changes, fed new data each render. */
export class Charts {
  private charts: Chart[] = [];
  private zone: Zone | undefined;
  private readonly observer: ResizeObserver;

  constructor(private readonly boxes: { rate: HTMLElement; status: HTMLElement; bytes: HTMLElement; clients: HTMLElement }) {
    this.observer = new ResizeObserver(() => this.resize());
    for (const box of Object.values(boxes)) this.observer.observe(box);
  }

  update(store: Store, zone: Zone): void {
    if (zone !== this.zone) {
      for (const c of this.charts) c.plot.destroy();
      this.charts = [];
      this.zone = zone;
    }
    if (this.charts.length === 0) this.create(store, zone);
    for (const c of this.charts) c.plot.setData(c.data(store.rows, store));
  }

  private create(store: Store, zone: Zone): void {
    const tzDate = zone === 'utc' ? (ts: number) => uPlot.tzDate(new Date(ts * 1e3), 'Etc/UTC') : (ts: number) => new Date(ts * 1e3);
    // 24-hour clock in the chosen zone; the date too when the axis spans days.
    const clock = (u: uPlot, vals: number[]): string[] => {
      const span = (u.scales['x']?.max ?? 0) - (u.scales['x']?.min ?? 0);
      return vals.map((v) => {
        const text = formatTime(v * 1000, zone);
        return span > 86_400 ? `${text.slice(5, 10)}\n${text.slice(11, 16)}` : span >= 600 ? text.slice(11, 16) : text.slice(11, 19);
      });
    };
    const x = (rows: readonly Row[]): number[] => rows.map((r) => r.end / 1000);
    const base = (box: HTMLElement, series: uPlot.Series[], extra: Partial<uPlot.Options> = {}): uPlot.Options => ({
      width: Math.max(200, box.clientWidth),
      height: 180,
      tzDate,
      legend: { live: true },
      cursor: { drag: { x: true, y: false } },
      scales: { x: { time: true } },
      axes: [
        {
          stroke: 'currentColor',
          values: clock,
          space: 70,
          grid: { stroke: 'rgba(128,128,128,0.2)' },
          ticks: { stroke: 'rgba(128,128,128,0.3)' },
        },
        { stroke: 'currentColor', grid: { stroke: 'rgba(128,128,128,0.2)' }, ticks: { stroke: 'rgba(128,128,128,0.3)' }, size: 60 },
      ],
      series: [{ value: (_u: uPlot, v: number | null) => (v == null ? '-' : formatTime(v * 1000, zone)) }, ...series],
      ...extra,
    });
    const bucketed = store.bucketSize !== undefined;
    // Rate against the threshold: the built-in alert's firing periods shaded, each of its transitions marked (rules are in their panel).
    const traffic = store.alerts.filter((a) => a.rule === undefined);
    const shade = (u: uPlot): void => {
      const ctx = u.ctx;
      const { left, top, width, height } = u.bbox;
      ctx.save();
      ctx.fillStyle = 'rgba(214, 51, 58, 0.15)';
      for (const p of firingPeriods(traffic, timeOf)) {
        const from = Math.max(left, u.valToPos(p.from / 1000, 'x', true));
        const to = p.to === undefined ? left + width : Math.min(left + width, u.valToPos(p.to / 1000, 'x', true));
        if (to > from) ctx.fillRect(from, top, to - from, height);
      }
      ctx.restore();
    };
    const marks = (u: uPlot): void => {
      const ctx = u.ctx;
      const { left, top, width, height } = u.bbox;
      ctx.save();
      ctx.lineWidth = 2 * devicePixelRatio;
      ctx.setLineDash([]);
      // Too many transitions in view to tell apart: the shading alone says it (the table has them all).
      const [min, max] = [u.scales['x']?.min ?? -Infinity, u.scales['x']?.max ?? Infinity];
      const shown = traffic.filter((a) => timeOf(a.at) / 1000 >= min && timeOf(a.at) / 1000 <= max);
      if (shown.length > width / (8 * devicePixelRatio)) {
        ctx.restore();
        return;
      }
      for (const a of shown) {
        const px = u.valToPos(timeOf(a.at) / 1000, 'x', true);
        if (px < left || px > left + width) continue;
        ctx.strokeStyle = a.state === 'firing' ? '#d6333a' : '#2e9e44';
        ctx.beginPath();
        ctx.moveTo(px, top);
        ctx.lineTo(px, top + height);
        ctx.stroke();
      }
      ctx.restore();
    };
    const rateLabel = bucketed ? 'peak req/s (alert window)' : 'req/s (alert window)';
    const rate: Chart = {
      plot: new uPlot(
        base(
          this.boxes.rate,
          [
            {
              label: rateLabel,
              stroke: '#3a7bd5',
              width: 2,
              fill: 'rgba(58,123,213,0.1)',
              value: (_u, v) => (v == null ? '-' : v.toFixed(2)),
            },
            { label: 'threshold', stroke: '#d6333a', dash: [6, 4], width: 1.5 },
          ],
          {
            hooks: { drawClear: [shade], draw: [marks] },
            scales: { x: { time: true }, y: { range: (_u, _min, max) => [0, Math.max(max, (store.meta?.threshold ?? 0) * 1.2, 1)] } },
          },
        ),
        [[], [], []],
        this.boxes.rate,
      ),
      data: (rows, s) => [x(rows), rows.map((r) => r.rate), rows.map(() => s.meta?.threshold ?? 0)],
    };
    const classes = CLASSES;
    const status: Chart = {
      plot: new uPlot(
        base(
          this.boxes.status,
          classes.map(([name, color]) => ({
            label: name,
            stroke: color,
            width: 1.5,
            value: (_u: uPlot, v: number | null) => (v == null ? '-' : String(v)),
          })),
        ),
        [[], ...classes.map(() => [])],
        this.boxes.status,
      ),
      data: (rows) => [x(rows), ...classes.map(([name]) => rows.map((r) => r.status[name] ?? 0))],
    };
    const bytes: Chart = {
      plot: new uPlot(
        base(this.boxes.bytes, [{ label: 'bytes', stroke: '#7a4fc9', width: 1.5, fill: 'rgba(122,79,201,0.1)' }], {
          axes: [
            { stroke: 'currentColor', values: clock, space: 70 },
            { stroke: 'currentColor', size: 70, values: (_u, vals) => vals.map(shortBytes) },
          ],
        }),
        [[], []],
        this.boxes.bytes,
      ),
      data: (rows) => [x(rows), rows.map((r) => r.bytes)],
    };
    const clients: Chart = {
      plot: new uPlot(
        base(this.boxes.clients, [{ label: bucketed ? 'peak distinct clients' : 'distinct clients', stroke: '#0f8b8d', width: 1.5 }]),
        [[], []],
        this.boxes.clients,
      ),
      data: (rows) => [x(rows), rows.map((r) => r.clients)],
    };
    this.charts = [rate, status, bytes, clients];
  }

  private resize(): void {
    const boxes = [this.boxes.rate, this.boxes.status, this.boxes.bytes, this.boxes.clients];
    this.charts.forEach((c, i) => {
      const w = Math.max(200, (boxes[i] as HTMLElement).clientWidth);
      if (Math.abs(c.plot.width - w) > 2) c.plot.setSize({ width: w, height: 180 });
    });
  }
}

function shortBytes(v: number): string {
  const units = ['B', 'K', 'M', 'G', 'T'];
  let u = 0;
  while (Math.abs(v) >= 1024 && u < units.length - 1) {
    v /= 1024;
    u++;
  }
  return `${Math.round(v * 10) / 10}${units[u]}`;
}
