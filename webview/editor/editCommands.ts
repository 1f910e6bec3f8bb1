/**
 * The edits the keyboard and the clipboard make, in both modes:
 *
 * - Typing: overwrite mode writes over the bytes at the cursor; insert mode
 *   puts new bytes before it. In the hex pane the digits are the cell
 *   format's (hex, decimal, octal, binary), typed left to right into the
 *   cursor byte's cell; in insert mode the first digit inserts a byte and
 *   the next ones complete that same byte. All the digits of one cell are
 *   one undo step (the later ones amend the first's edit).
 * - Delete / Backspace remove the selection, or one byte at (Delete) or
 *   before (Backspace) the cursor — in the text pane one whole character,
 *   cut where the text pane draws it (the encoding's codec, shared/encodings). They remove bytes in
 *   overwrite mode too, as HxD does: zeroing bytes instead would be a
 *   surprising "delete", and overwrite mode's promise is about typing.
 * - Paste (and Cut's delete) go through `replaceSelection` / `insertAt`.
 */
import { newTextUnit } from '../../shared/encodings';
import type { HexEditor } from './editor';
import { cellDigits, cellTexts, formatName, parseCellDigit, withDigit } from './layout';

/** The selected bytes as [start, end) clamped to the file, or undefined with only a cursor. */
export function selectedRange(editor: HexEditor): { start: number; end: number } | undefined {
  const sel = editor.sel;
  if (!sel.hasRange) return undefined;
  const end = Math.min(editor.fileSize, sel.end + 1);
  return end > sel.start ? { start: sel.start, end } : undefined;
}

/**
 * The character (unit of the text encoding: 1..4 bytes, an invalid one alone) covering
 * `offset`, found the way the text pane draws it: from the nearest byte
 * that starts a unit. Undefined while those bytes are not loaded.
 */
export function unitAt(editor: HexEditor, offset: number): { start: number; length: number } | undefined {
  if (offset < 0 || offset >= editor.fileSize) return undefined;
  const from = Math.max(0, offset - 3);
  const to = Math.min(editor.fileSize, offset + 4);
  const bytes = editor.knownBytes(from, to - from);
  if (!bytes) return undefined;
  const codec = editor.codec;
  let p = codec.syncPoint(bytes, offset - from, 0, from);
  const u = newTextUnit();
  for (;;) {
    codec.decodeUnit(bytes, p, bytes.length, from + p, u);
    // The last byte of the window may look truncated only because the window ends: fine, it is past `offset`.
    if (p + u.length > offset - from) return { start: from + p, length: u.length };
    p += u.length;
  }
}

/** Inserts `bytes` at `offset` and puts the cursor after them. */
export function insertAt(editor: HexEditor, offset: number, bytes: Uint8Array, label: string): boolean {
  if (!editor.replace(offset, 0, bytes, label)) return false;
  editor.moveCursor(offset + bytes.length, false);
  return true;
}

/** Replaces the selection (or, with none, inserts at the cursor) with `bytes`; the cursor goes after them. */
export function replaceSelection(editor: HexEditor, bytes: Uint8Array, label: string): boolean {
  const range = selectedRange(editor);
  if (!range) return insertAt(editor, editor.sel.cursor, bytes, label);
  if (!editor.replace(range.start, range.end - range.start, bytes, label)) return false;
  editor.moveCursor(range.start + bytes.length, false);
  return true;
}

/** Delete (forward) or Backspace: the selection, else one byte or character at / before the cursor. */
export function deleteAtCursor(editor: HexEditor, backward: boolean): boolean {
  if (!editor.canEdit()) return true;
  const range = selectedRange(editor);
  let start: number;
  let length: number;
  if (range) {
    start = range.start;
    length = range.end - range.start;
  } else {
    const at = backward ? editor.sel.cursor - 1 : editor.sel.cursor;
    if (at < 0 || at >= editor.fileSize) return true;
    if (editor.sel.pane === 'text') {
      const unit = unitAt(editor, at);
      if (!unit) { editor.notify('info', 'The bytes at the cursor are still loading; try again in a moment.'); return true; }
      ({ start, length } = unit);
    } else {
      start = at;
      length = 1;
    }
  }
  if (editor.replace(start, length, new Uint8Array(0), backward ? 'Backspace' : 'Delete')) {
    editor.moveCursor(Math.min(start, editor.lastCursor), false);
  }
  return true;
}

