/**
 * What the rest of Hexmap knows about a file: a random-access, bounds-checked
 * byte store with the few scans that must run at memory speed. Two backends
 * implement it with the same semantics: the native memory mapping
 * (mappedSource.ts) and plain file reads (fileSource.ts); a third,
 * read-only one serves virtual file systems through vscode.workspace.fs.
 *
 * Every method validates its arguments before any I/O and throws TypeError
 * or RangeError with a precise message. OS failures are HexmapError with the
 * errno name (ENOENT, EACCES, ...) and the path. A file truncated behind our
 * back raises HexmapError with code ERR_HEXMAP_TRUNCATED, never a crash.
 */

import type { Utf8Counts } from '../../shared/utf8';

export type BackendKind = 'mapped' | 'file' | 'vscode-fs';

/** Stable error codes beyond the errno names. */
export type HexmapErrorCode =
  | 'ERR_HEXMAP_TRUNCATED' // touched pages that no longer exist in the file
  | 'ERR_HEXMAP_CLOSED' // any call after close()
  | 'ERR_HEXMAP_READ_ONLY' // write/flush on a read-only source
  | 'ERR_HEXMAP_CANCELLED' // a scan stopped by its AbortSignal
  | 'ERR_HEXMAP_SPECIAL_FILE' // a FIFO, socket or character device (pathProbe.ts)
  | 'ERR_HEXMAP_PSEUDO_FILE' // reports size 0 but has contents (/proc)
  | 'ERR_HEXMAP_NUL_IN_PATH'
  | 'ERR_HEXMAP_MMAP_FAILED' // opened but not mappable (openByteSource falls back to plain reads)
  | string; // errno names: ENOENT, EACCES, EISDIR, ENOSPC, EIO, ...

export class HexmapError extends Error {
  constructor(message: string, readonly code: HexmapErrorCode, readonly path?: string) {
    super(message);
    this.name = 'HexmapError';
  }
}

/** Progress of a long scan: bytes done out of bytes to do. */
export type ScanProgress = (done: number, total: number) => void;

/** Options every long scan takes. */
export interface ScanOptions {
  /** Abort to stop the scan: it rejects with ERR_HEXMAP_CANCELLED. */
  signal?: AbortSignal;
  /** Called from time to time (at most every ~50 ms) with bytes scanned. */
  onProgress?: ScanProgress;
}

export interface UnitScanOptions extends ScanOptions {
  /**
   * Look only for units starting within [rangeStart, rangeEnd) (defaults: whole file). The units are still
   * decoded with the bytes around them, so a unit is the same inside the range as in the whole file.
   */
  rangeStart?: number;
  rangeEnd?: number;
}

export interface FindOptions extends ScanOptions {
  /** Same length as the pattern; 0 marks a wildcard byte. */
  mask?: Uint8Array;
  /** ASCII letters match either case. */
  ignoreCase?: boolean;
  /** Where the search starts. Forward: first match at >= from. Backward: first match starting < from. */
  from: number;
  backward?: boolean;
  /** Stop after this many matches. */
  maxMatches: number;
  /** Search only within [rangeStart, rangeEnd) (defaults: whole file). Matches lie wholly inside. */
  rangeStart?: number;
  rangeEnd?: number;
}

export interface FindResult {
  /** Match offsets in the order found (ascending forward, descending backward). */
  matches: number[];
  /** True when the whole range was searched (false: stopped at maxMatches). */
  complete: boolean;
}

/** UTF-8 facts about a range, counted exactly as TextDecoder would decode it. */
export interface Utf8Stats extends Utf8Counts {
  /** Offsets of the first `maxInvalidOffsets` invalid units. */
  invalidOffsets: number[];
  /** A UTF-8 BOM (EF BB BF) at the very start of the range. */
  bom: boolean;
}

export interface Utf8StatsOptions extends ScanOptions {
  offset?: number;
  length?: number;
  /** How many invalid offsets to collect (default 100). */
  maxInvalidOffsets?: number;
}

