/**
 * What the inspector shows about the cursor, computed from the bytes around
 * it. Pure and vscode-free: the inspector webview runs it, and the tests
 * hold it against DataView and TextDecoder.
 *
 * Character names are not shown: the one well-kept npm package with names
 * (unicode-name) carries ~750 kB of name data, too much for a side view, and
 * the general category (from the JS engine's own Unicode tables via \p{gc})
 * already tells letter / mark / control / format apart.
 */
import { decodeUnit, isNonPrintable, newUnit, syncPoint, type Utf8Status } from './utf8';
import { PROBLEMS as ENCODING_PROBLEMS, decodeTextSpan, type TextCodec, type UnitStatus } from './encodings';

// ------------------------------------------------------------ character

export interface CharacterInfo {
  /** File offset of the unit's first byte (may be before the cursor). */
  offset: number;
  /** Bytes of the unit (1..4), as in the file. */
  bytes: number[];
  status: UnitStatus;
  /** The code point, or undefined for an invalid unit (TextDecoder shows U+FFFD). */
  codePoint?: number;
  /** 'U+00E9', or 'U+FFFD (replacement)' for an invalid unit. */
  label: string;
  /** Text to draw: the character itself, a control picture, or a dotted circle plus a mark. */
  glyph: string;
  /** UTF-16 code units of the character (empty when invalid). */
  utf16: number[];
  /** Why the unit is invalid, in words; undefined when valid. */
  problem?: string;
  /** General category, e.g. { code: 'Lu', name: 'Uppercase Letter' }; undefined when invalid. */
  category?: { code: string; name: string };
}

const CATEGORIES: [string, string][] = [
  ['Lu', 'Uppercase Letter'], ['Ll', 'Lowercase Letter'], ['Lt', 'Titlecase Letter'], ['Lm', 'Modifier Letter'], ['Lo', 'Other Letter'],
  ['Mn', 'Nonspacing Mark'], ['Mc', 'Spacing Mark'], ['Me', 'Enclosing Mark'],
  ['Nd', 'Decimal Number'], ['Nl', 'Letter Number'], ['No', 'Other Number'],
  ['Pc', 'Connector Punctuation'], ['Pd', 'Dash Punctuation'], ['Ps', 'Open Punctuation'], ['Pe', 'Close Punctuation'],
  ['Pi', 'Initial Punctuation'], ['Pf', 'Final Punctuation'], ['Po', 'Other Punctuation'],
  ['Sm', 'Math Symbol'], ['Sc', 'Currency Symbol'], ['Sk', 'Modifier Symbol'], ['So', 'Other Symbol'],
  ['Zs', 'Space Separator'], ['Zl', 'Line Separator'], ['Zp', 'Paragraph Separator'],
  ['Cc', 'Control'], ['Cf', 'Format'], ['Cs', 'Surrogate'], ['Co', 'Private Use'], ['Cn', 'Unassigned'],
];
let categoryTests: [RegExp, string, string][] | undefined;

/** The Unicode general category of a code point, from the JS engine's tables. */
export function generalCategory(codePoint: number): { code: string; name: string } {
  categoryTests ??= CATEGORIES.map(([code, name]) => [new RegExp(`^\\p{gc=${code}}$`, 'u'), code, name]);
  const s = String.fromCodePoint(codePoint);
  for (const [re, code, name] of categoryTests) if (re.test(s)) return { code, name };
  return { code: 'Cn', name: 'Unassigned' };
}

const PROBLEMS: Record<Exclude<Utf8Status, 'valid'>, string> = {
  'unexpected-continuation': 'unexpected continuation byte (80..BF where a character should start)',
  overlong: 'overlong encoding (a longer form than the code point needs)',
  surrogate: 'encodes a UTF-16 surrogate (U+D800..U+DFFF), not allowed in UTF-8',
  'too-large': 'above U+10FFFF (or a byte that never starts a character)',
  truncated: 'truncated sequence (cut short by a non-continuation byte or the end of the data)',
};

export const hex2 = (b: number): string => b.toString(16).toUpperCase().padStart(2, '0');
export const codePointLabel = (cp: number): string => `U+${cp.toString(16).toUpperCase().padStart(4, '0')}`;

