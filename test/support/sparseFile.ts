/**
 * Huge files for tests without huge disks: the size is set
 * with ftruncate, so unwritten ranges are holes that read as zeros and take
 * no space; only the planted bytes are written. Delete them with TempDir.
 */
import { closeSync, ftruncateSync, openSync, readSync, writeSync } from 'node:fs';

export interface Plant {
  offset: number;
  bytes: Uint8Array;
}

/** Creates (or resets) `path` as a sparse file of `size` bytes with `plants` written in. */
export function createSparseFile(path: string, size: number, plants: Plant[] = []): string {
  const fd = openSync(path, 'w');
  try {
    ftruncateSync(fd, size);
    for (const { offset, bytes } of plants) {
      if (offset + bytes.length > size) throw new RangeError(`plant at ${offset} does not fit in ${size} bytes`);
      writeSync(fd, bytes, 0, bytes.length, offset);
    }
  } finally {
    closeSync(fd);
  }
  return path;
}

/** Reads bytes through a descriptor of its own, so a test checks what is really in the file. */
export function readThroughSeparateDescriptor(path: string, offset: number, length: number): Uint8Array {
  const fd = openSync(path, 'r');
  try {
    const out = new Uint8Array(length);
    let got = 0;
    while (got < length) {
      const n = readSync(fd, out, got, length - got, offset + got);
      if (n === 0) break;
      got += n;
    }
    return out.subarray(0, got);
  } finally {
    closeSync(fd);
  }
}
