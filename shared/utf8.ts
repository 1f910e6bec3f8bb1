/**
 * The one UTF-8 decoder of Hexmap. Every place that classifies bytes (the
 * webview's panes, the inspector, the fallback backend's statistics, the
 * tests) goes through `decodeUnit`, so they cannot disagree.
 *
 * Invalid input follows the Unicode "maximal subpart" practice that WHATWG's
 * TextDecoder implements: a lead byte plus the continuation bytes that were
 * still acceptable form one unit that decodes to a single U+FFFD, and the
 * byte that broke the sequence starts the next unit. A byte that can never
 * start a sequence (80..BF, C0, C1, F5..FF) is a unit of its own.
 */

/** Why a unit is not a valid character (`valid` when it is). */
export type Utf8Status =
  | 'valid'
  /** 80..BF where a character should start. */
  | 'unexpected-continuation'
  /** C0/C1, or E0 80..9F / F0 80..8F: a longer form than the code point needs. */
  | 'overlong'
  /** ED A0..BF: would encode U+D800..U+DFFF. */
  | 'surrogate'
  /** F4 90..BF or F5..FF: above U+10FFFF (or never a lead byte at all). */
  | 'too-large'
  /** A valid prefix cut short by a non-continuation byte or by the end of data. */
  | 'truncated';

/** The result of `decodeUnit`, reused between calls so hot loops allocate nothing. */
export interface Utf8Unit {
  /** Bytes in this unit: 1..4. */
  length: number;
  /** The code point, or 0xFFFD when `status` is not `valid`. */
  codePoint: number;
  status: Utf8Status;
}

export const REPLACEMENT_CHARACTER = 0xfffd;

export function newUnit(): Utf8Unit {
  return { length: 1, codePoint: 0, status: 'valid' };
}

/** True for 80..BF. */
export function isContinuation(byte: number): boolean {
  return (byte & 0xc0) === 0x80;
}

/** Byte length a lead byte announces, or 0 when it cannot start a character. */
export function sequenceLength(lead: number): number {
  if (lead < 0x80) return 1;
  if (lead >= 0xc2 && lead <= 0xdf) return 2;
  if (lead >= 0xe0 && lead <= 0xef) return 3;
  if (lead >= 0xf0 && lead <= 0xf4) return 4;
  return 0;
}

/** Allowed range of the byte right after `lead` (Unicode Table 3-7). */
function secondByteRange(lead: number): [number, number] {
  switch (lead) {
    case 0xe0: return [0xa0, 0xbf];
    case 0xed: return [0x80, 0x9f];
    case 0xf0: return [0x90, 0xbf];
    case 0xf4: return [0x80, 0x8f];
    default: return [0x80, 0xbf];
  }
}

function statusOfBadSecondByte(lead: number, second: number): Utf8Status {
  if (!isContinuation(second)) return 'truncated';
  if (lead === 0xe0 || lead === 0xf0) return 'overlong';
  if (lead === 0xed) return 'surrogate';
  return 'too-large'; // lead === 0xf4
}

/**
 * Decodes the unit starting at `bytes[i]`, looking no further than `end`
 * (exclusive). `end` short of the real data end makes a cut sequence look
 * `truncated`; pass the true end (or enough lookahead) where that matters.
 */
export function decodeUnit(bytes: Uint8Array, i: number, end: number, out: Utf8Unit = newUnit()): Utf8Unit {
  const lead = bytes[i];
  if (lead < 0x80) return set(out, 1, lead, 'valid');
  const need = sequenceLength(lead);
  if (need === 0) {
    const status: Utf8Status = isContinuation(lead) ? 'unexpected-continuation'
      : lead <= 0xc1 ? 'overlong' : 'too-large';
    return set(out, 1, REPLACEMENT_CHARACTER, status);
  }
  let codePoint = lead & (need === 2 ? 0x1f : need === 3 ? 0x0f : 0x07);
  const [low, high] = secondByteRange(lead);
  for (let k = 1; k < need; k++) {
    if (i + k >= end) return set(out, k, REPLACEMENT_CHARACTER, 'truncated');
    const b = bytes[i + k];
    const ok = k === 1 ? b >= low && b <= high : isContinuation(b);
    if (!ok) {
      const status = k === 1 ? statusOfBadSecondByte(lead, b) : 'truncated';
      return set(out, k, REPLACEMENT_CHARACTER, status);
    }
    codePoint = (codePoint << 6) | (b & 0x3f);
  }
  return set(out, need, codePoint, 'valid');
}

function set(out: Utf8Unit, length: number, codePoint: number, status: Utf8Status): Utf8Unit {
  out.length = length;
  out.codePoint = codePoint;
  out.status = status;
  return out;
}

/**
 * Where decoding must begin so that the unit covering `bytes[at]` is found.
 * Every byte that is not 80..BF starts a unit in a decode from the file's
 * start (a sequence only ever swallows continuation bytes), so the nearest
 * such byte in the 3 before `at` is a true boundary; if there is none, `at`
 * itself is one. `floor` is the first index that holds real data.
 */
