/**
 * Typing a value into the inspector: the text a user enters for one of the
 * inspector's fields, turned into the bytes that hold it at the cursor.
 * Pure: the inspector webview runs it as the user types (to say what is
 * wrong before Enter) and the host runs it again on the document's current
 * bytes before it applies the edit. Every encoder is the inverse of the
 * matching reader in inspect.ts; the tests check both directions.
 */
import { daysInMonth, FILETIME_UNIX_EPOCH, formatFloat, readLeb128, type NumberValues } from './inspect';

export type EditableField =
  | 'int8' | 'uint8' | 'int16' | 'uint16' | 'int24' | 'uint24' | 'int32' | 'uint32' | 'int64' | 'uint64'
  | 'uleb128' | 'sleb128'
  | 'float16' | 'bfloat16' | 'float32' | 'float64'
  | 'binary' | 'octal' | 'unixTime32' | 'unixTime64' | 'filetime' | 'dosDateTime' | 'guidWindows' | 'guidRfc';

export const EDITABLE_FIELDS: readonly EditableField[] = [
  'int8', 'uint8', 'int16', 'uint16', 'int24', 'uint24', 'int32', 'uint32', 'int64', 'uint64', 'uleb128', 'sleb128',
  'float16', 'bfloat16', 'float32', 'float64', 'binary', 'octal', 'unixTime32', 'unixTime64', 'filetime', 'dosDateTime', 'guidWindows', 'guidRfc',
];

export const isEditableField = (x: unknown): x is EditableField => EDITABLE_FIELDS.includes(x as EditableField);

export type Encoded = { bytes: Uint8Array } | { error: string };

const INTEGERS: Partial<Record<EditableField, { size: number; signed: boolean }>> = {
  int8: { size: 1, signed: true }, uint8: { size: 1, signed: false },
  int16: { size: 2, signed: true }, uint16: { size: 2, signed: false },
  int24: { size: 3, signed: true }, uint24: { size: 3, signed: false },
  int32: { size: 4, signed: true }, uint32: { size: 4, signed: false },
  int64: { size: 8, signed: true }, uint64: { size: 8, signed: false },
};

/**
 * The bytes that make `field` read as `text`, little- or big-endian.
 * `current` is the data at the cursor as it is now (up to 16 bytes): an
 * LEB128 value is rewritten in the length it has there, since overwriting
 * never changes the file's size.
 */
export function encodeValue(field: EditableField, text: string, littleEndian: boolean, current: Uint8Array): Encoded {
  const t = text.trim();
  if (t === '') return { error: 'Enter a value.' };
  const integer = INTEGERS[field];
  if (integer) {
    const n = parseInteger(t);
    if (n === undefined) return { error: `"${t}" is not an integer (decimal, 0x hex, 0o octal or 0b binary).` };
    return integerBytes(n, integer.size, integer.signed, littleEndian, field);
  }
  switch (field) {
    case 'uleb128': case 'sleb128': return encodeLeb128(t, field === 'sleb128', current);
    case 'float16': return floatBits(t, 10, 5, 2, littleEndian, 'float16');
    case 'bfloat16': return floatBits(t, 7, 8, 2, littleEndian, 'bfloat16');
    case 'float32': case 'float64': return encodeFloat(t, field === 'float32' ? 4 : 8, littleEndian);
    case 'binary': return digitsByte(t, /^(0b)?[01]{1,8}$/i, 2, 'binary', 'up to 8 binary digits, e.g. 01000001');
    case 'octal': return digitsByte(t, /^(0o)?[0-7]{1,3}$/i, 8, 'octal', 'up to 3 octal digits, 0 to 377');
    case 'unixTime32': case 'unixTime64': return encodeUnixTime(t, field === 'unixTime32' ? 4 : 8, littleEndian);
    case 'filetime': return encodeFiletime(t, littleEndian);
    case 'dosDateTime': return encodeDosDateTime(t, littleEndian);
    case 'guidWindows': case 'guidRfc': return encodeGuid(t, field === 'guidWindows');
    default: return { error: `${field} cannot be edited.` };
  }
}

