/**
 * The VS Code dialogs and notifications that present the save policy
 * (documentSaver.ts decides; this only asks and shows).
 */
import * as vscode from 'vscode';
import { formatBytes } from './formatSize';
import type { SaveUi } from './documentSaver';

export const vscodeSaveUi: SaveUi = {
  async confirmOverwrite(fileName, detail) {
    const overwrite = 'Overwrite';
    const pick = await vscode.window.showWarningMessage(
      `${fileName} changed on disk since Hexmap loaded it. Write your edits over it anyway?`,
      { modal: true, detail: `${detail}\n\nOnly your changed bytes are written (and, after an insert or delete, the bytes after it are moved).` },
      overwrite,
    );
    return pick === overwrite;
  },

  async confirmMove(fileName, bytes) {
    const save = 'Save in Place';
    const saveAs = 'Save As…';
    const pick = await vscode.window.showWarningMessage(
      `Saving ${fileName} moves ${formatBytes(bytes)} of the file to make room for the inserted or deleted bytes.`,
      { modal: true, detail: 'The move is journaled: a crash or Cancel leaves the old file. Save As writes a new file instead and leaves this one as it is.' },
      save, saveAs,
    );
    return pick === save ? 'save' : pick === saveAs ? 'saveAs' : 'cancel';
  },

  withProgress(title, task) {
    return withSaveProgress(title, task);
  },

  warn(message) {
    void vscode.window.showWarningMessage(message);
  },
};

/**
 * A save (or Save As) in a progress notification: percent and bytes done,
 * Cancel when `cancellable` (default), which aborts the task's signal, as
 * does `token` (VS Code's own cancellation of the request) when given.
 */
export function withSaveProgress<T>(
  title: string,
  task: (report: (done: number, total: number) => void, signal: AbortSignal) => Promise<T>,
  options: { cancellable?: boolean; token?: vscode.CancellationToken } = {},
): Promise<T> {
  const cancellable = options.cancellable ?? true;
  return Promise.resolve(vscode.window.withProgress({ location: vscode.ProgressLocation.Notification, title, cancellable }, async (progress, cancel) => {
    const abort = new AbortController();
    const subs = [cancel.onCancellationRequested(() => abort.abort())];
    if (options.token) subs.push(options.token.onCancellationRequested(() => abort.abort()));
    let reported = 0;
    try {
      return await task((done, total) => {
        const pct = total ? (done / total) * 100 : 100;
        if (pct - reported < 0.5 && done < total) return;
        progress.report({ increment: pct - reported, message: `${formatBytes(done)} of ${formatBytes(total)}` });
        reported = pct;
      }, abort.signal);
    } finally {
      subs.forEach((d) => d.dispose());
    }
  }));
}

/** The file changed on disk while the document has unsaved edits. */
export async function askAboutOutsideChange(fileName: string): Promise<'overwrite' | 'revert' | 'keep'> {
  const overwrite = 'Overwrite with My Edits';
  const revert = 'Revert to Disk';
  const pick = await vscode.window.showWarningMessage(
    `${fileName} changed on disk while you have unsaved edits in Hexmap.`,
    { modal: true, detail: 'Overwrite writes your edits over the file now. Revert drops your edits and shows the file as it is on disk. Cancel keeps both; saving later asks again.' },
    overwrite, revert,
  );
  return pick === overwrite ? 'overwrite' : pick === revert ? 'revert' : 'keep';
}
