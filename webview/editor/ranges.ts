/**
 * Sorted, non-overlapping byte ranges (unsaved runs, find matches) turned
 * into a per-byte mask of the visible span. Binary search keeps this cheap
 * even with 10,000 unsaved runs or matches.
 */
import type { ByteRange } from '../../shared/protocol';

/** Index of the first range that ends after `offset`. */
function firstEndingAfter(ranges: readonly ByteRange[], offset: number): number {
  let lo = 0;
  let hi = ranges.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (ranges[mid].offset + ranges[mid].length <= offset) lo = mid + 1; else hi = mid;
  }
  return lo;
}

/** Sets `bit` in mask[i] for every byte start+i covered by a range. */
export function markRanges(mask: Uint16Array, start: number, ranges: readonly ByteRange[], bit: number): void {
  const end = start + mask.length;
  for (let r = firstEndingAfter(ranges, start); r < ranges.length && ranges[r].offset < end; r++) {
    const a = Math.max(start, ranges[r].offset);
    const b = Math.min(end, ranges[r].offset + ranges[r].length);
    for (let p = a; p < b; p++) mask[p - start] |= bit;
  }
}

/** Inserts match offsets keeping the array sorted and unique. */
export function mergeSorted(into: number[], add: readonly number[]): number[] {
  if (add.length === 0) return into;
  // Forward searches stream ascending chunks: append in place, no re-sort.
  let ascending = into.length === 0 || add[0] > into[into.length - 1];
  for (let i = 1; ascending && i < add.length; i++) ascending = add[i] > add[i - 1];
  if (ascending) { for (const v of add) into.push(v); return into; }
  const all = into.concat(add).sort((a, b) => a - b);
  return all.filter((v, i) => i === 0 || v !== all[i - 1]);
}