/** Decimal, 0x hex, 0o octal or 0b binary, with an optional sign; undefined for anything else. */
export function parseInteger(text: string): bigint | undefined {
  const m = /^([+-]?)(0x[0-9a-f]+|0o[0-7]+|0b[01]+|\d+)$/i.exec(text.replace(/_/g, ''));
  if (!m) return undefined;
  const magnitude = BigInt(m[2].toLowerCase());
  return m[1] === '-' ? -magnitude : magnitude;
}

function integerBytes(n: bigint, size: number, signed: boolean, littleEndian: boolean, name: string): Encoded {
  const bits = BigInt(size * 8);
  const min = signed ? -(1n << (bits - 1n)) : 0n;
  const max = signed ? (1n << (bits - 1n)) - 1n : (1n << bits) - 1n;
  if (n < min || n > max) return { error: `${n} is out of range for ${name} (${min} to ${max}).` };
  let u = BigInt.asUintN(size * 8, n);
  const out = new Uint8Array(size);
  for (let i = 0; i < size; i++) {
    out[littleEndian ? i : size - 1 - i] = Number(u & 0xffn);
    u >>= 8n;
  }
  return { bytes: out };
}

function encodeLeb128(text: string, signed: boolean, current: Uint8Array): Encoded {
  const n = parseInteger(text);
  const name = signed ? 'signed LEB128' : 'unsigned LEB128';
  if (n === undefined) return { error: `"${text}" is not an integer.` };
  if (!signed && n < 0n) return { error: `${name} holds no negative numbers.` };
  // Length of the value at the cursor; where none ends in reach, the shortest encoding.
  let minimal = 1;
  while (!(signed ? n >= -(1n << BigInt(7 * minimal - 1)) && n < 1n << BigInt(7 * minimal - 1) : n < 1n << BigInt(7 * minimal))) minimal++;
  const length = readLeb128(current, signed)?.length ?? minimal;
  if (minimal > length) {
    return { error: `${n} needs ${minimal} bytes as ${name}; the value at the cursor is ${length} byte${length === 1 ? '' : 's'} long, and overwriting never changes the file's size.` };
  }
  // A longer encoding than the shortest is still valid: continuation bytes carry the padding (zeros, or the sign).
  const out = new Uint8Array(length);
  let v = n;
  for (let i = 0; i < length; i++) {
    out[i] = Number(v & 0x7fn) | (i < length - 1 ? 0x80 : 0);
    v >>= 7n; // arithmetic shift: negative values fill with ones
  }
  return { bytes: out };
}

/** A float from text: JS number syntax plus NaN, Infinity and -Infinity; a finite literal too large for a double is an error. */
function parseFloatText(text: string): { value: number } | { error: string } {
  if (/^[+-]?(inf|infinity)$/i.test(text)) return { value: text.startsWith('-') ? -Infinity : Infinity };
  if (/^nan$/i.test(text)) return { value: NaN };
  if (!/^[+-]?(\d+\.?\d*|\.\d+)(e[+-]?\d+)?$/i.test(text)) return { error: `"${text}" is not a number.` };
  const value = Number(text);
  return Number.isFinite(value) ? { value } : { error: `${text} is out of range for float64.` };
}

function encodeFloat(text: string, size: 4 | 8, littleEndian: boolean): Encoded {
  const parsed = parseFloatText(text);
  if ('error' in parsed) return parsed;
  const x = parsed.value;
  const out = new Uint8Array(size);
  const view = new DataView(out.buffer);
  if (size === 4) {
    if (Number.isFinite(x) && !Number.isFinite(Math.fround(x))) return { error: `${text} is out of range for float32 (largest 3.4028234663852886e38).` };
    view.setFloat32(0, x, littleEndian);
  } else {
    view.setFloat64(0, x, littleEndian);
  }
  return { bytes: out };
}

/**
 * A binary floating-point format narrower than float32 (binary16: 10
 * fraction bits, 5 exponent bits; bfloat16: 7 and 8), rounded to nearest,
 * ties to even, directly from the double (no double rounding via float32).
 */
