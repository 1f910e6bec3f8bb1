/**
 * Search the bytes the user sees: the document's pieces (file ranges and
 * edited bytes), in document offsets.
 *
 * The native scan (ByteSource.find) runs at memory speed but only sees the
 * file. A match can use it only when it lies wholly inside one file segment
 * of the document; it touches an edit when it overlaps an edited span (see
 * editedBytes.ts), i.e. when its start lies in (span.start - patternLength,
 * span.end). Those "dirty zones" are small (edits are sparse), so they are
 * searched in JavaScript over the document's bytes, and the native scan
 * covers the clean stretches between them (shifted to file offsets), never
 * reporting a match that starts in a zone. Results from both are produced in
 * the order of travel, so the first match found near the cursor comes back
 * quickly and "find all" streams.
 */
import { MAX_READ } from '../engine/byteSource';
import type { FindCallbacks, FindQuery, ScannableDocument } from '../document/documentModel';
import type { FindResult } from '../../shared/protocol';
import { diskDelta, editedSpans, isCancellation, overFileSegment, type Span } from './editedBytes';
import { PatternMatcher } from './patternMatcher';

/** Knobs the tests turn to put chunk edges everywhere; defaults suit real files. */
export interface FindTuning {
  /** First native chunk (match starts). Small, so a near match returns fast. */
  firstChunk?: number;
  /** Chunks double up to this, so streaming and progress stay lively. */
  maxChunk?: number;
  /** Dirty zones closer than this are searched as one (cheaper than a native call). */
  zoneGap?: number;
  /** Match starts per JavaScript piece inside a dirty zone. */
  jsChunk?: number;
}

/** Find in a range (find in selection): only matches lying wholly inside [rangeStart, rangeEnd). */
export interface FindRange { rangeStart?: number; rangeEnd?: number }

const DEFAULTS: Required<FindTuning> = { firstChunk: 1 << 20, maxChunk: 256 << 20, zoneGap: 4096, jsChunk: 1 << 20 };
const PROGRESS_INTERVAL_MS = 50;

/** One stretch of match starts [start, end), searched natively (clean: file = document + delta) or in JS (dirty). */
interface Segment extends Span { dirty: boolean; delta?: number }

export async function findInDocument(
  doc: ScannableDocument,
  query: FindQuery & FindRange,
  cb: FindCallbacks = {},
  tuning: FindTuning = {},
): Promise<FindResult> {
  const t = { ...DEFAULTS, ...tuning };
  const { pattern, mask, ignoreCase, backward, maxMatches } = query;
  validateQuery(query, doc.size);

  const size = doc.size;
  const source = doc.source;
  const P = pattern.length;
  const matches: number[] = [];
  // Match starts that fit in the file (or the range): [rangeStart, rangeEnd - P].
  const rangeStart = query.rangeStart ?? 0;
  const startEnd = (query.rangeEnd ?? size) - P + 1;
  const lo = backward ? rangeStart : Math.max(rangeStart, query.from);
  const hi = backward ? Math.min(query.from, startEnd) : startEnd;
  if (hi <= lo || maxMatches === 0) return { matches, complete: maxMatches !== 0 || hi <= lo, cancelled: false };

  const segments = plan(doc, lo, hi, P, t.zoneGap);
  if (backward) segments.reverse();
  const total = hi - lo;
  let scannedBefore = 0;
  let lastProgress = 0;
  const progress = (done: number, force = false) => {
    if (!cb.onProgress) return;
    const now = Date.now();
    if (!force && now - lastProgress < PROGRESS_INTERVAL_MS) return;
    lastProgress = now;
    cb.onProgress(Math.min(total, done), total);
  };
  const matcher = new PatternMatcher({ pattern, mask, ignoreCase });
  let chunk = t.firstChunk;

  /** Takes found matches (already in travel order); returns how many did not fit. */
  const accept = (found: number[]): number => {
    const room = maxMatches - matches.length;
    const taken = found.length > room ? found.slice(0, room) : found;
    if (taken.length) {
      for (const m of taken) matches.push(m);
      cb.onMatches?.(taken);
    }
    return found.length - taken.length;
  };

  try {
    for (let s = 0; s < segments.length; s++) {
      const seg = segments[s];
      // Walk the segment in chunks in the direction of travel.
      let pos = backward ? seg.end : seg.start;
      while (backward ? pos > seg.start : pos < seg.end) {
        if (cb.signal?.aborted) return { matches, complete: false, cancelled: true };
        const step = seg.dirty ? t.jsChunk : chunk;
        const c0 = backward ? Math.max(seg.start, pos - step) : pos;
        const c1 = backward ? pos : Math.min(seg.end, pos + step);
        const done = scannedBefore + (backward ? seg.end - c1 : c0 - seg.start);
        let found: number[] | undefined;
        let chunkComplete = true;
        const bytesEnd = Math.min(size, c1 + P - 1);
        if (!seg.dirty) {
          const r = await overFileSegment(doc, c0, bytesEnd, async (delta) => {
            const hit = await source.find(pattern, {
              mask, ignoreCase, backward, maxMatches: maxMatches - matches.length,
              from: (backward ? c1 : c0) + delta, rangeStart: c0 + delta, rangeEnd: bytesEnd + delta,
              signal: cb.signal,
              onProgress: cb.onProgress ? (d) => progress(done + d) : undefined,
            });
            return { complete: hit.complete, matches: delta === 0 ? hit.matches : hit.matches.map((m) => m - delta) };
          });
          if (r) {
            found = r.matches;
            chunkComplete = r.complete;
            chunk = Math.min(t.maxChunk, chunk * 2);
          }
        }
        if (!found) {
          // Around edits (or where a save changed the layout under a clean stretch): JavaScript over the document's bytes.
          const bytes = await doc.readBytes(c0, bytesEnd - c0);
          found = matcher.scan(bytes, 0, c1 - c0, c0);
          if (backward) found.reverse();
        }
        const leftOver = accept(found);
        pos = backward ? c0 : c1;
        const scanned = scannedBefore + (backward ? seg.end - pos : pos - seg.start);
        if (matches.length >= maxMatches) {
          // Complete only when nothing was cut off and nothing is left to search.
          const segmentDone = backward ? pos <= seg.start : pos >= seg.end;
          const complete = leftOver === 0 && chunkComplete && segmentDone && s === segments.length - 1;
          progress(complete ? total : scanned, true);
          return { matches, complete, cancelled: false };
        }
        progress(scanned);
      }
      scannedBefore += seg.end - seg.start;
    }
  } catch (error) {
    if (isCancellation(error) || cb.signal?.aborted) return { matches, complete: false, cancelled: true };
    throw error;
  }
  progress(total, true);
  return { matches, complete: true, cancelled: false };
}

