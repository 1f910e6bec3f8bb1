/**
 * The JavaScript half of "next / previous invalid (or non-ASCII)": decodes
 * the document's bytes (edits applied) with the encoding's codec, exactly as
 * the text pane does, and returns the first (or last) wanted unit starting in
 * a span. Used around edits, for short stretches, and where the backend has
 * no native scan.
 */
import type { ScanOptions } from '../engine/byteSource';
import type { ScannableDocument } from '../document/documentModel';
import { newTextUnit, type TextCodec, type TextUnit } from '../../shared/encodings';
import { CANCELLED } from './editedBytes';

export type UnitKind = 'invalid' | 'nonAscii';

/**
 * The one rule of what each command looks for. Invalid: a unit the codec
 * flags (an invalid UTF-8 or UTF-16 sequence, a byte windows-1252 leaves
 * undefined, a byte 80..FF in ASCII). Non-ASCII: anything that is not one
 * valid character U+0000..U+007F (so flagged units count too; in UTF-16 a
 * unit whose code point is above 7F, in the single-byte encodings a byte
 * 80..FF).
 */
export function isWanted(kind: UnitKind, unit: TextUnit): boolean {
  return unit.status !== 'valid' || (kind === 'nonAscii' && unit.codePoint > 0x7f);
}

/** Bytes per JavaScript read when decoding a span. */
const JS_CHUNK = 1 << 20;
/** Bytes of context each side: a unit is at most 4 bytes, and its decoding looks no further. */
const CONTEXT = 3;

/** First (or last) wanted unit whose start lies in [lo, hi), decoding the document's bytes there; -1: none. */
export async function scanUnitsJs(doc: ScannableDocument, codec: TextCodec, kind: UnitKind, lo: number, hi: number,
  last: boolean, options: ScanOptions = {}): Promise<number> {
  if (hi <= lo) return -1;
  if (!last) {
    for (let a = lo; a < hi; a += JS_CHUNK) {
      const found = await scanPart(doc, codec, kind, a, Math.min(hi, a + JS_CHUNK), false, options);
      if (found >= 0) return found;
    }
    return -1;
  }
  for (let b = hi; b > lo; b -= JS_CHUNK) {
    const found = await scanPart(doc, codec, kind, Math.max(lo, b - JS_CHUNK), b, true, options);
    if (found >= 0) return found;
  }
  return -1;
}

async function scanPart(doc: ScannableDocument, codec: TextCodec, kind: UnitKind, lo: number, hi: number, last: boolean,
  options: ScanOptions): Promise<number> {
  if (options.signal?.aborted) throw Object.assign(new Error('search cancelled'), { code: CANCELLED });
  const readFrom = Math.max(0, lo - CONTEXT);
  const readTo = Math.min(doc.size, hi + CONTEXT);
  const bytes = await doc.readBytes(readFrom, readTo - readFrom);
  const unit = newTextUnit();
  let found = -1;
  // Index 0 is real data only at the document's start; otherwise it is context, and every codec's
  // syncPoint needs at most 3 bytes before `lo` to find the unit covering it.
  for (let i = codec.syncPoint(bytes, lo - readFrom, 0, readFrom); i < hi - readFrom; i += unit.length) {
    codec.decodeUnit(bytes, i, bytes.length, readFrom + i, unit);
    if (i + readFrom < lo || !isWanted(kind, unit)) continue;
    if (!last) return i + readFrom;
    found = i + readFrom;
  }
  return found;
}
