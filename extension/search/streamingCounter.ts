/**
 * What every streaming count shares: chunks of one contiguous byte range are
 * fed in order, and the bytes a chunk ends with that may belong to a unit
 * continued by the next chunk (a cut sequence, a CR that may be half of a
 * CRLF) are carried over, so the counts equal one pass over the whole range.
 * Subclasses say how one buffer is counted; offsets of invalid units are
 * reported as file offsets, up to a cap.
 */
export abstract class StreamingCounter {
  readonly invalidOffsets: number[] = [];
  private carry = new Uint8Array(0);
  /** File offset of carry[0] (or of the next chunk when nothing is carried). */
  private carryOffset: number;

  constructor(start: number, private readonly maxInvalidOffsets: number) {
    this.carryOffset = start;
  }

  /**
   * Counts `data` (starting at file offset `base`) into the subclass's
   * counts, calling `onInvalid` with the index of each invalid unit; returns
   * how many bytes were used (the rest is carried to the next chunk).
   */
  protected abstract count(data: Uint8Array, final: boolean, base: number, onInvalid: (index: number) => void): number;

  /** `bytes` must continue exactly where the previous chunk ended. */
  feed(bytes: Uint8Array, final: boolean): void {
    let data = bytes;
    if (this.carry.length) {
      data = new Uint8Array(this.carry.length + bytes.length);
      data.set(this.carry, 0);
      data.set(bytes, this.carry.length);
    }
    const base = this.carryOffset;
    const onInvalid = (i: number) => { if (this.invalidOffsets.length < this.maxInvalidOffsets) this.invalidOffsets.push(base + i); };
    const used = this.count(data, final, base, onInvalid);
    this.carry = data.slice(used);
    this.carryOffset = base + used;
  }
}
