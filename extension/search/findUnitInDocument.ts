/**
 * Next / previous invalid sequence or non-ASCII character in the bytes the
 * user sees (the document's pieces, in document offsets), in the document's
 * text encoding, for the jump commands and the report. What counts as
 * wanted is jsUnitNavigation.ts isWanted, the same codec decoding the text
 * pane draws.
 *
 * In UTF-8 the native ByteSource.findInvalid / findNonAscii scan the file;
 * in the other encodings the native text scans do (nativeTextNavigation.ts).
 * Which
 * bytes start a unit, and how a unit decodes, depends only on the 3 bytes
 * before and the 3 after it (in UTF-16: on the unit before and the unit
 * after, units aligned to the document's offset 0), so units more than 4 bytes away from every
 * edited span and seam (editedBytes.ts) are the same in the file segment and
 * on screen. Around each of those ("zone" = span ± 4 bytes) the units are
 * decoded in JavaScript; between zones the document lies in one file
 * segment, searched natively (a hit outside the stretch is ignored), or in
 * JavaScript when the stretch is short.
 * The native scan of a stretch is bounded by the stretch's range in the file,
 * so a stretch with no hit costs its own length, not a scan on to the next
 * hit in the file.
 */
import type { Direction, ScanOptions } from '../engine/byteSource';
import type { ScannableDocument } from '../document/documentModel';
import { codecFor, type TextEncoding } from '../../shared/encodings';
import { editedSpans, overFileSegment, type Span } from './editedBytes';
import { scanUnitsJs, type UnitKind } from './jsUnitNavigation';
import { findInCleanStretch } from './nativeTextNavigation';

export type { UnitKind } from './jsUnitNavigation';

/** Reach of an edit's influence on unit boundaries and statuses (a unit is at most 4 bytes). */
const REACH = 4;
/** Clean stretches up to this length are decoded in JavaScript (cheaper than a native call). */
const JS_STRETCH = 64 << 10;

/** A zone around edits, or a clean stretch (`native`: long enough for a native scan). */
interface Stretch extends Span { zone: boolean; native: boolean }

export async function findUnitInDocument(
  doc: ScannableDocument, kind: UnitKind, from: number, direction: Direction, options: ScanOptions = {}, encoding: TextEncoding = 'utf-8',
): Promise<number> {
  const size = doc.size;
  if (!Number.isSafeInteger(from) || from < 0 || from > size) throw new RangeError(`from must be an integer in 0..${size}, got ${from}`);
  const codec = codecFor(encoding);
  const stretches = plan(doc, size);
  const scanJs = (lo: number, hi: number, last: boolean) => scanUnitsJs(doc, codec, kind, lo, hi, last, options);
  /** The native hit for the stretch [lo, hi), in document offsets (-1: none in it); undefined: scan it in JavaScript. */
  const native = (s: Stretch, lo: number, hi: number) => encoding !== 'utf-8'
    ? findInCleanStretch(doc, encoding, kind, lo, hi, direction, options)
    : overFileSegment(doc, s.start, s.end, async (delta) => {
      const at = (direction === 'forward' ? lo : hi) + delta;
      const bounded = { ...options, rangeStart: lo + delta, rangeEnd: hi + delta };
      const hit = kind === 'invalid' ? await doc.source.findInvalid(at, direction, bounded) : await doc.source.findNonAscii(at, direction, bounded);
      return hit >= 0 && hit - delta >= lo && hit - delta < hi ? hit - delta : -1;
    });
  if (direction === 'forward') {
    for (const s of stretches) {
      if (s.end <= from) continue;
      const lo = Math.max(from, s.start);
      const hit = s.native ? await native(s, lo, s.end) : undefined;
      const found = hit ?? await scanJs(lo, s.end, false);
      if (found >= 0) return found;
    }
    return -1;
  }
  for (let k = stretches.length - 1; k >= 0; k--) {
    const s = stretches[k];
    if (s.start >= from) continue;
    const hi = Math.min(from, s.end);
    const hit = s.native ? await native(s, s.start, hi) : undefined;
    const found = hit ?? await scanJs(s.start, hi, true);
    if (found >= 0) return found;
  }
  return -1;
}

/** Zones around edits and the clean stretches between them, covering [0, size). */
function plan(doc: ScannableDocument, size: number): Stretch[] {
  const zones: Span[] = [];
  for (const s of editedSpans(doc, 0, size)) {
    const start = Math.max(0, s.start - REACH);
    const end = Math.min(size, s.end + REACH);
    const last = zones[zones.length - 1];
    if (last && start <= last.end) last.end = end;
    else zones.push({ start, end });
  }
  const out: Stretch[] = [];
  const clean = (start: number, end: number) => out.push({ start, end, zone: false, native: end - start > JS_STRETCH });
  let cursor = 0;
  for (const z of zones) {
    if (z.start > cursor) clean(cursor, z.start);
    if (z.end > z.start) out.push({ ...z, zone: true, native: false });
    cursor = Math.max(cursor, z.end);
  }
  if (cursor < size) clean(cursor, size);
  return out;
}