/**
 * Splits match starts [lo, hi) into clean and dirty segments, ascending. A
 * start s is dirty when [s, s+P) overlaps an edited span (or crosses a seam).
 */
function plan(doc: ScannableDocument, lo: number, hi: number, P: number, zoneGap: number): Segment[] {
  const zones: Span[] = [];
  for (const run of editedSpans(doc, lo, Math.min(doc.size, hi + P - 1))) {
    const start = Math.max(lo, run.start - P + 1);
    const end = Math.min(hi, run.end);
    if (end <= start) continue;
    const last = zones[zones.length - 1];
    if (last && start <= last.end + zoneGap) last.end = Math.max(last.end, end);
    else zones.push({ start, end });
  }
  const segments: Segment[] = [];
  const clean = (start: number, end: number) => {
    // Matches starting in [start, end) lie in one file segment: no span or seam is near.
    const delta = diskDelta(doc, start, Math.min(doc.size, end + P - 1));
    segments.push(delta === undefined ? { start, end, dirty: true } : { start, end, dirty: false, delta });
  };
  let cursor = lo;
  for (const z of zones) {
    if (z.start > cursor) clean(cursor, z.start);
    segments.push({ start: z.start, end: z.end, dirty: true });
    cursor = z.end;
  }
  if (cursor < hi) clean(cursor, hi);
  return segments;
}

function validateQuery(q: FindQuery & FindRange, size: number): void {
  if (!(q.pattern instanceof Uint8Array) || q.pattern.length === 0) throw new TypeError('find: pattern must be a non-empty Uint8Array');
  if (q.pattern.length > MAX_READ) throw new RangeError(`find: pattern longer than ${MAX_READ} bytes`);
  if (q.mask !== undefined && (!(q.mask instanceof Uint8Array) || q.mask.length !== q.pattern.length)) {
    throw new TypeError('find: mask must be a Uint8Array as long as the pattern');
  }
  if (!Number.isSafeInteger(q.from) || q.from < 0 || q.from > size) throw new RangeError(`find: from must be an integer in 0..${size}, got ${q.from}`);
  if (q.rangeStart !== undefined || q.rangeEnd !== undefined) {
    const s = q.rangeStart ?? 0;
    const e = q.rangeEnd ?? size;
    if (!Number.isSafeInteger(s) || !Number.isSafeInteger(e) || s < 0 || s > e || e > size) throw new RangeError(`find: range ${s}..${e} must lie in 0..${size}`);
  }
  if (!Number.isSafeInteger(q.maxMatches) || q.maxMatches < 0) throw new RangeError(`find: maxMatches must be a non-negative integer, got ${q.maxMatches}`);
}
