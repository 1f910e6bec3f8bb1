// Hexmap's commands through vscode.commands, as menus and keybindings run them, including the cases
// where they have nothing to act on.
import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';
import { activeEditorFor, hexmapEditors, whenWebviewLive } from '../support/inHostApi';
import { after, afterEach, describe, it } from '../support/inHostHarness';
import { activeTab, closeAllEditors, fixture, hexmapTab, openInHexmap, waitFor } from '../support/inHostVscode';

/** ASCII, then é (2 bytes) at 10, € (3 bytes) at 20, an invalid 0xFF at 30, 🐍 (4 bytes) at 40. */
function mixedSample(): Uint8Array {
  const b = new Uint8Array(64).fill(0x2e);
  b.set([0xc3, 0xa9], 10);
  b.set([0xe2, 0x82, 0xac], 20);
  b[30] = 0xff;
  b.set([0xf0, 0x9f, 0x90, 0x8d], 40);
  return b;
}

describe('commands', () => {
  afterEach(closeAllEditors);
  after(closeAllEditors);

  it('"Open in Hex Editor" with a file argument (explorer, editor title) opens it in Hexmap', async () => {
    const uri = fixture('commands', 'arg.bin', mixedSample());
    await vscode.commands.executeCommand('hexmap.openInHexEditor', uri);
    await waitFor('Hexmap tab', () => hexmapTab(uri) === activeTab());
  });

  it('"Open in Hex Editor" without an argument reopens the active text editor\'s file in Hexmap', async () => {
    const uri = fixture('commands', 'from-text.txt', new TextEncoder().encode('plain text file\n'));
    await vscode.window.showTextDocument(uri);
    await waitFor('text editor', () => activeTab()?.input instanceof vscode.TabInputText);
    await vscode.commands.executeCommand('hexmap.openInHexEditor');
    await waitFor('Hexmap tab of the text file', () => hexmapTab(uri) === activeTab());
  });

  it('commands that need a Hexmap editor do nothing harmful without one', async () => {
    await closeAllEditors();
    for (const id of ['hexmap.openInHexEditor', 'hexmap.goToOffset', 'hexmap.find', 'hexmap.toggleReadOnly', 'hexmap.nextInvalid', 'hexmap.nextNonAscii', 'hexmap.showEncodingReport', 'hexmap.copyAs']) {
      await vscode.commands.executeCommand(id); // shows a message; must not throw or open anything
    }
    assert.equal(vscode.window.tabGroups.all.flatMap((g) => g.tabs).length, 0);
  });

  it('a reveal issued right after opening is not lost (applied once the webview is ready)', async () => {
    const uri = fixture('commands', 'early-reveal.bin', mixedSample());
    await openInHexmap(uri);
    const editor = await activeEditorFor(uri);
    editor.reveal(40, 4); // e.g. "jump to offset" from the encoding report, which opens the file first
    await waitFor('the webview to apply the early reveal (cursor 40)', () => editor.cursor === 40, 15_000);
  });

  it('next/previous non-ASCII and invalid commands move the cursor to the right byte', async () => {
    const uri = fixture('commands', 'navigate.bin', mixedSample());
    await openInHexmap(uri);
    const editor = await activeEditorFor(uri);
    const editors = await hexmapEditors();
    const cursor = () => editors.active?.cursor;
    await whenWebviewLive(editor);
    const steps: [string, number][] = [
      ['hexmap.nextNonAscii', 10], ['hexmap.nextNonAscii', 20], ['hexmap.nextNonAscii', 30], ['hexmap.nextNonAscii', 40],
      ['hexmap.previousNonAscii', 30], ['hexmap.previousNonAscii', 20], ['hexmap.nextInvalid', 30], ['hexmap.previousInvalid', -1],
    ];
    for (const [command, expected] of steps) {
      const before = cursor();
      await vscode.commands.executeCommand(command);
      if (expected < 0) {
        await new Promise((r) => setTimeout(r, 300));
        assert.equal(cursor(), before, `${command}: nothing before the cursor, it stays`);
      } else {
        await waitFor(`${command} -> ${expected} (cursor ${cursor()})`, () => cursor() === expected);
      }
    }
    assert.equal(editor.uri.toString(), uri.toString());
  });
});
