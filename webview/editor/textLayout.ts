/**
 * Turns the bytes of the visible span into what each cell shows, in the
 * document's text encoding, through that encoding's one shared codec
 * (shared/encodings). The span comes with up to 3 bytes of context on each
 * side, so a character cut by the top or bottom of the view (or by a 64 KiB
 * window edge) decodes whole, a UTF-16 surrogate pair too: it is drawn once,
 * at its first byte, and every byte of it knows its place in the character.
 */
import { codecFor, decodeTextSpan, type TextCodec } from '../../shared/encodings';
import { isNonPrintable } from '../../shared/utf8';

/**
 * What a byte is in the text: a character of one byte (`Ascii`: in UTF-8
 * an ASCII byte, in the single-byte encodings every valid byte), the first
 * or a later byte of a longer character, part of an invalid unit, or not
 * loaded yet.
 */
export const enum ByteClass { Ascii = 0, Lead = 1, Continuation = 2, Invalid = 3, Unknown = 4 }

/** What the cells of [start, start+length) show. Index i is file offset start+i. */
export interface TextLayout {
  start: number;
  length: number;
  cls: Uint8Array;
  /** Position of the byte inside its unit (0 = first byte). */
  pos: Uint8Array;
  /** Length of the unit the byte belongs to (1..4). */
  len: Uint8Array;
  /** Glyph drawn at a unit's first byte ('' elsewhere). */
  glyph: string[];
  /** 1 when the glyph is a stand-in (control picture, dot): drawn dim. */
  dim: Uint8Array;
  /** Code point of the unit at each unit's first byte (0xFFFD for invalid). */
  codePoint: Uint32Array;
}

const COMBINING = /^\p{M}/u;
const DOTTED_CIRCLE = '\u25cc';
const MIDDLE_DOT = '\u00b7';
/**
 * The common controls get a symbol of their own; the rest a middle dot.
 * WHY not U+2400 "control pictures": few monospace fonts have them (DejaVu
 * Sans Mono, VS Code's default on Linux, does not), and a missing glyph is a
 * tofu box; these arrows are in every common programming font.
 */
const CONTROL_SYMBOLS: Record<number, string> = {
  0x00: '\u22c4', // ⋄ NUL
  0x09: '\u21e5', // ⇥ TAB
  0x0a: '\u21b5', // ↵ LF
  0x0d: '\u2190', // ← CR
};

/** Every stand-in glyph this file draws (the painter loads their fonts early). */
export const STAND_IN_GLYPHS = Object.values(CONTROL_SYMBOLS).join('') + MIDDLE_DOT + DOTTED_CIRCLE + '\ufffd';

/** The glyph a code point is drawn as, and whether it is a dim stand-in. */
export function glyphFor(codePoint: number, valid: boolean): { text: string; dim: boolean } {
  if (!valid) return { text: '\ufffd', dim: false };
  const control = CONTROL_SYMBOLS[codePoint];
  if (control) return { text: control, dim: true };
  if (codePoint < 0x20 || codePoint === 0x7f) return { text: MIDDLE_DOT, dim: true };
  if (isNonPrintable(codePoint)) return { text: MIDDLE_DOT, dim: true };
  const text = String.fromCodePoint(codePoint);
  // A combining mark alone would sit on the previous cell's glyph: give it a base.
  if (COMBINING.test(text)) return { text: DOTTED_CIRCLE + text, dim: false };
  return { text, dim: false };
}

/**
 * `bytes` holds [dataOffset, dataOffset+bytes.length) of the file; the
 * layout covers [start, start+length) inside it. `known` (null = all) marks
 * bytes that have arrived; unknown bytes get class Unknown and break units.
 */
export function layoutSpan(bytes: Uint8Array, dataOffset: number, start: number, length: number, known: Uint8Array | null,
  codec: TextCodec = codecFor('utf-8')): TextLayout {
  const out: TextLayout = {
    start, length,
    cls: new Uint8Array(length), pos: new Uint8Array(length), len: new Uint8Array(length).fill(1),
    glyph: new Array<string>(length).fill(''), dim: new Uint8Array(length), codePoint: new Uint32Array(length),
  };
  if (length === 0) return out;
  const from = start - dataOffset;
  const to = from + length;
  // Decode each run of known bytes separately, so a missing byte never gets
  // glued into a neighbour's character.
  let runStart = 0;
  while (runStart < bytes.length) {
    while (runStart < bytes.length && known && !known[runStart]) runStart++;
    let runEnd = runStart;
    while (runEnd < bytes.length && (!known || known[runEnd])) runEnd++;
    if (runEnd > runStart && runEnd > from && runStart < to) {
      const units = decodeTextSpan(codec, bytes, Math.max(from, runStart), Math.min(to, runEnd), dataOffset, runStart, runEnd);
      for (const u of units) {
        const valid = u.status === 'valid';
        const g = glyphFor(u.codePoint, valid);
        for (let k = 0; k < u.length; k++) {
          const i = u.start + k - from;
          if (i < 0 || i >= length) continue;
          out.pos[i] = k;
          out.len[i] = u.length;
          out.cls[i] = !valid ? ByteClass.Invalid : u.length === 1 ? ByteClass.Ascii : k === 0 ? ByteClass.Lead : ByteClass.Continuation;
          if (k === 0) {
            out.glyph[i] = g.text;
            out.dim[i] = g.dim ? 1 : 0;
            out.codePoint[i] = u.codePoint;
          }
        }
      }
    }
    runStart = Math.max(runEnd, runStart + 1);
  }
  if (known) {
    for (let i = 0; i < length; i++) if (!known[from + i]) out.cls[i] = ByteClass.Unknown;
  }
  return out;
}
