/**
 * The custom editor `hexmap.editor`. One HexDocument per file (split views
 * share it), one EditorSession per webview panel. Edits made in any panel
 * become VS Code undo/redo entries through onDidChangeCustomDocument; save,
 * Save As, revert and hot-exit backup go to the document.
 */
import * as vscode from 'vscode';
import { HexDocument } from '../document/hexDocument';
import { openHexDocument } from '../document/openHexDocument';
import { EditorSession, FIRST_SCREEN_BYTES } from './editorSession';
import type { InsertModeState } from './insertMode';
import { currentLayout } from './layoutPicker';
import { fixedBytesPerRow } from './layoutSettings';
import type { EditorRegistry } from './editorRegistry';
import { editorHtml } from './webviewHtml';
import type { TextEncoding } from '../../shared/protocol';

export const VIEW_TYPE = 'hexmap.editor';

export interface ProviderOptions {
  journalDir: string;
  output: vscode.OutputChannel;
  /** Insert/overwrite mode shared by every editor. */
  insertMode?: InsertModeState;
  /** The text encoding a new editor of `document` shows (per-file choice, BOM, setting). */
  openEncoding?: (document: HexDocument) => Promise<TextEncoding>;
}

export class HexEditorProvider implements vscode.CustomEditorProvider<HexDocument> {
  private readonly changeEmitter = new vscode.EventEmitter<vscode.CustomDocumentEditEvent<HexDocument>>();
  readonly onDidChangeCustomDocument = this.changeEmitter.event;
  private readonly documents = new Set<HexDocument>();
  /** When each document's opening started and ended (Date.now()), for the editor's 'init' (see EditorSession's hostTimes). */
  private readonly openTimes = new WeakMap<HexDocument, { openStart: number; openEnd: number }>();

  constructor(
    private readonly context: vscode.ExtensionContext,
    private readonly registry: EditorRegistry,
    private readonly options: ProviderOptions,
  ) {}

  static register(context: vscode.ExtensionContext, registry: EditorRegistry, options: ProviderOptions): { provider: HexEditorProvider; registration: vscode.Disposable } {
    const provider = new HexEditorProvider(context, registry, options);
    const registration = vscode.window.registerCustomEditorProvider(VIEW_TYPE, provider, {
      // Rows are virtual and windows are paged, so a hidden editor holds little; keeping
      // it alive preserves scroll position, selection and the find widget across tabs.
      webviewOptions: { retainContextWhenHidden: true },
      supportsMultipleEditorsPerDocument: true,
    });
    return { provider, registration };
  }

  /** Every open document (for the read-only setting). */
  openDocuments(): HexDocument[] {
    return [...this.documents];
  }

  async openCustomDocument(uri: vscode.Uri, openContext: vscode.CustomDocumentOpenContext): Promise<HexDocument> {
    const openStart = Date.now();
    const document = await openHexDocument(uri, {
      journalDir: this.options.journalDir,
      userReadOnly: vscode.workspace.getConfiguration('hexmap').get<boolean>('readOnly', false),
      backupId: openContext.backupId,
      log: (m) => this.log(m),
    });
    this.documents.add(document);
    this.openTimes.set(document, { openStart, openEnd: Date.now() });
    const edits = document.model.onDidEdit((step) => {
      this.changeEmitter.fire({
        document,
        label: step.label,
        // Bound to this step: if VS Code's history and the model's drifted, do nothing rather than
        // undo/redo a different step (which would show and save bytes nobody asked for).
        undo: () => {
          if (!document.model.undo(step.id)) this.log(`${document.fileName}: undo of "${step.label}" (step ${step.id}) ignored: it is not the last applied step`);
        },
        redo: () => {
          if (!document.model.redo(step.id)) this.log(`${document.fileName}: redo of "${step.label}" (step ${step.id}) ignored: it is not the next undone step`);
        },
      });
    });
    document.onDidDispose(() => {
      edits.dispose();
      this.documents.delete(document);
    });
    return document;
  }

  async resolveCustomEditor(document: HexDocument, panel: vscode.WebviewPanel): Promise<void> {
    const hostTimes: Record<string, number> = { ...this.openTimes.get(document), resolve: Date.now() };
    const extensionUri = this.context.extensionUri;
    panel.webview.options = {
      enableScripts: true,
      localResourceRoots: [vscode.Uri.joinPath(extensionUri, 'dist', 'webview'), vscode.Uri.joinPath(extensionUri, 'media')],
    };
    // Messages posted before the webview has its document are dropped (VS Code drops them
    // before its script runs; the script drops them before 'init'), so reveals and actions
    // issued right after opening wait until the session has sent 'init'.
    let ready = false;
    const pending: (() => void)[] = [];
    const whenReady = (run: () => void) => (ready ? run() : pending.push(run));
    const layout = currentLayout();
    const encoding = await this.options.openEncoding?.(document).catch(() => undefined);
    const session = new EditorSession(document.model, (m) => {
      const posted = panel.webview.postMessage(m);
      if (m.type === 'init' && !ready) {
        ready = true;
        pending.splice(0).forEach((run) => run());
      }
      return posted;
    }, {
      fileName: document.fileName,
      bytesPerRow: fixedBytesPerRow(layout),
      layout,
      findMaxMatches: vscode.workspace.getConfiguration('hexmap').get<number>('findMaxMatches', 10_000),
      insertMode: this.options.insertMode,
      hostTimes,
      encoding,
      log: (m) => this.log(`${document.fileName}: ${m}`),
    });
    const subscriptions: vscode.Disposable[] = [
      panel.webview.onDidReceiveMessage((m) => session.handle(m)),
      session.onNotify((n) => {
        const show = n.level === 'error' ? vscode.window.showErrorMessage : n.level === 'warning' ? vscode.window.showWarningMessage : vscode.window.showInformationMessage;
        void show(n.message);
      }),
      this.registry.add(panel, document, session, whenReady),
    ];
    panel.onDidDispose(() => {
      subscriptions.forEach((s) => s.dispose());
      session.dispose();
    });
    // The page carries the first frame's data (see webviewHtml.ts); if that read fails, it asks as usual.
    const boot = await session.initMessage({}, FIRST_SCREEN_BYTES).catch(() => undefined);
    try {
      panel.webview.html = await editorHtml(panel.webview, extensionUri, boot);
    } catch (e) {
      this.log(`${document.fileName}: editor page not set: ${(e as Error).message}`); // the panel was closed meanwhile
    }
    hostTimes.html = Date.now();
  }

  saveCustomDocument(document: HexDocument, cancellation: vscode.CancellationToken): Thenable<void> {
    return document.save(cancellation);
  }

  saveCustomDocumentAs(document: HexDocument, destination: vscode.Uri, token: vscode.CancellationToken): Thenable<void> {
    return document.saveAs(destination, token);
  }

  revertCustomDocument(document: HexDocument): Thenable<void> {
    return document.revert();
  }

  backupCustomDocument(document: HexDocument, context: vscode.CustomDocumentBackupContext, cancellation: vscode.CancellationToken): Thenable<vscode.CustomDocumentBackup> {
    return document.backup(context.destination, cancellation);
  }

  private log(message: string): void {
    this.options.output.appendLine(`[${new Date().toISOString()}] ${message}`);
  }
}
