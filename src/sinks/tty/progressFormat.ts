import { ellipsize } from './textWidth.js';

export interface ProgressInfo {
  readonly bytesRead: number;
  /** Bytes to read in all; 0 counts as done. */
  readonly total: number;
  /** Ms since reading started. */
  readonly elapsed: number;
  /** Columns available (the line stays one shorter, so it never wraps). */
  readonly width: number;
}

/**
 * One line of catching-up progress:
 * `catching up [██████████░░░░░░░░░░]  50%  12.3 MB/s  ETA 0:04  61.4/122.9 MB`.
 * The bar shrinks (down to nothing) to fit the width.
 */
export function formatProgress(info: ProgressInfo): string {
  const { total, elapsed } = info;
  const read = Math.max(0, Math.min(info.bytesRead, total));
  const ratio = total > 0 ? read / total : 1;
  const percent = `${String(Math.floor(ratio * 100)).padStart(3)}%`;
  const speed = elapsed > 0 ? read / (elapsed / 1000) : 0;
  const mbps = elapsed > 0 ? `${(speed / 1e6).toFixed(1)} MB/s` : '– MB/s';
  const eta = `ETA ${speed > 0 ? clock((total - read) / speed) : '--:--'}`;
  const amounts = `${(read / 1e6).toFixed(1)}/${(total / 1e6).toFixed(1)} MB`;
  const tail = `  ${percent}  ${mbps}  ${eta}  ${amounts}`;
  const max = info.width - 1;
  const barWidth = Math.min(30, max - 'catching up []'.length - tail.length);
  if (barWidth < 5) return ellipsize(`${percent.trim()} ${mbps} ${eta}`, max);
  const filled = Math.round(ratio * barWidth);
  return `catching up [${'█'.repeat(filled)}${'░'.repeat(barWidth - filled)}]${tail}`;
}

/** `65 -> "1:05"`, `3725 -> "1:02:05"` (seconds, rounded up). */
export function clock(seconds: number): string {
  const s = Math.ceil(seconds);
  const two = (n: number): string => String(n).padStart(2, '0');
  const h = Math.floor(s / 3600);
  const m = Math.floor((s % 3600) / 60);
  return h > 0 ? `${h}:${two(m)}:${two(s % 60)}` : `${m}:${two(s % 60)}`;
}
