/**
 * The document's content as a sequence of pieces: ranges of the file on disk
 * and immutable runs of bytes in memory (the `Piece` of snapshot.ts). An
 * untouched 50 GB file is one disk piece; every edit splits at most two
 * pieces and inserts its own, so memory follows the edits, never the file.
 *
 * WHY a chunked array: pieces live in chunks of at most CHUNK_MAX, each with
 * its byte length cached. Finding an offset walks the chunk lengths and then
 * one chunk, and a splice touches one or two chunks, so 100,000+ pieces stay
 * fast (a few hundred chunk lengths to add up, a few hundred pieces to move),
 * with far less code than a balanced tree.
 *
 * Normal form, kept by every splice: no empty pieces, and no two neighbours
 * that continue each other (disk ranges that are adjacent on disk, or views
 * of one buffer that are adjacent in it) — those are merged. The snapshot
 * contract relies on the first rule for disk pieces; typing relies on the
 * second, so bytes typed one by one into a shared arena read as one run.
 */
import type { Piece } from './snapshot';

export type { Piece } from './snapshot';

const CHUNK_MAX = 512;
const CHUNK_MIN = 64;

interface Chunk {
  pieces: Piece[];
  /** lens[i] = pieceLength(pieces[i]): lookups walk plain numbers. */
  lens: number[];
  size: number;
}

export function pieceLength(p: Piece): number {
  return p.kind === 'disk' ? p.length : p.bytes.length;
}

/** The part [from, to) of a piece (offsets inside it), sharing its bytes. */
export function slicePiece(p: Piece, from: number, to: number): Piece {
  if (from === 0 && to === pieceLength(p)) return p;
  return p.kind === 'disk'
    ? { kind: 'disk', offset: p.offset + from, length: to - from }
    : { kind: 'bytes', bytes: p.bytes.subarray(from, to) };
}

/** The single piece equal to `a` followed by `b`, when they continue each other. */
export function joinPieces(a: Piece, b: Piece): Piece | undefined {
  if (a.kind === 'disk' && b.kind === 'disk') {
    return a.offset + a.length === b.offset ? { kind: 'disk', offset: a.offset, length: a.length + b.length } : undefined;
  }
  if (a.kind === 'bytes' && b.kind === 'bytes' && a.bytes.buffer === b.bytes.buffer && a.bytes.byteOffset + a.bytes.length === b.bytes.byteOffset) {
    return { kind: 'bytes', bytes: new Uint8Array(a.bytes.buffer, a.bytes.byteOffset, a.bytes.length + b.bytes.length) };
  }
  return undefined;
}

/** `pieces` without empty pieces and with continuing neighbours merged. */
export function normalizePieces(pieces: readonly Piece[]): Piece[] {
  const out: Piece[] = [];
  for (const p of pieces) {
    if (pieceLength(p) === 0) continue;
    const last = out[out.length - 1];
    const joined = last && joinPieces(last, p);
    if (joined) out[out.length - 1] = joined;
    else out.push(p);
  }
  return out;
}

export function totalLength(pieces: readonly Piece[]): number {
  let n = 0;
  for (const p of pieces) n += pieceLength(p);
  return n;
}

/** Pieces in chunks half full, so the next splices have room. */
function toChunks(pieces: readonly Piece[]): Chunk[] {
  const out: Chunk[] = [];
  for (let i = 0; i < pieces.length; i += CHUNK_MAX / 2) {
    const part = pieces.slice(i, i + CHUNK_MAX / 2);
    out.push({ pieces: part, lens: part.map(pieceLength), size: totalLength(part) });
  }
  return out;
}

/** A piece placed in the document: it covers [start, start + length). */
export interface PlacedPiece {
  piece: Piece;
  start: number;
}

export class PieceTable {
  private chunks: Chunk[] = [];
  private total = 0;
  private count = 0;

  constructor(pieces: readonly Piece[] = []) {
    this.reset(pieces);
  }

  get size(): number {
    return this.total;
  }

  get pieceCount(): number {
    return this.count;
  }

  /** Replace the whole content. */
  reset(pieces: readonly Piece[]): void {
    const norm = normalizePieces(pieces);
    this.chunks = toChunks(norm);
    this.total = totalLength(norm);
    this.count = norm.length;
  }

