/**
 * A line that counts the characters the parser looks at: a `String` object whose methods add
 * what each call scans (`charCodeAt`: 1; `indexOf`: from the start position to the match or
 * the end; `slice` and friends: the characters copied). Conversions to a primitive are not
 * counted: native methods called on the object make them internally, and the parser applies
 * no regular expression to a line. Work, not time: the same on a loaded machine as on an
 * idle one.
 */
export class CountingString extends String {
  scanned = 0;

  override charCodeAt(index: number): number {
    this.scanned++;
    return super.charCodeAt(index);
  }

  override codePointAt(index: number): number | undefined {
    this.scanned++;
    return super.codePointAt(index);
  }

  override charAt(index: number): string {
    this.scanned++;
    return super.charAt(index);
  }

  override indexOf(search: string, from = 0): number {
    const at = super.indexOf(search, from);
    this.scanned += (at < 0 ? this.length : at + search.length) - Math.max(0, from) + 1;
    return at;
  }

  override lastIndexOf(search: string, from = Infinity): number {
    const at = super.lastIndexOf(search, from);
    this.scanned += Math.min(this.length, from) - Math.max(at, 0) + 1;
    return at;
  }

  override startsWith(search: string, position = 0): boolean {
    this.scanned += search.length + 1;
    return super.startsWith(search, position);
  }

  override slice(start?: number, end?: number): string {
    const out = super.slice(start, end);
    this.scanned += out.length + 1;
    return out;
  }

  override substring(start: number, end?: number): string {
    const out = super.substring(start, end);
    this.scanned += out.length + 1;
    return out;
  }
}
