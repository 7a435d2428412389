/**
 * The library paths the comparison table times, each as its own process so that wall time
 * and peak RSS are those of a program a user would write:
 *
 *   node dist/bench/paths.js library FILE      monitor(readLogFile(FILE))
 *   node dist/bench/paths.js subject FILE      a Subject<string> fed line by line into monitor()
 *   node dist/bench/paths.js handwritten FILE  a plain Node parser: readline + a regex, 10 s windows
 *                                              streamed (printed and dropped once closed), 10 s lateness
 *
 * Each prints its events as NDJSON to stdout (the bench sends it to /dev/null).
 */
import { createReadStream } from 'node:fs';
import { createInterface } from 'node:readline';
import { StringDecoder } from 'node:string_decoder';
import { Subject } from 'rxjs';
import { formatJson, monitor, readLogFile, type MonitorEvent } from '../src/index.js';

const [mode, file] = process.argv.slice(2);

/** Events in 64 KiB blocks, as the CLI writes a replay. */
function output(): { next: (event: MonitorEvent) => void; done: () => void } {
  let pending = '';
  return {
    next: (event) => {
      pending += `${formatJson(event)}\n`;
      if (pending.length >= 1 << 16) {
        process.stdout.write(pending);
        pending = '';
      }
    },
    done: () => void process.stdout.write(pending),
  };
}

async function library(path: string): Promise<void> {
  const out = output();
  await new Promise<void>((resolve, reject) => monitor(readLogFile(path)).subscribe({ next: out.next, error: reject, complete: resolve }));
  out.done();
}

/** What an embedder with its own source does: lines as strings, one `next` each. */
async function subject(path: string): Promise<void> {
  const out = output();
  const lines = new Subject<string>();
  const done = new Promise<void>((resolve, reject) => monitor(lines).subscribe({ next: out.next, error: reject, complete: resolve }));
  const decoder = new StringDecoder('utf8');
  let rest = '';
  for await (const chunk of createReadStream(path, { highWaterMark: 1 << 20 }) as AsyncIterable<Buffer>) {
    const parts = (rest + decoder.write(chunk)).split('\n');
    rest = parts.pop() ?? '';
    for (const line of parts) lines.next(line);
  }
  rest += decoder.end();
  if (rest !== '') lines.next(rest);
  lines.complete();
  await done;
  out.done();
}

const LINE = /^(\S+) \S+ \S+ \[(\d{2})\/(\w{3})\/(\d{4}):(\d{2}):(\d{2}):(\d{2}) ([+-]\d{4})\] "(?:\S+) (\S+)[^"]*" (\d{3}) (\d+|-)/;
const MONTHS: Record<string, number> = { Jan: 0, Feb: 1, Mar: 2, Apr: 3, May: 4, Jun: 5, Jul: 6, Aug: 7, Sep: 8, Oct: 9, Nov: 10, Dec: 11 };

/** Lateness of the baseline's windows, as the CLI's default `--lateness`. */
const LATENESS_MS = 10_000;
const WINDOW_MS = 10_000;

/**
 * The baseline: what one writes by hand with readline and a regex. It streams like the CLI: 10 s
 * windows, a watermark 10 s behind the newest line, each window printed and dropped once the
 * watermark passes its end (empty ones too), a line for a window already printed counted late;
 * no alert, no checkpoint, no interning.
 */
async function handwritten(path: string): Promise<void> {
  interface Window {
    hits: number;
    bytes: number;
    hosts: Set<string>;
    sections: Map<string, number>;
    status: Map<string, number>;
  }
  const windows = new Map<number, Window>();
  let invalid = 0;
  let late = 0;
  /** Start of the next window to print (every earlier one is out); NaN before the first line. */
  let next = Number.NaN;
  let text = '';
  const emit = (start: number): void => {
    const w = windows.get(start);
    windows.delete(start);
    const top = w === undefined ? [] : [...w.sections].sort((a, b) => b[1] - a[1] || (a[0] < b[0] ? -1 : 1)).slice(0, 5);
    const status = Object.fromEntries(w?.status ?? []);
    text += `${JSON.stringify({ start, hits: w?.hits ?? 0, bytes: w?.bytes ?? 0, hosts: w?.hosts.size ?? 0, top, status })}\n`;
    if (text.length > 1 << 16) {
      process.stdout.write(text);
      text = '';
    }
  };
  /** Prints the windows that end at or before `watermark`; a long gap skips to the next window held. */
  const advance = (watermark: number): void => {
    while (next + WINDOW_MS <= watermark) {
      if (windows.size === 0) {
        next = Math.max(next, Math.floor(watermark / WINDOW_MS) * WINDOW_MS);
        return;
      }
      emit(next);
      next += WINDOW_MS;
    }
  };
  let newest = Number.NEGATIVE_INFINITY;
  const lines = createInterface({ input: createReadStream(path, { highWaterMark: 1 << 20 }), crlfDelay: Infinity });
  for await (const line of lines) {
    const m = LINE.exec(line);
    if (m === null) {
      if (line.trim() !== '') invalid++;
      continue;
    }
    const [, host, day, month, year, hh, mm, ss, zone, target, status, bytes] = m as unknown as [
      string,
      string,
      string,
      string,
      string,
      string,
      string,
      string,
      string,
      string,
      string,
      string,
    ];
    const offset = (Number(zone.slice(0, 3)) * 60 + Math.sign(Number(zone.slice(0, 3)) || 1) * Number(zone.slice(3))) * 60_000;
    const time = Date.UTC(Number(year), MONTHS[month] ?? 0, Number(day), Number(hh), Number(mm), Number(ss)) - offset;
    const start = Math.floor(time / WINDOW_MS) * WINDOW_MS;
    if (Number.isNaN(next)) next = start;
    if (start < next) {
      late++;
      continue;
    }
    let w = windows.get(start);
    if (w === undefined) windows.set(start, (w = { hits: 0, bytes: 0, hosts: new Set(), sections: new Map(), status: new Map() }));
    w.hits++;
    w.bytes += bytes === '-' ? 0 : Number(bytes);
    w.hosts.add(host);
    const section = `/${target.split('/')[1]?.split('?')[0] ?? ''}`;
    w.sections.set(section, (w.sections.get(section) ?? 0) + 1);
    const cls = `${status[0]}xx`;
    w.status.set(cls, (w.status.get(cls) ?? 0) + 1);
    if (time > newest) {
      newest = time;
      advance(newest - LATENESS_MS);
    }
  }
  // End of input: every open window is printed.
  while (windows.size > 0) {
    emit(next);
    next += WINDOW_MS;
  }
  process.stdout.write(`${text}${JSON.stringify({ invalid, late })}\n`);
}

const runs: Record<string, (path: string) => Promise<void>> = { library, subject, handwritten };
const run = mode === undefined ? undefined : runs[mode];
if (run === undefined || file === undefined) {
  console.error('usage: node dist/bench/paths.js library|subject|handwritten FILE');
  process.exitCode = 2;
} else {
  await run(file);
}
