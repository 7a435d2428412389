import type { ServerResponse } from 'node:http';
import { isIP } from 'node:net';
import type { MonitorEvent } from '../../types.js';
import { formatJson } from '../jsonFormat.js';
import { isoTime } from '../timeFormat.js';
import { DEFAULT_HOST, formatListenAddress, type ListenAddress } from '../prometheus/listenAddress.js';
import type { Sink, SinkReport } from '../sink.js';
import { loadAssets } from './assets.js';
import { EventHistory, type HistoryOptions } from './history.js';
import type { PageMeta } from './model/eventJson.js';
import { startWebServer, type MetricsHandler } from './webServer.js';

/** What the live page shows besides the events: the open interval and how long the log has been quiet. */
export interface WebProgress {
  /** The interval still open: its start (ms) and hits so far. */
  readonly open?:
    | {
        /** Its start, ms since the epoch. */
        readonly start: number;
        /** Its hits so far. */
        readonly hits: number;
      }
    | undefined;
  /** Ms since lines last arrived (processing time). */
  readonly idle?: number | undefined;
}

export interface WebSinkOptions extends HistoryOptions {
  /** Interface to listen on. Default 127.0.0.1. */
  readonly host?: string;
  /** TCP port; 0 picks a free one (see `address.port`). */
  readonly port: number;
  /** What the page says about the run (source, threshold, alert window and interval in seconds). */
  readonly meta: Omit<PageMeta, 'mode'> & Partial<Pick<PageMeta, 'mode'>>;
  /** Require `Authorization: Bearer TOKEN` or `?token=TOKEN` for the page, the events and /metrics. */
  readonly token?: string;
  /** Live pages at once; more get 503. Default 16. */
  readonly maxClients?: number;
  /** Serve `/metrics` from this (the Prometheus exporter's registry) on the same port. */
  readonly metrics?: MetricsHandler;
  /** Host names a `Host` header may carry besides IP addresses, localhost and this machine's name. */
  readonly hostNames?: readonly string[];
  /** Polled every second while pages are open: sent to them as a `progress` event. */
  readonly progress?: () => WebProgress | undefined;
  /**
   * After the summary (the run ended), `close()` waits for this before it stops serving: the
   * page of a replay or of standard input stays up until the user is done (the CLI resolves it on Ctrl-C). A run that
   * did not end (an error) closes at once.
   */
  readonly linger?: Promise<void>;
  /** Called when `close()` starts waiting for `linger`. */
  readonly onLinger?: () => void;
}

/** A running web page of the traffic: a {@link Sink} that serves it. */
export interface WebSink extends Sink {
  /** Where it listens (the real port when 0 was asked). */
  readonly address: ListenAddress;
  /** `http://HOST:PORT/` (without the token). */
  readonly url: string;
  /** Live pages connected now. */
  readonly clients: number;
}

/** Bytes queued for a page that does not read; beyond, it is dropped (it reconnects and gets the history). */
const MAX_QUEUED = 4 * 1024 * 1024;
/** At most one write per page this often (ms) while events come faster. */
const FLUSH_MS = 100;
/** Characters of frames other than stats held for the next write; beyond, they go out at once. */
const MAX_PENDING = 256 * 1024;

/**
 * Serves the traffic page for any event stream: `GET /` the page, `/events` the events as
 * Server-Sent Events (the retained last hour first, then live), on one port. Events that come
 * faster than ten writes a second (a catch-up) reach the pages as what the history keeps.
 *
 * @example
 * ```ts
 * import { connectSinks, followLog } from 'apachescan';
 * import { startWebSink } from 'apachescan/web';
 *
 * const web = await startWebSink({ port: 8080, meta: { source: 'access.log', threshold: 10, alertWindow: 120, interval: 10 } });
 * await connectSinks(followLog('/var/log/apache2/access.log'), [web]);
 * ```
 * @throws SinkError (rejected promise) when it cannot listen or the page's assets are missing.
 */
