import type { InfluxTarget } from './influxUrl.js';

/** What to do with a batch after one write attempt. */
export type SendOutcome =
  | { readonly kind: 'ok' }
  /** Server down, 5xx, 408 or 429: keep the batch and try again later. */
  | { readonly kind: 'retry'; readonly reason: string; readonly retryAfter?: number }
  /** Other 4xx: it will never succeed. `rejected` < batch size on a 1.x partial write. */
  | { readonly kind: 'reject'; readonly reason: string; readonly rejected?: number };

/** POSTs one batch; never rejects (network errors and timeouts become `retry`). */
export async function sendBatch(fetchFn: typeof fetch, target: InfluxTarget, body: string, signal: AbortSignal): Promise<SendOutcome> {
  try {
    const res = await fetchFn(target.writeUrl, { method: 'POST', headers: target.headers, body, signal });
    const text = res.ok ? '' : await res.text().catch(() => '');
    if (res.ok) await res.body?.cancel().catch(() => undefined);
    return classifyResponse(res.status, res.headers.get('x-influxdb-error') ?? errorFromBody(text), res.headers.get('retry-after'));
  } catch (err) {
    return { kind: 'retry', reason: signal.aborted ? 'request timed out' : networkReason(err) };
  }
}

/** Pure: HTTP status (+ server message, Retry-After header) -> outcome. */
export function classifyResponse(status: number, message: string, retryAfter: string | null): SendOutcome {
  if (status >= 200 && status < 300) return { kind: 'ok' };
  const reason = `HTTP ${status}${message === '' ? '' : `: ${oneLine(message)}`}`;
  if (status === 408 || status === 429 || status >= 500) {
    const seconds = retryAfter === null ? NaN : Number(retryAfter.trim());
    return Number.isFinite(seconds) && seconds >= 0 ? { kind: 'retry', reason, retryAfter: seconds * 1000 } : { kind: 'retry', reason };
  }
  const partial = message.includes('partial write') ? /dropped=(\d{1,9})/.exec(message) : null;
  return partial?.[1] === undefined ? { kind: 'reject', reason } : { kind: 'reject', reason, rejected: Number(partial[1]) };
}

function errorFromBody(text: string): string {
  try {
    const parsed: unknown = JSON.parse(text);
    if (typeof parsed === 'object' && parsed !== null) {
      const { error, message } = parsed as { error?: unknown; message?: unknown };
      if (typeof error === 'string') return error;
      if (typeof message === 'string') return message;
    }
  } catch {
    // not JSON: use the text itself
  }
  return text;
}

function networkReason(err: unknown): string {
  const cause = err instanceof Error ? err.cause : undefined;
  const detail = cause instanceof Error ? ((cause as NodeJS.ErrnoException).code ?? cause.message) : undefined;
  const message = err instanceof Error ? err.message : String(err);
  return oneLine(detail === undefined ? message : `${message}: ${detail}`);
}

function oneLine(text: string): string {
  const flat = text.trim().replace(/[\u0000-\u001f\u007f-\u009f]/g, ' ');
  return flat.length > 200 ? `${flat.slice(0, 200)}...` : flat;
}
