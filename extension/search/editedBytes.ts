/**
 * The bytes a user sees = disk bytes with unsaved edits laid over them. Search
 * and counting read through here, so both see exactly what the panes show.
 *
 * Only two methods of DOCUMENT's EditOverlay are used (`runs`, `applyTo`), so
 * this works with any overlay that keeps those semantics.
 */
import { MAX_READ, type ByteSource } from '../engine/byteSource';

/** The part of EditOverlay that search and counting rely on. */
export interface OverlayView {
  /** Unsaved runs intersecting [offset, offset+length): sorted, non-overlapping, coalesced. */
  runs(offset?: number, length?: number): { offset: number; bytes: Uint8Array }[];
  /** Overwrite a buffer holding disk bytes of [offset, offset+target.length) with edited bytes. */
  applyTo(offset: number, target: Uint8Array): void;
}

/** An edited span [start, end) of the file. */
export interface Span { start: number; end: number }

/**
 * Edited spans intersecting [start, end), clipped to it. Clipping here means
 * callers need not care whether the overlay returns runs whole or clipped.
 */
export function editedSpans(overlay: Pick<OverlayView, 'runs'>, start: number, end: number): Span[] {
  if (end <= start) return [];
  const spans: Span[] = [];
  for (const run of overlay.runs(start, end - start)) {
    const s = Math.max(start, run.offset);
    const e = Math.min(end, run.offset + run.bytes.length);
    if (e <= s) continue;
    const last = spans[spans.length - 1];
    if (last && s <= last.end) last.end = Math.max(last.end, e);
    else spans.push({ start: s, end: e });
  }
  return spans;
}

/**
 * Bytes of [offset, offset+length) with edits applied. Reads in MAX_READ
 * pieces so callers may ask for any length they can hold in memory.
 */
export async function readEdited(source: ByteSource, overlay: OverlayView, offset: number, length: number): Promise<Uint8Array> {
  if (length <= MAX_READ) {
    const bytes = length > 0 ? await source.read(offset, length) : new Uint8Array(0);
    overlay.applyTo(offset, bytes);
    return bytes;
  }
  const out = new Uint8Array(length);
  for (let done = 0; done < length; done += MAX_READ) {
    const n = Math.min(MAX_READ, length - done);
    out.set(await source.read(offset + done, n), done);
  }
  overlay.applyTo(offset, out);
  return out;
}

/** Error code of a scan stopped by its AbortSignal (matches ByteSource's). */
export const CANCELLED = 'ERR_HEXMAP_CANCELLED';

/** True for the error a cancelled scan rejects with (ours, the engine's or an AbortError). */
export function isCancellation(error: unknown): boolean {
  const e = error as { code?: unknown; name?: unknown } | null;
  return !!e && (e.code === CANCELLED || e.name === 'AbortError');
}