  /** Every piece, in order (a new array; the pieces themselves are immutable). */
  all(): Piece[] {
    const out: Piece[] = [];
    for (const c of this.chunks) for (const p of c.pieces) out.push(p);
    return out;
  }

  /** Pieces intersecting [offset, offset + length), unclipped, with their start offsets. */
  placed(offset: number, length: number): PlacedPiece[] {
    const out: PlacedPiece[] = [];
    const end = offset + length;
    if (!(length > 0) || offset >= this.total) return out;
    let { c, i, start } = this.locate(offset);
    while (c < this.chunks.length && start < end) {
      const p = this.chunks[c].pieces[i];
      out.push({ piece: p, start });
      start += pieceLength(p);
      if (++i >= this.chunks[c].pieces.length) { c++; i = 0; }
    }
    return out;
  }

  /** The content of [offset, offset + length) as pieces (clipped; bytes shared). */
  slice(offset: number, length: number): Piece[] {
    const end = offset + length;
    return this.placed(offset, length).map(({ piece, start }) =>
      slicePiece(piece, Math.max(0, offset - start), Math.min(pieceLength(piece), end - start)));
  }

  /**
   * Replace [offset, offset + deleteLength) with `pieces`; returns what was
   * there (clipped pieces, sharing bytes). Keeps the normal form.
   */
  splice(offset: number, deleteLength: number, pieces: readonly Piece[]): Piece[] {
    if (!Number.isSafeInteger(offset) || !Number.isSafeInteger(deleteLength) || offset < 0 || deleteLength < 0 || offset + deleteLength > this.total) {
      throw new RangeError(`splice [${offset}, +${deleteLength}) outside the document (${this.total} bytes)`);
    }
    const end = offset + deleteLength;
    if (this.total === 0) {
      this.reset(pieces);
      return [];
    }
    // The pieces from the one before `offset` (so a new piece can merge with
    // it) to the one holding `end` (its remainder, and a merge on that side)
    // are rebuilt as one list: left remainder, new pieces, right remainder.
    const first = this.locate(offset > 0 ? offset - 1 : 0);
    const span: Piece[] = [];
    let c = first.c;
    let i = first.i;
    let start = first.start;
    const spanStart = start;
    while (c < this.chunks.length) {
      const p = this.chunks[c].pieces[i];
      span.push(p);
      start += pieceLength(p);
      if (++i >= this.chunks[c].pieces.length) { c++; i = 0; }
      if (start > end) break;
    }
    const removed: Piece[] = [];
    const rebuilt: Piece[] = [];
    let at = spanStart;
    let inserted = false;
    for (const p of span) {
      const len = pieceLength(p);
      const from = Math.max(0, offset - at);
      const to = Math.min(len, end - at);
      if (from > 0) rebuilt.push(slicePiece(p, 0, Math.min(from, len)));
      if (!inserted && at + len >= offset) {
        for (const q of pieces) rebuilt.push(q);
        inserted = true;
      }
      if (to > from) removed.push(slicePiece(p, from, to));
      if (to < len && at + len > end) rebuilt.push(slicePiece(p, Math.max(to, from), len));
      at += len;
    }
    if (!inserted) for (const q of pieces) rebuilt.push(q);
    this.replaceRun(first.c, first.i, span.length, normalizePieces(rebuilt));
    return removed;
  }

  /**
   * Many splices at once, in one pass over the pieces: `edits` in ascending
   * order, offsets in the current content, ranges apart. Returns, per edit,
   * what it removed. Same result as splicing them one by one from the last.
   */
  spliceMany(edits: readonly { offset: number; deleteLength: number; pieces: readonly Piece[] }[]): Piece[][] {
    const old = this.all();
    const out: Piece[] = [];
    const removedAll: Piece[][] = [];
    let k = 0; // index into old
    let at = 0; // start of old[k]
    let cut = 0; // bytes of old[k] already consumed
    let prevEnd = 0;
    for (const e of edits) {
      const end = e.offset + e.deleteLength;
      if (e.offset < prevEnd || end > this.total) throw new RangeError(`spliceMany: edit [${e.offset}, +${e.deleteLength}) overlaps or leaves the document`);
      prevEnd = end;
      // Copy what lies before the edit.
      while (k < old.length && at + pieceLength(old[k]) <= e.offset) {
        out.push(cut ? slicePiece(old[k], cut, pieceLength(old[k])) : old[k]);
        at += pieceLength(old[k]);
        k++;
        cut = 0;
      }
      if (k < old.length && e.offset > at + cut) {
        out.push(slicePiece(old[k], cut, e.offset - at));
        cut = e.offset - at;
      }
      for (const p of e.pieces) out.push(p);
      // Collect what the edit removes.
      const removed: Piece[] = [];
      while (k < old.length && at + cut < end) {
        const len = pieceLength(old[k]);
        const to = Math.min(len, end - at);
        removed.push(slicePiece(old[k], cut, to));
        if (to < len) { cut = to; break; }
        at += len;
        k++;
        cut = 0;
      }
      removedAll.push(removed);
    }
    for (; k < old.length; k++, cut = 0) out.push(cut ? slicePiece(old[k], cut, pieceLength(old[k])) : old[k]);
    this.reset(out);
    return removedAll;
  }

