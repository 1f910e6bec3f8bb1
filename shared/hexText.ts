/**
 * Hex text pasted as bytes: "48 65 6C", "48656c", "0x48, 0x65", "\x48\x65",
 * spread over lines, are all the same two or three bytes. Pure, for the
 * editor webview's paste and the tests.
 *
 * The text is tokens between separators (white space and commas). A token
 * is hex digits, two per byte; or `0x` followed by hex digits (one digit is
 * allowed there, as C arrays write 0x0); or a run of `\xhh` escapes. Anything
 * else is refused with where it is, never guessed at: pasting the wrong
 * bytes over a file is worse than pasting none.
 */

export type HexTextResult = { bytes: Uint8Array } | { error: string; index: number };

const digit = (c: number): number =>
  c >= 0x30 && c <= 0x39 ? c - 0x30 : c >= 0x41 && c <= 0x46 ? c - 0x37 : c >= 0x61 && c <= 0x66 ? c - 0x57 : -1;
const isSeparator = (c: number) => c === 0x20 || c === 0x09 || c === 0x0a || c === 0x0d || c === 0x0c || c === 0x0b || c === 0x2c;

export function parseHexText(text: string): HexTextResult {
  const out = new Uint8Array(Math.ceil(text.length / 2));
  let n = 0;
  let i = 0;
  const fail = (index: number, what: string): HexTextResult => {
    const before = text.slice(0, index);
    const line = before.split('\n').length;
    const column = index - before.lastIndexOf('\n');
    return { error: `${what} (line ${line}, column ${column})`, index };
  };
  const quote = (from: number) => {
    let to = from;
    while (to < text.length && !isSeparator(text.charCodeAt(to))) to++;
    const token = text.slice(from, to);
    return JSON.stringify(token.length > 20 ? `${token.slice(0, 20)}…` : token);
  };
  while (i < text.length) {
    const c = text.charCodeAt(i);
    if (isSeparator(c)) { i++; continue; }
    const start = i;
    if (c === 0x5c /* \ */) {
      // A run of \xhh escapes, as in C and Python string literals.
      while (i < text.length && !isSeparator(text.charCodeAt(i))) {
        const hi = digit(text.charCodeAt(i + 2));
        const lo = digit(text.charCodeAt(i + 3));
        if (text.charCodeAt(i) !== 0x5c || (text.charCodeAt(i + 1) | 0x20) !== 0x78 || hi < 0 || lo < 0) {
          return fail(i, `${quote(start)} is not a run of \\xhh escapes`);
        }
        out[n++] = (hi << 4) | lo;
        i += 4;
      }
      continue;
    }
    const prefixed = c === 0x30 && (text.charCodeAt(i + 1) | 0x20) === 0x78;
    if (prefixed) i += 2;
    const digitsFrom = i;
    while (i < text.length && !isSeparator(text.charCodeAt(i))) {
      if (digit(text.charCodeAt(i)) < 0) return fail(i, `${JSON.stringify(text[i])} in ${quote(start)} is not a hex digit`);
      i++;
    }
    const count = i - digitsFrom;
    if (count === 0) return fail(start, `${quote(start)} has no hex digits after 0x`);
    if (prefixed && count === 1) {
      out[n++] = digit(text.charCodeAt(digitsFrom));
      continue;
    }
    if (count % 2) return fail(start, `${quote(start)} has an odd number of hex digits (${count}); each byte takes two`);
    for (let k = digitsFrom; k < i; k += 2) out[n++] = (digit(text.charCodeAt(k)) << 4) | digit(text.charCodeAt(k + 1));
  }
  if (n === 0) return { error: 'there are no hex digits to paste', index: 0 };
  return { bytes: out.slice(0, n) };
}
