/**
 * The scans in plain TypeScript, over any chunked reader: the fallback
 * backend (fileSource.ts) and the vscode.workspace.fs backend both use them,
 * so there is one JS implementation of find / utf8Stats / findInvalid /
 * findNonAscii. The mapped backend runs the same algorithms in C++
 * (native/scans.cc); the engine tests hold the two to identical answers.
 *
 * Byte classification goes through shared/utf8.ts, the one TS decoder.
 * Work is split in chunks so an AbortSignal is honoured between chunks and
 * progress can be reported; every chunk read is awaited, so the event loop
 * stays free between chunks.
 */
import { FindResult, ScanOptions, ScanProgress, Utf8Stats } from './byteSource';
import { FindPlan, StatsPlan, UnitPlan, cancelledError } from './validate';
import { countUtf8, decodeUnit, emptyCounts, newUnit, syncPoint } from '../../shared/utf8';

/** Reads [offset, offset+length) of the source; the range is already checked. */
export type ChunkReader = (offset: number, length: number) => Promise<Uint8Array>;

/** Bytes per chunk: big enough that per-chunk overhead vanishes, small enough to cancel promptly. */
export const JS_SCAN_CHUNK = 4 << 20;
/**
 * Bytes per chunk for the scans that decode in JS (statistics, unit search): the decoder runs at
 * ~150 MB/s, so a 4 MiB chunk would hold the extension host's thread for ~30 ms; 256 KiB is ~2 ms.
 */
export const JS_DECODE_CHUNK = 256 << 10;

/** Calls onProgress at most every `everyMs`, and once at the end. */
export class ProgressThrottle {
  private last = 0;
  constructor(private readonly total: number, private readonly onProgress?: ScanProgress, private readonly everyMs = 50) {}
  tick(done: number): void {
    if (!this.onProgress) return;
    const now = performance.now();
    if (now - this.last >= this.everyMs) { this.last = now; this.onProgress(done, this.total); }
  }
  finish(): void { this.onProgress?.(this.total, this.total); }
}

export function throwIfAborted(signal: AbortSignal | undefined, path: string): void {
  if (signal?.aborted) throw cancelledError(path);
}

const isAsciiLetter = (b: number): boolean => ((b | 0x20) >= 0x61 && (b | 0x20) <= 0x7a);

/** Compiles a FindPlan into a per-position matcher plus an anchor byte for indexOf. */
export function compileMatcher(plan: FindPlan): { matchAt: (buf: Uint8Array, i: number) => boolean; anchor: number; anchorByte: number; plain: boolean } {
  const { pattern, mask, ignoreCase } = plan;
  const n = pattern.length;
  const want = new Uint8Array(n);
  const keep = new Uint8Array(n);
  for (let j = 0; j < n; j++) {
    const fold = ignoreCase && mask[j] === 0xff && isAsciiLetter(pattern[j]);
    // Folding: compare (b | 0x20) with the lower-case letter; only exact-mask letters fold.
    keep[j] = fold ? 0xff : mask[j];
    want[j] = fold ? (pattern[j] | 0x20) : (pattern[j] & mask[j]);
  }
  const folds = new Uint8Array(n);
  for (let j = 0; j < n; j++) folds[j] = ignoreCase && mask[j] === 0xff && isAsciiLetter(pattern[j]) ? 0x20 : 0;
  let anchor = -1;
  for (let j = 0; j < n; j++) if (mask[j] === 0xff && folds[j] === 0) { anchor = j; break; }
  const plain = anchor === 0 && mask.every((m) => m === 0xff) && !folds.some((f) => f !== 0);
  const matchAt = (buf: Uint8Array, i: number): boolean => {
    for (let j = 0; j < n; j++) if (((buf[i + j] | folds[j]) & keep[j]) !== want[j]) return false;
    return true;
  };
  return { matchAt, anchor, anchorByte: anchor >= 0 ? pattern[anchor] : -1, plain };
}

