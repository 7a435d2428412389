/**
 * Which file is which: device + inode + a fingerprint of the first bytes. The fingerprint is
 * a SHA-256 of the first `fingerprintBytes` bytes (at most `DEFAULT_FINGERPRINT_BYTES`; fewer
 * while the file is shorter), so a saved position stays small and JSON-friendly, and a file
 * that grew since still matches (its first `fingerprintBytes` bytes are unchanged).
 */
import type { FileHandle } from 'node:fs/promises';

export const DEFAULT_FINGERPRINT_BYTES = 256;

/** Where a reader stands in one file; a checkpoint to resume from (`tailFile`'s `startPosition`). */
export interface FilePosition {
  /** Device of the file (`stat().dev`). */
  readonly dev: number;
  /** Inode of the file (`stat().ino`): with `dev`, which file, whatever its name now. */
  readonly ino: number;
  /** SHA-256 (hex) of the file's first `fingerprintBytes` bytes. */
  readonly fingerprint: string;
  /** How many first bytes the fingerprint covers (fewer while the file is shorter). */
  readonly fingerprintBytes: number;
  /** Byte offset just after the last complete line read. */
  readonly offset: number;
}

export type FileIdentity = Omit<FilePosition, 'offset'>;

export function fingerprintOf(head: Buffer): string {
  // crypto is loaded by the runs that need a fingerprint only (start-up).
  return process.getBuiltinModule<'node:crypto'>('node:crypto').createHash('sha256').update(head).digest('hex');
}

/** The first up-to-`bytes` bytes of the file. */
export async function readHead(handle: FileHandle, bytes: number): Promise<Buffer> {
  const head = Buffer.alloc(bytes);
  const { bytesRead } = await handle.read(head, 0, bytes, 0);
  return head.subarray(0, bytesRead);
}

/** Whether a file whose first bytes are `head` is the one `identity` was taken from. */
export function headMatches(head: Buffer, identity: Pick<FileIdentity, 'fingerprint' | 'fingerprintBytes'>): boolean {
  return head.length >= identity.fingerprintBytes && fingerprintOf(head.subarray(0, identity.fingerprintBytes)) === identity.fingerprint;
}

/** Whether `now` (the current first bytes) still extends `before`: false once rewritten. */
export function headExtends(now: Buffer, before: Buffer): boolean {
  return now.length >= before.length && now.subarray(0, before.length).equals(before);
}
