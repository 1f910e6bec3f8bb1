// Read-only files: no write bit, the hexmap.readOnly setting, and the toggle command. Editing shows a
// message (the session notifies) and nothing is written; checked on disk with fs.
import * as assert from 'node:assert/strict';
import { chmodSync } from 'node:fs';
import * as vscode from 'vscode';
import { activeEditorFor, postEdit } from '../support/inHostApi';
import { diskBytes, patternBytes } from '../support/inHostFiles';
import { after, afterEach, describe, it } from '../support/inHostHarness';
import { closeAllEditors, fixture, hexmapTab, openInHexmap, waitFor } from '../support/inHostVscode';

const settle = () => new Promise((r) => setTimeout(r, 400));

describe('read-only', () => {
  afterEach(closeAllEditors);
  after(async () => {
    await vscode.workspace.getConfiguration('hexmap').update('readOnly', undefined, vscode.ConfigurationTarget.Global);
  });

  it('a file without write permission opens read-only and refuses edits', async () => {
    const uri = fixture('readonly', 'no-write-bit.bin', patternBytes(1000));
    chmodSync(uri.fsPath, 0o444);
    await openInHexmap(uri);
    const editor = await activeEditorFor(uri);
    assert.equal(editor.model.readOnly, true);
    assert.match(editor.model.readOnlyReason ?? '', /read-only|permission/i);
    const before = diskBytes(uri.fsPath, 0, 4);
    postEdit(editor, 0, Uint8Array.of(1, 2, 3, 4));
    await settle();
    assert.equal(hexmapTab(uri)?.isDirty, false, 'no edit was accepted');
    assert.deepEqual(Array.from(await editor.model.read(0, 4)), before);
    assert.throws(() => editor.model.edit(0, Uint8Array.of(9), 'direct'), (e: Error & { code?: string }) => e.code === 'ERR_HEXMAP_READ_ONLY');
    // The toggle cannot make it writable: permissions win.
    await vscode.commands.executeCommand('hexmap.toggleReadOnly');
    await settle();
    assert.equal(editor.model.readOnly, true);
    assert.deepEqual(diskBytes(uri.fsPath, 0, 4), before);
  });

  it('the hexmap.readOnly setting opens writable files read-only, live', async () => {
    const uri = fixture('readonly', 'by-setting.bin', patternBytes(1000));
    await vscode.workspace.getConfiguration('hexmap').update('readOnly', true, vscode.ConfigurationTarget.Global);
    await openInHexmap(uri);
    const editor = await activeEditorFor(uri);
    await waitFor('read-only by setting', () => editor.model.readOnly);
    postEdit(editor, 1, Uint8Array.of(0xff));
    await settle();
    assert.equal(hexmapTab(uri)?.isDirty, false);
    await vscode.workspace.getConfiguration('hexmap').update('readOnly', false, vscode.ConfigurationTarget.Global);
    await waitFor('writable again after the setting changed', () => !editor.model.readOnly);
    postEdit(editor, 1, Uint8Array.of(0xff));
    await waitFor('edit accepted', () => hexmapTab(uri)?.isDirty === true);
  });

  it('"Hexmap: Toggle Read-Only" switches the active editor both ways', async () => {
    const uri = fixture('readonly', 'toggle.bin', patternBytes(1000));
    await openInHexmap(uri);
    const editor = await activeEditorFor(uri);
    assert.equal(editor.model.readOnly, false);
    await vscode.commands.executeCommand('hexmap.toggleReadOnly');
    await waitFor('read-only', () => editor.model.readOnly);
    postEdit(editor, 2, Uint8Array.of(0xee));
    await settle();
    assert.equal(hexmapTab(uri)?.isDirty, false, 'refused while read-only');
    await vscode.commands.executeCommand('hexmap.toggleReadOnly');
    await waitFor('writable', () => !editor.model.readOnly);
    postEdit(editor, 2, Uint8Array.of(0xee));
    await waitFor('accepted once writable', () => hexmapTab(uri)?.isDirty === true);
  });
});
