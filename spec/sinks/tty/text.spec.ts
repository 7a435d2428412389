import { test } from 'node:test';
import assert from 'node:assert/strict';
import { CLEAR_BELOW, CLEAR_SCREEN, frame, paint, shouldColor } from '../../../src/sinks/tty/ansi.js';
import { fitLine, span } from '../../../src/sinks/tty/line.js';
import { blockLevel, sparkline, sparklineTop } from '../../../src/sinks/tty/sparkline.js';
import { ellipsize, safeText, sliceToWidth, textWidth } from '../../../src/sinks/tty/textWidth.js';
import { duration } from '../../../src/sinks/tty/viewFormat.js';

test('textWidth: wide characters take two columns, combining marks none', () => {
  assert.equal(textWidth('abc'), 3);
  assert.equal(textWidth('日本'), 4);
  assert.equal(textWidth('e\u0301'), 1);
  assert.equal(textWidth('▁▂█…'), 4);
});

const FAMILY = '\u{1F468}\u200D\u{1F469}\u200D\u{1F467}'; // man ZWJ woman ZWJ girl: one emoji

test('textWidth measures grapheme clusters: an emoji sequence is two columns, whatever it is made of', () => {
  assert.equal(textWidth(FAMILY), 2, 'a ZWJ family');
  assert.equal(textWidth(`/${FAMILY}/`), 4);
  assert.equal(textWidth('\u{1F1EB}\u{1F1F7}'), 2, 'a flag (two regional indicators)');
  assert.equal(textWidth('\u{1F1EB}\u{1F1F7}\u{1F1EF}\u{1F1F5}'), 4, 'two flags');
  assert.equal(textWidth('\u{1F44D}\u{1F3FD}'), 2, 'a skin tone');
  assert.equal(textWidth('1\uFE0F\u20E3'), 2, 'a keycap');
  assert.equal(textWidth('\u2764\uFE0F'), 2, 'a text-default symbol with VS16');
  assert.equal(textWidth('\u2764'), 1, 'the same without VS16');
  assert.equal(textWidth('\u{1F680}'), 2, 'an emoji outside the old ranges (rocket)');
  assert.equal(textWidth('e\u0301\u0323'), 1, 'combining marks take the width of their base');
  assert.equal(textWidth('\u0301'), 0, 'a lone combining mark');
  assert.equal(textWidth('\u1100\u1161'), 2, 'conjoining Hangul jamo: one syllable');
  assert.equal(textWidth('日本語'), 6, 'CJK');
  assert.equal(textWidth('\x1b[31m'), 4, 'a raw control character is zero wide, as before');
  assert.equal(textWidth(safeText('\x1b[31m')), 8, 'escaped, it is its text');
});

test('ellipsize and sliceToWidth never split an emoji sequence', () => {
  assert.equal(ellipsize(`${FAMILY}${FAMILY}`, 3), `${FAMILY}…`);
  assert.equal(ellipsize(`ab${FAMILY}`, 3), 'ab…');
  assert.equal(sliceToWidth(`a${FAMILY}b`, 3), `a${FAMILY}`);
  assert.equal(sliceToWidth(`a${FAMILY}b`, 2), 'a');
  assert.equal(sliceToWidth('e\u0301x', 1), 'e\u0301', 'a base keeps its marks');
});

test('ellipsize cuts to the width and marks the cut', () => {
  assert.equal(ellipsize('/api', 10), '/api');
  assert.equal(ellipsize('/abcdefgh', 5), '/abc…');
  assert.equal(ellipsize('日本語', 4), '日…', 'never splits a wide character');
  assert.equal(ellipsize('abc', 0), '');
});

test('safeText shows control characters, escape sequences and invisible characters as text', () => {
  assert.equal(safeText('/\x1b[31mred\x07'), '/\\x1b[31mred\\x07');
  assert.equal(safeText('/a\u202eb'), '/a\\u{202e}b', 'bidi override');
  assert.equal(safeText('/a\u200bb'), '/a\\u{200b}b', 'zero-width space');
  assert.equal(safeText('/\u2028'), '/\\u{2028}', 'line separator');
  assert.equal(safeText('/caf\u00e9/日本'), '/caf\u00e9/日本', 'printable text unchanged');
});

test('fitLine cuts before painting, so colours never count or break', () => {
  const line = [span('FIRING', 'red'), span(' rate 12/s')];
  assert.equal(fitLine(line, 80, false), 'FIRING rate 12/s');
  assert.equal(fitLine(line, 80, true), '\x1b[31mFIRING\x1b[0m rate 12/s');
  assert.equal(fitLine(line, 8, false), 'FIRING …');
  assert.equal(fitLine(line, 4, true), '\x1b[31mFIR\x1b[0m…');
  assert.equal(fitLine(line, 0, true), '');
});

test('paint adds SGR only when colour is on; shouldColor follows the TTY and NO_COLOR', () => {
  assert.equal(paint('x', 'green', false), 'x');
  assert.equal(paint('x', 'green', true), '\x1b[32mx\x1b[0m');
  assert.equal(paint('x', undefined, true), 'x');
  assert.equal(shouldColor({ isTTY: true }, {}), true);
  assert.equal(shouldColor({ isTTY: true }, { NO_COLOR: '1' }), false);
  assert.equal(shouldColor({ isTTY: true }, { NO_COLOR: '' }), true, 'an empty NO_COLOR does not count');
  assert.equal(shouldColor({ isTTY: false }, {}), false);
  assert.equal(shouldColor({}, {}), false);
});

test('sparkline: one block per value, scaled to the top, zero at the bottom', () => {
  assert.equal(sparkline([0, 1, 2, 3, 4, 5, 6, 7, 8], 8), '▁▁▂▃▄▅▆▇█');
  assert.equal(sparkline([100, 200], 100), '██', 'values above the top are full blocks');
  assert.equal(blockLevel(5, 0), 0);
  assert.equal(sparklineTop([1, 2], 10), 10, 'the threshold stays on the scale');
  assert.equal(sparklineTop([1, 20], 10), 20);
  assert.equal(sparklineTop([0], 0), 1);
});

test('frame positions every row absolutely and clears what is below', () => {
  assert.equal(frame(['a', 'b'], 3, false), `\x1b[1;1H\x1b[2Ka\x1b[2;1H\x1b[2Kb\x1b[3;1H${CLEAR_BELOW}`);
  assert.equal(frame(['a', 'b'], 2, true), `${CLEAR_SCREEN}\x1b[1;1H\x1b[2Ka\x1b[2;1H\x1b[2Kb`, 'a full screen: nothing below');
  assert.equal(frame(['a', 'b', 'c'], 2, false).includes('c'), false, 'never more rows than the screen');
});

test('duration names the alert window', () => {
  assert.equal(duration(120_000), '2m');
  assert.equal(duration(90_000), '90s');
  assert.equal(duration(3_600_000), '1h');
  assert.equal(duration(1_500), '1.5s');
});
