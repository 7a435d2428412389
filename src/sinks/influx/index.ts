/**
 * The InfluxDB writer the CLI's `--influx` runs: line protocol per interval, batched,
 * retried with backoff, never blocking the pipeline.
 *
 * @packageDocumentation
 * @module apachescan/influx
 */
export { createInfluxWriter, type InfluxWriter, type InfluxWriterOptions, type InfluxWriterStats } from './writer.js';
export type { Sink, SinkReport } from '../sink.js';
