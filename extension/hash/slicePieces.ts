/**
 * The part of a document's content between two offsets, as pieces: the input
 * of a hash over a selection. Copies no bytes (memory pieces become
 * subarrays of the same buffers).
 */
import type { Piece } from '../document/snapshot';

export function pieceLength(piece: Piece): number {
  return piece.kind === 'disk' ? piece.length : piece.bytes.length;
}

/** The pieces covering [offset, offset + length) of the content `pieces` describe. */
export function slicePieces(pieces: readonly Piece[], offset: number, length: number): Piece[] {
  if (!Number.isSafeInteger(offset) || offset < 0) throw new RangeError(`offset must be a non-negative integer, got ${offset}`);
  if (!Number.isSafeInteger(length) || length < 0) throw new RangeError(`length must be a non-negative integer, got ${length}`);
  const end = offset + length;
  const out: Piece[] = [];
  let at = 0;
  for (const piece of pieces) {
    const n = pieceLength(piece);
    const from = Math.max(offset, at);
    const to = Math.min(end, at + n);
    if (from < to) {
      out.push(piece.kind === 'disk'
        ? { kind: 'disk', offset: piece.offset + (from - at), length: to - from }
        : { kind: 'bytes', bytes: piece.bytes.subarray(from - at, to - at) });
    }
    at += n;
    if (at >= end) break;
  }
  if (at < end) throw new RangeError(`range [${offset}, ${end}) is past the end of the content (${at} bytes)`);
  return out;
}

/** Total bytes the pieces describe. */
export function piecesLength(pieces: readonly Piece[]): number {
  let n = 0;
  for (const p of pieces) n += pieceLength(p);
  return n;
}
