/**
 * Streams a generated log to a file in big chunks: memory stays bounded by the chunk size,
 * and the file appears under its final name only once complete (write to a temporary name,
 * then rename), so an interrupted run never leaves a partial file that looks finished.
 */
import { open, rename, rm } from 'node:fs/promises';
import { generateLog, type GenerateOptions } from './generateLog.js';

export interface WriteResult {
  readonly lines: number;
  readonly bytes: number;
}

/**
 * Writes `generateLog(options)` to `path`, one `\n` after every line, in chunks of about
 * `chunkChars` characters.
 */
export async function writeLog(path: string, options: GenerateOptions, chunkChars = 1 << 22): Promise<WriteResult> {
  const temporary = `${path}.partial-${process.pid}`;
  const file = await open(temporary, 'w');
  let lines = 0;
  let bytes = 0;
  const flush = async (chunk: string): Promise<void> => {
    const buffer = Buffer.from(chunk, 'utf8');
    let offset = 0;
    while (offset < buffer.length) offset += (await file.write(buffer, offset)).bytesWritten;
    bytes += buffer.length;
  };
  try {
    let chunk = '';
    for (const line of generateLog(options)) {
      chunk += `${line}\n`;
      lines++;
      if (chunk.length >= chunkChars) {
        await flush(chunk);
        chunk = '';
      }
    }
    if (chunk !== '') await flush(chunk);
    await file.close();
    await rename(temporary, path);
  } catch (error) {
    await file.close().catch(() => undefined);
    await rm(temporary, { force: true });
    throw error;
  }
  return { lines, bytes };
}
