import type { AlertEvent } from '../../types.js';
import { formatJson } from '../jsonFormat.js';
import { formatAlert } from '../textFormat.js';

/**
 * What an `--on-alert` command reads on standard input: the NDJSON alert event plus the
 * human-readable message, as one JSON line.
 *
 * ```json
 * {"type":"alert","state":"firing","at":"2026-01-01T00:02:00Z","hits":1300,"rate":10.83,"threshold":10,"message":"High traffic generated an alert - hits = 1300, triggered at 2026-01-01T00:02:00Z"}
 * ```
 */
export function alertCommandInput(event: AlertEvent): string {
  const fields = JSON.parse(formatJson(event)) as Record<string, unknown>;
  return `${JSON.stringify({ ...fields, message: formatAlert(event) })}\n`;
}
