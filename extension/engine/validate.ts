/**
 * Argument checks shared by every ByteSource backend. They run before any
 * I/O or native call, so a bad offset from the webview or a caller's bug is a
 * precise TypeError/RangeError naming the argument, never a confusing OS
 * error or (worse) a C++ bounds failure. C++ checks bounds again anyway.
 */
import { Direction, FindOptions, HexmapError, MAX_READ, UnitScanOptions, Utf8StatsOptions } from './byteSource';

/** Throws ERR_HEXMAP_CLOSED after close(). */
export function assertOpen(closed: boolean, path: string): void {
  if (closed) throw new HexmapError(`Hexmap: ${path} is closed`, 'ERR_HEXMAP_CLOSED', path);
}

export function assertWritable(writable: boolean, path: string): void {
  if (!writable) throw new HexmapError(`Hexmap: ${path} is open read-only`, 'ERR_HEXMAP_READ_ONLY', path);
}

/** A non-negative safe integer; TypeError for a non-number, RangeError otherwise. */
export function checkInteger(name: string, value: unknown, min = 0, max = Number.MAX_SAFE_INTEGER): number {
  if (typeof value !== 'number') {
    throw new TypeError(`${name} must be a number, got ${value === null ? 'null' : typeof value}`);
  }
  if (!Number.isSafeInteger(value)) throw new RangeError(`${name} must be an integer, got ${value}`);
  if (value < min || value > max) throw new RangeError(`${name} must be between ${min} and ${max}, got ${value}`);
  return value;
}

export function checkBytes(name: string, value: unknown): Uint8Array {
  if (!(value instanceof Uint8Array)) {
    throw new TypeError(`${name} must be a Uint8Array, got ${value === null ? 'null' : typeof value}`);
  }
  return value;
}

/** [offset, offset+length) must lie within the file and length must not exceed `cap`. */
export function checkRange(offset: unknown, length: unknown, size: number, cap = Number.MAX_SAFE_INTEGER): void {
  const o = checkInteger('offset', offset);
  const l = checkInteger('length', length);
  if (l > cap) throw new RangeError(`length ${l} exceeds the limit of ${cap} bytes`);
  if (o > size || l > size - o) {
    throw new RangeError(`range [${o}, ${o + l}) is outside the file (size ${size})`);
  }
}

export function checkRead(offset: unknown, length: unknown, size: number): void {
  checkRange(offset, length, size, MAX_READ);
}

export function checkWrite(offset: unknown, bytes: unknown, size: number): Uint8Array {
  const b = checkBytes('bytes', bytes);
  checkRange(offset, b.length, size, MAX_READ);
  return b;
}

/** Fills the defaults of flush(offset?, length?) and checks the range. */
export function flushRange(offset: unknown, length: unknown, size: number): [number, number] {
  const o = offset === undefined ? 0 : checkInteger('offset', offset);
  const l = length === undefined ? size - Math.min(o, size) : checkInteger('length', length);
  checkRange(o, l, size);
  return [o, l];
}

export function checkDirection(direction: unknown): Direction {
  if (direction !== 'forward' && direction !== 'backward') {
    throw new TypeError(`direction must be 'forward' or 'backward', got ${String(direction)}`);
  }
  return direction;
}

/** find() arguments with every default filled in. */
export interface FindPlan {
  pattern: Uint8Array;
  /** Always present: 0xff where the pattern byte must match, 0 for a wildcard (bits in between are honoured). */
  mask: Uint8Array;
  ignoreCase: boolean;
  from: number;
  backward: boolean;
  maxMatches: number;
  rangeStart: number;
  rangeEnd: number;
}

/** Longest pattern: far more than any search needs, small enough to keep scans simple. */
export const MAX_PATTERN = 4096;

