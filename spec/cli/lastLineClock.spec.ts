import { test } from 'node:test';
import assert from 'node:assert/strict';
import { Subject } from 'rxjs';
import { monitor } from '../../src/monitor.js';
import type { EngineState } from '../../src/engineState.js';
import { peekWithIdle } from '../../src/cli/lastLineClock.js';
import { ago, currentLine } from '../../src/sinks/tty/statusLines.js';
import { combinedLine } from '../helpers/cli.js';

test('peekWithIdle: time since the last line, from the engine state and an injected clock', () => {
  const lines = new Subject<string>();
  let state: EngineState | undefined;
  const subscription = monitor(lines, { onState: (s) => (state = s) }).subscribe();
  let now = 1_000_000;
  const peek = peekWithIdle(state as EngineState, () => now);
  assert.equal(peek(), undefined, 'no line yet');
  lines.next(combinedLine(0));
  now += 400;
  assert.deepEqual(peek(), { start: Date.UTC(2026, 0, 1), hits: 1, idle: 0 });
  now += 7000;
  assert.equal(peek()?.idle, 7000, 'silence counts from the arrival seen');
  lines.next('junk');
  now += 100;
  assert.equal(peek()?.idle, 0, 'any line counts as arrived, even an invalid one');
  lines.next(combinedLine(1));
  now += 2500;
  assert.deepEqual(peek(), { start: Date.UTC(2026, 0, 1), hits: 2, idle: 0 });
  now += 2500;
  assert.equal(peek()?.idle, 2500);
  subscription.unsubscribe();
});

test('the current line: singular hit, and how long ago the last line came', () => {
  const text = (live: Parameters<typeof currentLine>[0]): string => currentLine(live).map((s) => s.text).join('');
  const start = Date.UTC(2026, 0, 1, 0, 6, 40);
  assert.equal(text({ start, hits: 1 }), 'current  2026-01-01 00:06:40 UTC  1 hit so far');
  assert.equal(text({ start, hits: 37, idle: 4200 }), 'current  2026-01-01 00:06:40 UTC  37 hits so far · last line 4s ago');
  assert.deepEqual([0, 999, 1000, 59_999, 60_000, 185_000, 3_600_000, 7_830_000].map(ago), ['just now', 'just now', '1s ago', '59s ago', '1m 0s ago', '3m 5s ago', '1h 0m ago', '2h 10m ago']);
});
