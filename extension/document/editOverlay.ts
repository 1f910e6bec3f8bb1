/**
 * Edits described as overwrite runs: bytes at a document offset. Hot-exit
 * backups and the old in-place save and Save As describe a document whose
 * size never changed this way; the model itself holds pieces (pieceTable.ts).
 */
import type { Snapshot } from './snapshot';
import { pieceLength } from './pieceTable';

export interface OverlayRun {
  offset: number;
  bytes: Uint8Array;
}

/** The bytes pieces of an overwrite-only snapshot as runs at their offsets. */
export function overwriteRuns(snap: Snapshot): OverlayRun[] {
  const runs: OverlayRun[] = [];
  let at = 0;
  for (const p of snap.pieces) {
    if (p.kind === 'disk' && p.offset !== at) {
      throw new Error('this document\'s size changed (bytes were inserted or deleted); only the new save engine can save it');
    }
    if (p.kind === 'bytes') runs.push({ offset: at, bytes: p.bytes });
    at += pieceLength(p);
  }
  if (snap.size !== snap.diskSize) throw new Error('this document\'s size changed (bytes were inserted or deleted); only the new save engine can save it');
  return runs;
}
