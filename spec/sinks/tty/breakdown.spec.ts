import { test } from 'node:test';
import assert from 'node:assert/strict';
import { initialViewState, reduceView, renderView } from '../../../src/sinks/tty/index.js';
import type { StatsEvent } from '../../../src/types.js';

const T0 = Date.UTC(2026, 0, 1);
const stats = (by?: StatsEvent['by']): StatsEvent => ({
  type: 'stats',
  start: T0,
  end: T0 + 10_000,
  hits: 30,
  bytes: 3000,
  hosts: 3,
  sections: [{ name: '/api', hits: 30 }],
  status: { '2xx': 30 },
  invalid: 0,
  late: 0,
  ...(by === undefined ? {} : { by }),
});
const view = (event: StatsEvent) =>
  reduceView(initialViewState({ file: '3 logs', mode: 'follow', threshold: 10, alertWindow: 120_000 }), event);

test('--by: the live view lists the hits per log or vhost of the last minute with bars', () => {
  const text = renderView(
    view(
      stats([
        { name: 'shop.access.log', hits: 20 },
        { name: 'blog.access.log', hits: 10 },
      ]),
    ),
    { width: 100, height: 40, color: false, live: undefined },
  ).join('\n');
  assert.match(text, /^by log \/ vhost {2}last 10s {2}00:00:00–00:00:10$/m);
  assert.match(text, /^ {2}shop\.access\.log {2}█{40} 20$/m);
  assert.match(text, /^ {2}blog\.access\.log {2}█{20} {21}10$/m);
});

test('without --by, no such part', () => {
  const text = renderView(view(stats()), { width: 100, height: 40, color: false, live: undefined }).join('\n');
  assert.doesNotMatch(text, /by log/);
});
