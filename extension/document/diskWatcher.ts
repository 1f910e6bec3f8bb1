/**
 * Tells a document when its file changes on disk. Two sources, because
 * neither is enough alone: VS Code's file watcher (works for remote and
 * workspace files, may skip files outside the workspace) and Node's fs.watch
 * on the exact path (immediate, local only). Events are debounced: a program
 * writing a file in many pieces produces one notification.
 */
import * as fs from 'node:fs';
import { basename, dirname } from 'node:path';
import * as vscode from 'vscode';

const DEBOUNCE_MS = 150;

export function watchFile(uri: vscode.Uri, onChange: () => void): vscode.Disposable {
  let timer: NodeJS.Timeout | undefined;
  const fire = () => {
    if (timer) clearTimeout(timer);
    timer = setTimeout(() => {
      timer = undefined;
      onChange();
    }, DEBOUNCE_MS);
  };
  const disposables: vscode.Disposable[] = [];
  const pattern = new vscode.RelativePattern(uri.with({ path: dirname(uri.path) }), basename(uri.path));
  const watcher = vscode.workspace.createFileSystemWatcher(pattern);
  disposables.push(watcher, watcher.onDidChange(fire), watcher.onDidCreate(fire), watcher.onDidDelete(fire));
  if (uri.scheme === 'file') {
    try {
      const nodeWatcher = fs.watch(uri.fsPath, { persistent: false }, fire);
      nodeWatcher.on('error', () => undefined); // the file went away: VS Code's watcher still reports it
      disposables.push({ dispose: () => nodeWatcher.close() });
    } catch {
      // fs.watch is unavailable on some file systems; VS Code's watcher remains.
    }
  }
  return {
    dispose: () => {
      if (timer) clearTimeout(timer);
      disposables.forEach((d) => d.dispose());
    },
  };
}