/** A printable stand-in for characters that draw nothing or disturb layout. */
export function glyphFor(codePoint: number, category: string): string {
  if (codePoint < 0x20) return String.fromCodePoint(0x2400 + codePoint); // control pictures ␀..␟
  if (codePoint === 0x7f) return '\u2421'; // ␡
  if (codePoint === 0x20) return '\u2420'; // ␠
  if (category === 'Mn' || category === 'Me' || category === 'Mc') return `\u25CC${String.fromCodePoint(codePoint)}`;
  if (isNonPrintable(codePoint) || category === 'Zl' || category === 'Zp' || category === 'Cf' || category === 'Cn') return '\u00B7';
  return String.fromCodePoint(codePoint);
}

/**
 * The character covering `bytes[at]`. `bytes` holds real data in
 * [dataStart, dataEnd) (pass at least 3 bytes before `at` and 3 after it, so
 * the unit is found whole); `baseOffset` is the file offset of bytes[0].
 * Undefined when `at` is outside the data.
 */
export function inspectCharacter(bytes: Uint8Array, at: number, baseOffset = 0, dataStart = 0, dataEnd = bytes.length, codec?: TextCodec): CharacterInfo | undefined {
  if (at < dataStart || at >= dataEnd) return undefined;
  let unit: { length: number; codePoint: number; status: UnitStatus };
  let i: number;
  if (codec && codec.id !== 'utf-8') {
    // Another text encoding: its codec finds the unit the text pane draws there.
    const placed = decodeTextSpan(codec, bytes, at, at + 1, baseOffset, dataStart, dataEnd)[0];
    i = placed.start;
    unit = placed;
  } else {
    const u = newUnit();
    i = syncPoint(bytes, at, dataStart);
    while (i + decodeUnit(bytes, i, dataEnd, u).length <= at) i += u.length;
    unit = u;
  }
  const unitBytes = Array.from(bytes.subarray(i, i + unit.length));
  const base = { offset: baseOffset + i, bytes: unitBytes, status: unit.status };
  if (unit.status !== 'valid') {
    const problem = unit.status in PROBLEMS ? PROBLEMS[unit.status as Exclude<Utf8Status, 'valid'>] : ENCODING_PROBLEMS[unit.status];
    // windows-1252's undefined bytes decode (in TextDecoder) to the C1 control of the same value.
    const shown = unit.codePoint === 0xfffd ? `${codePointLabel(0xfffd)} (replacement)` : `${codePointLabel(unit.codePoint)} (undefined in this encoding)`;
    return { ...base, label: shown, glyph: '\uFFFD', utf16: [], problem };
  }
  const cp = unit.codePoint;
  const category = generalCategory(cp);
  const s = String.fromCodePoint(cp);
  return {
    ...base, codePoint: cp, label: codePointLabel(cp), glyph: glyphFor(cp, category.code),
    utf16: Array.from({ length: s.length }, (_, k) => s.charCodeAt(k)), category,
  };
}

// -------------------------------------------------------------- numbers

/** The bytes at the cursor read as numbers; a field is undefined where its bytes run past the end. */
export interface NumberValues {
  int8?: number; uint8?: number;
  int16?: number; uint16?: number;
  int32?: number; uint32?: number;
  int64?: bigint; uint64?: bigint;
  int24?: number; uint24?: number;
  float16?: number; float32?: number; float64?: number;
  /** The top half of a float32 (8 exponent bits, 7 fraction bits), as machine-learning formats store it. */
  bfloat16?: number;
  /** The byte at the cursor in base 2 and 8. */
  binary?: string; octal?: string;
  /** Signed 32-/64-bit seconds since 1970-01-01 UTC as ISO 8601, undefined beyond what Date holds. */
  unixTime32?: string; unixTime64?: string;
  /** LEB128 (DWARF, WebAssembly, Android DEX): byte order does not apply; undefined when no end byte is in reach. */
  uleb128?: Leb128; sleb128?: Leb128;
  /** 16 bytes as a GUID: Windows layout (first three fields little-endian) and RFC 4122 (all big-endian). */
  guidWindows?: string; guidRfc?: string;
  /** Windows FILETIME: unsigned 64-bit count of 100 ns since 1601-01-01 UTC, as ISO 8601 with the 100 ns digits. */
  filetime?: string;
  /** MS-DOS date and time (FAT, ZIP) as "YYYY-MM-DD HH:MM:SS" (no time zone: DOS stored local time); undefined when a field is out of range. */
  dosDateTime?: string;
}

