import { asyncScheduler, type SchedulerLike, type Subscription } from 'rxjs';
import type { MonitorEvent, SummaryEvent } from '../../types.js';
import { formatText } from '../textFormat.js';
import { ENTER_ALT_SCREEN, HIDE_CURSOR, LEAVE_ALT_SCREEN, SHOW_CURSOR, CLEAR_SCREEN, frame } from './ansi.js';
import { renderView } from './renderView.js';
import { createThrottle } from './throttle.js';
import { initialViewState, reduceView, type LiveInterval, type ViewState } from './viewState.js';
import type { Sink, SinkReport } from '../sink.js';

/** The part of `NodeJS.WriteStream` the view uses (`process.stdout` fits). */
export interface TtyStream {
  readonly isTTY?: boolean;
  readonly columns?: number;
  readonly rows?: number;
  write(chunk: string, callback?: (error?: Error | null) => void): boolean;
  on(event: 'resize', listener: () => void): unknown;
  off(event: 'resize', listener: () => void): unknown;
}

export interface TtyViewOptions {
  readonly stream: TtyStream;
  /** The log file, as shown in the header. */
  readonly file: string;
  readonly mode: 'follow' | 'replay';
  /** Requests per second that fire the alert. */
  readonly threshold: number;
  /** Averaging window of the alert, ms. */
  readonly alertWindow: number;
  /** ANSI colours; decide with `shouldColor(stream, process.env)`. */
  readonly color: boolean;
  /** Repaint timer; default `asyncScheduler`. */
  readonly scheduler?: SchedulerLike;
  /** The open interval so far and the time since the last line; polled every `refresh` ms while the view is open. */
  readonly peek?: () => LiveInterval | undefined;
  /** Least ms between two repaints; default 100 (10 frames per second). */
  readonly frameInterval?: number;
  /** Ms between two polls of `peek`; default 1000. */
  readonly refresh?: number;
}

/** The live view, a {@link Sink}; its report counts the events shown. */
export interface TtyView extends Sink {
  /** Folds one event into the view and asks for a repaint (at most one per `frameInterval`). */
  next(event: MonitorEvent): void;
  /**
   * Leaves the alternate screen and prints the final view as plain text on the normal screen,
   * then the `Summary:` line, as the text output ends (when the summary came).
   */
  close(): Promise<SinkReport>;
}

/**
 * The live terminal view: repaints in place on the alternate screen (cursor hidden), at most
 * once per `frameInterval`, and on every resize of the terminal. On `close()` the terminal is
 * restored and the final state stays printed on the normal screen.
 */
export function createTtyView(options: TtyViewOptions): TtyView {
  const { stream, color, peek } = options;
  const scheduler = options.scheduler ?? asyncScheduler;
  let state: ViewState = initialViewState({
    file: options.file,
    mode: options.mode,
    threshold: options.threshold,
    alertWindow: options.alertWindow,
  });
  let live: LiveInterval | undefined;
  let lastFrame = '';
  let clearNext = true;
  let closed = false;
  let shown = 0;
  let summary: SummaryEvent | undefined;
  const size = (): { width: number; height: number } => ({ width: stream.columns || 80, height: stream.rows || 24 });

  const paint = (): void => {
    if (closed) return;
    const { width, height } = size();
    live = peek?.();
    const out = frame(renderView(state, { width, height, color, live }), height, clearNext);
    clearNext = false;
    if (out === lastFrame) return;
    lastFrame = out;
    stream.write(out);
  };
  const throttle = createThrottle(scheduler, options.frameInterval ?? 100, paint);
  const onResize = (): void => {
    clearNext = true;
    lastFrame = '';
    throttle.request();
  };
  const poll: Subscription | undefined =
    peek === undefined
      ? undefined
      : scheduler.schedule(function () {
          const now = peek();
          const seconds = (idle: number | undefined): number | undefined => (idle === undefined ? undefined : Math.floor(idle / 1000));
          if (now?.open?.start !== live?.open?.start || now?.open?.hits !== live?.open?.hits || seconds(now?.idle) !== seconds(live?.idle))
            throttle.request();
          this.schedule(undefined, options.refresh ?? 1000);
        }, options.refresh ?? 1000);

  stream.write(ENTER_ALT_SCREEN + HIDE_CURSOR + CLEAR_SCREEN);
  stream.on('resize', onResize);
  throttle.request();

  return {
    next(event) {
      if (closed) return;
      shown++;
      if (event.type === 'summary') summary = event;
      state = reduceView(state, event);
      throttle.request();
    },
    close() {
      const report: SinkReport = { name: 'tty', delivered: shown, undelivered: 0 };
      if (closed) return Promise.resolve(report);
      closed = true;
      throttle.cancel();
      poll?.unsubscribe();
      stream.off('resize', onResize);
      // One row short of the screen, so that the whole view stays visible above the prompt.
      const { width, height } = size();
      const final = renderView(state, {
        width,
        height: Math.max(1, height - (summary === undefined ? 1 : 2)),
        color: false,
        live: peek?.(),
      });
      if (summary !== undefined) final.push(formatText(summary));
      return new Promise((resolve) => {
        stream.write(`${LEAVE_ALT_SCREEN}${SHOW_CURSOR}${final.join('\n')}\n`, () => resolve(report));
      });
    },
  };
}
