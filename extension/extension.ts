/**
 * Hexmap's entry point: registers the custom editor and the document-level
 * commands, then hands the editor registry to the inspect features
 * (inspector view, encoding report, status bar, navigation, copy as).
 */
import { join } from 'node:path';
import * as vscode from 'vscode';
import { parseGotoOffset } from '../shared/gotoOffset';
import { EditorRegistry } from './editor/editorRegistry';
import { HexEditorProvider, VIEW_TYPE } from './editor/hexEditorProvider';
import { activateInspectFeatures } from './inspect/activate';
import { computeHash } from './hash/hashCommand';
import { CompareFeature } from './compare/vscode/compareCommands';
import { InsertModeState } from './editor/insertMode';
import { InsertModeStatusItem } from './inspect/statusBar';
import { changeLayout, currentLayout } from './editor/layoutPicker';
import { LAYOUT_KEYS } from './editor/layoutSettings';
import { LayoutStatusItem } from './editor/layoutStatusItem';
import { activateBookmarks } from './bookmarks/bookmarkCommands';
import type { BookmarkFeature } from './bookmarks/bookmarkFeature';
import { showInvalidMarks } from './overview/invalidMarks';
import { activateTextEncodings, openEncoding } from './inspect/textEncodings';

/**
 * What activate() returns to other code in the extension host: the editor registry. Only Hexmap's in-host
 * end-to-end tests (test/e2e/inHost) use it, to reach the active editor's document and its session.
 */
export interface HexmapApi {
  readonly editors: EditorRegistry;
  /** The compare feature (its comparisons on screen, and compare(left, right)). */
  readonly compare: CompareFeature;
  /** Bookmarks of open and stored files. */
  readonly bookmarks: BookmarkFeature;
}

export function activate(context: vscode.ExtensionContext): HexmapApi {
  const output = vscode.window.createOutputChannel('Hexmap');
  const registry = new EditorRegistry();
  // Save journals live in the extension's global storage: they must outlive the
  // window (and a crash) and must not be in the user's folders.
  const journalDir = join(context.globalStorageUri.fsPath, 'journals');
  const insertMode = new InsertModeState(vscode.workspace.getConfiguration('hexmap').get<boolean>('insertMode', false));
  const encodings = activateTextEncodings(context, registry);
  const { provider, registration } = HexEditorProvider.register(context, registry, {
    journalDir, output, insertMode, openEncoding: (document) => openEncoding(encodings, document.uri, document.model),
  });

  context.subscriptions.push(
    output,
    registry,
    registration,
    vscode.commands.registerCommand('hexmap.openInHexEditor', (uri?: vscode.Uri) => openInHexEditor(uri)),
    vscode.commands.registerCommand('hexmap.goToOffset', () => goToOffset(registry)),
    vscode.commands.registerCommand('hexmap.find', () => {
      const active = registry.active;
      if (!active) return void vscode.window.showInformationMessage('Hexmap: open a file in the hex editor to search it.');
      active.action('find');
    }),
    vscode.commands.registerCommand('hexmap.toggleReadOnly', () => toggleReadOnly(registry)),
    vscode.commands.registerCommand('hexmap.toggleInsertMode', () => insertMode.toggle()),
    vscode.commands.registerCommand('hexmap.changeLayout', () => changeLayout()),
    new LayoutStatusItem(registry),
    new InsertModeStatusItem(registry, insertMode),
    vscode.workspace.onDidChangeConfiguration((e) => {
      const config = vscode.workspace.getConfiguration('hexmap');
      if (LAYOUT_KEYS.some((key) => e.affectsConfiguration(`hexmap.${key}`))) {
        const layout = currentLayout();
        for (const session of registry.sessions()) session.setLayout(layout);
      }
      if (e.affectsConfiguration('hexmap.insertMode')) insertMode.set(config.get<boolean>('insertMode', false));
      if (e.affectsConfiguration('hexmap.readOnly')) {
        for (const document of provider.openDocuments()) document.model.setUserReadOnly(config.get<boolean>('readOnly', false));
      }
    }),
  );

  activateInspectFeatures(context, registry, encodings);
  context.subscriptions.push(vscode.commands.registerCommand('hexmap.computeHash', (args?: unknown) => computeHash(registry, args)));
  const compare = new CompareFeature(registry, activeResource);
  context.subscriptions.push(compare);
  const bookmarks = activateBookmarks(context, registry);
  const invalidMarks = showInvalidMarks((model, message) => {
    for (const editor of registry.editors()) if (editor.model === model) registry.sessionOf(editor)?.overlay(message);
  });
  context.subscriptions.push(invalidMarks, registry.onDidAdd(({ editor, session }) => {
    const marks = invalidMarks.latest(editor.model);
    if (marks) session.overlay(marks);
  }));
  return { editors: registry, compare, bookmarks };
}

export function deactivate(): void {
  // Documents and sessions are disposed by VS Code with their editors.
}

/** The file to open: the argument (explorer / editor title), else the active editor's file. */
async function openInHexEditor(uri?: vscode.Uri): Promise<void> {
  const target = uri instanceof vscode.Uri ? uri : activeResource();
  if (!target) {
    void vscode.window.showInformationMessage('Hexmap: open or select a file first, then run "Open in Hex Editor".');
    return;
  }
  await vscode.commands.executeCommand('vscode.openWith', target, VIEW_TYPE);
}

function activeResource(): vscode.Uri | undefined {
  const input = vscode.window.tabGroups.activeTabGroup.activeTab?.input;
  if (input instanceof vscode.TabInputText || input instanceof vscode.TabInputCustom) return input.uri;
  return vscode.window.activeTextEditor?.document.uri;
}

async function goToOffset(registry: EditorRegistry): Promise<void> {
  const editor = registry.active;
  if (!editor) {
    void vscode.window.showInformationMessage('Hexmap: open a file in the hex editor to go to an offset.');
    return;
  }
  const context = () => ({ cursor: editor.cursor, size: editor.model.size });
  const input = await vscode.window.showInputBox({
    title: 'Hexmap: Go to Offset',
    prompt: `Offset in ${editor.model.size} bytes: 1234, 0x4D2, +16 / -16 (from the cursor), end-16 or --16 (from the end)`,
    validateInput: (text) => {
      const r = parseGotoOffset(text, context());
      return r.ok ? undefined : r.error;
    },
  });
  if (input === undefined) return;
  const result = parseGotoOffset(input, context());
  if (!result.ok) {
    void vscode.window.showErrorMessage(`Hexmap: ${result.error}`);
    return;
  }
  editor.reveal(result.offset, 0);
}

function toggleReadOnly(registry: EditorRegistry): void {
  const document = registry.activeDocument;
  if (!document) {
    void vscode.window.showInformationMessage('Hexmap: open a file in the hex editor to change its read-only state.');
    return;
  }
  const model = document.model;
  if (model.readOnlyIsFixed) {
    void vscode.window.showWarningMessage(`${document.fileName} stays read-only: ${model.readOnlyReason}.`);
    return;
  }
  const readOnly = model.setUserReadOnly(!model.readOnly);
  void vscode.window.showInformationMessage(`${document.fileName} is now ${readOnly ? 'read-only' : 'editable'} in Hexmap.`);
}
