// A stage of your own between the parser and the windows, at the engine's speed: drops every
// request whose section is /static, then prints the summary line the CLI prints. What flows
// between the stages is a record batch (parsed lines in columns); filterRows looks at each
// request through a row view and passes on batches, so nothing is made per line.
// Run from the repository root: node samples/embedding/custom-stage.mjs samples/access.log
import { filter } from 'rxjs';
import { formatText, monitorParsed, readLogFile } from 'apachescan';
import { filterRows, parseAccessLog } from 'apachescan/operators';

const file = process.argv[2];
if (file === undefined) {
  console.error('usage: node custom-stage.mjs FILE');
  process.exit(2);
}

const counts = { dropped: 0 };
const parsed$ = readLogFile(file).pipe(
  parseAccessLog(),
  filterRows((row) => row.section !== '/static', { counts }),
);

monitorParsed(parsed$)
  .pipe(filter((event) => event.type === 'summary'))
  .subscribe({
    next: (summary) => console.log(`${formatText(summary)} (${counts.dropped} /static requests left out)`),
    error: (err) => {
      console.error(`custom-stage: ${err.message}`);
      process.exitCode = 1;
    },
  });
