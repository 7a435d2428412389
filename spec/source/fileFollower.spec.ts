/**
 * The follower's step, driven by hand between explicit file operations on a manual clock
 * (spec/helpers/stepFollower.ts): rotation, truncation, copytruncate and idle, each with the
 * interleaving of writes, rotations and reads chosen here, none left to the machine's load.
 * Lines are `<k> line`, one write each; the end-to-end versions with a real writer process
 * are in tailFile.realWriter.spec.ts.
 */
import { after, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import {
  appendFileSync,
  closeSync,
  copyFileSync,
  existsSync,
  openSync,
  readFileSync,
  renameSync,
  statSync,
  truncateSync,
  unlinkSync,
  utimesSync,
  writeFileSync,
  writeSync,
} from 'node:fs';
import { gzipSync } from 'node:zlib';
import { join } from 'node:path';
import { OVERLONG_LINE } from '../../src/source/overlong.js';
import { stepFollower, writeLines, type StepFollower } from '../helpers/stepFollower.js';
import { removeTempDirs, tempDir } from '../helpers/tempDir.js';

const opened: StepFollower[] = [];
after(async () => {
  for (const f of opened) await f.close();
  removeTempDirs();
});

function follower(...args: Parameters<typeof stepFollower>): StepFollower {
  const f = stepFollower(...args);
  opened.push(f);
  return f;
}

/** `<k> line` for k in from..to, leaving out `except`. */
function numbered(from: number, to: number, except: readonly number[] = []): string[] {
  const lines: string[] = [];
  for (let k = from; k <= to; k++) if (!except.includes(k)) lines.push(`${k} line`);
  return lines;
}

function logFile(): string {
  const p = join(tempDir(), 'access.log');
  writeFileSync(p, '');
  return p;
}

/** logrotate's `create`: `<p>.1` becomes `<p>.2`, `<p>` becomes `<p>.1`, a new empty `<p>`. */
function renameAndCreate(p: string): void {
  if (existsSync(`${p}.1`)) renameSync(`${p}.1`, `${p}.2`);
  renameSync(p, `${p}.1`);
  writeFileSync(p, '');
}

/**
 * logrotate's `create` + `compress` + `delaycompress` (rotate 9): `<p>.N.gz` become `<p>.N+1.gz`,
 * `<p>.1` becomes `<p>.2.gz` (a new inode, its mtime kept, as logrotate does), `<p>` becomes
 * `<p>.1`, a new empty `<p>`.
 */
function rotateCompressed(p: string): void {
  for (let n = 9; n >= 2; n--) if (existsSync(`${p}.${n}.gz`)) renameSync(`${p}.${n}.gz`, `${p}.${n + 1}.gz`);
  if (existsSync(`${p}.1`)) {
    const { atime, mtime } = statSync(`${p}.1`);
    writeFileSync(`${p}.2.gz`, gzipSync(readFileSync(`${p}.1`)));
    utimesSync(`${p}.2.gz`, atime, mtime);
    unlinkSync(`${p}.1`);
  }
  renameSync(p, `${p}.1`);
  writeFileSync(p, '');
}

/** logrotate's `copytruncate`, with `between` run after the copy, before the truncation. */
function copyTruncate(p: string, between: () => void = () => undefined): void {
  if (existsSync(`${p}.1`)) renameSync(`${p}.1`, `${p}.2`);
  copyFileSync(p, `${p}.1`);
  between();
  truncateSync(p, 0);
}

describe('fileFollower, step by step: rotation by rename', () => {
  it('rename + create, the writer reopening at once (twice): every line once, in order', async () => {
    const p = logFile();
    const f = follower(p);
    writeLines(p, 1, 10);
    await f.step();
    assert.deepEqual(f.lines, numbered(1, 10));
    writeLines(p, 11, 15); // unread when rotated
    renameAndCreate(p);
    writeLines(p, 16, 20);
    await f.stepAfter(10);
    writeLines(p, 21, 25);
    renameAndCreate(p);
    writeLines(p, 26, 30);
    await f.stepAfter(10);
    assert.deepEqual(f.lines, numbered(1, 30));
    assert.equal(f.follower.state.retired.length, 2, 'the rotated files are drained for the grace period');
    await f.stepAfter(2000);
    assert.equal(f.follower.state.retired.length, 0, 'closed once they have not grown for the grace period');
    assert.deepEqual(f.warnings, []);
  });

  it('rename + create, the writer writing to the old file 700 ms before reopening', async () => {
    const p = logFile();
    const f = follower(p);
    writeLines(p, 1, 10);
    await f.step();
    renameSync(p, `${p}.1`);
    writeLines(`${p}.1`, 11, 15); // the writer's descriptor still names the rotated file
    await f.stepAfter(300);
    assert.deepEqual(f.lines, numbered(1, 15), 'the path is gone: the rotated file is drained');
    writeLines(`${p}.1`, 16, 20);
    await f.stepAfter(400);
    writeLines(p, 21, 25); // reopened: the new file
    await f.stepAfter(10);
    writeLines(p, 26, 30);
    await f.stepAfter(1980); // 1990 ms after it last grew
    assert.equal(f.follower.state.retired.length, 1, 'still within the grace period after its last growth');
    await f.stepAfter(10);
    assert.equal(f.follower.state.retired.length, 0);
    assert.deepEqual(f.lines, numbered(1, 30));
  });

  it('two renames between two steps (a descheduled reader): the file in between is read whole', async () => {
    const p = logFile();
    const f = follower(p);
    writeLines(p, 1, 10);
    await f.step();
    writeLines(p, 11, 15);
    renameAndCreate(p);
    writeLines(p, 16, 20);
    renameAndCreate(p);
    writeLines(p, 21, 25);
    await f.stepAfter(10);
    assert.deepEqual(f.lines, numbered(1, 25));
  });

  it('delete + recreate, the writer writing to the deleted file for 300 ms', async () => {
    const p = logFile();
    const f = follower(p);
    const fd = openSync(p, 'a');
    const write = (from: number, to: number): void => {
      for (let k = from; k <= to; k++) writeSync(fd, `${k} line\n`);
    };
    write(1, 10);
    await f.step();
    unlinkSync(p);
    write(11, 15);
    await f.stepAfter(100);
    write(16, 20);
    await f.stepAfter(200);
    closeSync(fd);
    writeLines(p, 21, 25);
    await f.stepAfter(10);
    assert.deepEqual(f.lines, numbered(1, 25));
    assert.deepEqual(f.warnings, []);
  });

  it('a file missing at the start is waited for without a warning, then read from 0', async () => {
    const p = join(tempDir(), 'access.log');
    const f = follower(p);
    await f.step();
    await f.stepAfter(250);
    writeLines(p, 1, 5);
    await f.stepAfter(250);
    assert.deepEqual(f.lines, numbered(1, 5));
    assert.deepEqual(f.warnings, []);
  });
});

describe('fileFollower, step by step: truncation in place', () => {
  it('copytruncate (twice): the unread rest from the copy; only the lines written between copy and truncation are lost', async () => {
    const p = logFile();
    const f = follower(p);
    writeLines(p, 1, 10);
    await f.step();
    writeLines(p, 11, 15); // unread when copied
    copyTruncate(p, () => writeLines(p, 16, 17)); // in neither file
    writeLines(p, 18, 20);
    await f.stepAfter(10);
    assert.deepEqual(f.lines, numbered(1, 20, [16, 17]));
    writeLines(p, 21, 25);
    copyTruncate(p);
    writeLines(p, 26, 28);
    await f.stepAfter(10);
    assert.deepEqual(f.lines, numbered(1, 28, [16, 17]));
    assert.deepEqual(f.warnings, [], 'a copy was found: no "reading it again" warning');
  });

  it('copytruncate noticed late: the live file already outgrew the read position (its first bytes tell)', async () => {
    const p = logFile();
    const f = follower(p);
    writeLines(p, 1, 10);
    await f.step();
    writeLines(p, 11, 15);
    copyTruncate(p);
    writeLines(p, 16, 60); // longer than what was read before the truncation
    await f.stepAfter(10);
    assert.deepEqual(f.lines, numbered(1, 60));
  });

  it('two copytruncates between two steps: both copies are read, oldest first', async () => {
    const p = logFile();
    const f = follower(p);
    writeLines(p, 1, 10);
    await f.step();
    writeLines(p, 11, 15);
    copyTruncate(p);
    writeLines(p, 16, 20);
    copyTruncate(p);
    writeLines(p, 21, 25);
    await f.stepAfter(10);
    assert.deepEqual(f.lines, numbered(1, 25));
  });

  it('plain truncation, no copy: warns and starts over at 0', async () => {
    const p = logFile();
    const f = follower(p);
    writeLines(p, 1, 10);
    await f.step();
    truncateSync(p, 0);
    appendFileSync(p, 'a\n');
    await f.stepAfter(10);
    assert.deepEqual(f.lines, [...numbered(1, 10), 'a']);
    assert.match(f.warnings.join(), /truncated; reading it again from the start/);
  });
});

describe('fileFollower, step by step: resuming from a saved position', () => {
  for (const [name, rotate] of [
    ['rename + create', renameAndCreate],
    ['copytruncate', (p: string) => copyTruncate(p)],
  ] as const) {
    it(`loses nothing across two ${name} rotations while stopped`, async () => {
      const p = logFile();
      const first = follower(p);
      writeLines(p, 1, 10);
      await first.step();
      const saved = first.chunks.at(-1)?.position;
      assert.ok(saved !== undefined && saved.offset > 0);
      await first.close();
      writeLines(p, 11, 15);
      rotate(p);
      writeLines(p, 16, 20);
      rotate(p);
      writeLines(p, 21, 25);
      const second = follower(p, { start: { position: saved } });
      await second.step();
      assert.deepEqual([...first.lines, ...second.lines], numbered(1, 25));
      assert.ok(!second.warnings.some((w) => w.includes('gone')), second.warnings.join('; '));
    });
  }
});

describe('fileFollower, step by step: resuming from a position in a file compressed since', () => {
  /** Follows `p` from 0 to its end, then stops: the position of its last line. */
  async function followAndStop(p: string): Promise<{ lines: string[]; saved: NonNullable<StepFollower['chunks'][number]['position']> }> {
    const first = follower(p);
    await first.step();
    const saved = first.chunks.at(-1)?.position;
    assert.ok(saved !== undefined && saved.offset > 0);
    await first.close();
    return { lines: first.lines, saved };
  }

  it('two create + compress + delaycompress rotations while stopped: the rest of .2.gz, then .1, then the live file, once each', async () => {
    const p = logFile();
    writeLines(p, 1, 10);
    const { lines, saved } = await followAndStop(p);
    writeLines(p, 11, 15);
    rotateCompressed(p);
    writeLines(p, 16, 20);
    rotateCompressed(p);
    writeLines(p, 21, 25);
    assert.ok(existsSync(`${p}.2.gz`) && !existsSync(`${p}.2`));
    const second = follower(p, { start: { position: saved } });
    await second.step();
    assert.deepEqual([...lines, ...second.lines], numbered(1, 25));
    assert.deepEqual(second.warnings, []);
  });

  it('three rotations while stopped: the rest of .3.gz, .2.gz whole, .1, the live file', async () => {
    const p = logFile();
    writeLines(p, 1, 10);
    const { lines, saved } = await followAndStop(p);
    writeLines(p, 11, 15);
    rotateCompressed(p);
    writeLines(p, 16, 20);
    rotateCompressed(p);
    writeLines(p, 21, 25);
    rotateCompressed(p);
    writeLines(p, 26, 30);
    const second = follower(p, { start: { position: saved } });
    await second.step();
    assert.deepEqual([...lines, ...second.lines], numbered(1, 30));
    assert.deepEqual(second.warnings, []);
  });

  it('a position saved while reading the .gz rest resumes there after another crash (and another rotation)', async () => {
    const p = logFile();
    writeLines(p, 1, 10);
    const { lines, saved } = await followAndStop(p);
    writeLines(p, 11, 15);
    rotateCompressed(p);
    writeLines(p, 16, 20);
    rotateCompressed(p);
    const second = follower(p, { start: { position: saved } });
    await second.step();
    const inGzip = second.chunks[0];
    // The rest of .2.gz, with the positions the saved file's reader would have given (its inode).
    assert.ok(inGzip !== undefined && inGzip.position.ino === saved.ino && inGzip.position.dev === saved.dev);
    assert.equal(second.lines[0], '11 line');
    // Crashed after counting 2 of the .gz's 5 unread lines: the position saved then.
    const mid = { ...inGzip.position, offset: inGzip.ends[1] as number };
    await second.close();
    writeLines(p, 21, 25);
    rotateCompressed(p); // .2.gz is now .3.gz (renamed: same inode)
    const third = follower(p, { start: { position: mid } });
    await third.step();
    assert.deepEqual([...lines, ...second.lines.slice(0, 2), ...third.lines], numbered(1, 25));
    assert.deepEqual(third.warnings, []);
  });

  it('a .gz sibling whose content is shorter than the saved offset is not taken for the saved file: warns, reads the live file', async () => {
    const p = logFile();
    writeLines(p, 1, 60);
    const { saved } = await followAndStop(p);
    assert.ok(saved.fingerprintBytes === 256 && saved.offset > 300);
    const head = readFileSync(p).subarray(0, 300); // the same first 256 bytes, but not up to the saved offset
    writeFileSync(`${p}.2.gz`, gzipSync(head));
    renameSync(p, `${p}.1`);
    unlinkSync(`${p}.1`);
    writeLines(p, 11, 12);
    const second = follower(p, { start: { position: saved } });
    await second.step();
    assert.deepEqual(second.lines, numbered(11, 12));
    assert.match(second.warnings.join(), /gone or truncated/);
  });
});

describe('fileFollower, step by step: idle and partial writes', () => {
  it('idle: steps with nothing new read nothing and warn nothing', async () => {
    const p = logFile();
    const f = follower(p);
    writeLines(p, 1, 3);
    await f.step();
    for (let i = 0; i < 100; i++) await f.stepAfter(250);
    assert.equal(f.chunks.length, 1);
    assert.deepEqual(f.warnings, []);
    writeLines(p, 4, 4);
    await f.stepAfter(250);
    assert.deepEqual(f.lines, numbered(1, 4));
  });

  it('a multi-byte character split across two writes, a step in between, comes out whole', async () => {
    const p = logFile();
    const f = follower(p);
    const bytes = Buffer.from('price: 5€ 😀\n');
    const cut = bytes.indexOf(0xe2) + 1;
    appendFileSync(p, bytes.subarray(0, cut));
    await f.step();
    assert.deepEqual(f.lines, [], 'no line before its newline');
    appendFileSync(p, bytes.subarray(cut));
    await f.stepAfter(10);
    assert.deepEqual(f.lines, ['price: 5€ 😀']);
  });

  it('a 100 KiB line written in two parts, a step in between, is flagged overlong; the next line is fine', async () => {
    const p = logFile();
    const f = follower(p);
    appendFileSync(p, 'a\n');
    await f.step();
    appendFileSync(p, 'x'.repeat(60 * 1024));
    await f.stepAfter(10);
    appendFileSync(p, `${'x'.repeat(40 * 1024)}\nb\n`);
    await f.stepAfter(10);
    assert.deepEqual(f.lines, ['a', OVERLONG_LINE, 'b']);
  });
});
