/**
 * The document's segments over a range, as the pieces a hash reads: file
 * ranges the worker reads itself, and the edited bytes held in memory.
 * Copies no bytes.
 */
import type { DocumentSegment } from '../document/documentModel';
import type { Piece } from '../document/snapshot';

export function segmentsAsPieces(segments: readonly DocumentSegment[]): Piece[] {
  return segments.map((s): Piece => s.bytes
    ? { kind: 'bytes', bytes: s.bytes }
    : { kind: 'disk', offset: s.diskOffset, length: s.length });
}