/**
 * A whole-range text scan in an encoding other than UTF-8 (native/textScans.h):
 * a byte histogram for the single-byte encodings, paired UTF-16 units for UTF-16.
 */
export interface TextScanOptions extends ScanOptions {
  kind: 'single-byte' | 'utf-16le' | 'utf-16be';
  offset: number;
  length: number;
  /** UTF-16: the range starts on the second byte of a unit (that byte is one invalid character). */
  midUnit?: boolean;
  /** How many invalid offsets to collect (default 100). */
  maxInvalidOffsets?: number;
  /** Stop at the first invalid unit / flagged byte (a validity check). */
  stopAtInvalid?: boolean;
  /** Single-byte: 256 entries, non-zero for the bytes to report as invalid. */
  flagged?: Uint8Array;
}

export type TextScanResult =
  | { histogram: number[]; crlf: number; invalidOffsets: number[]; stopped: boolean }
  | { bytes: number; chars: number; invalid: number; nonAscii: number; supplementary: number; nul: number; lf: number; crlf: number; cr: number;
    invalidOffsets: number[]; stopped: boolean };

export type Direction = 'forward' | 'backward';

export interface ByteSource {
  readonly kind: BackendKind;
  /** File path (or URI string for vscode-fs). */
  readonly path: string;
  /** False when opened read-only by request, by permissions or by backend. */
  readonly writable: boolean;
  /** Size in bytes as of open or the last refresh(). */
  readonly size: number;
  readonly closed: boolean;
  /**
   * A one-line notice for the user about how this file is served, when it is not the usual way
   * (e.g. "could not be memory-mapped; reading it with plain reads"). Show it once; undefined normally.
   */
  readonly notice?: string;

  /** A fresh copy of [offset, offset+length). length ≤ MAX_READ; range within size. */
  read(offset: number, length: number): Promise<Uint8Array>;
  /** Overwrite bytes in place; never changes the size. */
  write(offset: number, bytes: Uint8Array): Promise<void>;
  /** Make [offset, offset+length) durable (msync MS_SYNC + fsync). Defaults: everything. */
  flush(offset?: number, length?: number): Promise<void>;
  /** Re-stat; remap when the size changed. Returns the new size. */
  refresh(): Promise<number>;
  /**
   * Runs `change` (which sets the file's size through some handle), then
   * refreshes. Only a source that maps the file needs it: Windows refuses to
   * change the size of a file while a view of it exists, so the mapped source
   * lets go of its view around the change. Call it through `changeSize`.
   */
  aroundSizeChange?(change: () => Promise<void>): Promise<number>;

  find(pattern: Uint8Array, options: FindOptions): Promise<FindResult>;
  utf8Stats(options?: Utf8StatsOptions): Promise<Utf8Stats>;
  /** The text scan of TextScanOptions, where the backend runs it natively (the mapped one); absent elsewhere. */
  textStats?(options: TextScanOptions): Promise<TextScanResult>;
  /** Offset of the next (forward: ≥ from) / previous (backward: < from) invalid unit's first byte, or -1. */
  findInvalid(from: number, direction: Direction, options?: UnitScanOptions): Promise<number>;
  /** Offset of the next / previous non-ASCII character's first byte (valid or not), or -1. */
  findNonAscii(from: number, direction: Direction, options?: UnitScanOptions): Promise<number>;

  /** Idempotent. Any later call but close() throws ERR_HEXMAP_CLOSED. */
  close(): void;
}

/**
 * Sets the file's size with `change` and brings `source` up to date: the one
 * way to resize a file a source has open, so a mapped source on Windows is
 * never mapped while the size changes.
 */
export async function changeSize(source: ByteSource, change: () => Promise<void>): Promise<number> {
  if (source.aroundSizeChange) return source.aroundSizeChange(change);
  await change();
  return source.refresh();
}

/** Largest single read; bigger windows are a programming error. */
export const MAX_READ = 16 << 20;
