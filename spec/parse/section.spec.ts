import { test } from 'node:test';
import assert from 'node:assert/strict';
import { sectionOf } from '../../src/parse/section.js';

test('origin-form targets: the first path segment, without query or fragment', () => {
  const cases: [string, string][] = [
    ['/api/user', '/api'],
    ['/report', '/report'],
    ['/', '/'],
    ['/?x=1', '/'],
    ['/#top', '/'],
    ['/api/', '/api'],
    ['/api?x=1', '/api'],
    ['/api#frag', '/api'],
    ['/api/user?next=/b/c', '/api'],
    ['//double', '/'],
    ['/pages/a%20b', '/pages'],
    ['/API/x', '/API'],
  ];
  for (const [target, section] of cases) assert.equal(sectionOf(target), section, target);
});

test('absolute-form targets: the path of the URL', () => {
  assert.equal(sectionOf('http://host/api/x'), '/api');
  assert.equal(sectionOf('http://host:8080/api?x=1'), '/api');
  assert.equal(sectionOf('https://host'), '/');
  assert.equal(sectionOf('https://host?q=1'), '/');
  assert.equal(sectionOf('https://host/'), '/');
  assert.equal(sectionOf('HTTP://host/Shop/x'), '/Shop');
  assert.equal(sectionOf('coap+tcp://host/a/b'), '/a');
});

test('asterisk form is its own section; anything else is "-"', () => {
  assert.equal(sectionOf('*'), '*');
  assert.equal(sectionOf('example.com:443'), '-');
  assert.equal(sectionOf('-'), '-');
  assert.equal(sectionOf(''), '-');
  assert.equal(sectionOf('\\x16\\x03\\x01'), '-');
  assert.equal(sectionOf('://host/a'), '-');
  assert.equal(sectionOf('1http://host/a'), '-');
});
