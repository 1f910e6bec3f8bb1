/**
 * Re-alignment after a run of differences, for documents where one side has
 * bytes inserted or deleted relative to the other.
 *
 * At a difference (A offset pA facing B offset pB) it looks for an ANCHOR:
 * ANCHOR_LENGTH bytes taken from one side a little after the difference
 * (skipping 0, 32, 256, … bytes, so an anchor can lie past a changed stretch),
 * found with Buffer.indexOf (native, memory speed) in the other side's next
 * bytes. An anchor from A at pA + i found in B at pB + j means "A from pA + i
 * continues as B from pB + j": min(i, j) bytes changed in place, then |i - j|
 * bytes only one side holds. The aligned reading (i = j: the difference was
 * a plain change that ends at i) competes with the shifted ones; the cheaper
 * explanation (fewer bytes consumed: max(i, j), plus a small penalty for a
 * shift) wins, so a plain change is never mistaken for a shift. A shifted
 * match is first extended backwards as far as the bytes agree, so the
 * insertion is placed where it starts, not at the anchor.
 *
 * Bound and cost: the search looks at most RESYNC_WINDOW (1 MiB) bytes
 * ahead on each side, in three stages (4 KiB, 64 KiB, 1 MiB) that stop at
 * the first stage with an answer, so a small shift costs a few microseconds.
 * A search that finds nothing reads about 1.1 MiB per side and scans at
 * most 12 × 1 MiB with indexOf (a few ms, in slices between yields); the
 * engine then compares those 1 MiB in place before it tries again, so
 * documents that are different throughout still cost O(size). Memory: the
 * two windows (≈ 2.2 MiB), nothing kept between searches.
 */
import { alignedResume, asBuffer } from './locate';
import type { CompareReader } from './types';

export const ANCHOR_LENGTH = 32;
export const RESYNC_WINDOW = 1 << 20;
/** Extra cost a shift must beat the aligned reading by: a coincidental short match must not re-align. */
const SHIFT_PENALTY = 8;

interface Stage { window: number; skips: readonly number[] }
const STAGES: readonly Stage[] = [
  { window: 4 << 10, skips: [0, 32, 256, 1024] },
  { window: 64 << 10, skips: [0, 32, 256, 1024, 8192] },
  { window: RESYNC_WINDOW, skips: [0, 32, 256, 1024, 8192, 65536] },
];
const MAX_SKIP = 65536;

/** Where the two sides continue alike: A at pA + skipA faces B at pB + skipB. */
export interface Resync { skipA: number; skipB: number }

/**
 * The cheapest re-alignment within the window, or undefined when nothing in
 * it matches. skipA === skipB means no shift: a plain change of that many bytes.
 */
export async function findResync(
  a: CompareReader, b: CompareReader, pA: number, pB: number,
  pause: () => Promise<void>, signal?: AbortSignal,
): Promise<Resync | undefined> {
  const span = RESYNC_WINDOW + MAX_SKIP + ANCHOR_LENGTH;
  const lenA = Math.min(span, a.size - pA);
  const lenB = Math.min(span, b.size - pB);
  if (lenA < ANCHOR_LENGTH || lenB < ANCHOR_LENGTH) return undefined;
  const wa = asBuffer(await a.read(pA, lenA));
  const wb = asBuffer(await b.read(pB, lenB));

  for (const stage of STAGES) {
    if (signal?.aborted) return undefined;
    let best: Resync | undefined;
    let bestCost = Infinity;
    const consider = (skipA: number, skipB: number) => {
      // The anchor may lie well past where the shifted sides start to agree: move back to that place.
      while (skipA > 0 && skipB > 0 && wa[skipA - 1] === wb[skipB - 1]) {
        skipA--;
        skipB--;
      }
      const cost = Math.max(skipA, skipB) + (skipA === skipB ? 0 : SHIFT_PENALTY);
      if (cost < bestCost) {
        bestCost = cost;
        best = { skipA, skipB };
      }
    };
    const r = alignedResume(wa, wb, 0, stage.window, ANCHOR_LENGTH, Math.min(lenA, lenB));
    if (r >= 0) consider(r, r);
    for (const skip of stage.skips) {
      if (skip >= bestCost) break; // no shift found from here can be cheaper
      const fromA = anchorAt(wa, wb, skip, stage.window);
      if (fromA >= 0) consider(skip, fromA);
      const fromB = anchorAt(wb, wa, skip, stage.window);
      if (fromB >= 0) consider(fromB, skip);
      if (stage.window > STAGES[0].window) await pause();
    }
    if (best) return best;
  }
  return undefined;
}

/** Where `from[skip, skip + ANCHOR_LENGTH)` first occurs in the first `window + skip` bytes of `into`, or -1. */
function anchorAt(from: Buffer, into: Buffer, skip: number, window: number): number {
  if (skip + ANCHOR_LENGTH > from.length) return -1;
  const needle = from.subarray(skip, skip + ANCHOR_LENGTH);
  const hay = into.subarray(0, Math.min(into.length, window + skip + ANCHOR_LENGTH));
  return hay.indexOf(needle);
}