export interface Leb128 {
  value: bigint;
  /** Bytes the value takes, its end byte included. */
  length: number;
}

/** IEEE 754 binary16 (half precision); DataView has no getFloat16 in Node 20. */
export function float16(bits: number): number {
  const sign = bits & 0x8000 ? -1 : 1;
  const exponent = (bits >> 10) & 0x1f;
  const fraction = bits & 0x3ff;
  if (exponent === 0) return sign * fraction * 2 ** -24; // zero and subnormals: 0.fraction × 2^-14
  if (exponent === 0x1f) return fraction ? NaN : sign * Infinity;
  return sign * (1 + fraction / 1024) * 2 ** (exponent - 15);
}

/** Date holds ±8.64e15 ms. */
const MAX_DATE_SECONDS = 8.64e12;

export function unixTimeIso(seconds: number | bigint): string | undefined {
  const s = typeof seconds === 'bigint' ? (seconds > BigInt(MAX_DATE_SECONDS) || seconds < -BigInt(MAX_DATE_SECONDS) ? NaN : Number(seconds)) : seconds;
  if (!Number.isFinite(s) || Math.abs(s) > MAX_DATE_SECONDS) return undefined;
  return new Date(s * 1000).toISOString().replace('.000Z', 'Z');
}

/** Reads the numbers starting at bytes[0] (bytes after it as far as the file goes). */
export function inspectNumbers(bytes: Uint8Array, littleEndian: boolean): NumberValues {
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const n = bytes.length;
  const v: NumberValues = {};
  if (n >= 1) {
    v.int8 = view.getInt8(0);
    v.uint8 = view.getUint8(0);
    v.binary = bytes[0].toString(2).padStart(8, '0');
    v.octal = bytes[0].toString(8).padStart(3, '0');
  }
  if (n >= 2) {
    v.int16 = view.getInt16(0, littleEndian);
    v.uint16 = view.getUint16(0, littleEndian);
    v.float16 = float16(v.uint16);
    v.bfloat16 = bfloat16(v.uint16);
  }
  if (n >= 3) {
    v.uint24 = littleEndian ? bytes[0] | (bytes[1] << 8) | (bytes[2] << 16) : (bytes[0] << 16) | (bytes[1] << 8) | bytes[2];
    v.int24 = v.uint24 >= 0x800000 ? v.uint24 - 0x1000000 : v.uint24;
  }
  if (n >= 4) {
    v.int32 = view.getInt32(0, littleEndian);
    v.uint32 = view.getUint32(0, littleEndian);
    v.float32 = view.getFloat32(0, littleEndian);
    v.unixTime32 = unixTimeIso(v.int32);
    v.dosDateTime = dosDateTime(v.uint32);
  }
  if (n >= 8) {
    v.int64 = view.getBigInt64(0, littleEndian);
    v.uint64 = view.getBigUint64(0, littleEndian);
    v.float64 = view.getFloat64(0, littleEndian);
    v.unixTime64 = unixTimeIso(v.int64);
    v.filetime = filetimeIso(v.uint64);
  }
  if (n >= 16) {
    v.guidWindows = guidText(bytes, true);
    v.guidRfc = guidText(bytes, false);
  }
  v.uleb128 = readLeb128(bytes, false);
  v.sleb128 = readLeb128(bytes, true);
  return v;
}

/** bfloat16: the 16 bits are the top half of an IEEE 754 binary32. */
export function bfloat16(bits: number): number {
  const view = new DataView(new ArrayBuffer(4));
  view.setUint32(0, (bits & 0xffff) << 16 >>> 0);
  return view.getFloat32(0);
}

/**
 * An LEB128 value from bytes[0]: 7 bits per byte, least significant group
 * first, the high bit set on every byte but the last. Signed: the last
 * group's bit 6 is the sign, extended. Undefined when no end byte is in `bytes`.
 */
export function readLeb128(bytes: Uint8Array, signed: boolean): Leb128 | undefined {
  let value = 0n;
  let shift = 0n;
  for (let i = 0; i < bytes.length; i++) {
    const b = bytes[i];
    value |= BigInt(b & 0x7f) << shift;
    shift += 7n;
    if ((b & 0x80) === 0) {
      if (signed && (b & 0x40)) value -= 1n << shift;
      return { value, length: i + 1 };
    }
  }
  return undefined;
}

