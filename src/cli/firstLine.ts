import { open, type FileHandle } from 'node:fs/promises';
import { isBlankLine } from '../parse/blank.js';

/** Bytes read to find the first line; a longer first line comes back cut. */
const HEAD_BYTES = 64 * 1024;

/** The first non-blank line of the file (without `\r\n`), or undefined (empty, or unreadable now). */
export async function firstLineOf(path: string): Promise<string | undefined> {
  let handle: FileHandle | undefined;
  try {
    handle = await open(path, 'r');
    const head = Buffer.alloc(HEAD_BYTES);
    const { bytesRead } = await handle.read(head, 0, HEAD_BYTES, 0);
    const text = head.toString('utf8', 0, bytesRead).replace(/^\uFEFF/, '');
    return text
      .split('\n')
      .map((line) => line.replace(/\r$/, ''))
      .find((line) => !isBlankLine(line));
  } catch {
    return undefined;
  } finally {
    await handle?.close();
  }
}