export function syncPoint(bytes: Uint8Array, at: number, floor = 0): number {
  for (let p = at; p >= Math.max(floor, at - 3); p--) {
    if (!isContinuation(bytes[p])) return p;
  }
  return at;
}

/** One decoded unit placed in a byte range: what the panes draw. */
export interface PlacedUnit {
  /** Index of the unit's first byte within the array given to `decodeSpan`. */
  start: number;
  length: number;
  codePoint: number;
  status: Utf8Status;
}

/**
 * Decodes every unit that overlaps `bytes[from..to)`. `bytes` may carry up to
 * 3 bytes of context on each side (`dataStart`..`dataEnd` bound the real
 * data), so units cut by the window's edges come out whole.
 */
export function decodeSpan(bytes: Uint8Array, from: number, to: number, dataStart = 0, dataEnd = bytes.length): PlacedUnit[] {
  const units: PlacedUnit[] = [];
  const unit = newUnit();
  let i = from > dataStart ? syncPoint(bytes, from, dataStart) : from;
  while (i < to) {
    decodeUnit(bytes, i, dataEnd, unit);
    if (i + unit.length > from) {
      units.push({ start: i, length: unit.length, codePoint: unit.codePoint, status: unit.status });
    }
    i += unit.length;
  }
  return units;
}

/** Counts of one pass over bytes; the same fields the native scan reports. */
export interface Utf8Counts {
  bytes: number;
  /** Characters as TextDecoder would produce them: one per unit, U+FFFD included. */
  chars: number;
  ascii: number;
  twoByte: number;
  threeByte: number;
  fourByte: number;
  /** Invalid units (each became one U+FFFD, one per maximal subpart). */
  invalid: number;
  nul: number;
  /** Lone LF, CRLF pairs, and CR not followed by LF. */
  lf: number;
  crlf: number;
  cr: number;
}

export function emptyCounts(): Utf8Counts {
  return { bytes: 0, chars: 0, ascii: 0, twoByte: 0, threeByte: 0, fourByte: 0, invalid: 0, nul: 0, lf: 0, crlf: 0, cr: 0 };
}

/**
 * Counts characters in `bytes[0..end)`. A sequence cut by `end` is counted as
 * invalid only when `final`; otherwise counting stops before it and the
 * returned number says where the caller should resume with more data.
 * `onInvalid(offset)` receives every invalid unit's index.
 */
export function countUtf8(bytes: Uint8Array, counts: Utf8Counts, final: boolean, onInvalid?: (index: number) => void, end = bytes.length): number {
  const unit = newUnit();
  let i = 0;
  while (i < end) {
    const b = bytes[i];
    if (b < 0x80) {
      if (b === 0x0a) counts.lf++;
      else if (b === 0x00) counts.nul++;
      else if (b === 0x0d) {
        if (i + 1 < end) { if (bytes[i + 1] === 0x0a) { counts.crlf++; counts.lf--; } else counts.cr++; }
        else if (final) counts.cr++;
        else break; // decide CR vs CRLF with the next chunk (nothing counted for this byte yet)
      }
      counts.ascii++;
      counts.chars++;
      i++;
      continue;
    }
    decodeUnit(bytes, i, end, unit);
    if (!final && unit.status === 'truncated' && i + unit.length >= end) break;
    counts.chars++;
    if (unit.status !== 'valid') { counts.invalid++; onInvalid?.(i); }
    else if (unit.length === 2) counts.twoByte++;
    else if (unit.length === 3) counts.threeByte++;
    else counts.fourByte++;
    i += unit.length;
  }
  counts.bytes += i;
  return i;
}

/** True when the code point is drawn as a dim symbol instead of a glyph. */
export function isNonPrintable(codePoint: number): boolean {
  return codePoint < 0x20 || (codePoint >= 0x7f && codePoint < 0xa0)
    || codePoint === 0x2028 || codePoint === 0x2029
    || (codePoint >= 0x200b && codePoint <= 0x200f) || codePoint === 0xfeff
    || (codePoint >= 0xe000 && codePoint <= 0xf8ff) // private use
    || (codePoint & 0xfffe) === 0xfffe; // noncharacters U+xxFFFE/F
}

/** The UTF-8 encoding of a code point (no validation beyond range). */
export function encodeCodePoint(codePoint: number): Uint8Array {
  if (codePoint < 0x80) return Uint8Array.of(codePoint);
  if (codePoint < 0x800) return Uint8Array.of(0xc0 | (codePoint >> 6), 0x80 | (codePoint & 0x3f));
  if (codePoint < 0x10000) {
    return Uint8Array.of(0xe0 | (codePoint >> 12), 0x80 | ((codePoint >> 6) & 0x3f), 0x80 | (codePoint & 0x3f));
  }
  return Uint8Array.of(0xf0 | (codePoint >> 18), 0x80 | ((codePoint >> 12) & 0x3f), 0x80 | ((codePoint >> 6) & 0x3f), 0x80 | (codePoint & 0x3f));
}
