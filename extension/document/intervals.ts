/**
 * Sorted, disjoint, coalesced half-open intervals [start, end): the byte
 * ranges of the old disk that pieces refer to, and set arithmetic on them.
 */
export interface Interval { start: number; end: number }

/** Sort and coalesce (touching intervals merge). */
export function unionOf(list: Interval[]): Interval[] {
  const sorted = list.filter((i) => i.end > i.start).sort((a, b) => a.start - b.start);
  const out: Interval[] = [];
  for (const i of sorted) {
    const last = out[out.length - 1];
    if (last && i.start <= last.end) last.end = Math.max(last.end, i.end);
    else out.push({ start: i.start, end: i.end });
  }
  return out;
}

/** a − b, both coalesced. */
export function subtract(a: readonly Interval[], b: readonly Interval[]): Interval[] {
  const out: Interval[] = [];
  let j = 0;
  for (const i of a) {
    let start = i.start;
    while (j < b.length && b[j].end <= start) j++;
    let k = j;
    while (k < b.length && b[k].start < i.end) {
      if (b[k].start > start) out.push({ start, end: b[k].start });
      start = Math.max(start, b[k].end);
      k++;
    }
    if (start < i.end) out.push({ start, end: i.end });
  }
  return out;
}

export function measure(list: readonly Interval[]): number {
  let n = 0;
  for (const i of list) n += i.end - i.start;
  return n;
}

/** Index of the first interval whose end is > offset. */
export function firstEndingAfter(list: readonly { end: number }[], offset: number): number {
  let lo = 0;
  let hi = list.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (list[mid].end > offset) hi = mid;
    else lo = mid + 1;
  }
  return lo;
}
