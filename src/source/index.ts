export { tailFile, tailLines, type TailFileOptions } from './tailFile.js';
export type { TailChunk } from './fileCursor.js';
export { readLines, readLineBatches, DEFAULT_CHUNK_SIZE, type ReadLinesOptions } from './readLines.js';
export {
  splitChunk,
  flushSplitter,
  initialSplitter,
  DEFAULT_MAX_LINE_BYTES,
  type LineBatch,
  type SplitterState,
} from './lineSplitter.js';
export { OVERLONG_LINE, isOverlongLine, linesWithMarkers } from './overlong.js';
export { DEFAULT_FINGERPRINT_BYTES, type FilePosition, type FileIdentity } from './fileIdentity.js';
