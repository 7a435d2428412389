/**
 * yargs' own validation messages as one line each, in the words of our other messages:
 * `Not enough arguments following: interval` and the three-line `Invalid values:` block.
 */
export function oneLineUsage(message: string): string {
  const missing = /^Not enough arguments following: (\S+)$/.exec(message.trim());
  if (missing !== null) return `${flag(missing[1] ?? '')} needs a value`;
  const invalid = /Argument: (\S+), Given: (.*), Choices: (.*)$/m.exec(message);
  if (invalid !== null) return `${flag(invalid[1] ?? '')} must be one of ${invalid[3]}, got ${invalid[2]}`;
  return message
    .split('\n')
    .map((line) => line.trim())
    .filter((line) => line !== '')
    .join(' ');
}

function flag(name: string): string {
  return name.length === 1 ? `-${name}` : `--${name}`;
}
