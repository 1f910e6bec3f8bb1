/**
 * The single-byte encodings: one byte is one character, so a unit never
 * spans bytes and counts need only a byte histogram.
 *
 * - windows-1252 as WHATWG's TextDecoder decodes it (which is also what the
 *   labels "latin1" and "iso-8859-1" mean to TextDecoder). The five bytes the
 *   code page leaves undefined (81 8D 8F 90 9D) decode, as TextDecoder does,
 *   to the C1 controls of the same value, and are flagged `undefined`.
 * - ISO-8859-1 proper: byte = code point, 80..9F are the C1 controls (shown
 *   as non-printable, not flagged). This is what the picker calls ISO-8859-1,
 *   so the two entries differ; choose windows-1252 for what a browser shows.
 * - ASCII: 00..7F; every byte 80..FF is flagged `not-ascii` and shown as U+FFFD.
 */
import type { TextCodec, TextUnit } from './types';
import { newTextUnit } from './types';

/** windows-1252's 80..9F (0 = undefined; TextDecoder gives the C1 control). */
const CP1252_HIGH = [
  0x20ac, 0, 0x201a, 0x0192, 0x201e, 0x2026, 0x2020, 0x2021, 0x02c6, 0x2030, 0x0160, 0x2039, 0x0152, 0, 0x017d, 0,
  0, 0x2018, 0x2019, 0x201c, 0x201d, 0x2022, 0x2013, 0x2014, 0x02dc, 0x2122, 0x0161, 0x203a, 0x0153, 0, 0x017e, 0x0178,
];

/** Bytes windows-1252 leaves undefined. */
export const CP1252_UNDEFINED: readonly number[] = [0x81, 0x8d, 0x8f, 0x90, 0x9d];

function set(out: TextUnit, codePoint: number, status: TextUnit['status']): TextUnit {
  out.length = 1;
  out.codePoint = codePoint;
  out.status = status;
  return out;
}

/** A single-byte codec from a byte → code point table (-1: flagged). */
function makeSingleByte(id: 'windows-1252' | 'iso-8859-1' | 'ascii', label: string, description: string,
  table: Int32Array, flagged: TextUnit['status'], flaggedCodePoint: (byte: number) => number): TextCodec {
  const encodeMap = new Map<number, number>();
  for (let b = 255; b >= 0; b--) if (table[b] >= 0) encodeMap.set(table[b], b);
  return {
    id, label, description, unitSize: 1,
    decodeUnit(bytes, i, _end, _offset, out = newTextUnit()) {
      const cp = table[bytes[i]];
      return cp >= 0 ? set(out, cp, 'valid') : set(out, flaggedCodePoint(bytes[i]), flagged);
    },
    syncPoint(_bytes, at) {
      return at;
    },
    encode(text) {
      const out = new Uint8Array(text.length);
      let n = 0;
      for (const ch of text) {
        const b = encodeMap.get(ch.codePointAt(0)!);
        if (b === undefined) return { unencodable: ch };
        out[n++] = b;
      }
      return { bytes: out.slice(0, n) };
    },
  };
}

function table(codePointOf: (byte: number) => number): Int32Array {
  const t = new Int32Array(256);
  for (let b = 0; b < 256; b++) t[b] = codePointOf(b);
  return t;
}

export const windows1252 = makeSingleByte('windows-1252', 'Windows 1252',
  'Western (windows-1252, as TextDecoder and browsers read "latin1"); the undefined bytes 81 8D 8F 90 9D flagged',
  table((b) => (b >= 0x80 && b < 0xa0 ? CP1252_HIGH[b - 0x80] || -1 : b)), 'undefined', (b) => b);

export const iso88591 = makeSingleByte('iso-8859-1', 'ISO 8859-1',
  'Latin-1 proper: byte = code point, 80..9F are C1 controls (TextDecoder would read this label as windows-1252)',
  table((b) => b), 'valid', (b) => b);

export const ascii = makeSingleByte('ascii', 'ASCII', '7-bit ASCII; every byte 80..FF flagged',
  table((b) => (b < 0x80 ? b : -1)), 'not-ascii', () => 0xfffd);
