/**
 * Which formats the byte parser reads: the named ones (and their LogFormat strings). Every
 * other format goes through the string parser only.
 */
import { LOG_FORMATS } from './namedFormats.js';

export const Shape = {
  /** Common, and whatever follows its fields after a space (`resolveFormat('auto')`). */
  Auto: 0,
  /** Exactly Common (its LogFormat string). */
  Common: 1,
  /** Exactly Combined (its LogFormat string). */
  Combined: 2,
  /** Exactly `%v:%p ` followed by Combined with `%O` for the bytes (its LogFormat string). */
  VhostCombined: 3,
  /** `--format common`: Common, and whatever follows its fields after a space. */
  CommonTrailing: 4,
  /** `--format combined`: Combined, and whatever follows its fields after a space. */
  CombinedTrailing: 5,
  /** `--format vhost_combined`: vhost_combined, and whatever follows its fields after a space. */
  VhostCombinedTrailing: 6,
} as const;
export type Shape = (typeof Shape)[keyof typeof Shape];

/** The formats the byte parser was written for; if src/parse changes them, it stands aside. */
const WRITTEN_FOR: Readonly<Record<string, string>> = {
  common: '%h %l %u %t "%r" %>s %b',
  combined: '%h %l %u %t "%r" %>s %b "%{Referer}i" "%{User-agent}i"',
  vhost_combined: '%v:%p %h %l %u %t "%r" %>s %O "%{Referer}i" "%{User-Agent}i"',
};
const UNCHANGED = Object.keys(WRITTEN_FOR).every((name) => LOG_FORMATS[name] === WRITTEN_FOR[name]);

/** The shape of a `format` option, or undefined when the byte parser does not know it. */
export function shapeOf(format: string): Shape | undefined {
  if (!UNCHANGED) return undefined;
  switch (format) {
    case 'auto':
      return Shape.Auto;
    case 'common':
      return Shape.CommonTrailing;
    case LOG_FORMATS['common']:
      return Shape.Common;
    case 'combined':
      return Shape.CombinedTrailing;
    case LOG_FORMATS['combined']:
      return Shape.Combined;
    case 'vhost_combined':
      return Shape.VhostCombinedTrailing;
    case LOG_FORMATS['vhost_combined']:
      return Shape.VhostCombined;
    default:
      return undefined;
  }
}