export function planFind(pattern: unknown, options: FindOptions | undefined, size: number): FindPlan {
  const p = checkBytes('pattern', pattern);
  if (p.length === 0) throw new RangeError('pattern must not be empty');
  if (p.length > MAX_PATTERN) throw new RangeError(`pattern length ${p.length} exceeds the limit of ${MAX_PATTERN} bytes`);
  if (typeof options !== 'object' || options === null) throw new TypeError('find options must be an object');
  let mask: Uint8Array;
  if (options.mask !== undefined) {
    mask = checkBytes('mask', options.mask);
    if (mask.length !== p.length) throw new RangeError(`mask length ${mask.length} must equal pattern length ${p.length}`);
  } else {
    mask = new Uint8Array(p.length).fill(0xff);
  }
  const from = checkInteger('from', options.from, 0, size);
  const maxMatches = checkInteger('maxMatches', options.maxMatches, 1);
  const rangeStart = options.rangeStart === undefined ? 0 : checkInteger('rangeStart', options.rangeStart, 0, size);
  const rangeEnd = options.rangeEnd === undefined ? size : checkInteger('rangeEnd', options.rangeEnd, 0, size);
  if (rangeStart > rangeEnd) throw new RangeError(`rangeStart ${rangeStart} is after rangeEnd ${rangeEnd}`);
  checkScanOptions(options);
  return {
    pattern: p, mask, ignoreCase: options.ignoreCase === true, from,
    backward: options.backward === true, maxMatches, rangeStart, rangeEnd,
  };
}

/** findInvalid / findNonAscii arguments as the window to look in: the first (forward) or last (backward) unit starting in [low, high). */
export interface UnitPlan { low: number; high: number; backward: boolean }

export function planUnitScan(from: unknown, direction: unknown, options: UnitScanOptions | undefined, size: number): UnitPlan {
  const f = checkInteger('from', from, 0, size);
  const backward = checkDirection(direction) === 'backward';
  if (options !== undefined && (typeof options !== 'object' || options === null)) throw new TypeError('scan options must be an object');
  const o = options ?? {};
  const rangeStart = o.rangeStart === undefined ? 0 : checkInteger('rangeStart', o.rangeStart, 0, size);
  const rangeEnd = o.rangeEnd === undefined ? size : checkInteger('rangeEnd', o.rangeEnd, 0, size);
  if (rangeStart > rangeEnd) throw new RangeError(`rangeStart ${rangeStart} is after rangeEnd ${rangeEnd}`);
  checkScanOptions(o);
  // Forward: starts >= from; backward: starts < from. An empty window (low >= high) finds nothing.
  const low = backward ? rangeStart : Math.max(f, rangeStart);
  const high = backward ? Math.min(f, rangeEnd) : rangeEnd;
  return { low, high: Math.max(low, high), backward };
}

export interface StatsPlan { offset: number; length: number; maxInvalidOffsets: number }

export function planStats(options: Utf8StatsOptions | undefined, size: number): StatsPlan {
  if (options !== undefined && (typeof options !== 'object' || options === null)) {
    throw new TypeError('utf8Stats options must be an object');
  }
  const o = options ?? {};
  const offset = o.offset === undefined ? 0 : checkInteger('offset', o.offset);
  const length = o.length === undefined ? size - Math.min(offset, size) : checkInteger('length', o.length);
  checkRange(offset, length, size);
  const maxInvalidOffsets = o.maxInvalidOffsets === undefined ? 100 : checkInteger('maxInvalidOffsets', o.maxInvalidOffsets, 0, 1_000_000);
  checkScanOptions(o);
  return { offset, length, maxInvalidOffsets };
}

export function checkScanOptions(options: { signal?: unknown; onProgress?: unknown } | undefined): void {
  if (!options) return;
  if (options.signal !== undefined && !(options.signal instanceof AbortSignal)) {
    throw new TypeError('signal must be an AbortSignal');
  }
  if (options.onProgress !== undefined && typeof options.onProgress !== 'function') {
    throw new TypeError('onProgress must be a function');
  }
}

export function cancelledError(path: string): HexmapError {
  return new HexmapError(`Hexmap: scan of ${path} cancelled`, 'ERR_HEXMAP_CANCELLED', path);
}

export function truncatedError(path: string, detail = ''): HexmapError {
  return new HexmapError(`Hexmap: ${path} was truncated by another program${detail}`, 'ERR_HEXMAP_TRUNCATED', path);
}

/** An fs/native error as HexmapError: keeps the errno name (ENOENT, EACCES...) and the path. */
export function osError(error: unknown, path: string, action: string): HexmapError {
  if (error instanceof HexmapError) return error;
  const e = error as NodeJS.ErrnoException;
  const code = typeof e?.code === 'string' ? e.code : 'EIO';
  const message = e instanceof Error ? e.message.replace(/^\w+: /, '') : String(error);
  const out = new HexmapError(`Hexmap: cannot ${action} ${path}: ${code} (${message})`, code, path);
  if (e instanceof Error) (out as { cause?: unknown }).cause = e;
  return out;
}
