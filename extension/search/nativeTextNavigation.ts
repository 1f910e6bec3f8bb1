/**
 * The native half of "next / previous invalid (or non-ASCII)" in the
 * encodings other than UTF-8, over a clean stretch of the document (one file
 * segment, no edits). The native text scans (ByteSource.textStats,
 * native/textScans.cc) only run forward over a range and return counts plus
 * the first few flagged offsets, so:
 *
 * - Forward, when the scan can flag the wanted units itself (every
 *   single-byte case: the wanted bytes are the `flagged` set; invalid UTF-16),
 *   one scan that stops at the first flagged unit.
 * - Backward (and forward non-ASCII UTF-16, which the scan counts but does
 *   not locate), chunks walked from the start point, doubling from 64 KiB:
 *   a chunk whose count is zero is passed; in the first that has hits, the
 *   last (or first) flagged offset when the scan listed them all, else the
 *   chunk is halved (by counts) down to 64 KiB, decoded in JavaScript.
 *   Cost: at most about 2x the distance to the hit in chunk scans, plus up to
 *   2x the hit's chunk when bisecting, each chunk a memory-speed scan on the
 *   addon's own thread (one scan at a time, never a libuv pool thread).
 *
 * UTF-16 units are aligned to the document's offset 0, and a low surrogate's
 * meaning depends on the unit before it. Every range given to the scan
 * therefore starts and ends at even document offsets that do not split a
 * surrogate pair ("safe cuts"): decoding the pieces separately then gives
 * exactly the units of decoding the whole. The first and last few bytes of
 * the stretch, where that cannot be arranged inside it, are decoded in
 * JavaScript.
 */
import type { Direction, ScanOptions } from '../engine/byteSource';
import type { ScannableDocument } from '../document/documentModel';
import { codecFor, newTextUnit, type TextCodec, type TextEncoding } from '../../shared/encodings';
import { overFileSegment } from './editedBytes';
import { isWanted, scanUnitsJs, type UnitKind } from './jsUnitNavigation';

/** First chunk of a walk, and the span bisection stops at (then JavaScript decodes it). */
const FIRST_CHUNK = 64 << 10;
/** Offsets asked of a backward chunk scan: when it has no more hits than this, its last one is the answer. */
const LISTED = 256;
/** Bytes at each end of a UTF-16 stretch decoded in JavaScript (room for a unit and its partner). */
const EDGE = 4;

/** What a native scan says about the wanted units starting in a range. */
interface Hits { count: number; offsets: number[] }

/** Per byte, 1 when a single-byte encoding's unit for it is wanted. */
function wantedBytes(codec: TextCodec, kind: UnitKind): Uint8Array {
  const set = new Uint8Array(256);
  const one = new Uint8Array(1);
  const unit = newTextUnit();
  for (let b = 0; b < 256; b++) {
    one[0] = b;
    set[b] = isWanted(kind, codec.decodeUnit(one, 0, 1, 0, unit)) ? 1 : 0;
  }
  return set;
}

/**
 * Finds the wanted unit nearest `direction` in the clean stretch [lo, hi)
 * (document offsets, one file segment): forward the first starting in it,
 * backward the last. -1: none; undefined: no native scan (or the stretch is
 * no longer one file segment), the caller decodes it in JavaScript.
 */
