/**
 * Text queries for the find widget: the query encoded in the document's
 * encoding, and for "match case" off, which bits of each byte to ignore.
 *
 * The one rule, for every encoding: a character matches its other case when
 * the two forms are single code points whose encodings have the same length
 * and differ in exactly one bit; the pattern then ignores that bit of that
 * byte (a search mask, which the native find, the JavaScript find and
 * PatternMatcher all apply the same way). Because exactly one bit is
 * ignored, a folded byte matches exactly the two forms, never a third byte.
 * This covers ASCII, Latin-1 (À..Þ ↔ à..þ, not × ÷), windows-1252's Š Œ Ž,
 * most of Greek and Cyrillic in UTF-8 and UTF-16 (e.g. UTF-8 D0 90 'А' ↔ D0 B0 'а').
 * Limits: pairs whose encodings differ in more bits (Ÿ 9F ↔ ÿ FF in
 * windows-1252, Π..Ω ↔ π..ω whose low bytes differ by 0x60, many UTF-8 pairs
 * across a 64-code-point block), whose forms
 * differ in length (ß ↔ SS, UTF-8 ſ ↔ s), or with more than one partner
 * (K, k and the Kelvin sign) match only as typed.
 *
 * In the ASCII-compatible encodings (UTF-8, windows-1252, ISO-8859-1, ASCII)
 * an ASCII letter byte is always a whole character, so ASCII letters are left
 * to the finds' own ASCII case folding (`ignoreCase`, which the native find
 * runs as a fast either-case scan); only the other folds go into the mask.
 * In UTF-16 an ASCII letter byte may be half of another character (U+4141),
 * so there `ignoreCase` stays off and every fold is in the mask, which also
 * folds a letter's low byte only where its other byte is the one it needs.
 */
import type { TextCodec } from './types';

export interface TextQuery {
  pattern: Uint8Array;
  /** Bits that must match per byte (absent: all). */
  mask?: Uint8Array;
  /** Fold ASCII letters (the finds' built-in rule). */
  ignoreCase: boolean;
}

const isAsciiLetter = (b: number): boolean => (b >= 0x41 && b <= 0x5a) || (b >= 0x61 && b <= 0x7a);

/** The other case of a character, when it has exactly one that is a single code point. */
function casePartner(ch: string): string | undefined {
  const forms = new Set([ch.toLowerCase(), ch.toUpperCase()]);
  forms.delete(ch);
  const partners = [...forms].filter((f) => [...f].length === 1);
  return partners.length === 1 && forms.size === 1 ? partners[0] : undefined;
}

/** The query's bytes in `codec`, or the first character it cannot represent. */
export function compileTextQuery(codec: TextCodec, text: string, ignoreCase: boolean): TextQuery | { unencodable: string } {
  const whole = codec.encode(text);
  if ('unencodable' in whole) return whole;
  if (!ignoreCase) return { pattern: whole.bytes, ignoreCase: false };
  const asciiCompatible = codec.unitSize === 1;
  const mask = new Uint8Array(whole.bytes.length).fill(0xff);
  let at = 0;
  for (const ch of text) {
    const own = codec.encode(ch);
    if ('unencodable' in own) return own;
    const bytes = own.bytes;
    const partner = casePartner(ch);
    const other = partner === undefined ? undefined : codec.encode(partner);
    if (other && 'bytes' in other && other.bytes.length === bytes.length) {
      let differing = -1;
      let bits = 0;
      for (let k = 0; k < bytes.length; k++) {
        const x = bytes[k] ^ other.bytes[k];
        if (x === 0) continue;
        differing = differing === -1 ? k : -2;
        bits = x;
      }
      const oneBit = differing >= 0 && (bits & (bits - 1)) === 0;
      const leftToIgnoreCase = asciiCompatible && bytes.length === 1 && isAsciiLetter(bytes[0]);
      if (oneBit && !leftToIgnoreCase) mask[at + differing] = 0xff & ~bits;
    }
    at += bytes.length;
  }
  const masked = mask.some((m) => m !== 0xff);
  return { pattern: whole.bytes, mask: masked ? mask : undefined, ignoreCase: asciiCompatible };
}
