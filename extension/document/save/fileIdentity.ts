/**
 * Who a file is and which version of it we know: device + inode say "the same
 * file" (a rename-based save by another program makes a new inode), size +
 * mtime say "the same content as when we looked". Journals and hot-exit
 * backups carry it, so a recovery never lands on a different file.
 */
import { promises as fsp } from 'node:fs';

export interface FileIdentity {
  path: string;
  size: number;
  mtimeMs: number;
  dev: number;
  ino: number;
}

export async function statIdentity(path: string): Promise<FileIdentity> {
  const st = await fsp.stat(path);
  return { path, size: st.size, mtimeMs: st.mtimeMs, dev: st.dev, ino: st.ino };
}

/** Same file object (device and inode). */
export function sameFile(a: FileIdentity, b: FileIdentity): boolean {
  return a.dev === b.dev && a.ino === b.ino;
}

/** Same file object, same size, same modification time. */
export function sameVersion(a: FileIdentity, b: FileIdentity): boolean {
  return sameFile(a, b) && a.size === b.size && a.mtimeMs === b.mtimeMs;
}

/** A short human description of how two identities differ. */
export function describeDifference(expected: FileIdentity, actual: FileIdentity): string {
  const parts: string[] = [];
  if (!sameFile(expected, actual)) parts.push('it was replaced by a different file');
  if (expected.size !== actual.size) parts.push(`its size changed from ${expected.size} to ${actual.size} bytes`);
  if (expected.mtimeMs !== actual.mtimeMs) {
    parts.push(`it was modified at ${new Date(actual.mtimeMs).toISOString()} (expected ${new Date(expected.mtimeMs).toISOString()})`);
  }
  return parts.join(', ') || 'no difference';
}
