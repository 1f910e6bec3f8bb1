/**
 * Where the bytes a user sees differ from plain file bytes, as search and
 * counting need to know it. A document is a sequence of segments (file
 * ranges and bytes in memory, see DocumentModel.segments); native scans run
 * at memory speed over a file range, so search and counting split the
 * document into stretches that lie inside one file segment (scanned natively,
 * offsets shifted by the segment's `delta`) and "edited spans" around
 * everything else, read through the document and scanned in JavaScript.
 *
 * An edited span is a bytes segment, or a seam: the zero-width place where
 * one file segment ends and a segment that does not continue it begins (an
 * insert or a delete left it). A match or a character can cross a seam, so
 * seams count as edits.
 */
import type { DocumentSegment, ScannableDocument } from '../document/documentModel';

/** A span [start, end) of the document. */
export interface Span { start: number; end: number }

/**
 * Edited spans touching [start, end), clipped to it (seams inside the range
 * only; the range's own edges are not seams).
 */
export function editedSpans(doc: Pick<ScannableDocument, 'segments'>, start: number, end: number): Span[] {
  if (end <= start) return [];
  const spans: Span[] = [];
  const push = (s: number, e: number) => {
    const last = spans[spans.length - 1];
    if (last && s <= last.end) last.end = Math.max(last.end, e);
    else spans.push({ start: s, end: e });
  };
  let prev: DocumentSegment | undefined;
  for (const seg of doc.segments(start, end - start)) {
    if (seg.bytes) push(seg.start, seg.start + seg.length);
    else if (prev && prev.diskOffset !== undefined && seg.start > start) push(seg.start, seg.start); // a seam
    prev = seg;
  }
  return spans;
}

/**
 * The file segment holding all of [start, end), as the shift from document
 * to file offsets (file = document + delta); undefined when no single file
 * segment holds it.
 */
export function diskDelta(doc: Pick<ScannableDocument, 'segments'>, start: number, end: number): number | undefined {
  const segs = doc.segments(start, Math.max(1, end - start));
  if (segs.length !== 1 || segs[0].diskOffset === undefined) return undefined;
  return segs[0].diskOffset - segs[0].start;
}

/**
 * Runs a native scan over the file segment holding [start, end), shifted by
 * its delta, once native scans are allowed. A save may move bytes or rebase
 * the pieces while the scan runs: then the result is thrown away and the
 * scan runs again on the new layout. Undefined when no single file segment
 * holds the range any more (the caller scans it in JavaScript).
 */
export async function overFileSegment<T>(
  doc: Pick<ScannableDocument, 'segments' | 'scansAllowed' | 'layoutEpoch'>, start: number, end: number, run: (delta: number) => Promise<T>,
): Promise<T | undefined> {
  for (;;) {
    await doc.scansAllowed();
    const epoch = doc.layoutEpoch;
    const delta = diskDelta(doc, start, end);
    if (delta === undefined) return undefined;
    const result = await run(delta);
    if (doc.layoutEpoch === epoch) return result;
  }
}

/** Error code of a scan stopped by its AbortSignal (matches ByteSource's). */
export const CANCELLED = 'ERR_HEXMAP_CANCELLED';

/** True for the error a cancelled scan rejects with (ours, the engine's or an AbortError). */
export function isCancellation(error: unknown): boolean {
  const e = error as { code?: unknown; name?: unknown } | null;
  return !!e && (e.code === CANCELLED || e.name === 'AbortError');
}
