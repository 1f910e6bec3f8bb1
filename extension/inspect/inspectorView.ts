/**
 * The Hexmap Inspector (`hexmap.inspector`, a webview view in the Explorer):
 * follows the active Hexmap editor's cursor and selection, sends the view
 * the bytes around the cursor (edits applied) and the selection's character
 * count (countInDocument through the model: debounced, cancelled when the
 * selection moves on). The byte order choice persists in globalState. A
 * value typed into the view becomes one undoable edit (inspectorEdit.ts).
 */
import * as vscode from 'vscode';
import { BYTES_AFTER, CONTEXT_BEFORE, parseInspectorMessage, type HostToInspector, type InspectorState } from '../../shared/inspectMessages';
import type { InspectEditors, InspectableEditor } from './editors';
import { selectionRange } from './editors';
import { applyValueEdit, type ValueEdit } from './inspectorEdit';
import { countInDocument } from '../search/countInDocument';
import type { EncodingChoices } from './encodingChoice';
import type { TextEncoding } from '../../shared/encodings';
import { webviewOptions, webviewPage } from './webviewPage';

export const INSPECTOR_VIEW_ID = 'hexmap.inspector';
const LITTLE_ENDIAN_KEY = 'hexmap.inspector.littleEndian';
/** Cursor moves come in bursts (held arrow keys): coalesce them. */
const UPDATE_DEBOUNCE_MS = 30;
const COUNT_DEBOUNCE_MS = 150;

export class InspectorViewProvider implements vscode.WebviewViewProvider, vscode.Disposable {
  private view: vscode.WebviewView | undefined;
  private readonly disposables: vscode.Disposable[] = [];
  private modelListener: { dispose(): void } | undefined;
  private updateTimer: ReturnType<typeof setTimeout> | undefined;
  private countTimer: ReturnType<typeof setTimeout> | undefined;
  private counting: AbortController | undefined;
  private countingKey = '';
  /** Last character count, keyed by document + range, so cursor-only moves do not recount. */
  private counted: { key: string; chars: number; lines: number; invalid: number } | undefined;
  /** Bumped on each update so a slow read never overwrites a newer state. */
  private generation = 0;

  constructor(private readonly extensionUri: vscode.Uri, private readonly editors: InspectEditors, private readonly memento: vscode.Memento,
    private readonly encodings?: EncodingChoices) {
    this.disposables.push(
      editors.onDidChangeActive(() => this.onActiveChanged()),
      editors.onDidChangeSelection(() => this.scheduleUpdate()),
    );
    if (encodings) this.disposables.push(encodings.onDidChange(() => this.scheduleUpdate(0)));
    this.onActiveChanged();
  }

  resolveWebviewView(view: vscode.WebviewView): void {
    this.view = view;
    view.webview.options = webviewOptions(this.extensionUri);
    view.webview.html = webviewPage(view.webview, this.extensionUri, 'inspector', 'Hexmap Inspector');
    this.disposables.push(
      view.webview.onDidReceiveMessage((raw) => {
        const m = parseInspectorMessage(raw);
        if (!m) return; // not ours or malformed: ignore
        if (m.type === 'ready') this.scheduleUpdate(0);
        else if (m.type === 'editValue') void this.editValue(m);
        else void this.memento.update(LITTLE_ENDIAN_KEY, m.value).then(() => this.scheduleUpdate(0));
      }),
      view.onDidChangeVisibility(() => { if (view.visible) this.scheduleUpdate(0); }),
      view.onDidDispose(() => { this.view = undefined; }),
    );
  }

  private get littleEndian(): boolean {
    return this.memento.get<boolean>(LITTLE_ENDIAN_KEY, true);
  }

  private onActiveChanged(): void {
    this.modelListener?.dispose();
    // The count of the previous editor's selection is obsolete (even while this view is hidden).
    this.cancelCount();
    this.counted = undefined;
    // Changed bytes make a running count obsolete too: start over.
    this.modelListener = this.editors.active?.model.onDidChange(() => { this.counted = undefined; this.cancelCount(); this.scheduleUpdate(); });
    this.scheduleUpdate(0);
  }

