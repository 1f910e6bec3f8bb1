/**
 * Compares two documents byte for byte, streaming coalesced ranges of
 * differences, in bounded memory and without long steps on the thread.
 *
 * Both sides are read in chunks through their readers (2 MiB by default:
 * a pair and the next pair fit in the CPU cache, so the memcmp reads what
 * the copy just wrote), one read at a time (a read holds at most one libuv
 * pool thread), the next pair being read while the current one is compared. Equal stretches cost a
 * memcmp (locate.ts). The thread is given back every few milliseconds
 * (setImmediate), so a dense run of differences or a resync search never
 * blocks the extension host. Live memory: two chunk pairs plus, during a
 * resync search, its two ~1 MiB windows.
 *
 * In 'resync' mode, a difference after which the aligned bytes do not agree
 * again within PROBE bytes starts a resynchronisation search (resync.ts); a
 * shift found there is reported as one 'inserted' or 'deleted' range and
 * the comparison continues with the new alignment. A search that finds
 * nothing is not retried for RESYNC_WINDOW bytes, which keeps documents that
 * differ throughout linear in cost.
 */
import { RangeAccumulator } from './rangeAccumulator';
import { alignedResume, asBuffer, nextDifference, runEnd } from './locate';
import { ANCHOR_LENGTH, findResync, RESYNC_WINDOW } from './resync';
import type { CompareOptions, CompareReader, CompareSummary } from './types';

export interface CompareTuning {
  /** Bytes compared per read on each side (tests make it tiny so edges fall everywhere). */
  chunk?: number;
  /** Finished ranges per onRanges call. */
  batchSize?: number;
}

const DEFAULT_CHUNK = 2 << 20;
const MAX_READ = 16 << 20;
const DEFAULT_MAX_RANGES = 100_000;
const DEFAULT_BATCH = 1024;
/** A difference is a plain change when the aligned bytes agree again (RESUME_RUN of them) within this many bytes. */
const PROBE = 256;
const RESUME_RUN = ANCHOR_LENGTH;
/** Bytes read past a chunk's end so the probe after a difference near the edge has its bytes. */
const EXTRA = PROBE + RESUME_RUN;
/** Longest stretch of work between two yields. */
const SLICE_MS = 4;
/** Longest run walked byte by byte before the time is checked again. */
const RUN_STEP = 256 << 10;
const PROGRESS_MS = 50;

interface Chunk { posA: number; posB: number; a: Buffer; b: Buffer }

const pause = () => new Promise<void>((resolve) => setImmediate(resolve));

