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
    this.chunks = [];
    for (let i = 0; i < norm.length; i += CHUNK_MAX / 2) {
      const part = norm.slice(i, i + CHUNK_MAX / 2);
      this.chunks.push({ pieces: part, size: totalLength(part) });
    }
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
    const removed = this.slice(offset, deleteLength);
    // The pieces from the one before `offset` to the one holding the range's
    // end are rebuilt as one list (left remainder, new pieces, right
    // remainder), so pieces that continue each other merge across the edges.
    const end = offset + deleteLength;
    const spanStart = offset > 0 ? this.locate(offset - 1).start : 0;
    let spanEnd = this.total;
    if (end < this.total) {
      const r = this.locate(end);
      spanEnd = r.start + pieceLength(this.chunks[r.c].pieces[r.i]);
    }
    const replacement = normalizePieces([
      ...this.slice(spanStart, offset - spanStart), ...pieces, ...this.slice(end, spanEnd - end),
    ]);
    this.replaceSpan(spanStart, spanEnd, replacement);
    return removed;
  }

  /** Replace the whole pieces covering [start, end) (both piece boundaries) with `replacement`. */
  private replaceSpan(start: number, end: number, replacement: Piece[]): void {
    if (this.chunks.length === 0) {
      this.reset(replacement);
      return;
    }
    const a = this.boundary(start);
    const b = this.boundary(end);
    const before = this.chunks[a.c].pieces.slice(0, a.i);
    const after = this.chunks[b.c].pieces.slice(b.i);
    let removedCount = 0;
    let removedSize = 0;
    for (let c = a.c; c <= b.c; c++) {
      removedCount += this.chunks[c].pieces.length;
      removedSize += this.chunks[c].size;
    }
    const merged = [...before, ...replacement, ...after];
    const newChunks: Chunk[] = [];
    const per = merged.length > CHUNK_MAX ? CHUNK_MAX / 2 : CHUNK_MAX;
    for (let i = 0; i < merged.length; i += per) {
      const part = merged.slice(i, i + per);
      newChunks.push({ pieces: part, size: totalLength(part) });
    }
    this.chunks.splice(a.c, b.c - a.c + 1, ...newChunks);
    this.count += merged.length - removedCount;
    this.total += totalLength(merged) - removedSize;
    this.rebalance(a.c);
  }

  /** Position of the piece starting at `offset` (a piece boundary), or the end position. */
  private boundary(offset: number): { c: number; i: number } {
    if (offset < this.total) {
      const at = this.locate(offset);
      if (at.start !== offset) throw new Error(`internal: ${offset} is not a piece boundary`);
      return at;
    }
    const c = this.chunks.length - 1;
    return { c, i: this.chunks[c].pieces.length };
  }

  /** Merge a small chunk at `index` with a neighbour so lookups stay short. */
  private rebalance(index: number): void {
    for (const k of [index, index - 1]) {
      const c = this.chunks[k];
      const n = this.chunks[k + 1];
      if (c && n && c.pieces.length + n.pieces.length <= CHUNK_MAX && (c.pieces.length < CHUNK_MIN || n.pieces.length < CHUNK_MIN)) {
        this.chunks.splice(k, 2, { pieces: [...c.pieces, ...n.pieces], size: c.size + n.size });
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
      for (let i = 0; i < chunk.pieces.length; i++) {
        const len = pieceLength(chunk.pieces[i]);
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
