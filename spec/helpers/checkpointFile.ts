import { readFileSync } from 'node:fs';

/**
 * How far the checkpoint file at `path` says the lines of its one followed file were
 * processed; -1 while there is none (or it is being replaced).
 */
export function processedOffset(path: string): number {
  try {
    const saved = JSON.parse(readFileSync(path, 'utf8')) as { files: Record<string, { processed: { offset: number } }> };
    const files = Object.values(saved.files);
    return files.length === 1 ? (files[0] as { processed: { offset: number } }).processed.offset : -1;
  } catch {
    return -1;
  }
}
