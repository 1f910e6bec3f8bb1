// Saving through VS Code's own save command, on a real file checked on disk by another reader:
// an insert and a delete saved in place (same inode, the bytes moved), and two saves in a row
// whose second one is queued behind the first (the disk ends with the last edit, no prompt).
import * as assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import * as vscode from 'vscode';
import { activeEditorFor, postEdit } from '../support/inHostApi';
import { inode, patternBytes } from '../support/inHostFiles';
import { after, afterEach, describe, it } from '../support/inHostHarness';
import { closeAllEditors, fixture, hexmapTab, openInHexmap, waitFor } from '../support/inHostVscode';

const SIZE = 200_000;
const isDirty = (uri: vscode.Uri) => hexmapTab(uri)?.isDirty === true;

interface Replacing { replace(offset: number, deleteLength: number, bytes: Uint8Array, label: string): void }

describe('saving', () => {
  afterEach(closeAllEditors);
  after(closeAllEditors);

  it('an insert and a delete are saved in place: the tail moves, the inode stays', async () => {
    const initial = patternBytes(SIZE);
    const uri = fixture('saving', 'shift.bin', initial);
    await openInHexmap(uri);
    const editor = await activeEditorFor(uri);
    const before = inode(uri.fsPath);
    (editor.model as unknown as Replacing).replace(1000, 0, Uint8Array.of(0xaa, 0xbb, 0xcc), 'Insert');
    (editor.model as unknown as Replacing).replace(150_000, 10, new Uint8Array(0), 'Delete');
    await waitFor('dirty', () => isDirty(uri));
    await vscode.commands.executeCommand('workbench.action.files.save');
    await waitFor('saved (clean)', () => !isDirty(uri));
    const expected = Buffer.concat([initial.subarray(0, 1000), Buffer.from([0xaa, 0xbb, 0xcc]), initial.subarray(1000, 149_997), initial.subarray(150_007)]);
    assert.deepEqual(readFileSync(uri.fsPath), expected);
    assert.equal(inode(uri.fsPath).ino, before.ino, 'in place: no rename');
  });

  it('two saves in a row: the second waits for the first, the disk ends with the last edit, no conflict prompt', async () => {
    const uri = fixture('saving', 'twice.bin', patternBytes(SIZE));
    await openInHexmap(uri);
    const editor = await activeEditorFor(uri);
    postEdit(editor, 100, Uint8Array.of(1));
    await waitFor('dirty', () => isDirty(uri));
    const first = vscode.commands.executeCommand('workbench.action.files.save');
    postEdit(editor, 100, Uint8Array.of(2));
    await waitFor('the second edit arrived', async () => (await editor.model.read(100, 1))[0] === 2);
    await Promise.all([first, vscode.commands.executeCommand('workbench.action.files.save')]);
    await waitFor('saved (clean)', () => !isDirty(uri));
    assert.equal(readFileSync(uri.fsPath)[100], 2);
  });
});
