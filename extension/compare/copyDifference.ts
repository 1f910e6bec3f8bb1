/**
 * "Copy this difference to the other side": the bytes of a changed range
 * written over the facing bytes as one edit, so one undo takes it back.
 * Hexmap edits in overwrite mode (a document never changes size), so bytes
 * only one side holds cannot be copied; that is refused with the reason.
 */
import type { Side } from './navigation';
import type { DiffRange } from './types';

/** What the copy needs from each document (HexDocumentModel has it). */
export interface EditableSide {
  readonly size: number;
  read(offset: number, length: number): Promise<Uint8Array>;
  edit(offset: number, bytes: Uint8Array, label: string): void;
}

/** Largest difference copied in one edit: the bytes are held in memory (in the undo history too). */
export const MAX_COPY_BYTES = 64 << 20;
const READ_PIECE = 16 << 20;

export class CopyRefused extends Error {}

/** Copies `range` from side `from` to the other side. Throws CopyRefused (with a message for the user) when it cannot. */
export async function copyDifference(range: DiffRange, from: Side, sides: { a: EditableSide; b: EditableSide }): Promise<void> {
  if (range.kind !== 'changed') {
    const holder = range.kind === 'inserted' ? 'the right' : 'the left';
    throw new CopyRefused(`These ${range.lengthA || range.lengthB} bytes exist only in ${holder} file; copying them would change a file's size, and Hexmap edits in overwrite mode.`);
  }
  if (range.lengthA > MAX_COPY_BYTES) {
    throw new CopyRefused(`This difference is ${range.lengthA} bytes; Hexmap copies at most ${MAX_COPY_BYTES} bytes in one edit.`);
  }
  const source = from === 'a' ? sides.a : sides.b;
  const target = from === 'a' ? sides.b : sides.a;
  const at = from === 'a' ? range.offsetA : range.offsetB;
  const to = from === 'a' ? range.offsetB : range.offsetA;
  const bytes = new Uint8Array(range.lengthA);
  for (let done = 0; done < bytes.length; done += READ_PIECE) {
    bytes.set(await source.read(at + done, Math.min(READ_PIECE, bytes.length - done)), done);
  }
  target.edit(to, bytes, `Copy Difference from ${from === 'a' ? 'Left' : 'Right'}`);
}
