/**
 * Reading bytes typed or pasted as hex: "4F 6B", "4f6b", "0x4F,0x6B",
 * "\x4f\x6b" — and, for find patterns, "??" wildcards.
 */

export interface HexPattern {
  pattern: Uint8Array;
  /** mask[i] === 0: byte i is a wildcard. Undefined when there is none. */
  mask?: Uint8Array;
}

/** Removes separators and per-byte prefixes; undefined when something else is left. */
function hexTokens(text: string, allowWildcards: boolean): string[] | undefined {
  const cleaned = text.trim().replace(/0x|\\x/gi, ' ').replace(/[\s,;:]+/g, ' ').trim();
  if (cleaned === '') return undefined;
  const tokens: string[] = [];
  for (const group of cleaned.split(' ')) {
    const re = allowWildcards ? /^(?:[0-9a-f]{2}|\?\?)+$/i : /^(?:[0-9a-f]{2})+$/i;
    if (!re.test(group)) {
      // A lone digit ("A" or "0x5") is one byte when it stands alone between separators.
      if (/^[0-9a-f]$/i.test(group)) { tokens.push('0' + group); continue; }
      return undefined;
    }
    for (let i = 0; i < group.length; i += 2) tokens.push(group.slice(i, i + 2));
  }
  return tokens;
}

/** Bytes of a hex string, or undefined when the text is not hex. */
export function parseHexBytes(text: string): Uint8Array | undefined {
  const tokens = hexTokens(text, false);
  return tokens && Uint8Array.from(tokens, (t) => parseInt(t, 16));
}

/** A find pattern in hex with optional ?? wildcards; an error message otherwise. */
export function parseHexPattern(text: string): HexPattern | { error: string } {
  const tokens = hexTokens(text, true);
  if (!tokens) return { error: 'Hex pattern: pairs of hex digits, e.g. "E2 82 AC" or "4F ?? 0A" (?? matches any byte).' };
  const pattern = Uint8Array.from(tokens, (t) => (t === '??' ? 0 : parseInt(t, 16)));
  if (!tokens.includes('??')) return { pattern };
  if (tokens.every((t) => t === '??')) return { error: 'A pattern of only ?? wildcards matches everything; add at least one byte.' };
  return { pattern, mask: Uint8Array.from(tokens, (t) => (t === '??' ? 0 : 0xff)) };
}

const HEX = Array.from({ length: 256 }, (_, b) => b.toString(16).toUpperCase().padStart(2, '0'));

export function formatHex(bytes: Uint8Array): string {
  const parts = new Array<string>(bytes.length);
  for (let i = 0; i < bytes.length; i++) parts[i] = HEX[bytes[i]];
  return parts.join(' ');
}
