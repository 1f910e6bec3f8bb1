/**
 * Paste overwrites from the start of the selection: in the hex pane text
 * that parses as hex ("DE AD BE EF", "0xde,0xad") is taken as bytes;
 * anything else (and everything in the text pane) as UTF-8 text. Copy puts
 * the selection on the clipboard as hex (hex pane) or decoded text (text
 * pane); the host's "Copy As…" offers the other formats.
 */
import type { ReadRequest } from '../../shared/protocol';
import { groupDigits, type HexEditor } from './editor';
import { formatHex, parseHexBytes } from './hexInput';

/** Largest selection copied from the webview; bigger ones go through "Copy As…". */
const MAX_COPY = 1 << 20;

export function bytesForPaste(text: string, pane: 'hex' | 'text'): { bytes: Uint8Array; asHex: boolean } {
  if (pane === 'hex') {
    const hex = parseHexBytes(text);
    if (hex) return { bytes: hex, asHex: true };
  }
  return { bytes: new TextEncoder().encode(text), asHex: false };
}

export function pasteText(editor: HexEditor, text: string): void {
  if (!text || editor.fileSize === 0 || !editor.canEdit()) return;
  const { bytes, asHex } = bytesForPaste(text, editor.sel.pane);
  const offset = editor.sel.start;
  if (editor.edit(offset, bytes, asHex ? 'Paste hex' : 'Paste text')) {
    editor.moveCursor(Math.min(offset + bytes.length, editor.fileSize - 1), false);
  }
}

export function installClipboard(editor: HexEditor): { copy(): void } {
  editor.grid.addEventListener('paste', (e) => {
    e.preventDefault();
    pasteText(editor, e.clipboardData?.getData('text/plain') ?? '');
  });
  const copy = async (): Promise<void> => {
    const { start, length } = editor.sel;
    if (length > MAX_COPY) {
      editor.notify('warning', `The selection is ${groupDigits(length)} bytes; copy up to 1 MiB here, or use "Hexmap: Copy As…" for larger selections.`);
      return;
    }
    const read: ReadRequest = { kind: 'read', offset: start, length };
    const bytes: Uint8Array = editor.knownBytes(start, length) ?? (await editor.channel.request(read).result).bytes;
    const text = editor.sel.pane === 'hex' ? formatHex(bytes) : new TextDecoder().decode(bytes);
    try {
      await navigator.clipboard.writeText(text);
      editor.notify('info', `Copied ${groupDigits(length)} byte(s) as ${editor.sel.pane === 'hex' ? 'hex' : 'UTF-8 text'}.`, );
    } catch {
      editor.notify('error', 'The clipboard refused the copy.');
    }
  };
  editor.grid.addEventListener('copy', (e) => { e.preventDefault(); void copy(); });
  return { copy: () => void copy() };
}
