import type { Sink, SinkReport } from '../sink.js';
import type { TextStream } from '../textSink.js';
import { createBacktest, type BacktestAlert } from './backtestReport.js';
import { formatBacktestJson, formatBacktestText } from './formatBacktest.js';

export { backtestAlerts, ruleText } from './formatBacktest.js';
export { createBacktest, type BacktestAlert, type BacktestResult, type FiringPeriod } from './backtestReport.js';

/** `--backtest`: takes the events, writes the report at close (text, or one JSON object). */
export function createBacktestSink(options: {
  readonly stream: TextStream;
  readonly format: 'text' | 'json';
  readonly alerts: readonly BacktestAlert[];
  readonly alertWindow: number;
}): Sink {
  const backtest = createBacktest(options.alerts, options.alertWindow);
  let closed: SinkReport | undefined;
  return {
    next: (event) => {
      if (closed === undefined) backtest.next(event);
    },
    close: async () => {
      if (closed !== undefined) return closed;
      const result = backtest.result();
      options.stream.write(`${options.format === 'json' ? formatBacktestJson(result) : formatBacktestText(result)}\n`);
      closed = { name: 'backtest', delivered: 1, undelivered: 0 };
      return closed;
    },
  };
}
