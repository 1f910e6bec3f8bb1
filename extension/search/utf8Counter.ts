/**
 * Streaming wrapper around shared/utf8.ts `countUtf8` (the carrying is
 * StreamingCounter's): the counts equal one pass over the whole range, i.e.
 * what TextDecoder would produce.
 */
import { countUtf8, emptyCounts, type Utf8Counts } from '../../shared/utf8';
import { StreamingCounter } from './streamingCounter';

export class Utf8Counter extends StreamingCounter {
  readonly counts: Utf8Counts = emptyCounts();

  protected count(data: Uint8Array, final: boolean, _base: number, onInvalid: (index: number) => void): number {
    return countUtf8(data, this.counts, final, onInvalid);
  }
}
