/**
 * Moving between differences and between the two sides' coordinates, over
 * the ranges a comparison kept (in order on both sides). Pure functions:
 * the VS Code commands (F7 / Shift+F7) and the scroll lock use them.
 */
import type { DiffRange } from './types';

export type Side = 'a' | 'b';

/** Where a range lies on one side (an insertion on the other side is an empty place). */
export function placeOn(side: Side, r: DiffRange): { offset: number; length: number } {
  return side === 'a' ? { offset: r.offsetA, length: r.lengthA } : { offset: r.offsetB, length: r.lengthB };
}

/** Index of the first range starting after `offset` on `side`, or -1. */
export function nextDifference(ranges: readonly DiffRange[], side: Side, offset: number): number {
  let lo = 0;
  let hi = ranges.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (placeOn(side, ranges[mid]).offset <= offset) lo = mid + 1;
    else hi = mid;
  }
  return lo < ranges.length ? lo : -1;
}

/** Index of the last range starting before `offset` on `side`, or -1. */
export function previousDifference(ranges: readonly DiffRange[], side: Side, offset: number): number {
  let lo = 0;
  let hi = ranges.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (placeOn(side, ranges[mid]).offset < offset) lo = mid + 1;
    else hi = mid;
  }
  return lo - 1;
}

/** Index of the range that holds `offset` on `side` (or starts there, for an empty place), or -1. */
export function differenceAt(ranges: readonly DiffRange[], side: Side, offset: number): number {
  const i = previousDifference(ranges, side, offset + 1);
  if (i < 0) return -1;
  const p = placeOn(side, ranges[i]);
  return offset < p.offset + Math.max(1, p.length) ? i : -1;
}

/**
 * The offset on the other side that faces `offset` on `side`: the same
 * place shifted by the insertions and deletions before it. Inside bytes
 * only one side holds, the place where they would go. Past the kept ranges
 * the last known alignment holds.
 */
export function facingOffset(ranges: readonly DiffRange[], side: Side, offset: number, otherSize: number): number {
  const i = previousDifference(ranges, side, offset + 1);
  let mapped = offset;
  if (i >= 0) {
    const r = ranges[i];
    const here = placeOn(side, r);
    const there = placeOn(side === 'a' ? 'b' : 'a', r);
    const into = offset - here.offset;
    if (r.kind === 'changed') mapped = there.offset + into;
    else if (into < here.length) mapped = there.offset;
    else mapped = there.offset + there.length + (into - here.length);
  }
  return Math.max(0, Math.min(mapped, otherSize));
}