export function smallFloatBits(x: number, fractionBits: number, exponentBits: number): number | undefined {
  const bias = (1 << (exponentBits - 1)) - 1;
  const allOnes = (1 << exponentBits) - 1;
  if (Number.isNaN(x)) return (allOnes << fractionBits) | (1 << (fractionBits - 1));
  const sign = x < 0 || Object.is(x, -0) ? 1 << (fractionBits + exponentBits) : 0;
  const a = Math.abs(x);
  if (a === Infinity) return sign | (allOnes << fractionBits);
  const minExponent = 1 - bias;
  let bits: number;
  if (a < 2 ** minExponent) {
    // Subnormal (or zero): a multiple of the smallest subnormal. Rounding up to 2^fractionBits gives the smallest normal, encoded the same way.
    bits = roundHalfEven(a / 2 ** (minExponent - fractionBits));
  } else {
    let e = Math.floor(Math.log2(a));
    if (2 ** e > a) e--;
    if (2 ** (e + 1) <= a) e++;
    let m = roundHalfEven(a / 2 ** (e - fractionBits));
    if (m === 2 ** (fractionBits + 1)) { m /= 2; e++; }
    if (e > bias) return undefined; // rounds to infinity: out of range
    bits = ((e + bias) << fractionBits) | (m - 2 ** fractionBits);
  }
  return sign | bits;
}

function roundHalfEven(v: number): number {
  const f = Math.floor(v);
  const d = v - f;
  return d > 0.5 || (d === 0.5 && f % 2 === 1) ? f + 1 : f;
}

function floatBits(text: string, fractionBits: number, exponentBits: number, size: 2, littleEndian: boolean, name: string): Encoded {
  const parsed = parseFloatText(text);
  if ('error' in parsed) return parsed;
  const bits = smallFloatBits(parsed.value, fractionBits, exponentBits);
  if (bits === undefined) return { error: `${text} is out of range for ${name} (largest ${name === 'float16' ? '65504' : '3.3895313892515355e38'}).` };
  return integerBytes(BigInt(bits), size, false, littleEndian, name);
}

function digitsByte(text: string, pattern: RegExp, radix: number, name: string, hint: string): Encoded {
  if (!pattern.test(text)) return { error: `"${text}" is not ${name}: ${hint}.` };
  const n = Number.parseInt(text.replace(/^0[bo]/i, ''), radix);
  if (n > 255) return { error: `${text} is more than one byte (at most 377 octal).` };
  return { bytes: Uint8Array.of(n) };
}

/**
 * "2024-05-06T07:08:09Z" (a time without a zone is UTC; a date alone is
 * midnight UTC), with `fractionDigits` digits allowed after the seconds.
 * Returns whole seconds since 1970 and the fraction as digits.
 */
function parseIsoUtc(text: string, fractionDigits: number): { seconds: number; fraction: string } | { error: string } {
  // Years beyond 9999 (or before 0) take ISO 8601's expanded form, +YYYYYY / -YYYYYY, as Date prints them.
  const m = /^((?:[+-]\d{6}|\d{4})-\d{2}-\d{2})(?:[T ](\d{2}:\d{2}(?::\d{2})?)(?:\.(\d+))?)?\s*(Z|[+-]\d{2}:?\d{2})?$/i.exec(text);
  if (!m) return { error: `"${text}" is not a date and time: write it as 2024-05-06T07:08:09Z.` };
  const fraction = m[3] ?? '';
  if (fraction.length > fractionDigits) {
    return { error: fractionDigits ? `at most ${fractionDigits} digits after the seconds (the format counts in steps of 100 ns).` : 'this format holds whole seconds only.' };
  }
  const time = m[2] ? (m[2].length === 5 ? `${m[2]}:00` : m[2]) : '00:00:00';
  const zone = (m[4] ?? 'Z').toUpperCase().replace(/^([+-]\d{2})(\d{2})$/, '$1:$2');
  const [y, mo, d] = /^([+-]?\d+)-(\d+)-(\d+)$/.exec(m[1])!.slice(1).map(Number);
  const [h, mi, s] = time.split(':').map(Number);
  if (mo < 1 || mo > 12 || d < 1 || d > daysInMonth(y, mo) || h > 23 || mi > 59 || s > 59) return { error: `"${text}" is not a valid date and time.` };
  const ms = Date.parse(`${m[1]}T${time}${zone}`);
  if (!Number.isFinite(ms)) return { error: `"${text}" is not a valid date and time.` };
  return { seconds: ms / 1000, fraction };
}