  private scheduleUpdate(delay = UPDATE_DEBOUNCE_MS): void {
    if (this.updateTimer) clearTimeout(this.updateTimer);
    this.updateTimer = setTimeout(() => { void this.update(); }, delay);
  }

  private post(message: HostToInspector): void {
    void this.view?.webview.postMessage(message);
  }

  private async update(): Promise<void> {
    const generation = ++this.generation;
    const e = this.editors.active;
    if (!this.view?.visible) return;
    if (!e) {
      this.cancelCount();
      this.post({ type: 'empty', littleEndian: this.littleEndian });
      return;
    }
    try {
      const state = await this.stateOf(e);
      if (generation === this.generation) this.post({ type: 'state', state });
    } catch {
      // The file went away or shrank mid-read: the next change event brings a fresh state.
    }
  }

  private async stateOf(e: InspectableEditor): Promise<InspectorState> {
    const size = e.model.size;
    const cursor = Math.min(e.cursor, Math.max(0, size - 1));
    const from = Math.max(0, cursor - CONTEXT_BEFORE);
    const to = Math.min(size, cursor + BYTES_AFTER);
    const bytes = to > from ? await e.model.read(from, to - from) : new Uint8Array(0);
    const sel = selectionRange(e);
    const encoding = this.encodings?.current(e.uri.toString()).encoding ?? 'utf-8';
    const key = `${e.uri.toString()}:${sel.offset}:${sel.length}:${encoding}`;
    const known = this.counted?.key === key ? this.counted : undefined;
    if (!known && !(this.counting && this.countingKey === key)) this.scheduleCount(e, key, sel.offset, sel.length, encoding);
    return {
      fileName: e.uri.path.split('/').pop() ?? '',
      fileSize: size,
      cursor,
      bytesOffset: from,
      bytes: Array.from(bytes),
      selection: { ...sel, chars: known?.chars, lines: known?.lines, invalid: known?.invalid, counting: !known && sel.length > 0 },
      littleEndian: this.littleEndian,
      editable: !e.model.readOnly,
      encoding,
    };
  }

  /** A value typed into the view: one edit of the active document, or a message back saying why not. */
  private async editValue(m: ValueEdit): Promise<void> {
    const e = this.editors.active;
    let refused: string | undefined;
    try {
      refused = e ? await applyValueEdit(e.model, m) : 'No Hexmap editor is active.';
    } catch (error) {
      refused = error instanceof Error ? error.message : String(error);
    }
    if (refused) this.post({ type: 'editError', field: m.field, offset: m.offset, message: refused });
  }

  private scheduleCount(e: InspectableEditor, key: string, offset: number, length: number, encoding: TextEncoding): void {
    this.cancelCount();
    if (length === 0) return;
    const controller = new AbortController();
    this.counting = controller;
    this.countingKey = key;
    this.countTimer = setTimeout(() => {
      countInDocument(e.model, offset, length, controller.signal, undefined, encoding).then((c) => {
        if (controller.signal.aborted) return;
        this.counting = undefined;
        this.counted = { key, chars: c.chars, lines: c.lines, invalid: c.invalid };
        this.scheduleUpdate(0);
      }, () => {
        // Cancelled, or the file changed: a later update recounts.
        if (this.counting === controller) this.counting = undefined;
      });
    }, COUNT_DEBOUNCE_MS);
  }

  private cancelCount(): void {
    if (this.countTimer) clearTimeout(this.countTimer);
    this.countTimer = undefined;
    this.counting?.abort();
    this.counting = undefined;
  }

  dispose(): void {
    this.cancelCount();
    if (this.updateTimer) clearTimeout(this.updateTimer);
    this.modelListener?.dispose();
    for (const d of this.disposables) d.dispose();
  }
}
