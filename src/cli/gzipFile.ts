import { open } from 'node:fs/promises';

/** The two bytes every gzip file starts with (RFC 1952). */
const GZIP_MAGIC = [0x1f, 0x8b];

/** Whether the regular file at `path` starts with the gzip magic bytes (false for anything unreadable). */
export async function isGzipFile(path: string): Promise<boolean> {
  let handle;
  try {
    handle = await open(path, 'r');
    if (!(await handle.stat()).isFile()) return false;
    const head = Buffer.alloc(2);
    const { bytesRead } = await handle.read(head, 0, 2, 0);
    return bytesRead === 2 && head[0] === GZIP_MAGIC[0] && head[1] === GZIP_MAGIC[1];
  } catch {
    return false;
  } finally {
    await handle?.close();
  }
}

/** Whether a decoded line starts like gzip data (0x1f, then 0x8b decoded as U+FFFD or as Latin-1). */
export function looksGzipped(line: string): boolean {
  return line.charCodeAt(0) === 0x1f && (line.charCodeAt(1) === 0xfffd || line.charCodeAt(1) === 0x8b);
}