export async function startWebSink(options: WebSinkOptions): Promise<WebSink> {
  const assets = await loadAssets();
  const history = new EventHistory(options);
  const meta: PageMeta = { mode: 'follow', ...options.meta };
  const metaFrame = frame(JSON.stringify(meta), 'meta');
  const clients = new Set<ServerResponse>();
  const maxClients = Math.max(1, options.maxClients ?? 16);
  let delivered = 0;
  let ended = false;
  let closing: Promise<SinkReport> | undefined;
  // Set once `close()` is past the linger: a replay's page takes new pages until then.
  let stopping = false;

  const write = (res: ServerResponse, data: string | Buffer): void => {
    if (res.writableLength > MAX_QUEUED) {
      clients.delete(res);
      res.destroy();
      return;
    }
    res.write(data);
  };
  // Frames go out together, encoded once for every page: at the next turn of the event loop,
  // and during a burst (a catch-up of a long backlog emits thousands of events at once) at
  // most every FLUSH_MS. Stats wait as their numbers in the history, and go out as the lines
  // it still keeps: the page keeps the same last hour, so a burst sends each page about an
  // hour of intervals per flush, not the whole backlog (a page opened late gets the same).
  // Other frames (alerts, progress, the end) wait as text, in order with the stats.
  let pending: Array<string | { readonly from: number; to: number }> = [];
  let pendingChars = 0;
  let scheduled: { readonly cancel: () => void } | undefined;
  let lastFlush = Number.NEGATIVE_INFINITY;
  const flush = (): void => {
    scheduled?.cancel();
    scheduled = undefined;
    if (pending.length === 0) return;
    let text = '';
    for (const p of pending) {
      if (typeof p === 'string') text += p;
      else for (let n = Math.max(p.from, history.oldestRetained); n < p.to; n++) text += frame(history.statsLine(n) as string);
    }
    pending = [];
    pendingChars = 0;
    lastFlush = performance.now();
    const data = Buffer.from(text, 'utf8');
    for (const res of clients) write(res, data);
  };
  const schedule = (): void => {
    if (scheduled !== undefined) return;
    const wait = lastFlush + FLUSH_MS - performance.now();
    if (wait > 0) {
      const timer = setTimeout(flush, wait);
      scheduled = { cancel: () => clearTimeout(timer) };
    } else {
      const immediate = setImmediate(flush);
      scheduled = { cancel: () => clearImmediate(immediate) };
    }
  };
  const broadcast = (text: string): void => {
    pending.push(text);
    pendingChars += text.length;
    schedule();
    if (pendingChars > MAX_PENDING) flush();
  };
  const broadcastStats = (n: number): void => {
    const last = pending[pending.length - 1];
    if (last !== undefined && typeof last !== 'string' && last.to === n) last.to = n + 1;
    else pending.push({ from: n, to: n + 1 });
    schedule();
  };
  const server = await startWebServer({
    address: { host: options.host ?? DEFAULT_HOST, port: options.port },
    assets,
    ...(options.token === undefined ? {} : { token: options.token }),
    ...(options.metrics === undefined ? {} : { metrics: options.metrics }),
    ...(options.hostNames === undefined ? {} : { hostNames: options.hostNames }),
    mayConnect: () => clients.size < maxClients && !stopping,
    onEvents: (res) => {
      // What is pending is already in the history this page gets: others get it first.
      if (pending.length > 0) flush();
      clients.add(res);
      res.on('close', () => clients.delete(res));
      // A reconnecting page starts over: `reset`, what the run is, the retained past, then live.
      write(
        res,
        `retry: 2000\n${frame('', 'reset')}${metaFrame}${history
          .lines()
          .map((line) => frame(line))
          .join('')}`,
      );
      const p = progressFrame();
      if (p !== undefined) write(res, p);
      if (ended) write(res, frame('', 'end'));
    },
  });
  const progressFrame = (): string | undefined => {
    const p = options.progress?.();
    if (p === undefined) return undefined;
    const open = p.open === undefined ? {} : { open: { start: isoTime(p.open.start), hits: p.open.hits } };
    return frame(JSON.stringify({ ...open, ...(p.idle === undefined ? {} : { idle: p.idle }) }), 'progress');
  };
  // Every second: the open interval (when the CLI gives it); every 15 s a comment keeps proxies from closing the stream.
  let ticks = 0;
  const timer = setInterval(() => {
    if (clients.size === 0) return;
    ticks++;
    const p = progressFrame();
    if (p !== undefined) broadcast(p);
    else if (ticks % 15 === 0) broadcast(': keep-alive\n\n');
  }, 1000);
  timer.unref();

  const url = `http://${formatListenAddress(server.address)}/`;
  return {
    address: server.address,
    url,
    get clients() {
      return clients.size;
    },
    next(event: MonitorEvent): void {
      if (closing !== undefined) return;
      delivered++;
      // Stats are formatted when a page needs them (the history keeps the event); the others now.
      if (event.type === 'stats') {
        const stats = history.add(event) as number;
        if (clients.size > 0) broadcastStats(stats);
      } else {
        const line = formatJson(event);
        history.add(event, line);
        if (clients.size > 0) broadcast(frame(line));
      }
      if (event.type === 'summary') {
        ended = true;
        broadcast(frame('', 'end'));
      }
    },
    close(): Promise<SinkReport> {
      closing ??= (async () => {
        if (ended && options.linger !== undefined) {
          options.onLinger?.();
          await options.linger;
        }
        stopping = true;
        clearInterval(timer);
        flush();
        for (const res of clients) res.end(frame('', 'end'));
        clients.clear();
        await server.close();
        return { name: 'web', delivered, undelivered: 0 };
      })();
      return closing;
    },
  };
}

/** One Server-Sent Event; `data` is one line (NDJSON never holds a newline). */
function frame(data: string, event?: string): string {
  return event === undefined ? `data: ${data}\n\n` : `event: ${event}\ndata: ${data}\n\n`;
}

/** Whether listening on `host` reaches other machines (the CLI warns). */
export function isLoopback(host: string): boolean {
  const h = host.toLowerCase();
  if (h === 'localhost') return true;
  if (isIP(h) === 4) return h.startsWith('127.');
  if (isIP(h) === 6) return h === '::1';
  return false;
}