export async function compareDocuments(
  docA: CompareReader, docB: CompareReader, options: CompareOptions = {}, tuning: CompareTuning = {},
): Promise<CompareSummary> {
  const mode = options.mode ?? 'resync';
  const signal = options.signal;
  // A read (chunk plus the probe's EXTRA) stays within the readers' 16 MiB limit.
  const chunkSize = Math.max(1, Math.min(tuning.chunk ?? DEFAULT_CHUNK, MAX_READ - EXTRA));
  const acc = new RangeAccumulator(options.maxRanges ?? DEFAULT_MAX_RANGES, tuning.batchSize ?? DEFAULT_BATCH, options.onRanges);
  const sizeA = docA.size;
  const sizeB = docB.size;
  const total = sizeA + sizeB;
  let lastProgress = 0;
  const progress = (done: number) => {
    const now = performance.now();
    if (options.onProgress && now - lastProgress >= PROGRESS_MS) {
      lastProgress = now;
      options.onProgress(done, total);
    }
  };

  const readPair = async (posA: number, posB: number): Promise<Chunk> => {
    const n = Math.min(chunkSize + EXTRA, sizeA - posA, sizeB - posB);
    const a = asBuffer(await docA.read(posA, n));
    const b = asBuffer(await docB.read(posB, n));
    return { posA, posB, a, b };
  };

  let posA = 0;
  let posB = 0;
  /** No resync search starts before this A offset (after a search that found nothing, or a plain change it identified). */
  let quietUntilA = 0;
  let next: Promise<Chunk> | undefined;
  let sliceStart = performance.now();
  let cancelled = false;

  /** Gives the thread back when the slice is used up; false when cancelled. */
  const breathe = async (doneA: number, doneB: number): Promise<boolean> => {
    if (performance.now() - sliceStart < SLICE_MS) return !signal?.aborted;
    acc.flush();
    progress(doneA + doneB);
    await pause();
    sliceStart = performance.now();
    return !signal?.aborted;
  };

  /** Reports the differing bytes of an aligned span without looking for shifts (the changed part before a shift). */
  const compareSpan = async (fromA: number, fromB: number, length: number): Promise<void> => {
    for (let done = 0; done < length;) {
      const n = Math.min(chunkSize, length - done);
      const a = asBuffer(await docA.read(fromA + done, n));
      const b = asBuffer(await docB.read(fromB + done, n));
      for (let i = 0; i < n;) {
        const d = nextDifference(a, b, i, n);
        if (d < 0) break;
        const e = runEnd(a, b, d, n);
        acc.addChanged(fromA + done + d, fromB + done + d, e - d);
        i = e;
      }
      done += n;
    }
  };

  outer: while (posA < sizeA && posB < sizeB) {
    if (signal?.aborted) { cancelled = true; break; }
    let chunk = next ? await next : await readPair(posA, posB);
    next = undefined;
    if (chunk.posA !== posA || chunk.posB !== posB) chunk = await readPair(posA, posB);
    const { a, b } = chunk;
    const n = a.length;
    const safe = n === chunkSize + EXTRA ? chunkSize : n;
    if (posA + safe < sizeA && posB + safe < sizeB) next = readPair(posA + safe, posB + safe);

    let i = 0;
    while (i < safe) {
      const d = nextDifference(a, b, i, safe);
      if (d < 0) break;
      if (mode === 'resync' && posA + d >= quietUntilA && alignedResume(a, b, d, d + PROBE, RESUME_RUN, n) < 0) {
        // The aligned bytes do not agree again soon: maybe one side has bytes the other lacks.
        if (next) await next.catch(() => undefined); // one read at a time
        next = undefined;
        const atA = posA + d;
        const atB = posB + d;
        acc.flush();
        const found = await findResync(docA, docB, atA, atB, pause, signal);
        sliceStart = performance.now();
        if (signal?.aborted) { cancelled = true; break outer; }
        if (found && found.skipA !== found.skipB) {
          const common = Math.min(found.skipA, found.skipB);
          await compareSpan(atA, atB, common);
          const extra = Math.abs(found.skipA - found.skipB);
          acc.addOneSided(found.skipB > found.skipA ? 'inserted' : 'deleted', atA + common, atB + common, extra, true);
          posA = atA + found.skipA;
          posB = atB + found.skipB;
          continue outer;
        }
        // A plain change (it ends at skipA) or nothing found: compare in place, search again only past it.
        quietUntilA = atA + (found ? found.skipA : RESYNC_WINDOW);
        if (posA + safe < sizeA && posB + safe < sizeB) next = readPair(posA + safe, posB + safe);
      }
      let e = d;
      do {
        e = runEnd(a, b, e, Math.min(safe, e + RUN_STEP));
        if (e < safe && a[e] !== b[e] && !(await breathe(posA + e, posB + e))) { cancelled = true; break outer; }
      } while (e < safe && a[e] !== b[e]);
      acc.addChanged(posA + d, posB + d, e - d);
      i = e;
      if (!(await breathe(posA + i, posB + i))) { cancelled = true; break outer; }
    }
    posA += safe;
    posB += safe;
    progress(posA + posB);
  }
  if (next) await next.catch(() => undefined);

  if (!cancelled) {
    // What remains of the longer side has nothing to face.
    if (posA < sizeA) acc.addOneSided('deleted', posA, posB, sizeA - posA, false);
    if (posB < sizeB) acc.addOneSided('inserted', posA, posB, sizeB - posB, false);
    options.onProgress?.(total, total);
  }
  acc.finish();
  const t = acc.totals;
  return {
    sizeA, sizeB, mode, complete: !cancelled, cancelled,
    identical: !cancelled && t.rangeCount === 0,
    changedBytes: t.changedBytes, onlyInA: t.onlyInA, onlyInB: t.onlyInB,
    rangeCount: t.rangeCount, ranges: acc.kept, capped: t.rangeCount > acc.kept.length,
    first: t.first, last: t.last, shifts: t.shifts,
  };
}
