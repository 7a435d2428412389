/**
 * The InfluxDB writer the CLI's `--influx` runs: line protocol per interval, batched,
 * retried with backoff, never blocking the pipeline.
 *
 * @module apachescan/influx
 */
export { createInfluxWriter, type InfluxWriter, type InfluxWriterOptions, type InfluxWriterStats } from './writer.js';
export { parseInfluxUrl, type InfluxTarget } from './influxUrl.js';
export {
  createEncoder,
  encodeEvent,
  escapeTag,
  escapeStringField,
  formatTimestamp,
  MEASUREMENT_INTERVAL,
  MEASUREMENT_SECTION,
  MEASUREMENT_ALERT,
  STATUS_CLASSES,
  MAX_TAG_VALUE_LENGTH,
  type EncoderOptions,
  type Precision,
} from './lineProtocol.js';
export { SinkError } from '../../errors.js';
export type { Sink, SinkReport } from '../sink.js';
