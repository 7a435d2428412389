/** How one push ended: delivered, refused for good (4xx but 429), or worth retrying. */
export type PushOutcome =
  | { readonly kind: 'ok' }
  | { readonly kind: 'reject'; readonly reason: string }
  | { readonly kind: 'retry'; readonly reason: string };

/** `POST` a JSON array of alerts; never rejects. */
export async function postAlerts(fetchFn: typeof fetch, endpoint: string, body: string, signal: AbortSignal): Promise<PushOutcome> {
  try {
    const res = await fetchFn(endpoint, { method: 'POST', headers: { 'Content-Type': 'application/json' }, body, signal });
    const text = await res.text().catch(() => '');
    if (res.ok) return { kind: 'ok' };
    const reason = oneLine(`HTTP ${res.status}${text === '' ? '' : `: ${text}`}`);
    return res.status >= 400 && res.status < 500 && res.status !== 429 ? { kind: 'reject', reason } : { kind: 'retry', reason };
  } catch (err) {
    const cause = err instanceof Error ? err.cause : undefined;
    const code = cause instanceof Error ? ((cause as NodeJS.ErrnoException).code ?? cause.message) : undefined;
    const message = signal.aborted ? 'no answer in time' : err instanceof Error ? err.message : String(err);
    return { kind: 'retry', reason: oneLine(code === undefined ? message : `${message}: ${code}`) };
  }
}

function oneLine(text: string): string {
  const flat = text.trim().replace(/[\u0000-\u001f\u007f-\u009f]/g, ' ');
  return flat.length > 200 ? `${flat.slice(0, 200)}...` : flat;
}
