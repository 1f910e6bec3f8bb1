/**
 * Streaming counts in any text encoding (shared/encodings countText; the
 * carrying is StreamingCounter's). Units align to the file's start
 * (UTF-16), so the counter is told the range's file offset.
 */
import { codecFor, countText, emptyTextCounts, type TextCodec, type TextCounts, type TextEncoding } from '../../shared/encodings';
import { StreamingCounter } from './streamingCounter';

export class TextCounter extends StreamingCounter {
  readonly counts: TextCounts = emptyTextCounts();
  private readonly codec: TextCodec;

  constructor(encoding: TextEncoding, start: number, maxInvalidOffsets: number) {
    super(start, maxInvalidOffsets);
    this.codec = codecFor(encoding);
  }

  protected count(data: Uint8Array, final: boolean, base: number, onInvalid: (index: number) => void): number {
    return countText(this.codec, data, this.counts, final, base, onInvalid);
  }
}