export async function findInCleanStretch(doc: ScannableDocument, encoding: Exclude<TextEncoding, 'utf-8'>, kind: UnitKind,
  lo: number, hi: number, direction: Direction, options: ScanOptions): Promise<number | undefined> {
  const source = doc.source;
  if (typeof source.textStats !== 'function') return undefined;
  const codec = codecFor(encoding);
  const single = codec.unitSize === 1;
  const flagged = single ? wantedBytes(codec, kind) : undefined;
  if (flagged && !flagged.some((f) => f)) return -1; // ISO 8859-1 flags nothing
  const listed = single || kind === 'invalid';
  // Progress over the whole walk: the bytes of the chunks already passed, plus the running scan's.
  let covered = 0;
  const onProgress = options.onProgress && ((done: number) => options.onProgress!(Math.min(hi - lo, covered + done), hi - lo));

  const scan = (a: number, b: number, max: number, stop: boolean): Promise<Hits | undefined> =>
    overFileSegment(doc, a, b, async (delta) => {
      const r = await source.textStats!({
        kind: single ? 'single-byte' : (encoding as 'utf-16le' | 'utf-16be'), offset: a + delta, length: b - a,
        maxInvalidOffsets: max, stopAtInvalid: stop, flagged, signal: options.signal, onProgress,
      });
      const offsets = r.invalidOffsets.map((o) => o - delta);
      if ('histogram' in r) return { count: r.histogram.reduce((n, c, byte) => n + (flagged![byte] ? c : 0), 0), offsets };
      return { count: kind === 'invalid' ? r.invalid : r.invalid + r.nonAscii, offsets };
    });

  /** An even offset near `x` (moving toward `down`) where no surrogate pair is split; the identity for single bytes. */
  const cut = async (x: number, down: boolean): Promise<number> => {
    if (single) return x;
    let at = x % 2 === 0 ? x : down ? x - 1 : x + 1;
    const pair = await doc.readBytes(at - 2, 4);
    const unit = newTextUnit();
    codec.decodeUnit(pair, 0, 4, at - 2, unit);
    if (unit.length === 4) at = down ? at - 2 : at + 2;
    return at;
  };

  /** First / last wanted unit in [a, b) (safe cuts, b > a) by counts, or -1. */
  const locate = async (a: number, b: number, last: boolean): Promise<number | undefined> => {
    let lo2 = a;
    let hi2 = b;
    let hits = await scan(lo2, hi2, listed ? LISTED : 0, false);
    if (!hits) return undefined;
    if (hits.count === 0) return -1;
    while (!(listed && hits.count <= hits.offsets.length) && hi2 - lo2 > FIRST_CHUNK) {
      const mid = await cut(lo2 + Math.floor((hi2 - lo2) / 2), true);
      const half = last ? await scan(mid, hi2, listed ? LISTED : 0, false) : await scan(lo2, mid, listed ? LISTED : 0, false);
      if (!half) return undefined;
      if (half.count > 0) {
        if (last) lo2 = mid; else hi2 = mid;
        hits = half;
      } else {
        // The other half holds them all, and the offsets listed for the whole lie in it.
        if (last) hi2 = mid; else lo2 = mid;
      }
    }
    if (listed && hits.count > 0 && hits.count <= hits.offsets.length) return last ? hits.offsets[hits.offsets.length - 1] : hits.offsets[0];
    return scanUnitsJs(doc, codec, kind, lo2, hi2, last, options);
  };

  // The interior given to native scans, and the edges decoded in JavaScript.
  let a = lo;
  let b = hi;
  if (!single) {
    if (hi - lo < 4 * FIRST_CHUNK) return undefined;
    a = await cut(lo + EDGE, false);
    b = await cut(hi - EDGE, true);
  }
  const js = (x: number, y: number, last: boolean) => scanUnitsJs(doc, codec, kind, x, y, last, options);

  if (direction === 'forward') {
    const head = await js(lo, a, false);
    if (head >= 0) return head;
    let found: number | undefined = -1;
    if (listed) {
      const hits = await scan(a, b, 1, true);
      if (!hits) return undefined;
      found = hits.offsets.length ? hits.offsets[0] : -1;
    } else {
      for (let at = a, step = FIRST_CHUNK; at < b && found === -1; step *= 2) {
        const end = at + step >= b ? b : await cut(at + step, true);
        found = await locate(at, end, false);
        covered += end - at;
        at = end;
      }
    }
    if (found === undefined || found >= 0) return found;
    return js(b, hi, false);
  }
  const tail = await js(b, hi, true);
  if (tail >= 0) return tail;
  let found: number | undefined = -1;
  for (let at = b, step = FIRST_CHUNK; at > a && found === -1; step *= 2) {
    const start = at - step <= a ? a : await cut(at - step, false);
    found = await locate(start, at, true);
    covered += at - start;
    at = start;
  }
  if (found === undefined || found >= 0) return found;
  return js(lo, a, true);
}
