/**
 * Streaming wrapper around shared/utf8.ts `countUtf8`: feeds chunks of one
 * contiguous byte range and carries a cut sequence (or a trailing CR that
 * may be half of a CRLF) over to the next chunk, so the counts equal one
 * pass over the whole range, i.e. what TextDecoder would produce.
 */
import { countUtf8, emptyCounts, type Utf8Counts } from '../../shared/utf8';

export class Utf8Counter {
  readonly counts: Utf8Counts = emptyCounts();
  readonly invalidOffsets: number[] = [];
  private carry = new Uint8Array(0);
  /** File offset of carry[0] (or of the next chunk when nothing is carried). */
  private carryOffset = 0;

  constructor(start: number, private readonly maxInvalidOffsets: number) {
    this.carryOffset = start;
  }

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
    const used = countUtf8(data, this.counts, final, onInvalid);
    this.carry = data.slice(used);
    this.carryOffset = base + used;
  }
}
