// Uses the operators one by one: 5xx responses and distinct clients per minute (windows keep
// aggregates: hits, bytes, status classes, sections, distinct hosts), and routes late lines
// to their own consumer instead of dropping them.
// Run from the repository root: node samples/embedding/operators.mjs samples/access.log
import { filter, map, share } from 'rxjs';
import { readLogFile } from 'apachescan';
import { parseAccessLog, eventTimeWindows } from 'apachescan/operators';

const file = process.argv[2] ?? 'samples/access.log';
const windows$ = readLogFile(file).pipe(parseAccessLog(), eventTimeWindows({ interval: 60_000, lateness: 10_000 }), share());

windows$
  .pipe(
    filter((out) => out.type === 'window'),
    map((w) => ({ minute: new Date(w.start).toISOString(), errors: w.status['5xx'] ?? 0, clients: w.hosts })),
  )
  .subscribe((row) => console.log(JSON.stringify(row)));

windows$
  .pipe(filter((out) => out.type === 'late'))
  .subscribe((late) => console.error(`late line at ${new Date(late.record.time).toISOString()}`));
