/**
 * Edits described as overwrite runs: bytes at a document offset. Hot-exit
 * backups and the old in-place save and Save As describe a document whose
 * size never changed this way; the model itself holds pieces (pieceTable.ts).
 */
export interface OverlayRun {
  offset: number;
  bytes: Uint8Array;
}
