// E2E helper. Multi-GB test files of mixed content: the bench's generator (bench/mixedFile.ts:
// ASCII text, 2/3/4-byte UTF-8, invalid sequences, binary, all through the file), with blocks of known
// mixed content planted at the start, the middle and just before the end, where the tests look first.
// Tests never trust these constants for what they expect to SEE: they read the expected bytes back from
// disk with fs (a separate reader).
import { closeSync, ftruncateSync, mkdtempSync, openSync, renameSync, rmSync, writeSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ensureMixedFile } from '../../../bench/mixedFile';

export const BLOCK_SIZE = 64 * 1024;

/** Deterministic mixed content (same bytes for the same seed). */
export function mixedBlock(seed: number, length = BLOCK_SIZE): Uint8Array {
  const enc = new TextEncoder();
  const pieces: Uint8Array[] = [
    enc.encode('Hexmap mixed block: plain ASCII text, then UTF-8 of every length.\n'),
    enc.encode('caf\u00e9 na\u00efve \u00fcber | \u20ac \u4e2d\u6587 \u2603 | \u{1F40D} \u{1F600} \u{10348}\n'),
    Uint8Array.of(0xff, 0xfe, 0xc0, 0x80, 0x80, 0xe2, 0x82, 0x41, 0xf0, 0x9f, 0x90, 0x0a), // invalid sequences
    Uint8Array.of(0x00, 0x01, 0x07, 0x09, 0x0d, 0x0a, 0x1b, 0x7f), // controls
  ];
  let x = (seed * 2654435761) >>> 0 || 1;
  const random = new Uint8Array(256);
  for (let i = 0; i < random.length; i++) {
    x ^= x << 13; x >>>= 0; x ^= x >>> 17; x ^= x << 5; x >>>= 0;
    random[i] = x & 0xff;
  }
  pieces.push(random);
  const out = new Uint8Array(length);
  let at = 0;
  while (at < length) {
    for (const p of pieces) {
      const n = Math.min(p.length, length - at);
      out.set(p.subarray(0, n), at);
      at += n;
      if (at >= length) break;
    }
  }
  return out;
}

export interface MixedFile { path: string; size: number; blockOffsets: number[] }

function plantBlocks(path: string, size: number): number[] {
  const blockOffsets = [0, Math.floor(size / 2 / 4096) * 4096, size - BLOCK_SIZE];
  const fd = openSync(path, 'r+');
  try {
    blockOffsets.forEach((offset, i) => writeSync(fd, mixedBlock(i + 1), 0, BLOCK_SIZE, offset));
  } finally {
    closeSync(fd);
  }
  return blockOffsets;
}

/**
 * Writes `path`: `size` bytes of mixed content (the bench's generator, ~3 s per GiB here) with the known
 * blocks planted. The caller deletes it.
 */
export async function createMixedBigFile(path: string, size: number): Promise<MixedFile> {
  const scratch = mkdtempSync(join(tmpdir(), 'hexmap-e2e-gen-'));
  try {
    const made = await ensureMixedFile({ size, dir: scratch });
    renameSync(made.path, path);
  } finally {
    rmSync(scratch, { recursive: true, force: true });
  }
  return { path, size, blockOffsets: plantBlocks(path, size) };
}

/** The same layout in a sparse file (instant; zeros between the blocks), for quick runs. */
export function createSparseMixedFile(path: string, size: number): MixedFile {
  const fd = openSync(path, 'w');
  try {
    ftruncateSync(fd, size);
  } finally {
    closeSync(fd);
  }
  return { path, size, blockOffsets: plantBlocks(path, size) };
}
