// Hot-exit backup: while a document is dirty VS Code asks Hexmap for a backup, which must hold the edits
// (and the file's identity), not a copy of the file. Checked on a 256 MiB sparse file: the backup VS Code
// stores for it must be tiny. (Restoring it after a window reload is a user-level test: test/e2e/ui.test.ts.)
import * as assert from 'node:assert/strict';
import { closeSync, openSync, readdirSync, statSync, ftruncateSync, writeSync } from 'node:fs';
import { join } from 'node:path';
import * as vscode from 'vscode';
import { activeEditorFor, postEdit } from '../support/inHostApi';
import { after, describe, it } from '../support/inHostHarness';
import { closeAllEditors, hexmapTab, openInHexmap, waitFor, workspaceDir } from '../support/inHostVscode';

const SIZE = 256 * 1024 * 1024;

function filesUnder(dir: string): Map<string, number> {
  const out = new Map<string, number>();
  const walk = (d: string) => {
    let names: string[];
    try { names = readdirSync(d); } catch { return; }
    for (const n of names) {
      const p = join(d, n);
      let st;
      try { st = statSync(p); } catch { continue; }
      if (st.isDirectory()) walk(p);
      else out.set(p, st.size);
    }
  };
  walk(dir);
  return out;
}

describe('hot-exit backup', () => {
  after(closeAllEditors);

  it('a dirty 256 MiB document is backed up as its edits only, and the backup goes away on revert', async () => {
    const userData = process.env.HEXMAP_E2E_USER_DATA_DIR;
    assert.ok(userData, 'HEXMAP_E2E_USER_DATA_DIR tells the suite where VS Code keeps backups');
    const path = join(workspaceDir(), 'backup-256m.bin');
    const fd = openSync(path, 'w');
    ftruncateSync(fd, SIZE);
    writeSync(fd, Buffer.from('backup test'), 0, 11, SIZE - 100);
    closeSync(fd);
    const uri = vscode.Uri.file(path);

    await openInHexmap(uri);
    const editor = await activeEditorFor(uri);
    const before = filesUnder(userData);
    postEdit(editor, 5, Uint8Array.of(0x41, 0x42, 0x43));
    postEdit(editor, SIZE - 1, Uint8Array.of(0x5a));
    await waitFor('dirty', () => hexmapTab(uri)?.isDirty === true);

    // VS Code schedules the backup about a second after the change.
    const fresh = await waitFor('a backup file written by VS Code/Hexmap', () => {
      const now = filesUnder(userData);
      // VS Code hands custom editors backup destinations in the extension's workspace storage.
      const added = [...now].filter(([p, size]) => !before.has(p) && size > 0 && /[\\/]workspaceStorage[\\/][^\\/]+[\\/]hexmap\.hexmap[\\/]/.test(p));
      return added.length ? added : undefined;
    }, 20_000);
    console.log(`[hexmap-e2e] backup suite: new files after the edit: ${fresh.map(([p, n]) => `${p} (${n} B)`).join(', ')}`);
    const [backupPath, backupSize] = fresh.sort((a, b) => b[1] - a[1])[0];
    assert.ok(backupSize < 64 * 1024, `backup ${backupPath} holds the edits, not the file (${backupSize} bytes for a ${SIZE}-byte file)`);

    await vscode.commands.executeCommand('workbench.action.files.revert');
    await waitFor('clean', () => hexmapTab(uri)?.isDirty === false);
    await waitFor('the backup is discarded once the document is clean', () => {
      const now = filesUnder(userData);
      return fresh.every(([p]) => !now.has(p));
    }, 20_000);
  }, 60_000);
});
