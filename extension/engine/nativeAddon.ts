/**
 * Loads the native addon (build/Release/hexmap.node or a prebuild under
 * prebuilds/<platform>-<arch>/) with node-gyp-build, once. The package root is
 * found by walking up from this file to the folder holding package.json, so
 * the same code works bundled in dist/extension.js and in out/test/unit/*.js.
 * A failure is remembered, not thrown: callers fall back to plain reads.
 */
import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';

/** A running native scan: its result, and a way to stop it (the promise then rejects with ERR_HEXMAP_CANCELLED). */
export interface NativeScan<T> { promise: Promise<T>; cancel(): void }

export type NativeProgress = (done: number, total: number) => void;

/**
 * The JS class native/addon.cc exports (made by openMapped). Arguments are validated in TS first and
 * bounds-checked again in C++. Everything that may wait on a disk returns a promise and runs on one of
 * the addon's own worker threads (never the libuv pool).
 */
export interface NativeMappedFile {
  readonly size: number;
  readonly writable: boolean;
  /** A fresh copy (never a view of the mapping) when every page of the range is in memory, else undefined. */
  readResident(offset: number, length: number): Buffer | undefined;
  /** A fresh copy, made on the worker thread. */
  read(offset: number, length: number): Promise<Buffer>;
  write(offset: number, bytes: Uint8Array): Promise<void>;
  /** msync(MS_SYNC) of the range + fsync. */
  flush(offset: number, length: number): Promise<void>;
  /** Re-stat; remap when the size changed. Resolves to the size. */
  refresh(): Promise<number>;
  close(): void;
  find(pattern: Uint8Array, mask: Uint8Array, ignoreCase: boolean, backward: boolean, from: number,
    rangeStart: number, rangeEnd: number, maxMatches: number, onProgress?: NativeProgress): NativeScan<{ matches: number[]; complete: boolean }>;
  utf8Stats(offset: number, length: number, maxInvalidOffsets: number, onProgress?: NativeProgress): NativeScan<NativeUtf8Stats>;
  /** native/textScans.h: kind 0 = single-byte histogram, 1 = UTF-16LE, 2 = UTF-16BE. */
  textStats?(kind: 0 | 1 | 2, offset: number, length: number, midUnit: boolean, maxInvalidOffsets: number, stopAtInvalid: boolean,
    flagged: Uint8Array | undefined, onProgress?: NativeProgress): NativeScan<import('./byteSource').TextScanResult>;
  /** kind 0 = invalid unit, 1 = non-ASCII unit: the first (forward) or last (backward) starting in [low, high). Resolves to the offset or -1. */
  findUnit(kind: 0 | 1, low: number, high: number, backward: boolean, onProgress?: NativeProgress): NativeScan<number>;
}

export interface NativeUtf8Stats {
  bytes: number; chars: number; ascii: number; twoByte: number; threeByte: number; fourByte: number;
  invalid: number; invalidOffsets: number[]; nul: number; lf: number; crlf: number; cr: number; bom: boolean;
}

export interface NativeAddon {
  /**
   * Opens and maps `path` on the worker thread. `failMmap` makes the map step fail (mmap: ENODEV; CreateFileMapping: ERROR_NOT_SUPPORTED), the seam
   * the tests use for the plain-read fallback. Rejects with .code (errno name or ERR_HEXMAP_*),
   * .syscall ('mmap', 'CreateFileMapping' or 'MapViewOfFile' when only the mapping failed) and, for ERR_HEXMAP_SPECIAL_FILE, .kind.
   */
  openMapped(path: string, writable: boolean, failMmap: boolean): Promise<NativeMappedFile>;
  /** Which implementation counts UTF-8 ('avx512', 'avx2', 'sse2' or 'scalar'): the best the CPU has, or the one HEXMAP_SIMD forces. */
  readonly utf8Implementation: string;
  /**
   * The UTF-8 statistics of [begin, end) of the range [rangeStart, rangeEnd), counted on the background
   * thread over `bytes`, which hold the file from bytesOffset on and at least 4 bytes of the range on
   * either side of [begin, end) (where the range has them). Counts of consecutive pieces add up to one
   * scan's; invalidOffsets are file offsets, bom is looked for only at rangeStart. `bytes` must stay
   * untouched until the promise settles. (chunkStats.ts)
   */
  utf8StatsOfChunk?(bytes: Uint8Array, bytesOffset: number, begin: number, end: number, rangeStart: number, rangeEnd: number,
    maxInvalidOffsets: number): Promise<NativeUtf8Stats>;
  /** posix_fadvise(DONTNEED) on the whole file: drops clean cached pages (used by the cold benchmark). */
  evictCache(path: string): boolean;
}

let cached: { addon?: NativeAddon; error?: string } | undefined;

/** The folder with package.json above `start` (the extension / repo root). */
export function packageRoot(start: string = __dirname): string {
  for (let dir = start; ; dir = dirname(dir)) {
    if (existsSync(join(dir, 'package.json'))) return dir;
    if (dirname(dir) === dir) return start;
  }
}

/** The addon, loaded once. `reload` forgets an earlier outcome (tests use it with HEXMAP_DISABLE_NATIVE=1). */
export function loadNativeAddon(reload = false): { addon?: NativeAddon; error?: string } {
  if (cached && !reload) return cached;
  try {
    if (process.env.HEXMAP_DISABLE_NATIVE === '1') throw new Error('disabled by HEXMAP_DISABLE_NATIVE=1');
    // node-gyp-build resolves build/Release, build/Debug and prebuilds/ for this platform and ABI.
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    const load = require('node-gyp-build') as (dir: string) => NativeAddon;
    const addon = load(packageRoot());
    if (typeof addon?.openMapped !== 'function') throw new Error('the addon does not export openMapped');
    cached = { addon };
  } catch (e) {
    cached = { error: e instanceof Error ? e.message : String(e) };
  }
  return cached;
}
