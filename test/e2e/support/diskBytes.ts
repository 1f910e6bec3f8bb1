// E2E helper. Reads bytes from disk through its own file descriptor: the independent reader the
// tests compare the editor (and saves) against.
import { closeSync, openSync, readSync } from 'node:fs';

export function readDisk(path: string, offset: number, length: number): Uint8Array {
  const fd = openSync(path, 'r');
  try {
    const out = new Uint8Array(length);
    const n = readSync(fd, out, 0, length, offset);
    return out.subarray(0, n);
  } finally {
    closeSync(fd);
  }
}
