/**
 * Streaming counts in any text encoding (shared/encodings countText): feeds
 * chunks of one contiguous byte range and carries a unit that may continue
 * (or a CR that may be half of a CRLF) over to the next chunk, so the counts
 * equal one pass over the whole range. Units align to the file's start
 * (UTF-16), so the counter is told the range's file offset.
 */
import { codecFor, countText, emptyTextCounts, type TextCodec, type TextCounts, type TextEncoding } from '../../shared/encodings';

export class TextCounter {
  readonly counts: TextCounts = emptyTextCounts();
  readonly invalidOffsets: number[] = [];
  private readonly codec: TextCodec;
  private carry = new Uint8Array(0);
  /** Offset of carry[0] (or of the next chunk when nothing is carried). */
  private carryOffset: number;

  constructor(encoding: TextEncoding, start: number, private readonly maxInvalidOffsets: number) {
    this.codec = codecFor(encoding);
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
    const used = countText(this.codec, data, this.counts, final, base, onInvalid);
    this.carry = data.slice(used);
    this.carryOffset = base + used;
  }
}
