/**
 * The text encodings by name, and what is done the same way for all of
 * them: decoding the units that overlap a span (what the text pane draws),
 * counting characters and line breaks (what the status bar, the inspector
 * and the report say), and recognising a byte order mark.
 */
import { countUtf8, emptyCounts as emptyUtf8Counts } from '../utf8';
import { ascii, iso88591, windows1252 } from './singleByte';
import type { TextCodec, TextEncoding, UnitStatus } from './types';
import { newTextUnit } from './types';
import { utf16be, utf16le } from './utf16';
import { utf8Codec } from './utf8Codec';

export * from './types';

const CODECS: Record<TextEncoding, TextCodec> = {
  'utf-8': utf8Codec, 'utf-16le': utf16le, 'utf-16be': utf16be, 'windows-1252': windows1252, 'iso-8859-1': iso88591, ascii,
};

export function codecFor(encoding: TextEncoding): TextCodec {
  return CODECS[encoding];
}

/** One decoded unit placed in a byte range: what the panes draw. */
export interface PlacedTextUnit {
  /** Index of the unit's first byte within the array given to `decodeTextSpan`. */
  start: number;
  length: number;
  codePoint: number;
  status: UnitStatus;
}

/**
 * Decodes every unit that overlaps `bytes[from..to)`. `bytes` holds file
 * offsets [base, base + bytes.length) and may carry up to 3 bytes of context
 * on each side (`dataStart`..`dataEnd` bound the real data), so units cut by
 * the window's edges come out whole.
 */
export function decodeTextSpan(codec: TextCodec, bytes: Uint8Array, from: number, to: number, base: number,
  dataStart = 0, dataEnd = bytes.length): PlacedTextUnit[] {
  const units: PlacedTextUnit[] = [];
  const unit = newTextUnit();
  let i = from > dataStart ? codec.syncPoint(bytes, from, dataStart, base, dataEnd) : from;
  while (i < to) {
    codec.decodeUnit(bytes, i, dataEnd, base + i, unit);
    if (i + unit.length > from) units.push({ start: i, length: unit.length, codePoint: unit.codePoint, status: unit.status });
    i += unit.length;
  }
  return units;
}

/** The text of `bytes` (file offset `base`) as TextDecoder would give it: one string, U+FFFD for invalid units. */
export function decodeText(codec: TextCodec, bytes: Uint8Array, base = 0): string {
  const parts: string[] = [];
  const unit = newTextUnit();
  for (let i = 0; i < bytes.length; i += unit.length) parts.push(String.fromCodePoint(codec.decodeUnit(bytes, i, bytes.length, base + i, unit).codePoint));
  return parts.join('');
}

/** Counts of one pass over bytes in one encoding. */
export interface TextCounts {
  bytes: number;
  /** Characters as TextDecoder produces them (code points; one U+FFFD per invalid unit). */
  chars: number;
  invalid: number;
  /** Valid characters above U+007F. */
  nonAscii: number;
  /** Valid characters above U+FFFF (a UTF-16 surrogate pair, a 4-byte UTF-8 sequence). */
  supplementary: number;
  nul: number;
  lf: number;
  crlf: number;
  /** CR not followed by LF. */
  cr: number;
}

export function emptyTextCounts(): TextCounts {
  return { bytes: 0, chars: 0, invalid: 0, nonAscii: 0, supplementary: 0, nul: 0, lf: 0, crlf: 0, cr: 0 };
}

/** Longest unit of any encoding plus the unit after a CR: what must be seen before a unit is counted. */
const LOOKAHEAD = 4;

/**
 * Counts the characters of `bytes[0..end)`, whose first byte is at file
 * offset `base` (UTF-16 aligns to the file's start). A unit that may
 * continue past `end` is counted only when `final`; otherwise counting stops
 * before it and the returned index says where to resume with more data.
 * `onInvalid(index)` receives every invalid unit's index.
 */
