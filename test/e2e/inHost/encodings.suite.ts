// Text encodings in the real extension host: a BOM picks the encoding on open, "Hexmap: Change Text
// Encoding…" changes it for every editor of the file and is remembered across reopening (over the BOM), the
// hexmap.encoding setting applies to files without a choice, live. (What the page draws and types in each
// encoding is test/webview/encodings.test.ts's job.)
import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';
import { activeEditorFor, type ActiveEditorHandle } from '../support/inHostApi';
import { after, afterEach, describe, it } from '../support/inHostHarness';
import { closeAllEditors, fixture, openInHexmap, waitFor } from '../support/inHostVscode';

type WithSession = ActiveEditorHandle & { session?: { encoding?: string; handle(raw: unknown): void } };
const encodingOf = (e: ActiveEditorHandle) => (e as WithSession).session?.encoding;

describe('text encodings', () => {
  afterEach(closeAllEditors);
  after(async () => {
    await vscode.workspace.getConfiguration('hexmap').update('encoding', undefined, vscode.ConfigurationTarget.Global);
  });

  it('a UTF-16LE BOM opens the file as UTF-16LE; a choice wins over it and is remembered', async () => {
    const uri = fixture('encodings', 'bom16.bin', Uint8Array.of(0xff, 0xfe, 0x41, 0x00, 0x42, 0x00));
    await openInHexmap(uri);
    let editor = await activeEditorFor(uri);
    assert.equal(encodingOf(editor), 'utf-16le');
    await vscode.commands.executeCommand('hexmap.chooseEncoding', 'windows-1252');
    await waitFor('the session follows the choice', () => encodingOf(editor) === 'windows-1252');
    await closeAllEditors();
    await openInHexmap(uri);
    editor = await activeEditorFor(uri);
    assert.equal(encodingOf(editor), 'windows-1252', 'remembered for this file, over its BOM');
  });

  it('the hexmap.encoding setting applies to files without a choice, live', async () => {
    const uri = fixture('encodings', 'plain.bin', new TextEncoder().encode('plain text'));
    await vscode.workspace.getConfiguration('hexmap').update('encoding', 'iso-8859-1', vscode.ConfigurationTarget.Global);
    await openInHexmap(uri);
    const editor = await activeEditorFor(uri);
    assert.equal(encodingOf(editor), 'iso-8859-1');
    await vscode.workspace.getConfiguration('hexmap').update('encoding', 'ascii', vscode.ConfigurationTarget.Global);
    await waitFor('follows the new setting', () => encodingOf(editor) === 'ascii');
  });
});