const hexGroup = (bytes: Uint8Array, from: number, to: number) => Array.from(bytes.subarray(from, to), hex2).join('');

/**
 * bytes[0..16) as GUID text. Windows (`GUID` in memory, mixed-endian):
 * Data1 (4 bytes), Data2 and Data3 (2 each) little-endian, then 8 bytes as
 * they are; shown upper-case in braces as Windows does. RFC 4122: all 16
 * bytes in order, lower-case.
 */
export function guidText(bytes: Uint8Array, windows: boolean): string {
  if (windows) {
    const rev = (from: number, to: number) => Array.from(bytes.subarray(from, to), hex2).reverse().join('');
    return `{${rev(0, 4)}-${rev(4, 6)}-${rev(6, 8)}-${hexGroup(bytes, 8, 10)}-${hexGroup(bytes, 10, 16)}}`;
  }
  return `${hexGroup(bytes, 0, 4)}-${hexGroup(bytes, 4, 6)}-${hexGroup(bytes, 6, 8)}-${hexGroup(bytes, 8, 10)}-${hexGroup(bytes, 10, 16)}`.toLowerCase();
}

/** 100 ns intervals between 1601-01-01 and 1970-01-01 (UTC). */
export const FILETIME_UNIX_EPOCH = 116_444_736_000_000_000n;

/**
 * A FILETIME as ISO 8601 UTC, exact to its 100 ns: "2000-01-01T00:00:00Z",
 * "2000-01-01T00:00:00.0000001Z". Every unsigned 64-bit value fits in Date's
 * range (the last is in the year 60056).
 */
export function filetimeIso(ticks: bigint): string {
  const seconds = ticks / 10_000_000n;
  const fraction = ticks % 10_000_000n;
  const unixMs = Number(seconds - FILETIME_UNIX_EPOCH / 10_000_000n) * 1000;
  const whole = new Date(unixMs).toISOString().replace('.000Z', '');
  return fraction ? `${whole}.${fraction.toString().padStart(7, '0').replace(/0+$/, '')}Z` : `${whole}Z`;
}

/**
 * MS-DOS packed date and time as one 32-bit value: the date in the high
 * 16 bits (year-1980:7 month:4 day:5), the time in the low 16 (hour:5
 * minute:6 seconds/2:5). Read little-endian that is FAT's and ZIP's byte
 * order: time first, then date.
 */
export function dosDateTime(value: number): string | undefined {
  const date = value >>> 16;
  const time = value & 0xffff;
  const year = 1980 + (date >> 9);
  const month = (date >> 5) & 0xf;
  const day = date & 0x1f;
  const hour = time >> 11;
  const minute = (time >> 5) & 0x3f;
  const second = (time & 0x1f) * 2;
  if (month < 1 || month > 12 || day < 1 || day > daysInMonth(year, month) || hour > 23 || minute > 59 || second > 59) return undefined;
  const p2 = (x: number) => String(x).padStart(2, '0');
  return `${year}-${p2(month)}-${p2(day)} ${p2(hour)}:${p2(minute)}:${p2(second)}`;
}

export const daysInMonth = (year: number, month: number): number => new Date(Date.UTC(year, month, 0)).getUTCDate();

/** Shortest text that reads back as the same float (JS's own shortest round-trip form). */
export function formatFloat(x: number | undefined): string | undefined {
  if (x === undefined) return undefined;
  if (Object.is(x, -0)) return '-0';
  return String(x);
}

// ------------------------------------------------------------ selection

export interface SelectionFacts {
  bytes: number;
  /** Undefined while the count is still running (or was cancelled). */
  chars?: number;
  lines?: number;
  invalid?: number;
}

/** "12 bytes, 9 characters, 2 lines" (characters as TextDecoder counts them). */
export function describeSelection(s: SelectionFacts): string {
  const plural = (n: number, word: string) => `${n.toLocaleString('en-US')} ${word}${n === 1 ? '' : 's'}`;
  const parts = [plural(s.bytes, 'byte')];
  if (s.chars !== undefined) parts.push(plural(s.chars, 'character'));
  if (s.lines !== undefined) parts.push(plural(s.lines, 'line'));
  if (s.invalid) parts.push(`${plural(s.invalid, 'invalid sequence')}`);
  return parts.join(', ');
}