  /** Replace `count` pieces starting at chunk c, index i, with `replacement`. */
  private replaceRun(c: number, i: number, count: number, replacement: Piece[]): void {
    const chunk = this.chunks[c];
    if (i + count <= chunk.pieces.length) {
      const gone = chunk.pieces.splice(i, count, ...replacement);
      chunk.lens.splice(i, count, ...replacement.map(pieceLength));
      const delta = totalLength(replacement) - totalLength(gone);
      chunk.size += delta;
      this.total += delta;
      this.count += replacement.length - count;
      this.settle(c);
      return;
    }
    // The run crosses chunks: join the chunks it touches, splice, re-chunk.
    let last = c;
    let left = count - (chunk.pieces.length - i);
    while (left > 0) {
      last++;
      left -= this.chunks[last].pieces.length;
    }
    const joined: Piece[] = [];
    let oldSize = 0;
    for (let k = c; k <= last; k++) {
      for (const p of this.chunks[k].pieces) joined.push(p);
      oldSize += this.chunks[k].size;
    }
    joined.splice(i, count, ...replacement);
    const newChunks = toChunks(joined);
    this.chunks.splice(c, last - c + 1, ...newChunks);
    this.total += totalLength(joined) - oldSize;
    this.count += replacement.length - count;
    this.settle(c);
  }

  /** Keep chunk c within bounds: split it when too big, drop it when empty, merge it when small. */
  private settle(c: number): void {
    const chunk = this.chunks[c];
    if (!chunk) return;
    if (chunk.pieces.length === 0) {
      this.chunks.splice(c, 1);
      return;
    }
    if (chunk.pieces.length > CHUNK_MAX) {
      this.chunks.splice(c, 1, ...toChunks(chunk.pieces));
      return;
    }
    this.rebalance(c);
  }

  /** Merge a small chunk at `index` with a neighbour so lookups stay short. */
  private rebalance(index: number): void {
    for (const k of [index, index - 1]) {
      const c = this.chunks[k];
      const n = this.chunks[k + 1];
      if (c && n && c.pieces.length + n.pieces.length <= CHUNK_MAX && (c.pieces.length < CHUNK_MIN || n.pieces.length < CHUNK_MIN)) {
        this.chunks.splice(k, 2, { pieces: [...c.pieces, ...n.pieces], lens: [...c.lens, ...n.lens], size: c.size + n.size });
      }
    }
  }

  /** The piece containing `offset` (0 <= offset < size): chunk, index and the piece's start. */
  private locate(offset: number): { c: number; i: number; start: number } {
    let start = 0;
    for (let c = 0; c < this.chunks.length; c++) {
      const chunk = this.chunks[c];
      if (offset >= start + chunk.size) {
        start += chunk.size;
        continue;
      }
      const lens = chunk.lens;
      for (let i = 0; i < lens.length; i++) {
        const len = lens[i];
        if (offset < start + len) return { c, i, start };
        start += len;
      }
    }
    throw new RangeError(`offset ${offset} outside the document (${this.total} bytes)`);
  }

  /** Apply `fn` to every piece (live state rebasing after a save); keeps the normal form. */
  mapPieces(fn: (piece: Piece, start: number) => Piece[]): void {
    const out: Piece[] = [];
    let start = 0;
    for (const c of this.chunks) {
      for (const p of c.pieces) {
        const len = pieceLength(p);
        for (const q of fn(p, start)) out.push(q);
        start += len;
      }
    }
    if (totalLength(out) !== this.total) throw new Error('mapPieces must keep every piece\'s length');
    this.reset(out);
  }
}
