import { test } from 'node:test';
import assert from 'node:assert/strict';
import { of, toArray, lastValueFrom } from 'rxjs';
import { ruleAlerts } from '../../operators/ruleAlerts.js';
import type { AlertEvent, StatsEvent } from '../../src/types.js';
import type { Rule } from '../../src/core/rules/rule.js';
import { newScheduler } from '../helpers/testScheduler.js';

const stats = (startS: number, hits: number, status: Record<string, number> = {}): StatsEvent => ({
  type: 'stats',
  start: startS * 1000,
  end: (startS + 10) * 1000,
  hits,
  bytes: 0,
  hosts: 1,
  sections: [],
  status,
  invalid: 0,
  late: 0,
});
const rate: Rule = { name: 'r', kind: 'rate', window: 20_000, threshold: 1 };
const errs: Rule = { name: 'e', kind: 'errors', window: 10_000, threshold: 0.5 };
const value = (rule: Rule, v: number | null, firing: boolean) => ({
  rule: rule.name,
  kind: rule.kind,
  value: v,
  threshold: rule.threshold,
  recover: rule.threshold,
  firing,
});

test("each interval passes on with the rules' values, followed by the transitions at its end; recovers when traffic stops", () => {
  newScheduler().run(({ cold, expectObservable }) => {
    const a = stats(0, 5),
      b = stats(10, 30),
      c = stats(20, 0),
      d = stats(30, 0);
    const A = { ...a, rules: [value(rate, 0.25, false)] };
    const B = { ...b, rules: [value(rate, 1.75, true)] };
    const C = { ...c, rules: [value(rate, 1.5, true)] };
    const D = { ...d, rules: [value(rate, 0, false)] };
    const F: AlertEvent = {
      type: 'alert',
      state: 'firing',
      at: 20_000,
      hits: 35,
      rate: 1.75,
      threshold: 1,
      rule: 'r',
      kind: 'rate',
      value: 1.75,
    };
    const R: AlertEvent = {
      type: 'alert',
      state: 'recovered',
      at: 40_000,
      hits: 0,
      rate: 0,
      threshold: 1,
      rule: 'r',
      kind: 'rate',
      value: 0,
    };
    expectObservable(cold('ab---c(d|)', { a, b, c, d }).pipe(ruleAlerts([rate]))).toBe('A(BF)C(DR|)', { A, B, C, D, F, R });
  });
});

test('several rules fire at once, in rule order; recoveries in a gap come in time order before the next interval; other values pass', () => {
  newScheduler().run(({ cold, expectObservable }) => {
    const a = stats(0, 40, { '5xx': 30, '2xx': 10 }),
      z = stats(100, 1, { '2xx': 1 });
    const x = { type: 'summary' as const, lines: 0, parsed: 0, invalid: 0, late: 0 };
    const A = { ...a, rules: [value(rate, 2, true), value(errs, 0.75, true)] };
    const Z = { ...z, rules: [value(rate, 0.05, false), value(errs, 0, false)] };
    const F: AlertEvent = {
      type: 'alert',
      state: 'firing',
      at: 10_000,
      hits: 40,
      rate: 2,
      threshold: 1,
      rule: 'r',
      kind: 'rate',
      value: 2,
    };
    const G: AlertEvent = {
      type: 'alert',
      state: 'firing',
      at: 10_000,
      hits: 40,
      rate: 4,
      threshold: 0.5,
      rule: 'e',
      kind: 'errors',
      value: 0.75,
    };
    // e: its 10 s window is empty at 20 s (no value: recovers); r: [0,10) leaves its 20 s window at 30 s.
    const Q: AlertEvent = {
      type: 'alert',
      state: 'recovered',
      at: 20_000,
      hits: 0,
      rate: 0,
      threshold: 0.5,
      rule: 'e',
      kind: 'errors',
      value: 0,
    };
    const R: AlertEvent = {
      type: 'alert',
      state: 'recovered',
      at: 30_000,
      hits: 0,
      rate: 0,
      threshold: 1,
      rule: 'r',
      kind: 'rate',
      value: 0,
    };
    expectObservable(cold('a------z------(x|)', { a, z, x }).pipe(ruleAlerts([rate, errs]))).toBe('(AFG)--(QRZ)--(x|)', {
      A,
      F,
      G,
      Q,
      R,
      Z,
      x,
    });
  });
});

test('without an outside state, each subscription starts afresh', async () => {
  const op = ruleAlerts([rate]);
  const source = of(stats(0, 30));
  const once = await lastValueFrom(source.pipe(op, toArray()));
  const twice = await lastValueFrom(source.pipe(op, toArray()));
  assert.deepEqual(twice, once);
  assert.equal(once.filter((e) => e.type === 'alert').length, 1);
});

test('bad rules are refused when the operator is made', () => {
  assert.throws(() => ruleAlerts([{ ...rate, recover: 2 }]), /recover threshold/);
  assert.throws(() => ruleAlerts([{ ...rate, window: 0 }]), /positive duration/);
});
