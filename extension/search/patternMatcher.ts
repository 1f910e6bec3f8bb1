/**
 * The JavaScript byte matcher used where the native scan cannot look: the
 * short stretches around unsaved edits. It implements exactly the matching
 * rules of ByteSource.find (wildcard mask, ASCII-only case folding), and the
 * tests hold the two side by side.
 */

export interface PatternSpec {
  pattern: Uint8Array;
  /**
   * Per byte, the bits that must match: 0xFF exact, 0x00 a wildcard (`??`),
   * 0xF0 / 0x0F a nibble wildcard. Same rule as ByteSource.find.
   */
  mask?: Uint8Array;
  ignoreCase: boolean;
}

const isAsciiLetter = (b: number): boolean => (b >= 0x41 && b <= 0x5a) || (b >= 0x61 && b <= 0x7a);

/**
 * A compiled pattern: per position, the byte is OR-ed with `fold` (0x20 folds
 * ASCII case; only where the pattern byte is a letter compared in full, so '@'
 * never matches '`'), AND-ed with `keep` and compared with `want`.
 */
export class PatternMatcher {
  readonly length: number;
  private readonly want: Uint8Array;
  private readonly fold: Uint8Array;
  private readonly keep: Uint8Array;
  private readonly checked: number[];

  constructor(spec: PatternSpec) {
    const { pattern, mask, ignoreCase } = spec;
    this.length = pattern.length;
    this.want = new Uint8Array(pattern.length);
    this.fold = new Uint8Array(pattern.length);
    this.keep = new Uint8Array(pattern.length);
    this.checked = [];
    for (let i = 0; i < pattern.length; i++) {
      const keep = mask ? mask[i] : 0xff;
      if (keep === 0) continue;
      const letter = ignoreCase && keep === 0xff && isAsciiLetter(pattern[i]);
      this.fold[i] = letter ? 0x20 : 0;
      this.keep[i] = keep;
      this.want[i] = letter ? pattern[i] | 0x20 : pattern[i] & keep;
      this.checked.push(i);
    }
  }

  /** True when the pattern matches `bytes` at index `at` (caller ensures room). */
  matchesAt(bytes: Uint8Array, at: number): boolean {
    const { want, fold, keep, checked } = this;
    for (let k = 0; k < checked.length; k++) {
      const i = checked[k];
      if (((bytes[at + i] | fold[i]) & keep[i]) !== want[i]) return false;
    }
    return true;
  }

  /**
   * Every match whose start index lies in [from, to) and whose bytes fit in
   * `bytes`, ascending, overlapping matches included. `base` is added to the
   * reported positions (the file offset of bytes[0]).
   */
  scan(bytes: Uint8Array, from: number, to: number, base: number, out: number[] = []): number[] {
    const last = Math.min(to, bytes.length - this.length + 1);
    for (let i = Math.max(0, from); i < last; i++) {
      if (this.matchesAt(bytes, i)) out.push(base + i);
    }
    return out;
  }
}
