import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createSectionLabels, foldSections, MAX_SECTION_LABEL_LENGTH, OTHER_SECTION } from '../../../src/core/sectionLabels.js';
import { formatListenAddress, parseListenAddress } from '../../../src/sinks/prometheus/listenAddress.js';
import { SinkError } from '../../../src/errors.js';

const sum = (m: Map<string, number>): number => [...m.values()].reduce((a, b) => a + b, 0);

test('foldSections keeps listed sections and puts the rest of the hits in other', () => {
  const labels = createSectionLabels(50);
  const folded = foldSections(
    labels,
    [
      { name: '/api', hits: 6 },
      { name: '/img', hits: 3 },
    ],
    10,
  );
  assert.deepEqual(
    [...folded],
    [
      ['/api', 6],
      ['/img', 3],
      [OTHER_SECTION, 1],
    ],
  );
  assert.equal(sum(folded), 10);
});

test('foldSections always reports other, at 0 when the listed sections cover all hits', () => {
  const folded = foldSections(createSectionLabels(50), [{ name: '/', hits: 4 }], 4);
  assert.deepEqual(
    [...folded],
    [
      ['/', 4],
      [OTHER_SECTION, 0],
    ],
  );
  assert.deepEqual([...foldSections(createSectionLabels(50), [], 0)], [[OTHER_SECTION, 0]]);
});

test('foldSections folds sections past top into other', () => {
  const labels = createSectionLabels(50);
  const folded = foldSections(
    labels,
    [
      { name: '/a', hits: 5 },
      { name: '/b', hits: 4 },
      { name: '/c', hits: 1 },
    ],
    12,
    2,
  );
  assert.deepEqual(
    [...folded],
    [
      ['/a', 5],
      ['/b', 4],
      [OTHER_SECTION, 3],
    ],
  );
  assert.deepEqual([...labels.known], ['/a', '/b'], 'a section past top gets no label');
});

test('the cap on distinct section labels holds over many events: later sections fold into other', () => {
  const labels = createSectionLabels(3);
  const seen = new Set<string>();
  let total = 0;
  let labelled = 0;
  for (let i = 0; i < 1000; i++) {
    // A scanner: every interval hits five new random-looking paths, plus the usual /api.
    const sections = [{ name: '/api', hits: 10 }, ...Array.from({ length: 5 }, (_, k) => ({ name: `/x${i}-${k}`, hits: 1 }))];
    const folded = foldSections(labels, sections, 20);
    assert.equal(sum(folded), 20, 'the label values add up to hits');
    for (const [name, hits] of folded) {
      seen.add(name);
      if (name !== OTHER_SECTION) labelled += hits;
    }
    total += 20;
  }
  assert.deepEqual([...labels.known], ['/api', '/x0-0', '/x0-1']);
  assert.deepEqual([...seen].sort(), ['/api', '/x0-0', '/x0-1', OTHER_SECTION].sort());
  assert.equal(labelled, 1000 * 10 + 2, '/api keeps its label; x0-0 and x0-1 counted once');
  assert.equal(total, 20_000);
});

test('a section already labelled keeps its label after the cap is reached', () => {
  const labels = createSectionLabels(1);
  foldSections(labels, [{ name: '/api', hits: 1 }], 1);
  const folded = foldSections(
    labels,
    [
      { name: '/new', hits: 5 },
      { name: '/api', hits: 2 },
    ],
    7,
  );
  assert.deepEqual(
    [...folded],
    [
      ['/api', 2],
      [OTHER_SECTION, 5],
    ],
  );
});

test('maxSections 0 folds everything into other; overlong and "other" names never get a label', () => {
  assert.deepEqual([...foldSections(createSectionLabels(0), [{ name: '/a', hits: 2 }], 3)], [[OTHER_SECTION, 3]]);
  const labels = createSectionLabels(10);
  const long = `/${'a'.repeat(MAX_SECTION_LABEL_LENGTH)}`;
  const folded = foldSections(
    labels,
    [
      { name: long, hits: 2 },
      { name: OTHER_SECTION, hits: 1 },
      { name: '/b', hits: 1 },
    ],
    4,
  );
  assert.deepEqual(
    [...folded],
    [
      ['/b', 1],
      [OTHER_SECTION, 3],
    ],
  );
  assert.deepEqual([...labels.known], ['/b']);
});

test('foldSections never reports negative other hits for an inconsistent event', () => {
  const folded = foldSections(createSectionLabels(5), [{ name: '/a', hits: 5 }], 3);
  assert.equal(folded.get(OTHER_SECTION), 0);
});

test('createSectionLabels rejects a bad cap', () => {
  assert.throws(() => createSectionLabels(-1), RangeError);
  assert.throws(() => createSectionLabels(1.5), RangeError);
});

test('parseListenAddress accepts PORT, HOST:PORT and [IPv6]:PORT', () => {
  assert.deepEqual(parseListenAddress('9100'), { host: '127.0.0.1', port: 9100 });
  assert.deepEqual(parseListenAddress('0'), { host: '127.0.0.1', port: 0 });
  assert.deepEqual(parseListenAddress('0.0.0.0:9100'), { host: '0.0.0.0', port: 9100 });
  assert.deepEqual(parseListenAddress('localhost:65535'), { host: 'localhost', port: 65535 });
  assert.deepEqual(parseListenAddress('[::1]:9100'), { host: '::1', port: 9100 });
  assert.deepEqual(parseListenAddress('[::]:9100'), { host: '::', port: 9100 });
  assert.deepEqual(parseListenAddress(' 9100 ', '0.0.0.0'), { host: '0.0.0.0', port: 9100 });
});

test('parseListenAddress rejects bad input with a SinkError naming the problem', () => {
  const cases: [string, RegExp][] = [
    ['', /empty/],
    ['abc', /expected PORT, HOST:PORT/],
    ['70000', /out of range/],
    ['127.0.0.1:', /"" is not a port number/],
    ['127.0.0.1:http', /"http" is not a port number/],
    ['127.0.0.1:-1', /is not a port number/],
    [':9100', /missing host/],
    ['::1:9100', /brackets/],
    ['[::1]9100', /expected \[IPv6\]:PORT/],
    ['[127.0.0.1]:9100', /not an IPv6 address/],
    ['bad host:9100', /not a valid host/],
    ['a\u001b[31m:1', /"a\\u001b\[31m" is not a valid host/],
  ];
  for (const [input, message] of cases) {
    assert.throws(
      () => parseListenAddress(input),
      (err: unknown) => err instanceof SinkError && err.name === 'SinkError' && message.test(err.message) && !err.message.includes('\n'),
      `input ${JSON.stringify(input)}`,
    );
  }
});

test('formatListenAddress brackets IPv6 addresses', () => {
  assert.equal(formatListenAddress({ host: '127.0.0.1', port: 9100 }), '127.0.0.1:9100');
  assert.equal(formatListenAddress({ host: '::1', port: 9100 }), '[::1]:9100');
  assert.equal(formatListenAddress({ host: 'localhost', port: 0 }), 'localhost:0');
});
