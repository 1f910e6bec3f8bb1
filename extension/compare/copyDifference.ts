/**
 * "Copy this difference to the other side": the other side's bytes of the
 * range are replaced by this side's, as ONE edit, so one undo takes it back.
 * A changed range overwrites the facing bytes; bytes only this side holds
 * are inserted into the other side; bytes only the other side holds are
 * deleted from it. Either way the two agree there afterwards.
 */
import type { Side } from './navigation';
import type { DiffRange } from './types';

/** What the copy needs from each document (HexDocumentModel has it). */
export interface EditableSide {
  readonly size: number;
  read(offset: number, length: number): Promise<Uint8Array>;
  edit(offset: number, bytes: Uint8Array, label: string): void;
  /** [offset, offset + deleteLength) becomes `bytes`, as one undoable step. */
  replace(offset: number, deleteLength: number, bytes: Uint8Array, label: string): void;
}

/** Largest difference copied in one edit: the bytes are held in memory (in the undo history too). */
export const MAX_COPY_BYTES = 64 << 20;
const READ_PIECE = 16 << 20;

export class CopyRefused extends Error {}

/** Copies `range` from side `from` to the other side. Throws CopyRefused (with a message for the user) when it cannot. */
export async function copyDifference(range: DiffRange, from: Side, sides: { a: EditableSide; b: EditableSide }): Promise<void> {
  const source = from === 'a' ? sides.a : sides.b;
  const target = from === 'a' ? sides.b : sides.a;
  const at = from === 'a' ? range.offsetA : range.offsetB;
  const length = from === 'a' ? range.lengthA : range.lengthB;
  const to = from === 'a' ? range.offsetB : range.offsetA;
  const replaced = from === 'a' ? range.lengthB : range.lengthA;
  if (length > MAX_COPY_BYTES) {
    throw new CopyRefused(`This difference is ${length} bytes; Hexmap copies at most ${MAX_COPY_BYTES} bytes in one edit.`);
  }
  const bytes = new Uint8Array(length);
  for (let done = 0; done < bytes.length; done += READ_PIECE) {
    bytes.set(await source.read(at + done, Math.min(READ_PIECE, bytes.length - done)), done);
  }
  const label = `Copy Difference from ${from === 'a' ? 'Left' : 'Right'}`;
  // Same length: an overwrite, which keeps every other byte where it is.
  if (replaced === length) target.edit(to, bytes, label);
  else target.replace(to, replaced, bytes, label);
}
