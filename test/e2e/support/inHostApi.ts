// E2E helper for in-host suites: the handle Hexmap's activate() returns, and the way the
// suites edit a document.
//
// How suites edit (and why it is honest): a user's keystroke in the webview becomes a protocol message
// {type:'edit', offset, bytes, label} that the host's EditorSession validates (parseWebviewMessage) and
// applies to the document, which announces an undoable change to VS Code. The suites hand that same
// message to the same session.handle() the webview's messages go to; everything after the webview's
// postMessage is the real path. (Typing into the webview itself is covered by test/e2e/ui.test.ts.)
import * as assert from 'node:assert/strict';
import type * as vscode from 'vscode';
import type { DocumentModel } from '../../../extension/document/documentModel';
import { activateHexmap, waitFor } from './inHostVscode';

export interface ActiveEditorHandle {
  uri: vscode.Uri;
  model: DocumentModel;
  cursor: number;
  anchor: number;
  reveal(offset: number, length: number): void;
  action(a: 'find' | 'goto' | 'copy', arg?: string): void;
  /** Present on the registry's entries: the session webview messages go to. */
  session?: { handle(raw: unknown): void };
}

export interface EditorsHandle {
  readonly active: ActiveEditorHandle | undefined;
}

type ApiShape = { editors?: EditorsHandle; testApi?: { editors?: EditorsHandle } } | undefined;

export async function hexmapEditors(): Promise<EditorsHandle> {
  const { api } = await activateHexmap<ApiShape>();
  const editors = api?.editors ?? api?.testApi?.editors;
  assert.ok(editors, "Hexmap's activate() must return { editors } (the EditorRegistry) for the in-host tests");
  return editors;
}

/** The active Hexmap editor once it shows `uri`. */
export async function activeEditorFor(uri: vscode.Uri): Promise<ActiveEditorHandle> {
  const editors = await hexmapEditors();
  return waitFor(`Hexmap editor of ${uri.fsPath} to be active`, () => {
    const a = editors.active;
    return a && a.uri.toString() === uri.toString() ? a : undefined;
  });
}

/** Sends an edit exactly as the webview would post it. */
export function postEdit(editor: ActiveEditorHandle, offset: number, bytes: Uint8Array, label = 'e2e edit'): void {
  assert.ok(editor.session, 'the active editor entry exposes its session');
  editor.session.handle({ type: 'edit', offset, bytes, label });
}

/** Any message, well-formed or not, as the webview could post it. */
export function postRaw(editor: ActiveEditorHandle, raw: unknown): void {
  assert.ok(editor.session, 'the active editor entry exposes its session');
  editor.session.handle(raw);
}

/**
 * Waits until the editor's webview answers: reveals byte 1 until the webview reports the cursor there, then
 * puts the cursor back on 0. (Messages to a webview that has not loaded yet are lost; see the test
 * "a reveal issued right after opening is not lost" in commands.suite.ts.)
 */
export async function whenWebviewLive(editor: ActiveEditorHandle, timeoutMs = 20_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (editor.cursor !== 1) {
    if (Date.now() > deadline) throw new Error(`the webview of ${editor.uri.fsPath} never reported a cursor move`);
    editor.reveal(1, 1);
    await new Promise((r) => setTimeout(r, 250));
  }
  editor.reveal(0, 1);
  await waitFor('cursor back at 0', () => editor.cursor === 0);
}
