// The extension loads in a real VS Code and registers what package.json promises.
import * as assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import * as vscode from 'vscode';
import { describe, it } from '../support/inHostHarness';
import { activeEditorFor } from '../support/inHostApi';
import { activateHexmap, closeAllEditors, fixture, hexmapTab, openInHexmap, VIEW_TYPE } from '../support/inHostVscode';

describe('activation', () => {
  it('the extension activates in the extension host', async () => {
    const { extension } = await activateHexmap();
    assert.equal(extension.isActive, true);
  });

  it('every command declared in package.json is registered', async () => {
    const { extension } = await activateHexmap();
    const manifest = JSON.parse(readFileSync(join(extension.extensionPath, 'package.json'), 'utf8'));
    const declared: string[] = manifest.contributes.commands.map((c: { command: string }) => c.command);
    assert.ok(declared.length >= 5, 'package.json declares the commands');
    const registered = new Set(await vscode.commands.getCommands(true));
    assert.deepEqual(declared.filter((c) => !registered.has(c)), [], 'declared but not registered');
  });

  it('vscode.openWith opens a file in the hexmap.editor custom editor', async () => {
    const uri = fixture('activation', 'open.bin', new TextEncoder().encode('hello, hexmap\n'));
    const tab = await openInHexmap(uri);
    assert.ok(tab.input instanceof vscode.TabInputCustom);
    assert.equal((tab.input as vscode.TabInputCustom).viewType, VIEW_TYPE);
    await closeAllEditors();
    assert.equal(hexmapTab(uri), undefined);
  });

  it('files open through the native memory mapping (the addon loads in this extension host)', async () => {
    const uri = fixture('activation', 'mapped.bin', new Uint8Array(4096).fill(0x61));
    await openInHexmap(uri);
    const editor = await activeEditorFor(uri);
    assert.equal(editor.model.source.kind, 'mapped', `backend is ${editor.model.source.kind}, not the native mapping`);
    assert.deepEqual(Array.from(await editor.model.read(4090, 6)), [0x61, 0x61, 0x61, 0x61, 0x61, 0x61]);
    await closeAllEditors();
  });
});
