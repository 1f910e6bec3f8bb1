/**
 * Paste: in the hex pane, text written as hex ("DE AD BE EF", "0xde,0xad",
 * "\xde\xad") is taken as those bytes (shared/hexText.ts); text with other
 * letters is text; hex with a mistake (an odd digit count, "0xZZ") is
 * refused with where the mistake is — guessing would write wrong bytes. In
 * the text pane text is always text. Text is written and copied in the
 * text pane's encoding (a character it cannot represent refuses the paste). Overwrite mode writes over the bytes
 * from the start of the selection; insert mode inserts at the cursor, or
 * replaces the selection when there is one. Copy puts the selection on the
 * clipboard as hex (hex pane) or decoded text (text pane); Cut copies and
 * then deletes it. The host's "Copy As…" offers the other formats.
 */
import { parseHexText } from '../../shared/hexText';
import type { ReadRequest } from '../../shared/protocol';
import { deleteAtCursor, replaceSelection } from './editCommands';
import { groupDigits, type HexEditor } from './editor';
import { formatHex } from './hexInput';
import { codecFor, decodeText, type TextCodec } from '../../shared/encodings';

/** Only hex digits, separators and the 0x / \x prefixes: the text means to be hex. */
const LOOKS_HEX = /^[\s,0-9a-fA-FxX\\]*$/;

/** Largest selection copied from the webview; bigger ones go through "Copy As…". */
const MAX_COPY = 1 << 20;

export function bytesForPaste(text: string, pane: 'hex' | 'text', codec: TextCodec = codecFor('utf-8')): { bytes: Uint8Array; asHex: boolean } | { error: string } {
  if (pane === 'hex' && LOOKS_HEX.test(text) && /[0-9a-f]/i.test(text)) {
    const hex = parseHexText(text);
    return 'bytes' in hex ? { bytes: hex.bytes, asHex: true } : { error: `Not pasted: the hex text is malformed: ${hex.error}. Nothing was changed.` };
  }
  const encoded = codec.encode(text);
  if ('unencodable' in encoded) return { error: `Not pasted: ${codec.label} cannot represent "${encoded.unencodable}". Nothing was changed.` };
  return { bytes: encoded.bytes, asHex: false };
}

export function pasteText(editor: HexEditor, text: string): void {
  if (!text || !editor.canEdit()) return;
  const parsed = bytesForPaste(text, editor.sel.pane, editor.codec);
  if ('error' in parsed) { editor.notify('warning', parsed.error); return; }
  const { bytes, asHex } = parsed;
  const label = asHex ? 'Paste hex' : 'Paste text';
  if (editor.insertMode) { replaceSelection(editor, bytes, label); return; }
  if (editor.fileSize === 0) return;
  const offset = editor.sel.start;
  if (editor.edit(offset, bytes, label)) {
    editor.moveCursor(Math.min(offset + bytes.length, editor.fileSize - 1), false);
  }
}

export function installClipboard(editor: HexEditor): { copy(): void } {
  editor.grid.addEventListener('paste', (e) => {
    e.preventDefault();
    pasteText(editor, e.clipboardData?.getData('text/plain') ?? '');
  });
  const copy = async (): Promise<boolean> => {
    const start = editor.sel.start;
    const length = Math.min(editor.sel.end + 1, editor.fileSize) - start;
    if (length <= 0) return false;
    if (length > MAX_COPY) {
      editor.notify('warning', `The selection is ${groupDigits(length)} bytes; copy up to 1 MiB here, or use "Hexmap: Copy As…" for larger selections.`);
      return false;
    }
    const read: ReadRequest = { kind: 'read', offset: start, length };
    const bytes: Uint8Array = editor.knownBytes(start, length) ?? (await editor.channel.request(read).result).bytes;
    const text = editor.sel.pane === 'hex' ? formatHex(bytes) : decodeText(editor.codec, bytes, start);
    try {
      await navigator.clipboard.writeText(text);
      editor.notify('info', `Copied ${groupDigits(length)} byte(s) as ${editor.sel.pane === 'hex' ? 'hex' : `${editor.codec.label} text`}.`, );
      return true;
    } catch {
      editor.notify('error', 'The clipboard refused the copy.');
      return false;
    }
  };
  editor.grid.addEventListener('copy', (e) => { e.preventDefault(); void copy(); });
  editor.grid.addEventListener('cut', (e) => {
    e.preventDefault();
    if (!editor.canEdit() || editor.fileSize === 0) return;
    // The selection is deleted only once its bytes are on the clipboard.
    void copy().then((copied) => { if (copied) deleteAtCursor(editor, false); });
  });
  return { copy: () => void copy() };
}