/**
 * The byte whose digits are being typed and its value so far. WHY: after an
 * insert the cached windows are stale until the host's bytes arrive, so the
 * next digit must not wait for them.
 */
let typing: { offset: number; value: number } | undefined;

/**
 * A digit of the cell format (hex: 0-9 a-f; decimal 0-9; octal 0-7; binary
 * 0-1) typed in the hex pane: it replaces the digit at the typing position
 * of the cursor byte's cell, left to right, and after the cell's last digit
 * the cursor moves to the next byte. In insert mode the first digit inserts
 * a byte (its other digits 0). Past 255 the digits after it become 0
 * (layout.ts withDigit); a digit that cannot fit at all (a decimal "3" in
 * the hundreds) is refused with a message.
 */
export function typeCellDigit(editor: HexEditor, key: string): boolean {
  const format = editor.layout.cellFormat;
  const digit = parseCellDigit(key, format);
  if (digit === undefined) return false;
  if (!editor.canEdit()) return true;
  const sel = editor.sel;
  const offset = sel.cursor;
  const refuse = (): boolean => {
    editor.notify('info', `A ${formatName(format)} cell holds ${cellTexts(format)[0]} to ${cellTexts(format)[255]}: ${key} cannot go there.`);
    return true;
  };
  if (editor.insertMode && sel.digit === 0) {
    const value = withDigit(0, 0, digit, format);
    if (value === undefined) return refuse();
    // Typing over a selection replaces it, as in a text editor.
    const range = selectedRange(editor);
    const at = range ? range.start : offset;
    if (!editor.replace(at, range ? range.end - range.start : 0, Uint8Array.of(value), `Type ${formatName(format)}`)) return true;
    editor.moveCursor(at, false);
    sel.digit = 1;
    typing = { offset: at, value };
    return true;
  }
  if (editor.fileSize === 0 || offset >= editor.fileSize) return true;
  // A further digit of the cell being typed amends that edit: the whole byte is one undo step.
  const continuing = typing !== undefined && typing.offset === offset && sel.digit > 0;
  const known = continuing ? typing!.value : editor.knownBytes(offset, 1)?.[0];
  if (known === undefined) { editor.notify('info', 'The bytes at the cursor are still loading; try again in a moment.'); return true; }
  const position = sel.digit;
  const value = withDigit(known, position, digit, format);
  if (value === undefined) return refuse();
  if (!editor.edit(offset, Uint8Array.of(value), `Type ${formatName(format)}`, continuing)) return true;
  if (position + 1 < cellDigits(format)) {
    editor.moveCursor(offset, false);
    sel.digit = position + 1;
    typing = { offset, value };
  } else {
    typing = undefined;
    editor.moveCursor(Math.min(offset + 1, editor.lastCursor), false);
  }
  return true;
}

/** A character in the text pane: its bytes in the text encoding over the cursor's, or inserted before it. */
export function typeCharacter(editor: HexEditor, key: string): boolean {
  if (!editor.canEdit()) return true;
  const encoded = editor.codec.encode(String.fromCodePoint(key.codePointAt(0)!));
  if ('unencodable' in encoded) {
    editor.notify('warning', `${editor.codec.label} cannot represent "${encoded.unencodable}"; nothing was typed.`);
    return true;
  }
  const bytes = encoded.bytes;
  if (editor.insertMode) {
    replaceSelection(editor, bytes, 'Type text');
    return true;
  }
  if (editor.fileSize === 0) return true;
  const offset = editor.sel.cursor;
  if (editor.edit(offset, bytes, 'Type text')) {
    editor.moveCursor(Math.min(offset + bytes.length, editor.fileSize - 1), false);
  }
  return true;
}
