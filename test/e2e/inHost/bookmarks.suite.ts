// Bookmarks through VS Code's commands in the extension host: Toggle at the cursor, Next / Previous
// (wrapping), a deleted byte taking its bookmark and VS Code's undo bringing it back, Delete on a tree item.
import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';
import type { BookmarkFeature } from '../../../extension/bookmarks/bookmarkFeature';
import { activeEditorFor, postRaw, whenWebviewLive } from '../support/inHostApi';
import { after, afterEach, describe, it } from '../support/inHostHarness';
import { activateHexmap, closeAllEditors, fixture, openInHexmap, waitFor } from '../support/inHostVscode';

describe('bookmarks', () => {
  afterEach(closeAllEditors);
  after(closeAllEditors);

  it('Toggle, Next and Previous act at the cursor; undo of a delete brings the bookmark back; Delete from the tree', async () => {
    const uri = fixture('bookmarks', 'nav.bin', new Uint8Array(256).fill(0x41));
    await openInHexmap(uri);
    const editor = await activeEditorFor(uri);
    await whenWebviewLive(editor);
    const { api } = await activateHexmap<{ bookmarks: BookmarkFeature }>();
    const marks = await waitFor('the document\'s bookmarks', () => api.bookmarks.live(uri.toString()));
    const starts = () => marks.ranges().map((r) => r.start).join();
    const moveTo = async (at: number) => {
      editor.reveal(at, 1);
      await waitFor(`cursor on ${at}`, () => editor.cursor === at && editor.anchor === at);
    };
    for (const at of [16, 100]) {
      await moveTo(at);
      await vscode.commands.executeCommand('hexmap.toggleBookmark');
    }
    assert.equal(starts(), '16,100');
    await moveTo(0);
    for (const want of [16, 100, 16]) {
      await vscode.commands.executeCommand('hexmap.nextBookmark');
      await waitFor(`Next Bookmark to ${want}`, () => editor.cursor === want);
    }
    await vscode.commands.executeCommand('hexmap.previousBookmark');
    await waitFor('Previous Bookmark wraps to 100', () => editor.cursor === 100);

    // Delete the marked byte as the webview does (Delete key): the bookmark goes, the one before stays.
    postRaw(editor, { type: 'edit', offset: 100, bytes: new Uint8Array(0), deleteLength: 1, label: 'Delete' });
    await waitFor('the bookmark of the deleted byte removed', () => starts() === '16');
    await new Promise((r) => setTimeout(r, 300)); // VS Code registers the undo element (see editing.suite.ts)
    await vscode.commands.executeCommand('undo');
    await waitFor('undo brings it back', () => starts() === '16,100', 10_000);

    // The tree's context menu passes its item.
    const first = marks.set.all()[0];
    await vscode.commands.executeCommand('hexmap.deleteBookmark', { kind: 'bookmark', uri: uri.toString(), id: first.id, start: first.start, length: first.length, name: '', color: first.color });
    assert.equal(starts(), '100');
  });
});
