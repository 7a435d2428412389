// Reads what a log holds now, remembers where it stopped in a checkpoint, and on the next run
// resumes from there (a cron job, or a service restarted after a crash): no interval is
// reported twice, no line is lost. Windows still open at the stop are kept for the next run.
// Run from the repository root: node samples/embedding/resume.mjs LOG CHECKPOINT
import { statSync } from 'node:fs';
import { Subject } from 'rxjs';
import { followLog, loadFollowCheckpoint, formatJson, ApachescanError } from 'apachescan';

const [log = 'samples/access.log', checkpoint = 'apachescan-checkpoint.json'] = process.argv.slice(2);
const options = { interval: 10_000, lateness: 10_000, threshold: 10 };

try {
  // undefined when there is no checkpoint yet; CheckpointError when it is unusable.
  const saved = await loadFollowCheckpoint(checkpoint, log, options);
  const size = statSync(log).size;
  const stop = new Subject();
  const stopAtEnd = ({ offset }) => offset >= size && stop.next();
  followLog(log, { ...options, checkpoint: { path: checkpoint, saved }, stop, onRead: stopAtEnd }).subscribe({
    next: (event) => console.log(formatJson(event)),
    error: (err) => fail(err),
  });
  if (saved !== undefined && (saved.files[log]?.processed.offset ?? 0) >= size) stop.next(); // nothing new since the last run
} catch (err) {
  fail(err);
}

function fail(err) {
  // Our own errors (bad option, unusable checkpoint, unreadable file) have a one-line message.
  console.error(`resume: ${err instanceof ApachescanError ? err.message : err}`);
  process.exitCode = err instanceof ApachescanError ? 2 : 1;
}
