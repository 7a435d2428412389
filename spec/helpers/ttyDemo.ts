import { createProgress, createTtyView, shouldColor } from '../../src/sinks/tty/index.js';
import { ALERT_WINDOW, FILE, INTERVAL, T0, THRESHOLD, scriptEvents, scriptSummary } from './ttyScript.js';

// Drives the live view (or, with `progress`, the progress bar) on this process's real
// terminal, for the tmux tests: `node dist/spec/helpers/ttyDemo.js [view|progress]`.
// Colour follows the terminal and NO_COLOR. SIGUSR2 ends the demo part (closes the view /
// finishes the bar); the process then stays until killed (at most a minute) so that the screen can be read.

const mode = process.argv[2] ?? 'view';
// Stay up until killed (tmux kill-server sends SIGHUP), but never longer than a minute.
setTimeout(() => process.exit(0), 60_000);
process.on('SIGTERM', () => process.exit(0));
process.on('SIGHUP', () => process.exit(0));

if (mode === 'progress') runProgress();
else runView();

function runView(): void {
  const events = scriptEvents();
  const view = createTtyView({
    stream: process.stdout,
    file: FILE,
    mode: 'follow',
    threshold: THRESHOLD,
    alertWindow: ALERT_WINDOW,
    color: shouldColor(process.stdout, process.env),
    peek: () => ({ open: { start: T0 + events.filter((e) => e.type === 'stats').length * INTERVAL, hits: 37 } }),
  });
  // Most events at once (a catching-up burst), the rest one by one like a live log.
  const burst = events.length - 8;
  for (const e of events.slice(0, burst)) view.next(e);
  let i = burst;
  const tick = setInterval(() => {
    const e = events[i++];
    if (e === undefined) return void clearInterval(tick);
    view.next(e);
  }, 30);
  process.once('SIGUSR2', () => {
    clearInterval(tick);
    for (const e of events.slice(i)) view.next(e);
    view.next(scriptSummary(events));
    void view.close();
  });
}

function runProgress(): void {
  const total = 250e6;
  const progress = createProgress({ stream: process.stderr, total });
  let read = 0;
  const tick = setInterval(() => {
    read = Math.min(0.6 * total, read + 5e6);
    progress.update(read);
  }, 20);
  process.once('SIGUSR2', () => {
    clearInterval(tick);
    progress.update(total);
    progress.done();
    process.stdout.write('demo: progress done\n');
  });
}
