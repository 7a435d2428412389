// Replays a log file through the whole engine and prints each event as NDJSON.
// Run from the repository root: node samples/embedding/replay.mjs samples/access.log
import { monitor, readLogFile, formatJson } from 'apachescan';

const file = process.argv[2] ?? 'samples/access.log';
monitor(readLogFile(file), { threshold: 10 }).subscribe({
  next: (event) => console.log(formatJson(event)),
  error: (err) => {
    console.error(`replay: ${err.message}`);
    process.exitCode = 1;
  },
});
