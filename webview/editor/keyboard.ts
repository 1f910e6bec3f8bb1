/**
 * Keys on the grid: navigation (arrows, PgUp/PgDn, Home/End, Ctrl+Home/End,
 * shift to extend), Tab to switch panes, and overwrite typing — hex digits
 * edit nibbles in the hex pane; in the text pane a typed character writes
 * its UTF-8 encoding over as many bytes as it needs. Undo/redo/save keys are
 * left alone: VS Code owns them.
 */
import { encodeCodePoint } from '../../shared/utf8';
import type { HexEditor } from './editor';

export interface KeyboardActions {
  openFind(): void;
  openGoto(): void;
}

export function installKeyboard(editor: HexEditor, actions: KeyboardActions): void {
  editor.grid.addEventListener('keydown', (e) => {
    if (handleKey(editor, actions, e)) {
      e.preventDefault();
      e.stopPropagation();
    }
  });
}

function handleKey(editor: HexEditor, actions: KeyboardActions, e: KeyboardEvent): boolean {
  const bpr = editor.bytesPerRow;
  const sel = editor.sel;
  const ctrl = e.ctrlKey || e.metaKey;
  const extend = e.shiftKey;
  const rowStart = sel.cursor - (sel.cursor % bpr);
  const page = editor.scroll.fullRows;
  switch (e.key) {
    case 'ArrowLeft': editor.moveCursor(sel.cursor - 1, extend); return true;
    case 'ArrowRight': editor.moveCursor(sel.cursor + 1, extend); return true;
    case 'ArrowUp':
      if (ctrl) { editor.scrollRows(-1); return true; }
      if (sel.cursor >= bpr) editor.moveCursor(sel.cursor - bpr, extend);
      return true;
    case 'ArrowDown':
      if (ctrl) { editor.scrollRows(1); return true; }
      if (sel.cursor + bpr < editor.fileSize) editor.moveCursor(sel.cursor + bpr, extend);
      else editor.moveCursor(editor.fileSize - 1, extend);
      return true;
    case 'PageUp': {
      // Scroll the view and the cursor together by one page, as text editors do.
      editor.scrollRows(-page);
      editor.moveCursor(Math.max(sel.cursor % bpr, sel.cursor - page * bpr), extend);
      return true;
    }
    case 'PageDown': {
      editor.scrollRows(page);
      const target = sel.cursor + page * bpr;
      editor.moveCursor(target < editor.fileSize ? target : editor.fileSize - 1, extend);
      return true;
    }
    case 'Home': editor.moveCursor(ctrl ? 0 : rowStart, extend); return true;
    case 'End': editor.moveCursor(ctrl ? editor.fileSize - 1 : Math.min(editor.fileSize - 1, rowStart + bpr - 1), extend); return true;
    case 'Tab':
      if (ctrl || e.altKey) return false;
      editor.setPane(sel.pane === 'hex' ? 'text' : 'hex');
      return true;
    case 'Escape':
      if (sel.cursor !== sel.anchor) { editor.moveCursor(sel.cursor, false); return true; }
      return false;
    default:
  }
  if (ctrl && !e.altKey) {
    const k = e.key.toLowerCase();
    if (k === 'f') { actions.openFind(); return true; }
    if (k === 'g') { actions.openGoto(); return true; }
    // Ctrl+C / Ctrl+V are left to the browser: they fire 'copy' / 'paste'
    // events (clipboard.ts), which is also what VS Code's own copy/paste
    // commands trigger in a webview — handling the key too would copy twice.
    if (k === 'a') { editor.select(0, editor.fileSize); return true; }
    return false; // Ctrl+Z/Y/S etc. belong to VS Code
  }
  if (e.altKey || e.isComposing) return false;
  if ([...e.key].length !== 1) return false; // named keys: Shift, F5, Enter, ...
  return sel.pane === 'hex' ? typeHexDigit(editor, e.key) : typeCharacter(editor, e.key);
}

/** A hex digit overwrites the high nibble, then the low one, then moves on. */
export function typeHexDigit(editor: HexEditor, key: string): boolean {
  if (!/^[0-9a-f]$/i.test(key)) return false;
  if (editor.fileSize === 0 || !editor.canEdit()) return true;
  const sel = editor.sel;
  const offset = sel.cursor;
  const old = editor.knownBytes(offset, 1);
  if (!old) { editor.notify('info', 'The bytes at the cursor are still loading; try again in a moment.'); return true; }
  const digit = parseInt(key, 16);
  const nibble = sel.nibble;
  const value = nibble === 0 ? (digit << 4) | (old[0] & 0x0f) : (old[0] & 0xf0) | digit;
  if (!editor.edit(offset, Uint8Array.of(value), 'Type hex')) return true;
  if (nibble === 0) {
    editor.moveCursor(offset, false);
    sel.nibble = 1;
  } else {
    editor.moveCursor(Math.min(offset + 1, editor.fileSize - 1), false);
  }
  return true;
}

/** A character in the text pane becomes its UTF-8 bytes at the cursor. */
export function typeCharacter(editor: HexEditor, key: string): boolean {
  const codePoint = key.codePointAt(0)!;
  if (editor.fileSize === 0 || !editor.canEdit()) return true;
  const bytes = encodeCodePoint(codePoint);
  const offset = editor.sel.cursor;
  if (editor.edit(offset, bytes, 'Type text')) {
    editor.moveCursor(Math.min(offset + bytes.length, editor.fileSize - 1), false);
  }
  return true;
}
