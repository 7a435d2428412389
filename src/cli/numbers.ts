import { UsageError } from './usageError.js';

/** yargs `coerce` helpers: reject non-decimal text, negatives and fractions with a one-line message. */
export function positiveNumber(name: string): (value: unknown) => number {
  return (value) => {
    const n = toNumber(name, value);
    if (!(n > 0)) throw new UsageError(`--${name} must be a positive number, got '${String(value)}'`);
    return n;
  };
}

export function nonNegativeNumber(name: string): (value: unknown) => number {
  return (value) => {
    const n = toNumber(name, value);
    if (!(n >= 0)) throw new UsageError(`--${name} must be zero or a positive number, got '${String(value)}'`);
    return n;
  };
}

export function nonNegativeInteger(name: string): (value: unknown) => number {
  return (value) => {
    const n = toNumber(name, value);
    if (!Number.isInteger(n) || n < 0) throw new UsageError(`--${name} must be a whole number >= 0, got '${String(value)}'`);
    return n;
  };
}

/** Plain decimal notation only: `10`, `0.5`, `.5`, `+3`, `-3`; not `0x10`, `1e1`, `1_0` or `Infinity`. */
const DECIMAL = /^[+-]?(?:\d+(?:\.\d*)?|\.\d+)$/;

function toNumber(name: string, value: unknown): number {
  const last = Array.isArray(value) ? value[value.length - 1] : value;
  const text = typeof last === 'string' ? last.trim() : last;
  const n = typeof text === 'number' ? text : typeof text === 'string' && DECIMAL.test(text) ? Number(text) : Number.NaN;
  if (!Number.isFinite(n)) throw new UsageError(`--${name} must be a number, got '${String(last)}'`);
  return n;
}
