/**
 * The traffic page: a report (its data in a JSON script element) or live (Server-Sent Events
 * from `events` on the same origin, with EventSource's automatic reconnect).
 */
import { parseEventLine, type PageMeta } from '../model/eventJson.js';
import type { ReportData } from '../model/reportData.js';
import { apply, emptyStore, loadReport, reset, setMeta } from './store.js';
import { View } from './view.js';

const root = document.getElementById('app') as HTMLElement;
const store = emptyStore();
const view = new View(root, store);
const embedded = document.getElementById('apachescan-data');

if (embedded !== null) {
  const started = performance.now();
  loadReport(store, JSON.parse(embedded.textContent ?? '{}') as ReportData);
  view.render();
  document.documentElement.dataset['rendered'] = String(Math.round(performance.now() - started));
} else {
  live();
}

function live(): void {
  // The token the page was opened with (`?token=`) goes with the event stream.
  const token = new URLSearchParams(location.search).get('token');
  const source = new EventSource(token === null ? 'events' : `events?token=${encodeURIComponent(token)}`);
  const set = (state: typeof store.connection): void => {
    store.connection = state;
    view.schedule();
  };
  // After the run's end, a lost connection is expected: the page says stopped, and EventSource
  // keeps retrying, so a restarted apachescan on the same address brings it back to live.
  let ended = false;
  source.addEventListener('open', () => {
    ended = false;
    set('live');
  });
  source.addEventListener('error', () => set(ended || source.readyState === EventSource.CLOSED ? 'stopped' : 'reconnecting'));
  source.addEventListener('reset', () => {
    reset(store);
    view.schedule();
  });
  source.addEventListener('meta', (e) => {
    setMeta(store, JSON.parse((e as MessageEvent<string>).data) as PageMeta);
    reset(store);
    view.schedule();
  });
  source.addEventListener('progress', (e) => {
    store.progress = { ...(JSON.parse((e as MessageEvent<string>).data) as object), at: Date.now() };
    view.schedule();
  });
  // The run ended (the summary came): nothing more will come from this run.
  source.addEventListener('end', () => {
    ended = true;
    set('stopped');
  });
  source.addEventListener('message', (e) => {
    const event = parseEventLine((e as MessageEvent<string>).data);
    if (event !== undefined) apply(store, event);
    view.schedule();
  });
  // The lag tile counts on between events.
  setInterval(() => view.schedule(), 5000);
}
