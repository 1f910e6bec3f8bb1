/**
 * Opens the two files of a comparison in Hexmap editors side by side (the
 * left one in the active column, the right one beside it) and returns the
 * two editors once their webviews are registered.
 */
import * as vscode from 'vscode';
import type { ActiveHexEditor, EditorRegistry } from '../../editor/editorRegistry';
import { VIEW_TYPE } from '../../editor/hexEditorProvider';

/** An editor that has not registered by then did not open (an error was shown by VS Code). */
const OPEN_TIMEOUT_MS = 30_000;

export async function openComparePair(registry: EditorRegistry, left: vscode.Uri, right: vscode.Uri): Promise<[ActiveHexEditor, ActiveHexEditor]> {
  await vscode.commands.executeCommand('vscode.openWith', left, VIEW_TYPE, { viewColumn: vscode.ViewColumn.Active, preview: false });
  const a = await editorFor(registry, left);
  await vscode.commands.executeCommand('vscode.openWith', right, VIEW_TYPE, { viewColumn: vscode.ViewColumn.Beside, preview: false });
  const b = await editorFor(registry, right, a);
  return [a, b];
}

/** The active Hexmap editor of `uri` (other than `not`), waiting for it to become active. */
function editorFor(registry: EditorRegistry, uri: vscode.Uri, not?: ActiveHexEditor): Promise<ActiveHexEditor> {
  const matches = (e: ActiveHexEditor | undefined): e is ActiveHexEditor => !!e && e !== not && e.uri.toString() === uri.toString();
  if (matches(registry.active)) return Promise.resolve(registry.active);
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => {
      sub.dispose();
      reject(new Error(`the editor for ${uri.fsPath || uri.toString()} did not open`));
    }, OPEN_TIMEOUT_MS);
    const sub = registry.onDidChangeActive((e) => {
      if (!matches(e)) return;
      clearTimeout(timer);
      sub.dispose();
      resolve(e);
    });
  });
}
