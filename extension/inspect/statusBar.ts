/**
 * Status bar items for the active Hexmap editor: cursor offset (hex and
 * decimal), the selection in bytes AND characters in the file's text
 * encoding (a snake emoji is 4 bytes, 1 character, in UTF-8 and UTF-16), file
 * size, read-only/writable, and an entry that opens the encoding report
 * (the encoding itself has its own item, encodingPicker.ts). Characters are
 * counted with countInDocument through the
 * model (edits applied), debounced and cancelled when the selection moves
 * on, so a multi-GB selection never blocks anything.
 */
import * as vscode from 'vscode';
import type { InspectEditors, InspectableEditor } from './editors';
import { selectionRange } from './editors';
import { countInDocument } from '../search/countInDocument';
import { decimal, hexOffset, humanBytes, plural } from './format';
import type { EncodingChoices } from './encodingChoice';
import { codecFor, type TextEncoding } from '../../shared/encodings';

/** Wait this long after the last selection change before counting characters. */
const COUNT_DEBOUNCE_MS = 120;

export class InspectStatusBar implements vscode.Disposable {
  private readonly offset = vscode.window.createStatusBarItem('hexmap.status.offset', vscode.StatusBarAlignment.Right, 105);
  private readonly selection = vscode.window.createStatusBarItem('hexmap.status.selection', vscode.StatusBarAlignment.Right, 104);
  private readonly size = vscode.window.createStatusBarItem('hexmap.status.size', vscode.StatusBarAlignment.Right, 103);
  private readonly access = vscode.window.createStatusBarItem('hexmap.status.access', vscode.StatusBarAlignment.Right, 102);
  private readonly encoding = vscode.window.createStatusBarItem('hexmap.status.encoding', vscode.StatusBarAlignment.Right, 101);
  private readonly disposables: vscode.Disposable[] = [];
  private modelListener: { dispose(): void } | undefined;
  private timer: ReturnType<typeof setTimeout> | undefined;
  private counting: AbortController | undefined;
  /** The selection whose characters are shown, so an unchanged selection is not recounted. */
  private countedKey = '';

  constructor(private readonly editors: InspectEditors, private readonly encodings?: EncodingChoices) {
    this.offset.name = 'Hexmap Offset';
    this.offset.command = 'hexmap.goToOffset';
    this.selection.name = 'Hexmap Selection';
    this.size.name = 'Hexmap File Size';
    this.access.name = 'Hexmap Read-Only';
    this.access.command = 'hexmap.toggleReadOnly';
    this.encoding.name = 'Hexmap Encoding Report';
    this.encoding.text = '$(report)';
    this.encoding.tooltip = 'Hexmap: Show Encoding Report (characters, invalid sequences, line endings, the encodings the file is valid in)';
    this.encoding.command = 'hexmap.showEncodingReport';
    this.disposables.push(
      editors.onDidChangeActive(() => this.onActiveChanged()),
      editors.onDidChangeSelection(() => this.update()),
    );
    if (encodings) this.disposables.push(encodings.onDidChange(() => { this.countedKey = ''; this.update(); }));
    this.onActiveChanged();
  }

  private onActiveChanged(): void {
    this.modelListener?.dispose();
    const e = this.editors.active;
    // Edits, undo, save, outside changes: sizes, RO state and character counts may change.
    this.modelListener = e?.model.onDidChange(() => { this.countedKey = ''; this.update(); });
    this.countedKey = '';
    this.update();
  }

  update(): void {
    const e = this.editors.active;
    const items = [this.offset, this.selection, this.size, this.access, this.encoding];
    if (!e) {
      this.cancelCount();
      for (const item of items) item.hide();
      return;
    }
    const size = e.model.size;
    this.offset.text = size === 0 ? 'Offset —' : `Offset ${hexOffset(e.cursor)} (${decimal(e.cursor)})`;
    this.offset.tooltip = 'Cursor offset, hex (decimal). Click to go to an offset.';
    this.size.text = humanBytes(size);
    this.size.tooltip = `File size: ${plural(size, 'byte')}`;
    this.access.text = e.model.readOnly ? '$(lock) Read-only' : '$(unlock) Writable';
    this.access.tooltip = e.model.readOnly
      ? `Read-only: ${e.model.readOnlyReason ?? 'edits are disabled'}. Click to toggle.`
      : 'Writable: edits overwrite bytes in place. Click to make read-only.';
    for (const item of [this.offset, this.size, this.access, this.encoding]) item.show();
    this.updateSelection(e);
  }

