// E2E helper for in-host suites: small waits and lookups on the real `vscode` API.
import * as assert from 'node:assert/strict';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import * as vscode from 'vscode';

export const EXTENSION_ID = 'hexmap.hexmap';
export const VIEW_TYPE = 'hexmap.editor';

export function workspaceDir(): string {
  const folder = vscode.workspace.workspaceFolders?.[0];
  assert.ok(folder, 'the test window has no workspace folder');
  return folder.uri.fsPath;
}

/** Writes a fixture file into the workspace (a subfolder per suite) and returns its URI. */
export function fixture(suite: string, name: string, bytes: Uint8Array): vscode.Uri {
  const dir = join(workspaceDir(), suite);
  mkdirSync(dir, { recursive: true });
  const file = join(dir, name);
  writeFileSync(file, bytes);
  return vscode.Uri.file(file);
}

export async function waitFor<T>(what: string, probe: () => T | undefined | false | Promise<T | undefined | false>, timeoutMs = 10_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const v = await probe();
    if (v) return v;
    if (Date.now() > deadline) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

/** The tab of `uri` if it is open in Hexmap's custom editor. */
export function hexmapTab(uri: vscode.Uri): vscode.Tab | undefined {
  for (const group of vscode.window.tabGroups.all) {
    for (const tab of group.tabs) {
      const input = tab.input;
      if (input instanceof vscode.TabInputCustom && input.viewType === VIEW_TYPE && input.uri.toString() === uri.toString()) return tab;
    }
  }
  return undefined;
}

export function activeTab(): vscode.Tab | undefined {
  return vscode.window.tabGroups.activeTabGroup.activeTab;
}

/** Opens `uri` with Hexmap and waits until its tab is the active one. */
export async function openInHexmap(uri: vscode.Uri): Promise<vscode.Tab> {
  await vscode.commands.executeCommand('vscode.openWith', uri, VIEW_TYPE);
  return waitFor(`Hexmap tab of ${uri.fsPath}`, () => {
    const tab = activeTab();
    return tab && hexmapTab(uri) === tab ? tab : undefined;
  });
}

/**
 * Closes every editor without a "Save changes?" dialog (which would block the run): dirty editors are
 * reverted and closed one by one, then the rest closed.
 */
export async function closeAllEditors(): Promise<void> {
  const allTabs = () => vscode.window.tabGroups.all.flatMap((g) => g.tabs);
  for (let i = 0; i < 100 && allTabs().some((t) => t.isDirty); i++) {
    const tab = vscode.window.tabGroups.activeTabGroup.activeTab;
    if (!tab) {
      await vscode.commands.executeCommand('workbench.action.focusNextGroup');
      continue;
    }
    await vscode.commands.executeCommand(tab.isDirty ? 'workbench.action.revertAndCloseActiveEditor' : 'workbench.action.closeActiveEditor');
  }
  await vscode.commands.executeCommand('workbench.action.closeAllGroups');
  await waitFor('all editors closed', () => allTabs().length === 0, 5000);
}

export async function activateHexmap<T = unknown>(): Promise<{ extension: vscode.Extension<T>; api: T }> {
  const extension = vscode.extensions.getExtension<T>(EXTENSION_ID);
  assert.ok(extension, `${EXTENSION_ID} is not loaded in this window`);
  const api = await extension.activate();
  return { extension, api };
}
