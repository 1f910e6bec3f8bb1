/**
 * Seeded byte soups for the text encodings other than UTF-8: surrogates
 * whole and alone, single odd bytes that shift UTF-16 alignment, CR/LF/NUL,
 * BOM units, and windows-1252's undefined bytes, far more often than random
 * bytes would have them.
 */
import type { TextEncoding } from '../../shared/encodings';
import { randInt } from './randomUtf8';

export function textSoup(encoding: TextEncoding, r: () => number, n: number): Uint8Array {
  const out: number[] = [];
  const unit16 = (u: number) => (encoding === 'utf-16be' ? out.push(u >> 8, u & 0xff) : out.push(u & 0xff, u >> 8));
  while (out.length < n) {
    const k = r();
    if (encoding.startsWith('utf-16')) {
      if (k < 0.3) unit16(0x20 + randInt(r, 0x60));
      else if (k < 0.45) { const cp = randInt(r, 0x100000); unit16(0xd800 + (cp >> 10)); unit16(0xdc00 + (cp & 0x3ff)); }
      else if (k < 0.55) unit16(0xd800 + randInt(r, 0x800)); // a lone surrogate, high or low
      else if (k < 0.65) unit16([0x0d, 0x0a, 0x00, 0xfeff, 0xfffd][randInt(r, 5)]);
      else if (k < 0.8) unit16(randInt(r, 0x10000));
      else out.push(randInt(r, 256)); // one byte: shifts the alignment of what follows
    } else if (k < 0.5) out.push(0x20 + randInt(r, 0x60));
    else if (k < 0.65) out.push([0x0d, 0x0a, 0x00, 0x81, 0x8d, 0x8f, 0x90, 0x9d, 0x80, 0x9f][randInt(r, 10)]);
    else out.push(randInt(r, 256));
  }
  return Uint8Array.from(out.slice(0, n));
}