function encodeUnixTime(text: string, size: 4 | 8, littleEndian: boolean): Encoded {
  const name = size === 4 ? 'Unix time (32-bit)' : 'Unix time (64-bit)';
  const plain = parseInteger(text);
  if (plain !== undefined) return integerBytes(plain, size, true, littleEndian, name);
  const t = parseIsoUtc(text, 0);
  if ('error' in t) return t;
  return integerBytes(BigInt(t.seconds), size, true, littleEndian, name);
}

function encodeFiletime(text: string, littleEndian: boolean): Encoded {
  const plain = parseInteger(text);
  if (plain !== undefined) return integerBytes(plain, 8, false, littleEndian, 'FILETIME');
  const t = parseIsoUtc(text, 7);
  if ('error' in t) return t;
  const ticks = BigInt(t.seconds) * 10_000_000n + FILETIME_UNIX_EPOCH + BigInt(t.fraction.padEnd(7, '0'));
  if (ticks < 0n) return { error: `${text} is before 1601-01-01, the start of FILETIME.` };
  return integerBytes(ticks, 8, false, littleEndian, 'FILETIME');
}

function encodeDosDateTime(text: string, littleEndian: boolean): Encoded {
  const m = /^(\d{4})-(\d{2})-(\d{2})[T ](\d{2}):(\d{2}):(\d{2})$/.exec(text);
  if (!m) return { error: `"${text}" is not a DOS date and time: write it as 2024-05-06 07:08:10.` };
  const [year, month, day, hour, minute, second] = m.slice(1).map(Number);
  if (year < 1980 || year > 2107) return { error: 'a DOS date is between 1980 and 2107.' };
  if (month < 1 || month > 12 || day < 1 || day > daysInMonth(year, month) || hour > 23 || minute > 59 || second > 59) {
    return { error: `"${text}" is not a valid date and time.` };
  }
  if (second % 2) return { error: 'DOS time counts seconds in steps of 2: use an even second.' };
  const date = ((year - 1980) << 9) | (month << 5) | day;
  const time = (hour << 11) | (minute << 5) | (second / 2);
  return integerBytes(BigInt(date) << 16n | BigInt(time), 4, false, littleEndian, 'DOS date and time');
}

function encodeGuid(text: string, windows: boolean): Encoded {
  const m = /^\{?([0-9a-f]{8})-?([0-9a-f]{4})-?([0-9a-f]{4})-?([0-9a-f]{4})-?([0-9a-f]{12})\}?$/i.exec(text);
  if (!m) return { error: `"${text}" is not a GUID: 32 hex digits as 8-4-4-4-12, braces optional.` };
  const bytes = Uint8Array.from(m.slice(1).join('').match(/../g)!, (h) => Number.parseInt(h, 16));
  // Windows stores the first three fields little-endian.
  if (windows) {
    bytes.subarray(0, 4).reverse();
    bytes.subarray(4, 6).reverse();
    bytes.subarray(6, 8).reverse();
  }
  return { bytes };
}

/**
 * The text a field shows for the values at the cursor: what the inspector
 * displays and what an edit box starts with, so that entering it unchanged
 * writes the same bytes back. Undefined where the field has no value.
 */
export function fieldText(v: NumberValues, field: EditableField): string | undefined {
  const x = v[field];
  if (x === undefined) return undefined;
  if (typeof x === 'object') return x.value.toString(); // LEB128
  if (typeof x === 'number' && (field.startsWith('float') || field === 'bfloat16')) return formatFloat(x);
  return String(x);
}

/** How the inspector names each field (also in undo labels and messages). */
export const FIELD_LABELS: Record<EditableField, string> = {
  int8: 'int8', uint8: 'uint8', int16: 'int16', uint16: 'uint16', int24: 'int24', uint24: 'uint24',
  int32: 'int32', uint32: 'uint32', int64: 'int64', uint64: 'uint64', uleb128: 'ULEB128', sleb128: 'SLEB128',
  float16: 'float16', bfloat16: 'bfloat16', float32: 'float32', float64: 'float64',
  binary: 'Binary', octal: 'Octal', unixTime32: 'Unix time (32-bit)', unixTime64: 'Unix time (64-bit)',
  filetime: 'FILETIME', dosDateTime: 'DOS date/time', guidWindows: 'GUID (Windows)', guidRfc: 'UUID (RFC 4122)',
};
