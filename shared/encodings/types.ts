/**
 * What every text decoder of Hexmap shares: the encodings the text pane can
 * show, why a unit is not a valid character, and the codec interface the
 * layout, the counts, the inspector and the search go through. One codec per
 * encoding (utf8Codec.ts, utf16.ts, singleByte.ts), looked up in index.ts.
 */
import type { Utf8Status } from '../utf8';

/** The encodings the text pane can show, by their WHATWG-style names. */
export type TextEncoding = 'utf-8' | 'utf-16le' | 'utf-16be' | 'windows-1252' | 'iso-8859-1' | 'ascii';

export const TEXT_ENCODINGS: readonly TextEncoding[] = ['utf-8', 'utf-16le', 'utf-16be', 'windows-1252', 'iso-8859-1', 'ascii'];

export function isTextEncoding(v: unknown): v is TextEncoding {
  return typeof v === 'string' && (TEXT_ENCODINGS as readonly string[]).includes(v);
}

/** Why a unit is not a valid character (`valid` when it is). */
export type UnitStatus =
  | Utf8Status
  /** UTF-16: a high surrogate not followed by a low one, or a low one on its own. */
  | 'unpaired-surrogate'
  /** UTF-16: a unit that falls on the wrong byte (data that starts or ends mid-unit). */
  | 'misaligned'
  /** windows-1252: one of the five bytes the code page leaves undefined (81 8D 8F 90 9D). */
  | 'undefined'
  /** ASCII: a byte 80..FF. */
  | 'not-ascii';

/** One decoded unit; reused between calls so hot loops allocate nothing. */
export interface TextUnit {
  /** Bytes in this unit (1..4). */
  length: number;
  /**
   * The code point TextDecoder produces for these bytes: U+FFFD for an
   * invalid UTF-8 or UTF-16 unit; for windows-1252's undefined bytes the C1
   * control TextDecoder maps them to (they are still flagged).
   */
  codePoint: number;
  status: UnitStatus;
}

export const newTextUnit = (): TextUnit => ({ length: 1, codePoint: 0, status: 'valid' });

export interface TextCodec {
  readonly id: TextEncoding;
  /** Shown in the picker and the status bar. */
  readonly label: string;
  /** One line for the picker: what the encoding shows and how bytes are flagged. */
  readonly description: string;
  /** Bytes in the code unit (1 or 2): matches and unit boundaries fall on multiples of it from the file's start. */
  readonly unitSize: 1 | 2;
  /**
   * Decodes the unit starting at `bytes[i]`, looking no further than `end`.
   * `offset` is the file offset of `bytes[i]` (UTF-16 units start at even
   * offsets from the file's start). `end` short of the real data end makes a
   * cut unit look truncated.
   */
  decodeUnit(bytes: Uint8Array, i: number, end: number, offset: number, out?: TextUnit): TextUnit;
  /**
   * Where decoding must begin so that the unit covering `bytes[at]` is found;
   * `floor` is the first index holding real data, `base` the file offset of
   * `bytes[0]`, `end` the end of the data (default: all of `bytes`). Needs
   * at most 3 bytes before `at`.
   */
  syncPoint(bytes: Uint8Array, at: number, floor: number, base: number, end?: number): number;
  /** The bytes of `text`, or the first character the encoding cannot represent. */
  encode(text: string): { bytes: Uint8Array } | { unencodable: string };
}
