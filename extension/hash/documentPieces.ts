/**
 * The document's current content as pieces: disk ranges where the bytes are
 * unedited, and the unsaved runs of the edit overlay in between. Copies no
 * bytes.
 *
 * This is the one place that knows how the model holds its edits. A model
 * that offers `snapshot()` (see ../document/snapshot.ts) describes itself;
 * until then the overlay of HexDocumentModel is laid over the disk here.
 */
import type { DocumentModel } from '../document/documentModel';
import type { Piece } from '../document/snapshot';

export function documentPieces(model: DocumentModel): Piece[] {
  const snapshot = (model as { snapshot?: () => { pieces: readonly Piece[] } }).snapshot;
  if (typeof snapshot === 'function') return [...snapshot.call(model).pieces];
  const size = model.size;
  const overlay = (model as { overlay?: { runs?: (offset: number, length: number) => { offset: number; bytes: Uint8Array }[] } }).overlay;
  // Hashing the disk alone would silently leave out unsaved edits: refuse instead.
  if (typeof overlay?.runs !== 'function') throw new Error('this document model offers neither snapshot() nor an edit overlay');
  const runs = overlay.runs(0, size);
  const pieces: Piece[] = [];
  let at = 0;
  for (const run of runs) {
    if (run.offset > at) pieces.push({ kind: 'disk', offset: at, length: run.offset - at });
    pieces.push({ kind: 'bytes', bytes: run.bytes });
    at = run.offset + run.bytes.length;
  }
  if (size > at) pieces.push({ kind: 'disk', offset: at, length: size - at });
  return pieces;
}
