/** The one gzip detector is the source's (src/source/gzipFile.ts); here what the CLI adds. */
export { isGzipFile } from '../source/gzipFile.js';

/** Whether a decoded line starts like gzip data (0x1f, then 0x8b decoded as U+FFFD or as Latin-1). */
export function looksGzipped(line: string): boolean {
  return line.charCodeAt(0) === 0x1f && (line.charCodeAt(1) === 0xfffd || line.charCodeAt(1) === 0x8b);
}
