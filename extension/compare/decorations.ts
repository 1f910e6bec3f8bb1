/**
 * The highlights one side of a comparison shows: the differences around its
 * viewport, exactly, and a coarse overview of the whole document for the
 * scrollbar. Pure: the compare view sends the result as a 'decorations'
 * message (shared/protocol.ts).
 */
import type { ByteRange, DecorationsMessage } from '../../shared/protocol';
import { placeOn, previousDifference, type Side } from './navigation';
import type { DiffRange } from './types';

/** Bytes before and after the top of the viewport that get exact highlights (far more than a screen). */
export const SPAN_BEFORE = 64 << 10;
export const SPAN_AFTER = 256 << 10;
/** Most ranges in one message; a denser area is covered up to this many. */
export const MAX_SPAN_RANGES = 4096;
/** Most ranges in the overview; neighbours are merged to fit. */
export const MAX_OVERVIEW = 1000;

export function diffDecorations(
  ranges: readonly DiffRange[], side: Side, topOffset: number, size: number, current?: DiffRange,
  /** The overview when the caller already has it for these ranges (it costs a pass over them). */
  knownOverview?: ByteRange[],
): DecorationsMessage {
  const span: ByteRange = { offset: Math.max(0, topOffset - SPAN_BEFORE), length: 0 };
  span.length = Math.min(size, topOffset + SPAN_AFTER) - span.offset;
  const inSpan: ByteRange[] = [];
  const end = span.offset + span.length;
  // Start at the last range that begins before the span: it may reach into it.
  for (let i = Math.max(0, previousDifference(ranges, side, span.offset)); i < ranges.length && inSpan.length < MAX_SPAN_RANGES; i++) {
    const p = placeOn(side, ranges[i]);
    if (p.offset >= end) break;
    if (p.offset + p.length > span.offset || (p.length === 0 && p.offset >= span.offset)) inSpan.push(p);
  }
  const message: DecorationsMessage = { type: 'decorations', kind: 'diff', span, ranges: inSpan };
  message.overview = knownOverview ?? overview(ranges, side, size);
  if (current) message.current = placeOn(side, current);
  return message;
}

/**
 * At most MAX_OVERVIEW ranges covering every difference: the document is cut
 * into MAX_OVERVIEW equal buckets and the differences in a bucket merge into
 * one range from the first to the last of them.
 */
export function overview(ranges: readonly DiffRange[], side: Side, size: number): ByteRange[] {
  if (ranges.length <= MAX_OVERVIEW) return ranges.map((r) => placeOn(side, r));
  const bucket = Math.max(1, Math.ceil(size / MAX_OVERVIEW));
  const out: ByteRange[] = [];
  let key = -1;
  for (const r of ranges) {
    const p = placeOn(side, r);
    const k = Math.floor(p.offset / bucket);
    const last = out[out.length - 1];
    if (k === key && last) last.length = Math.max(last.length, p.offset + p.length - last.offset);
    else {
      out.push({ offset: p.offset, length: p.length });
      key = k;
    }
  }
  return out;
}
