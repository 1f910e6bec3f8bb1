/**
 * Reads the bytes of a run of document segments: bytes segments are copied,
 * file segments read from the disk (or from a save's mover). Many small
 * file segments close together on disk (what a Replace All leaves) are read
 * with one read of their envelope instead of one read each.
 */
import { MAX_READ } from '../engine/byteSource';
import type { DocumentSegment } from './documentModel';

/** File segments whose disk envelope is at most this (or twice their bytes) are read in one read. */
const ENVELOPE_MIN = 64 << 10;

type DiskSegment = Extract<DocumentSegment, { diskOffset: number }>;

/** The bytes of [offset, offset + length), given its segments in order. */
export async function readSegments(
  segs: readonly DocumentSegment[], offset: number, length: number, readDisk: (offset: number, length: number) => Promise<Uint8Array>,
): Promise<Uint8Array> {
  const out = new Uint8Array(length);
  for (let k = 0; k < segs.length; k++) {
    const seg = segs[k];
    const at = seg.start - offset;
    if (seg.bytes) {
      out.set(seg.bytes, at);
      continue;
    }
    let last = k;
    let used = seg.length;
    const lo = seg.diskOffset;
    let hi = lo + seg.length;
    while (last + 1 < segs.length) {
      const s = segs[last + 1];
      if (s.bytes) { last++; continue; }
      const newHi = Math.max(hi, s.diskOffset + s.length);
      if (s.diskOffset < lo || newHi - lo > Math.min(MAX_READ, Math.max(ENVELOPE_MIN, 2 * (used + s.length)))) break;
      used += s.length;
      hi = newHi;
      last++;
    }
    while (last > k && segs[last].bytes) last--; // trailing bytes segments are copied by the main loop
    if (last > k) {
      const group = segs.slice(k, last + 1).filter((s): s is DiskSegment => s.diskOffset !== undefined);
      const envelope = await readDisk(lo, hi - lo);
      for (const s of group) out.set(envelope.subarray(s.diskOffset - lo, s.diskOffset - lo + s.length), s.start - offset);
      for (const s of segs.slice(k, last + 1)) if (s.bytes) out.set(s.bytes, s.start - offset);
      k = last;
      continue;
    }
    for (let done = 0; done < seg.length; done += MAX_READ) {
      const n = Math.min(MAX_READ, seg.length - done);
      out.set(await readDisk(seg.diskOffset + done, n), at + done);
    }
  }
  return out;
}
