import { test } from 'node:test';
import assert from 'node:assert/strict';
import { trafficAlert } from '../../operators/trafficAlert.js';
import type { IntervalHits } from '../../src/core/alertHysteresis.js';
import { newScheduler } from '../helpers/testScheduler.js';

const iv = (startS: number, hits: number): IntervalHits => ({ start: startS * 1000, end: (startS + 10) * 1000, hits });

test('emits the interval, then the alert evaluated at its end; recovers after traffic stops', () => {
  newScheduler().run(({ cold, expectObservable }) => {
    const a = iv(0, 5),
      b = iv(10, 30),
      c = iv(20, 0),
      d = iv(30, 0);
    const source = cold('ab---c(d|)', { a, b, c, d });
    const F = { type: 'alert', state: 'firing', at: 20_000, hits: 35, rate: 1.75, threshold: 1 };
    const R = { type: 'alert', state: 'recovered', at: 40_000, hits: 0, rate: 0, threshold: 1 };
    // b fires (35 hits / 20 s); c still 30 / 20 s = 1.5: firing; d 0: recovered.
    expectObservable(source.pipe(trafficAlert({ alertWindow: 20_000, threshold: 1 }))).toBe('a(bF)c(dR|)', { a, b, c, d, F, R });
  });
});

test('a firing alert recovers inside a gap (skipped windows), before the next interval, at the first empty end that is low enough', () => {
  newScheduler().run(({ cold, expectObservable }) => {
    // 10 s intervals, 30 s window, 1 req/s: a=[0,10) 40 hits fires; then nothing until z=[1000,1010).
    const a = iv(0, 40),
      z = { ...iv(1000, 0), skipped: 97 };
    const F = { type: 'alert', state: 'firing', at: 10_000, hits: 40, rate: 40 / 30, threshold: 1 };
    // a leaves the window at T = 40 s (its start 0 < 40 - 30): the end of the missing [30, 40).
    const R = { type: 'alert', state: 'recovered', at: 40_000, hits: 0, rate: 0, threshold: 1 };
    //                   0 s  1000 s
    const source = cold('a---(z|)', { a, z });
    expectObservable(source.pipe(trafficAlert({ alertWindow: 30_000, threshold: 1 }))).toBe('(aF)(Rz|)', { a, z, F, R });
  });
});

test('rate exactly at the threshold does not fire', () => {
  newScheduler().run(({ cold, expectObservable }) => {
    const a = iv(0, 10),
      b = iv(10, 10);
    expectObservable(cold('ab|', { a, b }).pipe(trafficAlert({ alertWindow: 20_000, threshold: 1 }))).toBe('ab|', { a, b });
  });
});

test('trafficAlert: empty, never, error and unsubscribe', () => {
  newScheduler().run(({ cold, hot, expectObservable, expectSubscriptions }) => {
    expectObservable(cold<IntervalHits>('|').pipe(trafficAlert())).toBe('|');
    expectObservable(cold<IntervalHits>('-').pipe(trafficAlert())).toBe('-');
    const a = iv(0, 1);
    expectObservable(cold('a#', { a }).pipe(trafficAlert())).toBe('a#', { a });
    const source = hot('a-a-a|', { a });
    expectObservable(source.pipe(trafficAlert()), '^-!').toBe('a-', { a });
    expectSubscriptions(source.subscriptions).toBe('^-!');
  });
});

test('the alert state is per subscription', () => {
  const results: string[][] = [];
  newScheduler().run(({ cold }) => {
    const source = cold('ab|', { a: iv(0, 3000), b: iv(10, 0) });
    const alerting = source.pipe(trafficAlert());
    for (let i = 0; i < 2; i++) {
      const seen: string[] = [];
      results.push(seen);
      alerting.subscribe((e) => seen.push('state' in e ? e.state : 'interval'));
    }
  });
  assert.deepEqual(results, [
    ['interval', 'firing', 'interval'],
    ['interval', 'firing', 'interval'],
  ]);
});
