import { EventEmitter } from 'node:events';
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { VirtualTimeScheduler } from 'rxjs';
import { createTtyView, type LiveInterval, type TtyStream } from '../../../src/sinks/tty/index.js';
import { ALERT_WINDOW, FILE, T0, THRESHOLD, scriptEvents, scriptSummary } from '../../helpers/ttyScript.js';

/** A terminal stand-in: records writes, has a size, emits 'resize'. */
class FakeTerminal extends EventEmitter implements TtyStream {
  readonly isTTY = true;
  readonly writes: string[] = [];
  constructor(
    public columns = 100,
    public rows = 30,
  ) {
    super();
  }
  write(chunk: string, callback?: (error?: Error | null) => void): boolean {
    this.writes.push(chunk);
    callback?.();
    return true;
  }
  resize(columns: number, rows: number): void {
    this.columns = columns;
    this.rows = rows;
    this.emit('resize');
  }
}

/** Runs the virtual clock up to `time` (ms), firing the timers due by then. */
function advanceTo(scheduler: VirtualTimeScheduler, time: number): void {
  scheduler.maxFrames = time;
  scheduler.flush();
  scheduler.frame = time;
}

function open(options: { peek?: () => LiveInterval | undefined; color?: boolean } = {}) {
  const stream = new FakeTerminal();
  const scheduler = new VirtualTimeScheduler();
  const view = createTtyView({
    stream,
    file: FILE,
    mode: 'follow',
    threshold: THRESHOLD,
    alertWindow: ALERT_WINDOW,
    color: options.color ?? false,
    scheduler,
    ...(options.peek ? { peek: options.peek } : {}),
  });
  return { stream, scheduler, view };
}

test('opens the alternate screen, hides the cursor and paints at once', () => {
  const { stream } = open();
  assert.equal(stream.writes[0], '\x1b[?1049h\x1b[?25l\x1b[2J');
  assert.equal(stream.writes.length, 2);
  assert.ok(stream.writes[1]?.includes('● OK'));
});

test('repaints at most ten times a second, and never loses the last event', () => {
  const { stream, scheduler, view } = open();
  const events = scriptEvents();
  for (const e of events) view.next(e);
  assert.equal(stream.writes.length, 2, 'a burst of events waits for the next frame');
  advanceTo(scheduler, 99);
  assert.equal(stream.writes.length, 2);
  advanceTo(scheduler, 100);
  assert.equal(stream.writes.length, 3, 'one repaint for the whole burst');
  assert.ok(stream.writes[2]?.includes('● FIRING'));
  advanceTo(scheduler, 1000);
  assert.equal(stream.writes.length, 3, 'nothing changed, nothing written');
  view.next(scriptSummary(events));
  assert.equal(stream.writes.length, 4, 'after a quiet period the repaint is immediate');
  assert.ok(stream.writes[3]?.includes('lines 5480'));
});

test('a resize clears the screen and repaints at the new size', () => {
  const { stream, scheduler, view } = open();
  for (const e of scriptEvents()) view.next(e);
  advanceTo(scheduler, 200);
  const before = stream.writes.length;
  stream.resize(50, 10);
  advanceTo(scheduler, 400);
  const repaint = stream.writes[before] ?? '';
  assert.ok(repaint.startsWith('\x1b[2J'), 'cleared first');
  assert.ok(repaint.includes('\x1b[10;1H') && !repaint.includes('\x1b[11;1H'), 'ten rows');
  const rows = repaint.split(/\x1b\[\d+;1H\x1b\[2K/).slice(1);
  for (const row of rows) assert.ok([...row.replace(/\x1b\[[0-9;]*[A-Za-z]/g, '')].length <= 50, row);
});

test('polls peek for the open interval and repaints when it changed', () => {
  let live: LiveInterval | undefined = { open: { start: T0, hits: 1 } };
  const { stream, scheduler } = open({ peek: () => live });
  assert.ok(stream.writes[1]?.includes('1 hit so far'));
  advanceTo(scheduler, 1000);
  assert.equal(stream.writes.length, 2, 'unchanged: no repaint');
  live = { open: { start: T0, hits: 42 } };
  advanceTo(scheduler, 2000);
  assert.equal(stream.writes.length, 3);
  assert.ok(stream.writes[2]?.includes('42 hits so far'));
  live = undefined;
  advanceTo(scheduler, 3000);
  assert.ok(stream.writes[3]?.includes('current  –'), 'no open interval');
});

test('an interval whose stats came is no longer shown as current: waiting for lines, the age of the last line still counting', () => {
  let idle = 0;
  const { stream, scheduler, view } = open({ peek: () => ({ open: { start: T0, hits: 1 }, idle }) });
  assert.ok(stream.writes[1]?.includes('current  2026-01-01 00:00:00 UTC  1 hit so far · last line just now'));
  idle = 3000;
  view.next({
    type: 'stats',
    start: T0,
    end: T0 + 10_000,
    hits: 1,
    bytes: 10,
    hosts: 1,
    sections: [{ name: '/a', hits: 1 }],
    status: { '2xx': 1 },
    invalid: 0,
    late: 0,
  });
  advanceTo(scheduler, 1000);
  const screen = stream.writes.at(-1) ?? '';
  assert.ok(screen.includes('current  – waiting for lines · last line 3s ago'), screen);
  assert.doesNotMatch(screen, /hits? so far/);
});

test('close restores the screen, prints the final view in plain text, and stops everything', async () => {
  const { stream, scheduler, view } = open({ color: true, peek: () => undefined });
  const events = scriptEvents();
  for (const e of events) view.next(e);
  view.next(scriptSummary(events));
  await view.close();
  const last = stream.writes.at(-1) ?? '';
  assert.ok(last.startsWith('\x1b[?1049l\x1b[?25h'), 'leaves the alternate screen, shows the cursor');
  const final = last.slice('\x1b[?1049l\x1b[?25h'.length);
  assert.equal(/\x1b/.test(final), false, 'plain text');
  assert.ok(final.includes('● FIRING') && final.includes('lines 5480 · parsed 5474 · invalid 6 · late 8\n'));
  assert.ok(final.endsWith('\n'));
  const count = stream.writes.length;
  view.next(events[0]!);
  stream.resize(40, 10);
  advanceTo(scheduler, 10_000);
  await view.close();
  assert.equal(stream.writes.length, count, 'no writes after close');
  assert.equal(stream.listenerCount('resize'), 0);
  assert.equal(scheduler.actions.length, 0, 'no timer left');
});