export function countText(codec: TextCodec, bytes: Uint8Array, counts: TextCounts, final: boolean, base: number,
  onInvalid?: (index: number) => void, end = bytes.length): number {
  if (codec.id === 'utf-8') return countUtf8Into(bytes, counts, final, onInvalid, end);
  const unit = newTextUnit();
  const next = newTextUnit();
  let i = 0;
  while (i < end) {
    if (!final && end - i < LOOKAHEAD) break;
    codec.decodeUnit(bytes, i, end, base + i, unit);
    counts.chars++;
    if (unit.status !== 'valid') {
      counts.invalid++;
      onInvalid?.(i);
    } else {
      const cp = unit.codePoint;
      if (cp > 0x7f) counts.nonAscii++;
      if (cp > 0xffff) counts.supplementary++;
      if (cp === 0x0a) counts.lf++;
      else if (cp === 0) counts.nul++;
      else if (cp === 0x0d) {
        const after = i + unit.length;
        if (after < end && codec.decodeUnit(bytes, after, end, base + after, next).status === 'valid' && next.codePoint === 0x0a) {
          counts.crlf++;
          counts.chars++;
          i = after + next.length;
          continue;
        }
        counts.cr++;
      }
    }
    i += unit.length;
  }
  counts.bytes += i;
  return i;
}

/** UTF-8 goes through countUtf8, the one UTF-8 count (the native scan's twin). */
function countUtf8Into(bytes: Uint8Array, counts: TextCounts, final: boolean, onInvalid: ((index: number) => void) | undefined, end: number): number {
  const c = emptyUtf8Counts();
  const used = countUtf8(bytes, c, final, onInvalid, end);
  counts.bytes += c.bytes;
  counts.chars += c.chars;
  counts.invalid += c.invalid;
  counts.nonAscii += c.twoByte + c.threeByte + c.fourByte;
  counts.supplementary += c.fourByte;
  counts.nul += c.nul;
  counts.lf += c.lf;
  counts.crlf += c.crlf;
  counts.cr += c.cr;
  return used;
}

const COUNT_KEYS = Object.keys(emptyTextCounts()) as (keyof TextCounts)[];

/** Adds the counts of `c` to `total` (other fields of either are left alone). */
export function addTextCounts(total: TextCounts, c: TextCounts): void {
  for (const key of COUNT_KEYS) total[key] += c[key];
}

/** The encoding a byte order mark at the file's start announces, and the mark's length. */
export function encodingOfBom(first: Uint8Array): { encoding: TextEncoding; length: number } | undefined {
  if (first.length >= 3 && first[0] === 0xef && first[1] === 0xbb && first[2] === 0xbf) return { encoding: 'utf-8', length: 3 };
  if (first.length >= 2 && first[0] === 0xff && first[1] === 0xfe) return { encoding: 'utf-16le', length: 2 };
  if (first.length >= 2 && first[0] === 0xfe && first[1] === 0xff) return { encoding: 'utf-16be', length: 2 };
  return undefined;
}

/** For the inspector and messages: why a unit is invalid, in words. */
export const PROBLEMS: Record<Exclude<UnitStatus, 'valid'>, string> = {
  'unexpected-continuation': 'a continuation byte (80..BF) where a character should start',
  overlong: 'an overlong encoding (a longer form than the code point needs)',
  surrogate: 'encodes a UTF-16 surrogate (U+D800..U+DFFF), which UTF-8 may not carry',
  'too-large': 'above U+10FFFF, or a byte that can never start a sequence',
  truncated: 'a sequence cut short (by another byte or by the end of the data)',
  'unpaired-surrogate': 'a UTF-16 surrogate without its partner',
  misaligned: 'half of a UTF-16 unit (units start at even offsets from the file\'s start)',
  undefined: 'a byte windows-1252 leaves undefined (TextDecoder maps it to a C1 control)',
  'not-ascii': 'a byte 80..FF, outside 7-bit ASCII',
};

