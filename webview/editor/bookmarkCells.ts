/**
 * The bookmarks of the visible span as a per-byte colour map: 0 where no
 * bookmark is, else the colour's index in BOOKMARK_COLORS plus one, with
 * BOOKMARK_START added on a bookmark's first byte (the painter draws a
 * marker there). A later bookmark in the list draws over an earlier one.
 */
import { BOOKMARK_COLORS, type BookmarkRange } from '../../shared/protocol';

export const BOOKMARK_START = 0x80;

/** Undefined when no bookmark touches [start, start + length). */
export function bookmarkCells(start: number, length: number, bookmarks: readonly BookmarkRange[]): Uint8Array | undefined {
  const end = start + length;
  let cells: Uint8Array | undefined;
  // Sorted by start: stop at the first one past the span.
  for (const b of bookmarks) {
    if (b.start >= end) break;
    if (b.start + b.length <= start) continue;
    cells ??= new Uint8Array(length);
    const color = Math.max(0, BOOKMARK_COLORS.indexOf(b.color)) + 1;
    const from = Math.max(start, b.start);
    const to = Math.min(end, b.start + b.length);
    for (let p = from; p < to; p++) cells[p - start] = color;
    if (b.start >= start) cells[b.start - start] |= BOOKMARK_START;
  }
  return cells;
}
