/**
 * Owner: INSPECT. Seeded generators for search/count/decoder tests: byte
 * soups that hit every UTF-8 edge (cut sequences, stray continuation bytes,
 * overlongs, surrogates, CR/LF pairs, BOMs) far more often than random bytes.
 */
import { encodeCodePoint } from '../../shared/utf8';
import { seededRandom } from './seededRandom';

export const rng = seededRandom;

export const randInt = (r: () => number, n: number): number => Math.floor(r() * n);

const PIECES: number[][] = [
  [0x0d, 0x0a], [0x0d], [0x0a], [0x00], [0xef, 0xbb, 0xbf], [0xc0, 0xaf], [0xed, 0xa0, 0x80], [0xf4, 0x90, 0x80, 0x80],
  [0xe0, 0x80, 0xbf], [0xf0, 0x9f], [0xe2, 0x82], [0x80], [0xbf], [0xff], [0xfe], [0xc2], [0xf5], [0xc1, 0x81],
];

/** `n` bytes of mixed ASCII, valid multi-byte characters and broken sequences. */
export function utf8Soup(r: () => number, n: number): Uint8Array {
  const out = new Uint8Array(n);
  let i = 0;
  while (i < n) {
    const k = r();
    let piece: ArrayLike<number>;
    if (k < 0.45) piece = [0x20 + randInt(r, 0x5f)];
    else if (k < 0.55) piece = encodeCodePoint(0x80 + randInt(r, 0x780));
    else if (k < 0.65) piece = encodeCodePoint([0x800 + randInt(r, 0xd000), 0xe000 + randInt(r, 0x2000)][randInt(r, 2)]);
    else if (k < 0.72) piece = encodeCodePoint(0x10000 + randInt(r, 0x100000));
    else if (k < 0.9) piece = PIECES[randInt(r, PIECES.length)];
    else piece = [randInt(r, 256)];
    for (let j = 0; j < piece.length && i < n; j++) out[i++] = piece[j];
  }
  return out;
}

/** Random bytes from a small alphabet, so short patterns match often (and overlap). */
export function smallAlphabet(r: () => number, n: number, alphabet = [0x61, 0x62, 0x41, 0x42, 0x00, 0xff]): Uint8Array {
  const out = new Uint8Array(n);
  for (let i = 0; i < n; i++) out[i] = alphabet[randInt(r, alphabet.length)];
  return out;
}
