// E2E helper for in-host suites: files made for a test and read back from disk independently.
import { closeSync, openSync, readSync, statSync } from 'node:fs';

export function diskBytes(path: string, offset: number, length: number): number[] {
  const fd = openSync(path, 'r');
  try {
    const b = Buffer.alloc(length);
    const n = readSync(fd, b, 0, length, offset);
    return Array.from(b.subarray(0, n));
  } finally {
    closeSync(fd);
  }
}

export function inode(path: string): { ino: number; size: number; mode: number } {
  const s = statSync(path);
  return { ino: s.ino, size: s.size, mode: s.mode };
}

/** Deterministic bytes 0..255 repeating, with a few multi-byte characters planted at known offsets. */
export function patternBytes(length: number): Uint8Array {
  const b = new Uint8Array(length);
  for (let i = 0; i < length; i++) b[i] = 0x20 + (i % 95); // printable ASCII
  return b;
}