/** Pattern search over chunks; overlapping matches are all reported. */
export async function jsFind(read: ChunkReader, plan: FindPlan, opts: ScanOptions, path: string, chunk = JS_SCAN_CHUNK): Promise<FindResult> {
  const n = plan.pattern.length;
  const matcher = compileMatcher(plan);
  const patternBuf = Buffer.from(plan.pattern.buffer, plan.pattern.byteOffset, n);
  const matches: number[] = [];
  // Candidate starts s with rangeStart <= s, s + n <= rangeEnd, and s >= from (forward) / s < from (backward).
  const lowest = plan.backward ? plan.rangeStart : Math.max(plan.from, plan.rangeStart);
  const highest = plan.backward ? Math.min(plan.from - 1, plan.rangeEnd - n) : plan.rangeEnd - n;
  const total = Math.max(0, highest - lowest + 1);
  const progress = new ProgressThrottle(total, opts.onProgress);
  let done = 0;
  throwIfAborted(opts.signal, path);
  if (total === 0) { progress.finish(); return { matches, complete: true }; }

  // Each chunk covers candidate starts [cs, ce) and reads [cs, ce + n - 1).
  let cs = plan.backward ? Math.max(lowest, highest + 1 - chunk) : lowest;
  for (;;) {
    const ce = plan.backward ? highest + 1 - done : Math.min(highest + 1, cs + chunk);
    if (plan.backward) cs = Math.max(lowest, ce - chunk);
    const bytes = await read(cs, ce - cs + n - 1);
    throwIfAborted(opts.signal, path);
    const buf = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.length);
    const count = ce - cs;
    if (!plan.backward) {
      let i = 0;
      while (i < count) {
        let hit: number;
        if (matcher.plain) hit = buf.indexOf(patternBuf, i);
        else if (matcher.anchor >= 0) {
          const a = buf.indexOf(matcher.anchorByte, i + matcher.anchor);
          hit = a < 0 ? -1 : a - matcher.anchor;
          if (hit >= 0 && hit < count && !matcher.matchAt(buf, hit)) { i = hit + 1; continue; }
        } else {
          hit = -1;
          for (let k = i; k < count; k++) if (matcher.matchAt(buf, k)) { hit = k; break; }
        }
        if (hit < 0 || hit >= count) break;
        matches.push(cs + hit);
        if (matches.length >= plan.maxMatches) {
          progress.finish();
          return { matches, complete: cs + hit === highest };
        }
        i = hit + 1;
      }
    } else {
      let i = count - 1;
      while (i >= 0) {
        let hit: number;
        if (matcher.plain) hit = buf.lastIndexOf(patternBuf, i);
        else if (matcher.anchor >= 0) {
          const a = buf.lastIndexOf(matcher.anchorByte, i + matcher.anchor);
          hit = a < 0 ? -1 : a - matcher.anchor;
          if (hit >= 0 && !matcher.matchAt(buf, hit)) { i = hit - 1; continue; }
        } else {
          hit = -1;
          for (let k = i; k >= 0; k--) if (matcher.matchAt(buf, k)) { hit = k; break; }
        }
        if (hit < 0) break;
        matches.push(cs + hit);
        if (matches.length >= plan.maxMatches) {
          progress.finish();
          return { matches, complete: cs + hit === lowest };
        }
        i = hit - 1;
      }
    }
    done += count;
    progress.tick(done);
    if (plan.backward ? cs <= lowest : ce > highest) break;
    if (!plan.backward) cs = ce;
  }
  progress.finish();
  return { matches, complete: true };
}

