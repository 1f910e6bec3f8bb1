/**
 * Parses what the user types into "Go to offset": the editor's Ctrl+G widget
 * and the host's `hexmap.goToOffset` command share it, so both accept and
 * reject exactly the same input with the same words.
 *
 *   1234, 0x4D2       absolute (decimal or 0x hex; '_' and spaces ignored)
 *   +16, -0x10        relative to the cursor
 *   end-16, --16      counting back from the end of the file (end = size)
 *   end               the last byte
 *
 * WHY two spellings for "from the end": the issue asks both for "+/-
 * relative" and for "a negative number counts from the end". A bare '-N'
 * cannot mean both, and relative moves are the more common need while
 * navigating, so '-N' is relative and a number negated once more ('--N', read
 * "minus minus N": negative, from the end) or the explicit 'end-N' counts
 * from the end. The widget's placeholder shows these forms.
 * Offsets are parsed as BigInt so a 20-digit typo is reported as out of range
 * instead of silently rounding to a nearby double.
 */

export type GotoResult = { ok: true; offset: number } | { ok: false; error: string };

export interface GotoContext {
  /** Current cursor offset (for +N / -N). */
  cursor: number;
  /** File size in bytes; valid targets are 0..size-1 (0 for an empty file). */
  size: number;
}

const NUMBER = /^(0x[0-9a-f]+|[0-9]+)$/i;

function parseMagnitude(text: string): bigint | undefined {
  const t = text.replace(/[_\s]/g, '');
  if (!NUMBER.test(t)) return undefined;
  return BigInt(t.toLowerCase().startsWith('0x') ? t : t.replace(/^0+(?=\d)/, ''));
}

export function parseGotoOffset(input: string, ctx: GotoContext): GotoResult {
  const text = input.trim();
  if (ctx.size === 0) return { ok: false, error: 'The file is empty (0 bytes): there is no offset to go to.' };
  if (text === '') return { ok: false, error: 'Type an offset: 1234, 0x4D2, +16, -16, or end-16 / --16 to count from the end.' };

  let base: bigint;
  let sign: 1n | -1n = 1n;
  let rest: string;
  const lower = text.toLowerCase();
  if (lower.startsWith('end')) {
    base = BigInt(ctx.size);
    rest = text.slice(3).trim();
    if (rest === '') return clamp(base - 1n, ctx, text);
    if (rest[0] !== '-') return { ok: false, error: `"${text}" is not an offset: after "end" write "-N" (e.g. end-16).` };
    sign = -1n;
    rest = rest.slice(1);
  } else if (text.startsWith('--')) {
    base = BigInt(ctx.size);
    sign = -1n;
    rest = text.slice(2);
  } else if (text[0] === '+' || text[0] === '-') {
    base = BigInt(ctx.cursor);
    sign = text[0] === '-' ? -1n : 1n;
    rest = text.slice(1);
  } else {
    base = 0n;
    rest = text;
  }
  const magnitude = parseMagnitude(rest.trim());
  if (magnitude === undefined) {
    return { ok: false, error: `"${text}" is not an offset. Use decimal (1234), hex (0x4D2), relative (+16, -16) or from the end (end-16).` };
  }
  return clamp(base + sign * magnitude, ctx, text);
}

function clamp(target: bigint, ctx: GotoContext, text: string): GotoResult {
  const last = BigInt(Math.max(0, ctx.size - 1));
  if (target < 0n || target > last) {
    return {
      ok: false,
      error: `Offset ${text} is out of range: the file has ${ctx.size.toLocaleString('en-US')} bytes (valid offsets 0..${last} = 0x0..0x${last.toString(16).toUpperCase()}).`,
    };
  }
  return { ok: true, offset: Number(target) };
}
