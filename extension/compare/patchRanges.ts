/**
 * Updating a finished comparison after edits, without comparing everything
 * again: only the edited spans are compared, and the ranges there replaced.
 * That is exact only while both documents are aligned offset for offset
 * (no shift found, same size) and every range is kept (not capped); the
 * caller compares everything again otherwise (canPatch says which).
 *
 * Each edited span is widened by one byte on each side and then to the
 * whole of any range it touches, so the new ranges never need merging with
 * the old ones around them: the bytes just outside are unedited and equal.
 */
import type { ByteRange } from '../../shared/protocol';
import { compareDocuments } from './compareEngine';
import type { CompareReader, CompareSummary, DiffRange } from './types';

export function canPatch(s: CompareSummary | undefined): s is CompareSummary {
  return !!s && s.complete && !s.capped && s.shifts === 0 && s.onlyInA === 0 && s.onlyInB === 0 && s.sizeA === s.sizeB;
}

/** A window of a document seen as a document of its own. */
function slice(doc: CompareReader, offset: number, length: number): CompareReader {
  return { size: length, read: (o, n) => doc.read(offset + o, n) };
}

/** The summary after re-comparing `edited` (byte ranges of either document); undefined when cancelled. */
export async function patchComparison(
  a: CompareReader, b: CompareReader, before: CompareSummary, edited: readonly ByteRange[], signal?: AbortSignal,
): Promise<CompareSummary | undefined> {
  const size = before.sizeA;
  let ranges = before.ranges.slice();
  for (const span of mergeSpans(edited, size)) {
    let start = span.offset;
    let end = span.offset + span.length;
    // The kept ranges the span touches, widened to cover them whole.
    const first = firstEndingAfter(ranges, start);
    let last = first;
    while (last < ranges.length && ranges[last].offsetA < end) last++;
    if (last > first) {
      start = Math.min(start, ranges[first].offsetA);
      end = Math.max(end, ranges[last - 1].offsetA + ranges[last - 1].lengthA);
    }
    const result = await compareDocuments(slice(a, start, end - start), slice(b, start, end - start), { mode: 'bytes', signal, maxRanges: Infinity });
    if (result.cancelled) return undefined;
    const fresh: DiffRange[] = result.ranges.map((r) => ({ ...r, offsetA: r.offsetA + start, offsetB: r.offsetB + start }));
    ranges = [...ranges.slice(0, first), ...fresh, ...ranges.slice(last)];
  }
  const changedBytes = ranges.reduce((n, r) => n + r.lengthA, 0);
  return {
    ...before, ranges, rangeCount: ranges.length, changedBytes, identical: ranges.length === 0,
    first: ranges[0], last: ranges[ranges.length - 1],
  };
}

/** Sorted, merged, each widened by a byte on both sides and clamped to the document. */
function mergeSpans(edited: readonly ByteRange[], size: number): ByteRange[] {
  const sorted = edited
    .map((r) => ({ start: Math.max(0, r.offset - 1), end: Math.min(size, r.offset + r.length + 1) }))
    .filter((r) => r.end > r.start)
    .sort((x, y) => x.start - y.start);
  const out: ByteRange[] = [];
  let cur: { start: number; end: number } | undefined;
  for (const r of sorted) {
    if (cur && r.start <= cur.end) cur.end = Math.max(cur.end, r.end);
    else {
      if (cur) out.push({ offset: cur.start, length: cur.end - cur.start });
      cur = { ...r };
    }
  }
  if (cur) out.push({ offset: cur.start, length: cur.end - cur.start });
  return out;
}

/** Index of the first range that ends after `offset` (binary search). */
function firstEndingAfter(ranges: readonly DiffRange[], offset: number): number {
  let lo = 0;
  let hi = ranges.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (ranges[mid].offsetA + ranges[mid].lengthA <= offset) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}
