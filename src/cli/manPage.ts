import type { Argv } from 'yargs';
import { ENV_PREFIX } from './serviceOptions.js';

/** What yargs knows of its options (`getOptions()`, public in yargs 18, missing from @types/yargs 17). */
interface OptionTable {
  readonly key: Record<string, unknown>;
  readonly alias: Record<string, string[]>;
  readonly default: Record<string, unknown>;
  readonly choices: Record<string, unknown[]>;
  readonly boolean: string[];
  readonly hiddenOptions: string[];
}
type Introspectable = Argv & {
  getOptions(): OptionTable;
  getGroups(): Record<string, string[]>;
  getInternalMethods(): { getUsageInstance(): { getDescriptions(): Record<string, string | undefined> } };
};

/**
 * The man page (roff, `man -l apachescan.1`) for the command line `cli` defines: every option
 * with its aliases, value, default and description comes from the yargs definitions, in the
 * groups `--help` shows. The prose sections around them are fixed.
 */
export async function renderManPage(cli: Argv, version: string): Promise<string> {
  const y = cli as Introspectable;
  await y.getHelp(); // settles the groups and descriptions
  const table = y.getOptions();
  const descriptions = y.getInternalMethods().getUsageInstance().getDescriptions();
  const aliases = new Set(Object.values(table.alias).flat());
  const groups = y.getGroups();
  const listed = new Set<string>();
  const sections: string[] = [];
  for (const [title, keys] of Object.entries(groups)) {
    if (title === 'Positionals:') continue;
    const options = keys.filter((k) => !aliases.has(k) && !table.hiddenOptions.includes(k));
    for (const k of options) listed.add(k);
    sections.push(`.SS ${title.replace(/:$/, '')}`, ...options.map((k) => optionEntry(k, table, descriptions)));
  }
  const rest = Object.keys(table.key).filter(
    (k) => !aliases.has(k) && !listed.has(k) && !table.hiddenOptions.includes(k) && !k.startsWith('_'),
  );
  sections.push('.SS General', ...rest.map((k) => optionEntry(k, table, descriptions)));
  return [
    `.TH APACHESCAN 1 "" "apachescan ${roff(version)}" "User Commands"`,
    '.SH NAME',
    'apachescan \\- follow an Apache/Nginx access log: interval statistics and high-traffic alerts',
    '.SH SYNOPSIS',
    '.B apachescan',
    '[\\fIfile\\fR] [\\fIoptions\\fR]',
    '.br',
    '.B apachescan completion',
    '.SH DESCRIPTION',
    text(
      'apachescan reads an access log (default /tmp/access.log; - reads standard input) and follows it as the server writes it. ' +
        'Every interval of event time (10 s by default) it prints the hits, top sections, status classes, bytes and distinct clients of that interval. ' +
        'When the average request rate over the alert window (2 minutes) exceeds the threshold it prints "High traffic generated an alert", and "Traffic recovered" when it falls back. ' +
        'Alerts can also run a command (--on-alert) and be pushed to Prometheus Alertmanager (--alertmanager).',
    ),
    '.PP',
    text('apachescan completion prints a bash or zsh completion script: apachescan completion >> ~/.bashrc'),
    '.SH OPTIONS',
    '.TP',
    '\\fB\\-f\\fR \\fIfile\\fR',
    text('The log file, as the positional file argument (default /tmp/access.log; - reads standard input).'),
    ...sections,
    '.SH ENVIRONMENT',
    '.TP',
    `.B ${ENV_PREFIX}_\\fIOPTION\\fR`,
    text(
      `Any option, upper-cased with - as _: ${ENV_PREFIX}_THRESHOLD=20, ${ENV_PREFIX}_ALERTMANAGER=http://127.0.0.1:9093, ${ENV_PREFIX}_CONFIG=/etc/apachescan/config.json. ` +
        'Yes/no options take 1/0, true/false, yes/no or on/off (APACHESCAN_ONCE=1). ' +
        'The command line wins over the environment, the environment over the config file; files named on the command line replace their file.',
    ),
    '.TP',
    '.B XDG_STATE_HOME',
    text('Where follow mode saves its checkpoint by default ($XDG_STATE_HOME/apachescan/).'),
    '.TP',
    '.B NO_COLOR',
    text('No colours in the terminal view.'),
    '.SH FILES',
    '.TP',
    '.I --config FILE',
    text(
      'A JSON object of options by their long names: {"threshold": 20, "alertmanager": ["http://127.0.0.1:9093"], "checkpoint": false}.',
    ),
    '.SH EXIT STATUS',
    text(
      '0 on success; 2 for a mistake on the command line, in the config file or with the input file (one line on stderr); 1 for an unexpected failure.',
    ),
    '.SH EXAMPLES',
    '.nf',
    roff('apachescan /var/log/apache2/access.log --prometheus 9464'),
    roff('apachescan access.log --once --json'),
    roff("apachescan access.log --alertmanager http://127.0.0.1:9093 --on-alert 'logger -t apachescan'"),
    '.fi',
    '.SH SEE ALSO',
    text('The README of the apachescan package; samples/systemd/apachescan.service for running it as a service.'),
    '',
  ].join('\n');
}

function optionEntry(key: string, table: OptionTable, descriptions: Record<string, string | undefined>): string {
  const names = [key, ...(table.alias[key] ?? [])].sort((a, b) => a.length - b.length);
  const flags = names.map((n) => `\\fB${n.length === 1 ? '\\-' : '\\-\\-'}${roff(n).replace(/-/g, '\\-')}\\fR`).join(', ');
  const choices = table.choices[key];
  const value = table.boolean.includes(key)
    ? ''
    : choices !== undefined
      ? ` \\fI${choices.map(String).map(roff).join('|')}\\fR`
      : ' \\fIvalue\\fR';
  const fallback = table.default[key];
  const extra = fallback === undefined || fallback === false ? '' : ` (default: ${String(fallback)})`;
  // yargs marks its own strings for translation: `__yargsString__:Show help`.
  const description = (descriptions[key] ?? '').replace(/^__yargsString__:/, '');
  return ['.TP', `${flags}${value}`, text(`${description}${extra}`)].join('\n');
}

/** Escapes text for roff: backslashes, and a leading dot or quote that would start a request. */
function roff(value: string): string {
  return value.replace(/\\/g, '\\e').replace(/^([.'])/gm, '\\&$1');
}

function text(value: string): string {
  return roff(value).replace(/-/g, '\\-');
}
