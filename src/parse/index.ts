/** The access-log parser: format compilation, time and section parsing. */
export { parseApacheTime } from './apacheTime.js';
export { LogFormatError } from './errors.js';
export { FORMAT_NAMES, LOG_FORMATS, resolveFormat } from './formats.js';
export { isBlankLine } from './blank.js';
export { compileLogFormat, type CompileOptions, type LineParser } from './logFormat.js';
export { MAX_INVALID_LINE } from './invalid.js';
export { sectionOf } from './section.js';
