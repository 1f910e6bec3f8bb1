// Edit, undo/redo, save, revert through VS Code's own commands, on a real file; checked on disk with fs.
import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';
import { activeEditorFor, postEdit, postRaw } from '../support/inHostApi';
import { diskBytes, inode, patternBytes } from '../support/inHostFiles';
import { after, afterEach, describe, it } from '../support/inHostHarness';
import { closeAllEditors, fixture, hexmapTab, openInHexmap, waitFor } from '../support/inHostVscode';

const SIZE = 3 * 4096 + 17;
const bytesOf = async (uri: vscode.Uri, offset: number, length: number) =>
  Array.from(await (await activeEditorFor(uri)).model.read(offset, length));
const isDirty = (uri: vscode.Uri) => hexmapTab(uri)?.isDirty === true;
/**
 * VS Code's undo service refuses an undo/redo while the previous one is still on its round trip to the
 * extension host (it shows "already an undo or redo operation running"); the model changes a moment before
 * that round trip ends, so after each step give it that moment, as a user's next keypress would.
 */
async function undoRedo(command: 'undo' | 'redo'): Promise<void> {
  await vscode.commands.executeCommand(command);
  await new Promise((r) => setTimeout(r, 300));
}

async function openFresh(name: string) {
  const uri = fixture('editing', name, patternBytes(SIZE));
  await openInHexmap(uri);
  return { uri, editor: await activeEditorFor(uri), path: uri.fsPath };
}

describe('editing', () => {
  afterEach(closeAllEditors);
  after(closeAllEditors);

  it('an edit from the webview makes the document dirty and leaves the file alone', async () => {
    const { uri, editor, path } = await openFresh('edit.bin');
    const before = diskBytes(path, 4095, 3);
    postEdit(editor, 4095, Uint8Array.of(0xde, 0xad, 0xbe)); // across a page boundary
    await waitFor('dirty tab', () => isDirty(uri));
    assert.deepEqual(await bytesOf(uri, 4095, 3), [0xde, 0xad, 0xbe]);
    assert.deepEqual(diskBytes(path, 4095, 3), before, 'nothing written before save');
    assert.deepEqual(editor.model.unsavedRanges(), [{ offset: 4095, length: 3 }]);
  });

  it('undo and redo (VS Code commands) take edits back and forth', async () => {
    const { uri, editor, path } = await openFresh('undo.bin');
    const original = diskBytes(path, 10, 2);
    postEdit(editor, 10, Uint8Array.of(0x01));
    await waitFor('first edit', () => isDirty(uri));
    postEdit(editor, 11, Uint8Array.of(0x02));
    await waitFor('second edit applied', async () => (await bytesOf(uri, 11, 1))[0] === 0x02);
    // Let VS Code register the second edit's undo element before undoing (see undoRedo()).
    await new Promise((r) => setTimeout(r, 300));

    await undoRedo('undo');
    await waitFor('second edit undone', async () => (await bytesOf(uri, 11, 1))[0] === original[1]);
    assert.deepEqual(await bytesOf(uri, 10, 1), [0x01], 'the first edit stays');
    await undoRedo('undo');
    await waitFor('first edit undone', async () => (await bytesOf(uri, 10, 1))[0] === original[0]);
    await waitFor('clean after undoing everything', () => !isDirty(uri));

    await undoRedo('redo');
    await waitFor('first edit redone', async () => (await bytesOf(uri, 10, 1))[0] === 0x01);
    assert.ok(isDirty(uri));
    await undoRedo('redo');
    await waitFor('second edit redone', async () => (await bytesOf(uri, 11, 1))[0] === 0x02);
  });

  it('save writes the edited bytes in place: same inode, size and mode', async () => {
    const { uri, editor, path } = await openFresh('save.bin');
    const before = inode(path);
    postEdit(editor, 0, Uint8Array.of(0x48, 0x4d));
    postEdit(editor, SIZE - 1, Uint8Array.of(0x0a));
    await waitFor('dirty', () => isDirty(uri));
    await vscode.commands.executeCommand('workbench.action.files.save');
    await waitFor('saved (clean)', () => !isDirty(uri));
    assert.deepEqual(diskBytes(path, 0, 2), [0x48, 0x4d]);
    assert.deepEqual(diskBytes(path, SIZE - 1, 1), [0x0a]);
    assert.deepEqual(diskBytes(path, 2, 1), [patternBytes(3)[2]], 'neighbours untouched');
    assert.deepEqual(inode(path), before, 'in-place save: no rename, no size or mode change');
    assert.deepEqual(editor.model.unsavedRanges(), []);
  });

  it('revert drops unsaved edits and reads the disk again', async () => {
    const { uri, editor, path } = await openFresh('revert.bin');
    const original = diskBytes(path, 100, 4);
    postEdit(editor, 100, Uint8Array.of(1, 2, 3, 4));
    await waitFor('dirty', () => isDirty(uri));
    await vscode.commands.executeCommand('workbench.action.files.revert');
    await waitFor('clean', () => !isDirty(uri));
    assert.deepEqual(await bytesOf(uri, 100, 4), original);
    assert.deepEqual(diskBytes(path, 100, 4), original);
  });

  it('malformed or out-of-range edit messages are dropped: nothing changes, the host lives on', async () => {
    const { uri, editor, path } = await openFresh('malformed.bin');
    const bad: unknown[] = [
      { type: 'edit', offset: -1, bytes: Uint8Array.of(1), label: 'x' },
      { type: 'edit', offset: 1.5, bytes: Uint8Array.of(1), label: 'x' },
      { type: 'edit', offset: 0, bytes: [1, 2, 3], label: 'x' },
      { type: 'edit', offset: 0, bytes: new Uint8Array(0), label: 'x' },
      { type: 'edit', offset: SIZE, bytes: Uint8Array.of(1), label: 'past the end' },
      { type: 'edit', offset: SIZE - 1, bytes: Uint8Array.of(1, 2), label: 'straddles the end' },
      { type: 'nonsense' }, null, 42, 'edit',
    ];
    for (const m of bad) postRaw(editor, m);
    await new Promise((r) => setTimeout(r, 300));
    assert.equal(isDirty(uri), false, 'no edit was applied');
    assert.deepEqual(editor.model.unsavedRanges(), []);
    assert.deepEqual(diskBytes(path, SIZE - 2, 2), await bytesOf(uri, SIZE - 2, 2));
    // ...and a good message after the bad ones still works.
    postEdit(editor, 5, Uint8Array.of(0x55));
    await waitFor('the good edit', () => isDirty(uri));
  });

  it('split views of one file share one document', async () => {
    const { uri, editor } = await openFresh('split.bin');
    await vscode.commands.executeCommand('vscode.openWith', uri, 'hexmap.editor', vscode.ViewColumn.Beside);
    await waitFor('two Hexmap tabs', () => vscode.window.tabGroups.all.filter((g) => g.tabs.some((t) =>
      t.input instanceof vscode.TabInputCustom && t.input.uri.toString() === uri.toString())).length === 2);
    const second = await activeEditorFor(uri);
    assert.equal(second.model, editor.model, 'the same document model behind both views');
    postEdit(second, 7, Uint8Array.of(0x77));
    await waitFor('both tabs dirty', () => vscode.window.tabGroups.all.every((g) => g.tabs.every((t) => t.isDirty)));
    assert.deepEqual(Array.from(await editor.model.read(7, 1)), [0x77]);
  });
});