  private updateSelection(e: InspectableEditor): void {
    const { offset, length } = selectionRange(e);
    if (e.cursor === e.anchor || length === 0) {
      this.cancelCount();
      this.countedKey = '';
      this.selection.hide();
      return;
    }
    const encoding = this.encodingOf(e);
    const key = `${e.uri.toString()}:${offset}:${length}:${encoding}`;
    if (key === this.countedKey) return;
    this.cancelCount();
    this.selection.text = `Selected ${plural(length, 'byte')}, counting characters…`;
    this.selection.tooltip = `Selection ${hexOffset(offset)}..${hexOffset(offset + length - 1)}`;
    this.selection.show();
    const controller = new AbortController();
    this.counting = controller;
    this.timer = setTimeout(() => {
      countInDocument(e.model, offset, length, controller.signal, undefined, encoding).then((c) => {
        if (controller.signal.aborted) return;
        this.countedKey = key;
        const label = codecFor(encoding).label;
        this.selection.text = `Selected ${plural(c.bytes, 'byte')}, ${plural(c.chars, 'character')}`;
        this.selection.tooltip = `Selection ${hexOffset(offset)}..${hexOffset(offset + length - 1)}: `
          + `${plural(c.bytes, 'byte')}, ${plural(c.chars, 'character')} in ${label} (as TextDecoder counts them), `
          + `${plural(c.lines, 'line')}${c.invalid ? `, ${plural(c.invalid, 'invalid sequence')}` : ''}`;
      }, (error: unknown) => {
        if (controller.signal.aborted) return;
        this.selection.text = `Selected ${plural(length, 'byte')}`;
        this.selection.tooltip = `Characters could not be counted: ${error instanceof Error ? error.message : String(error)}`;
      });
    }, COUNT_DEBOUNCE_MS);
  }

  private encodingOf(e: InspectableEditor): TextEncoding {
    return this.encodings?.current(e.uri.toString()).encoding ?? 'utf-8';
  }

  private cancelCount(): void {
    if (this.timer) clearTimeout(this.timer);
    this.timer = undefined;
    this.counting?.abort();
    this.counting = undefined;
  }

  dispose(): void {
    this.cancelCount();
    this.modelListener?.dispose();
    for (const d of [...this.disposables, this.offset, this.selection, this.size, this.access, this.encoding]) d.dispose();
  }
}

/**
 * "INS" / "OVR" for the active Hexmap editor: whether typing and paste
 * insert bytes or overwrite them. Click (or press Insert) to switch.
 */
export class InsertModeStatusItem implements vscode.Disposable {
  private readonly item = vscode.window.createStatusBarItem('hexmap.status.insertMode', vscode.StatusBarAlignment.Right, 106);
  private readonly disposables: { dispose(): void }[] = [];

  constructor(private readonly editors: InspectEditors, private readonly mode: { readonly insert: boolean; onDidChange(l: (insert: boolean) => void): { dispose(): void } }) {
    this.item.name = 'Hexmap Insert/Overwrite';
    this.item.command = 'hexmap.toggleInsertMode';
    this.disposables.push(editors.onDidChangeActive(() => this.update()), mode.onDidChange(() => this.update()));
    this.update();
  }

  update(): void {
    if (!this.editors.active) { this.item.hide(); return; }
    const insert = this.mode.insert;
    this.item.text = insert ? 'INS' : 'OVR';
    this.item.tooltip = insert
      ? 'Insert mode: typing and paste insert bytes (the file grows). Click or press Insert for overwrite mode.'
      : 'Overwrite mode: typing and paste write over bytes (the size stays). Click or press Insert for insert mode.';
    this.item.show();
  }

  dispose(): void {
    this.disposables.forEach((d) => d.dispose());
    this.item.dispose();
  }
}
