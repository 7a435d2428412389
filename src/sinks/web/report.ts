import { writeFile } from 'node:fs/promises';
import type { MonitorEvent } from '../../types.js';
import { SinkError } from '../../errors.js';
import { formatJson } from '../jsonFormat.js';
import type { Sink, SinkReport } from '../sink.js';
import { cspHash, loadAssets } from './assets.js';
import { parseEventLine, type EventJson, type PageMeta } from './model/eventJson.js';
import { ReportBuilder, type ReportData } from './model/reportData.js';
import { reportHtml, scriptSafeJson } from './pageHtml.js';

/** What a report says about the run (its `mode` is always `report`). */
export type ReportMeta = Omit<PageMeta, 'mode'>;

/**
 * A self-contained HTML page of `data`: the page's script and style inline, the data as a
 * JSON block; opens from disk with no server and no network.
 */
export async function renderReport(data: ReportData): Promise<string> {
  const { script, style } = await loadAssets();
  // The bundle sits in a script element: it must not close it (esbuild writes `<\/script` in strings).
  if (/<\/script/i.test(script)) throw new SinkError('the web page bundle contains "</script"; rebuild it');
  return reportHtml(script, style, scriptSafeJson(data), { script: cspHash(script), style: cspHash(style) });
}

/** Builds the report data of a list of events (each as NDJSON gives it). */
export function reportData(events: Iterable<MonitorEvent>, meta: ReportMeta): ReportData {
  const builder = new ReportBuilder({ ...meta, mode: 'report' });
  for (const event of events) addEvent(builder, event);
  return builder.build();
}

/** An engine event into the report: stats by their figures as they are (NDJSON only for those shown exactly), the others as NDJSON gives them. */
function addEvent(builder: ReportBuilder, event: MonitorEvent): void {
  if (event.type !== 'stats') builder.add(parseEventLine(formatJson(event)) as EventJson);
  else builder.addStats(event, event.hosts, event.start, event.end, () => formatJson(event));
}

/**
 * Writes the report of `events` to `file`.
 *
 * @example
 * ```ts
 * import { lastValueFrom, toArray } from 'rxjs';
 * import { monitorFiles } from 'apachescan';
 * import { writeReport } from 'apachescan/web';
 *
 * const events = await lastValueFrom(monitorFiles(['access.log']).pipe(toArray()));
 * await writeReport('report.html', events, { source: 'access.log', threshold: 10, alertWindow: 120, interval: 10 });
 * ```
 */
export async function writeReport(file: string, events: Iterable<MonitorEvent>, meta: ReportMeta): Promise<void> {
  await writeReportData(file, reportData(events, meta));
}

async function writeReportData(file: string, data: ReportData): Promise<void> {
  const html = await renderReport(data);
  try {
    await writeFile(file, html);
  } catch (err) {
    throw new SinkError(`cannot write the report ${JSON.stringify(file)}: ${(err as Error).message}`, (err as NodeJS.ErrnoException).code, {
      cause: err,
    });
  }
}

/** A {@link Sink} that writes the report of the events it got to `file` when closed. */
export interface ReportSink extends Sink {
  /** Where the report is written. */
  readonly file: string;
}

/**
 * The report as a sink: collects the events (a few numbers per interval), writes the file
 * at `close`. Its report counts one unit, the file, undelivered when it could not be written.
 * Checks that the page's assets exist before the run starts.
 */
export async function createReportSink(file: string, meta: ReportMeta): Promise<ReportSink> {
  await loadAssets();
  const builder = new ReportBuilder({ ...meta, mode: 'report' });
  let closing: Promise<SinkReport> | undefined;
  return {
    file,
    next(event: MonitorEvent): void {
      if (closing === undefined) addEvent(builder, event);
    },
    close(): Promise<SinkReport> {
      closing ??= writeReportData(file, builder.build()).then(
        () => ({ name: 'report', delivered: 1, undelivered: 0 }),
        (err: unknown) => ({ name: 'report', delivered: 0, undelivered: 1, detail: err instanceof Error ? err.message : String(err) }),
      );
      return closing;
    },
  };
}
