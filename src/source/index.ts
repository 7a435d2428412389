export { tailFile, tailLines, type TailFileOptions } from './tailFile.js';
export type { TailChunk } from './fileCursor.js';
export { DEFAULT_CHUNK_SIZE } from './chunkReader.js';
export { DEFAULT_MAX_LINE_BYTES } from './lineChunk.js';
export { OVERLONG_LINE, isOverlongLine } from './overlong.js';
export { DEFAULT_FINGERPRINT_BYTES, type FilePosition, type FileIdentity } from './fileIdentity.js';
