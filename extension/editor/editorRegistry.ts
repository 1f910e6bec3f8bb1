/**
 * Which Hexmap editor is active, and where its cursor is. Commands (go to
 * offset, find, the inspector, the status bar) act on `active`; INSPECT
 * listens to the two events. Also maintains the `hexmap.editorOpen` context
 * key that shows the inspector view.
 */
import * as vscode from 'vscode';
import type { DocumentModel } from '../document/documentModel';
import type { EditorSession } from './editorSession';
import type { HexDocument } from '../document/hexDocument';

export interface ActiveHexEditor {
  uri: vscode.Uri;
  model: DocumentModel;
  cursor: number;
  anchor: number;
  reveal(offset: number, length: number): void;
  action(a: 'find' | 'goto' | 'copy', arg?: string): void;
}

interface Entry extends ActiveHexEditor {
  panel: vscode.WebviewPanel;
  document: HexDocument;
  session: EditorSession;
}

export class EditorRegistry implements vscode.Disposable {
  private readonly entries = new Set<Entry>();
  private current: Entry | undefined;
  private readonly activeEmitter = new vscode.EventEmitter<ActiveHexEditor | undefined>();
  private readonly selectionEmitter = new vscode.EventEmitter<ActiveHexEditor>();
  private readonly addEmitter = new vscode.EventEmitter<{ editor: ActiveHexEditor; document: HexDocument; session: EditorSession }>();
  readonly onDidChangeActive = this.activeEmitter.event;
  /** A new editor opened (features that draw in every editor, e.g. bookmarks, send it their state). */
  readonly onDidAdd = this.addEmitter.event;
  readonly onDidChangeSelection = this.selectionEmitter.event;

  get active(): ActiveHexEditor | undefined {
    return this.current;
  }

  /** The document behind the active editor (for commands that act on the document). */
  get activeDocument(): HexDocument | undefined {
    return this.current?.document;
  }

  /** Every open editor (a comparison finds its two by document URI). */
  editors(): ActiveHexEditor[] {
    return [...this.entries];
  }

  /** The session behind an editor of this registry (a comparison sends it highlights), or undefined once it closed. */
  sessionOf(editor: ActiveHexEditor): EditorSession | undefined {
    return this.entries.has(editor as Entry) ? (editor as Entry).session : undefined;
  }

  /** Every open editor's session (settings changes go to all of them). */
  sessions(): EditorSession[] {
    return [...this.entries].map((e) => e.session);
  }

  /**
   * Track a panel. `whenReady` runs a callback once the webview can receive
   * messages: a reveal issued right after opening (e.g. "jump to offset" from
   * the encoding report, which opens the file first) would otherwise be lost.
   */
  add(panel: vscode.WebviewPanel, document: HexDocument, session: EditorSession, whenReady: (run: () => void) => void = (run) => run()): vscode.Disposable {
    const entry: Entry = {
      panel, document, session, uri: document.uri, model: document.model, cursor: 0, anchor: 0,
      reveal: (offset, length) => whenReady(() => session.reveal(offset, length)),
      action: (a, arg) => whenReady(() => session.action(a, arg)),
    };
    this.entries.add(entry);
    const subscriptions = [
      session.onSelection((s) => {
        entry.cursor = s.cursor;
        entry.anchor = s.anchor;
        if (this.current === entry) this.selectionEmitter.fire(entry);
      }),
      panel.onDidChangeViewState(() => {
        if (panel.active) this.setActive(entry);
        else if (this.current === entry) this.setActive(undefined);
      }),
    ];
    if (panel.active) this.setActive(entry);
    // Once the webview has its page: the context shows views, which costs the workbench tens of ms
    // that would otherwise come before the editor's first paint.
    whenReady(() => this.updateContext());
    this.addEmitter.fire({ editor: entry, document, session });
    return {
      dispose: () => {
        subscriptions.forEach((s) => s.dispose());
        this.entries.delete(entry);
        if (this.current === entry) this.setActive(undefined);
        this.updateContext();
      },
    };
  }

  dispose(): void {
    this.activeEmitter.dispose();
    this.selectionEmitter.dispose();
    this.addEmitter.dispose();
  }

  private setActive(entry: Entry | undefined): void {
    if (this.current === entry) return;
    this.current = entry;
    this.activeEmitter.fire(entry);
  }

  private updateContext(): void {
    void vscode.commands.executeCommand('setContext', 'hexmap.editorOpen', this.entries.size > 0);
  }
}
