/**
 * UTF-16 in either byte order, decoded as WHATWG's TextDecoder does: a code
 * unit is two bytes, a high surrogate (D800..DBFF) followed by a low one
 * (DC00..DFFF) is one character of four bytes, and every surrogate without
 * its partner is one U+FFFD of two bytes. At the true end of the data, an odd
 * byte is one U+FFFD, and so is a high surrogate with an odd byte after it
 * (one error of three bytes, as the decoder reports it).
 *
 * Units are aligned to the file's start: a unit begins at every even offset,
 * whatever the window or selection. Data that begins at an odd offset starts
 * mid-unit; that half is flagged `misaligned`.
 */
import type { TextCodec, TextEncoding, TextUnit } from './types';
import { newTextUnit } from './types';

const FFFD = 0xfffd;

function set(out: TextUnit, length: number, codePoint: number, status: TextUnit['status']): TextUnit {
  out.length = length;
  out.codePoint = codePoint;
  out.status = status;
  return out;
}

const isHigh = (u: number) => u >= 0xd800 && u <= 0xdbff;
const isLow = (u: number) => u >= 0xdc00 && u <= 0xdfff;

function makeUtf16(bigEndian: boolean): TextCodec {
  const unitAt = bigEndian
    ? (b: Uint8Array, i: number) => (b[i] << 8) | b[i + 1]
    : (b: Uint8Array, i: number) => b[i] | (b[i + 1] << 8);
  const id: TextEncoding = bigEndian ? 'utf-16be' : 'utf-16le';
  return {
    id,
    label: bigEndian ? 'UTF-16BE' : 'UTF-16LE',
    description: `2 bytes per unit (${bigEndian ? 'high byte first' : 'low byte first'}), aligned to the file's start; surrogate pairs are one character of 4 bytes, unpaired surrogates flagged`,
    unitSize: 2,
    decodeUnit(bytes, i, end, offset, out = newTextUnit()) {
      if (offset % 2 !== 0) return set(out, 1, FFFD, 'misaligned');
      if (i + 2 > end) return set(out, 1, FFFD, 'truncated');
      const u = unitAt(bytes, i);
      if (!isHigh(u) && !isLow(u)) return set(out, 2, u, 'valid');
      if (isLow(u)) return set(out, 2, FFFD, 'unpaired-surrogate');
      if (i + 4 <= end) {
        const v = unitAt(bytes, i + 2);
        if (isLow(v)) return set(out, 4, 0x10000 + ((u - 0xd800) << 10) + (v - 0xdc00), 'valid');
        return set(out, 2, FFFD, 'unpaired-surrogate');
      }
      // A high surrogate with one odd byte after it at the end: TextDecoder reports one error for both.
      return set(out, end - i, FFFD, end - i === 3 ? 'truncated' : 'unpaired-surrogate');
    },
    syncPoint(bytes, at, floor, base, end = bytes.length) {
      const aligned = at - ((base + at) % 2);
      if (aligned < floor) return at; // the data starts mid-unit: that half is a unit of its own
      if (aligned - 2 < floor || !isHigh(unitAt(bytes, aligned - 2))) return aligned;
      // After a high surrogate: a low surrogate is its partner, and so is a last odd byte (one error of 3).
      if (aligned + 2 <= end ? isLow(unitAt(bytes, aligned)) : aligned + 1 === end) return aligned - 2;
      return aligned;
    },
    encode(text) {
      const out = new Uint8Array(text.length * 2);
      for (let k = 0; k < text.length; k++) {
        const u = text.charCodeAt(k);
        // Lone surrogates cannot be searched for as characters.
        if (isHigh(u) && !isLow(text.charCodeAt(k + 1))) return { unencodable: text[k] };
        if (isLow(u) && !isHigh(text.charCodeAt(k - 1))) return { unencodable: text[k] };
        out[2 * k + (bigEndian ? 0 : 1)] = u >> 8;
        out[2 * k + (bigEndian ? 1 : 0)] = u & 0xff;
      }
      return { bytes: out };
    },
  };
}

export const utf16le = makeUtf16(false);
export const utf16be = makeUtf16(true);
