/**
 * Pieces share immutable buffers, so a small view can keep a large buffer
 * alive after the rest of it died (an 8 MiB paste, mostly deleted, whose
 * history was then dropped). When history is dropped, large buffers that
 * the remaining pieces use less than half of are replaced: each view still
 * in use is copied out (once, however many pieces share it) and the buffer
 * is freed.
 */
import type { Piece } from './snapshot';
import { measure, unionOf, type Interval } from './intervals';

/** Buffers at least this large are checked. */
const MIN_BUFFER = 64 << 10;

export function holdsLargeBuffer(lists: readonly (readonly Piece[])[]): boolean {
  return lists.some((ps) => ps.some((p) => p.kind === 'bytes' && p.bytes.buffer.byteLength >= MIN_BUFFER));
}

/** A mapping that copies views of mostly dead buffers out; undefined when there are none. */
export function compactionOf(lists: readonly (readonly Piece[])[]): ((p: Piece) => Piece) | undefined {
  const used = new Map<ArrayBufferLike, Interval[]>();
  for (const ps of lists) {
    for (const p of ps) {
      if (p.kind !== 'bytes' || p.bytes.buffer.byteLength < MIN_BUFFER) continue;
      let list = used.get(p.bytes.buffer);
      if (!list) used.set(p.bytes.buffer, (list = []));
      list.push({ start: p.bytes.byteOffset, end: p.bytes.byteOffset + p.bytes.length });
    }
  }
  const sparse = new Map<ArrayBufferLike, Map<string, Uint8Array>>();
  for (const [buffer, list] of used) if (measure(unionOf(list)) * 2 < buffer.byteLength) sparse.set(buffer, new Map());
  if (sparse.size === 0) return undefined;
  return (p) => {
    const copies = p.kind === 'bytes' ? sparse.get(p.bytes.buffer) : undefined;
    if (!copies || p.kind !== 'bytes') return p;
    const key = `${p.bytes.byteOffset}:${p.bytes.length}`;
    let c = copies.get(key);
    if (!c) copies.set(key, (c = p.bytes.slice()));
    return { kind: 'bytes', bytes: c };
  };
}