/** UTF-8 statistics exactly as shared/utf8.ts's countUtf8 (= TextDecoder) counts them. */
export async function jsUtf8Stats(read: ChunkReader, plan: StatsPlan, opts: ScanOptions, path: string, chunk = JS_DECODE_CHUNK): Promise<Utf8Stats> {
  const counts = emptyCounts();
  const invalidOffsets: number[] = [];
  const progress = new ProgressThrottle(plan.length, opts.onProgress);
  const end = plan.offset + plan.length;
  let bom = false;
  let carry = new Uint8Array(0); // an unfinished sequence (or a CR) from the previous chunk
  throwIfAborted(opts.signal, path);
  for (let pos = plan.offset; pos < end || carry.length > 0;) {
    const len = Math.min(chunk, end - pos);
    const fresh = len > 0 ? await read(pos, len) : new Uint8Array(0);
    throwIfAborted(opts.signal, path);
    if (pos === plan.offset && fresh.length >= 3 && fresh[0] === 0xef && fresh[1] === 0xbb && fresh[2] === 0xbf) bom = true;
    let bytes = fresh;
    if (carry.length) { bytes = new Uint8Array(carry.length + fresh.length); bytes.set(carry); bytes.set(fresh, carry.length); }
    const base = pos - carry.length;
    const final = pos + len >= end;
    const used = countUtf8(bytes, counts, final, (i) => { if (invalidOffsets.length < plan.maxInvalidOffsets) invalidOffsets.push(base + i); });
    carry = bytes.slice(used);
    pos += len;
    progress.tick(pos - plan.offset);
    if (final) break;
  }
  progress.finish();
  return { ...counts, invalidOffsets, bom };
}

export type UnitKind = 'invalid' | 'nonAscii';

/**
 * Offset of the next (forward: start >= from) or previous (backward: start < from)
 * unit of the given kind, or -1. Units are those a decode from the file's start
 * produces; syncPoint finds a true unit boundary within 3 bytes.
 */
/** The first (forward) or last (backward) unit of `kind` starting in [plan.low, plan.high), decoded with the bytes around it. */
export async function jsFindUnit(read: ChunkReader, size: number, plan: UnitPlan, kind: UnitKind, opts: ScanOptions, path: string, chunk = JS_DECODE_CHUNK): Promise<number> {
  const { low, high, backward } = plan;
  const unit = newUnit();
  const matches = kind === 'invalid'
    ? () => unit.status !== 'valid'
    : () => true; // called only for units whose lead byte is >= 0x80
  throwIfAborted(opts.signal, path);
  const total = high - low;
  const progress = new ProgressThrottle(total, opts.onProgress);

  /** Decodes units starting in [s, e) (s is any offset); returns the first/last matching start, or -1. */
  const scanBlock = async (s: number, e: number, wantLast: boolean, minStart: number): Promise<number> => {
    const readFrom = Math.max(0, s - 3);
    const readTo = Math.min(size, e + 3);
    const bytes = await read(readFrom, readTo - readFrom);
    let i = syncPoint(bytes, s - readFrom, 0);
    let found = -1;
    const stop = e - readFrom;
    while (i < stop) {
      if (bytes[i] < 0x80) { i++; continue; }
      decodeUnit(bytes, i, bytes.length, unit);
      if (i + readFrom >= minStart && matches()) {
        if (!wantLast) return i + readFrom;
        found = i + readFrom;
      }
      i += unit.length;
    }
    return found;
  };

  if (!backward) {
    // Each block re-syncs at its start; a unit seen twice at a block edge is harmless (first match wins).
    for (let s = low; s < high; s += chunk) {
      const e = Math.min(high, s + chunk);
      const hit = await scanBlock(s, e, false, low);
      throwIfAborted(opts.signal, path);
      if (hit >= 0) { progress.finish(); return hit; }
      progress.tick(e - low);
    }
  } else {
    // The previous unit is usually near: start small and double up to a full chunk,
    // since each block is decoded forward from its start.
    for (let e = high, block = Math.min(chunk, 64 << 10); e > low; block = Math.min(chunk, block * 2)) {
      const s = Math.max(low, e - block);
      const hit = await scanBlock(s, e, true, s);
      throwIfAborted(opts.signal, path);
      if (hit >= 0) { progress.finish(); return hit; }
      progress.tick(high - s);
      e = s;
    }
  }
  progress.finish();
  return -1;
}
