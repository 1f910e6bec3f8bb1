/**
 * Next / previous invalid sequence or non-ASCII character in the bytes the
 * user sees (edits applied), for the jump commands and the report.
 *
 * The native ByteSource.findInvalid / findNonAscii scan the disk. Which bytes
 * start a unit, and how a unit decodes, depends only on the 3 bytes before
 * and the 3 after it, so units more than 4 bytes away from every edit are the
 * same on disk and on screen. Around each edit ("zone" = edit ± 4 bytes) the
 * units are decoded in JavaScript; a native hit inside a zone is ignored.
 */
import type { ByteSource, Direction, ScanOptions } from '../engine/byteSource';
import { decodeUnit, newUnit, syncPoint } from '../../shared/utf8';
import { editedSpans, readEdited, type OverlayView, type Span } from './editedBytes';

export type UnitKind = 'invalid' | 'nonAscii';

/** Reach of an edit's influence on unit boundaries and statuses (a unit is at most 4 bytes). */
const REACH = 4;

export async function findUnitInDocument(
  source: ByteSource, overlay: Pick<OverlayView, 'runs' | 'applyTo'>, kind: UnitKind, from: number, direction: Direction, options: ScanOptions = {},
): Promise<number> {
  const size = source.size;
  if (!Number.isSafeInteger(from) || from < 0 || from > size) throw new RangeError(`from must be an integer in 0..${size}, got ${from}`);
  const zones = zonesOf(overlay, size);
  const native = (at: number) => kind === 'invalid'
    ? source.findInvalid(at, direction, options)
    : source.findNonAscii(at, direction, options);
  const inZone = (p: number) => zones.find((z) => p >= z.start && p < z.end);

  if (direction === 'forward') {
    let pos = from;
    while (pos < size) {
      const hit = await native(pos);
      const limit = hit < 0 ? size : hit;
      // Zones between pos and the native hit may hold an earlier unit (or the hit may lie in one).
      for (const z of zones) {
        if (z.end <= pos) continue;
        if (z.start > limit) break;
        const found = await scanZone(source, overlay, kind, Math.max(pos, z.start), z.end, false);
        // Zones are visited nearest first; one holding the native hit overrides it.
        if (found >= 0) return found;
      }
      const zone = hit >= 0 ? inZone(hit) : undefined;
      if (!zone) return hit;
      pos = zone.end;
    }
    return -1;
  }
  let pos = from;
  while (pos > 0) {
    const hit = await native(pos);
    const limit = hit < 0 ? -1 : hit;
    for (let k = zones.length - 1; k >= 0; k--) {
      const z = zones[k];
      if (z.start >= pos) continue;
      if (z.end <= limit) break;
      const found = await scanZone(source, overlay, kind, z.start, Math.min(pos, z.end), true);
      // Zones are visited nearest first; one holding the native hit overrides it.
      if (found >= 0) return found;
    }
    const zone = hit >= 0 ? inZone(hit) : undefined;
    if (!zone) return hit;
    pos = zone.start;
  }
  return -1;
}

function zonesOf(overlay: Pick<OverlayView, 'runs'>, size: number): Span[] {
  const zones: Span[] = [];
  for (const s of editedSpans(overlay, 0, size)) {
    const start = Math.max(0, s.start - REACH);
    const end = Math.min(size, s.end + REACH);
    const last = zones[zones.length - 1];
    if (last && start <= last.end) last.end = end;
    else zones.push({ start, end });
  }
  return zones;
}

/** First (or last) wanted unit whose start lies in [lo, hi), decoding the edited bytes there. */
async function scanZone(
  source: ByteSource, overlay: Pick<OverlayView, 'runs' | 'applyTo'>, kind: UnitKind, lo: number, hi: number, last: boolean,
): Promise<number> {
  if (hi <= lo) return -1;
  const readFrom = Math.max(0, lo - 3);
  const readTo = Math.min(source.size, hi + 3);
  const bytes = await readEdited(source, overlay, readFrom, readTo - readFrom);
  const unit = newUnit();
  let found = -1;
  // Bytes before readFrom are not here; syncPoint with floor 0 treats index 0 as a boundary
  // only when nothing before it is a lead, which holds: a lead more than 3 bytes back cannot reach lo.
  for (let i = syncPoint(bytes, lo - readFrom, 0); i < hi - readFrom; i += unit.length) {
    decodeUnit(bytes, i, bytes.length, unit);
    if (i + readFrom < lo) continue;
    const wanted = kind === 'invalid' ? unit.status !== 'valid' : bytes[i] >= 0x80;
    if (!wanted) continue;
    if (!last) return i + readFrom;
    found = i + readFrom;
  }
  return found;
}
