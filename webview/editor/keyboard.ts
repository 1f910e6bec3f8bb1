/**
 * Keys on the grid: navigation (arrows, PgUp/PgDn, Home/End, Ctrl+Home/End,
 * shift to extend), Tab to switch panes, Insert to toggle insert/overwrite
 * mode, Delete/Backspace, and typing (editCommands.ts): the cell format's
 * digits in the hex pane, characters in the text encoding in the text pane. Undo/redo/save keys are
 * left alone: VS Code owns them.
 */
import { deleteAtCursor, typeCellDigit, typeCharacter } from './editCommands';
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
      // One key, one move: drawn now, so the coming frame shows it (a held key repeats slower than frames).
      editor.flushFrame();
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
      if (sel.cursor + bpr <= editor.lastCursor) editor.moveCursor(sel.cursor + bpr, extend);
      else editor.moveCursor(editor.lastCursor, extend);
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
    case 'End': editor.moveCursor(ctrl ? editor.lastCursor : Math.min(editor.lastCursor, rowStart + bpr - 1), extend); return true;
    case 'Insert':
      if (ctrl || e.altKey || e.shiftKey) return false; // Ctrl+Insert / Shift+Insert: copy and paste
      editor.setInsertMode(!editor.insertMode, true);
      return true;
    case 'Delete':
    case 'Backspace':
      if (ctrl || e.altKey) return false;
      return deleteAtCursor(editor, e.key === 'Backspace');
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
  return sel.pane === 'hex' ? typeCellDigit(editor, e.key) : typeCharacter(editor, e.key);
}
