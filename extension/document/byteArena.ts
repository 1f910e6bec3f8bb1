/**
 * Where the model keeps the bytes of small edits. Each edit's bytes are
 * copied into the unused tail of a shared block and the piece is a view of
 * them; a block is never written where it was written before, so the views
 * stay immutable. Bytes typed one after another land next to each other in
 * the block, and the piece table merges views that continue each other, so a
 * typed word is one run, not one piece (and one allocation) per keystroke.
 *
 * Large edits (a paste) get a buffer of their own: sharing a block with them
 * would keep the whole block alive for as long as any small edit in it.
 */
const BLOCK = 16 << 10;
/** Edits up to this size go into the shared block. */
const SMALL = 1024;

export class ByteArena {
  private block = new Uint8Array(0);
  private used = 0;

  /** An immutable copy of `bytes`. */
  store(bytes: Uint8Array): Uint8Array {
    if (bytes.length > SMALL) return bytes.slice();
    if (this.used + bytes.length > this.block.length) {
      this.block = new Uint8Array(BLOCK);
      this.used = 0;
    }
    const view = this.block.subarray(this.used, this.used + bytes.length);
    view.set(bytes);
    this.used += bytes.length;
    return view;
  }

  /** The block new small edits go into (counted as retained even before any piece refers to it). */
  get currentBlock(): ArrayBufferLike {
    return this.block.buffer;
  }
}
