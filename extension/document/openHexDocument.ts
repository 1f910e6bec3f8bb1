/**
 * Opening a document: pick the backend (the mapping for file: URIs, VS
 * Code's file system for the rest), decide read-only and why, and restore
 * hot-exit edits. Recovery of an interrupted save is save/recoveryFlow.ts;
 * its dialogs and the changed-backup dialog are save/recoveryDialogs.ts.
 */
import * as vscode from 'vscode';
import type { ByteSource } from '../engine/byteSource';
import { nativeAddonStatus, openByteSource } from '../engine/openByteSource';
import { openVscodeFsSource } from '../engine/vscodeFsSource';
import { HexDocument } from './hexDocument';
import { HexDocumentModel } from './hexDocumentModel';
import { fileReadOnlyReason, reasonForError } from './readOnlyCheck';
import { backupEdits, backupIsOverwriteOnly, backupProblem, decodeBackup, describeBackupEdits } from './save/backup';
import { statIdentity, type FileIdentity } from './save/fileIdentity';
import { askBackupOverChangedFile, vscodeRecoveryUi } from './save/recoveryDialogs';
import { recoverInterruptedSave } from './save/recoveryFlow';

export interface OpenContext {
  journalDir: string;
  userReadOnly: boolean;
  backupId?: string;
  log(message: string): void;
}

let fallbackAnnounced = false;

export async function openHexDocument(uri: vscode.Uri, ctx: OpenContext): Promise<HexDocument> {
  const opened = uri.scheme === 'file' ? await openLocal(uri, ctx) : await openVirtual(uri);
  const model = new HexDocumentModel(opened.source, { readOnlyReason: opened.readOnlyReason, userReadOnly: ctx.userReadOnly });
  const document = new HexDocument(uri, model, opened.identity, { journalDir: ctx.journalDir, log: ctx.log });
  // VS Code marks a document restored from a backup dirty whatever we do here, so every way a
  // restore can fail must tell the user: a dirty tab whose bytes are unchanged would save nothing.
  if (ctx.backupId !== undefined) await restoreBackup(document, ctx.backupId, ctx.log);
  return document;
}

interface Opened {
  source: ByteSource;
  readOnlyReason?: string;
  identity?: FileIdentity;
}

async function openLocal(uri: vscode.Uri, ctx: OpenContext): Promise<Opened> {
  const path = uri.fsPath;
  let readOnlyReason = await fileReadOnlyReason(path);
  readOnlyReason = (await recoverInterruptedSave(path, ctx.journalDir, vscodeRecoveryUi, readOnlyReason, ctx.log)) ?? readOnlyReason;
  announceFallbackOnce();
  let source: ByteSource;
  try {
    source = await openByteSource(path, { writable: readOnlyReason === undefined, backend: 'auto' });
  } catch (e) {
    const reason = reasonForError(e);
    if (!reason || readOnlyReason) throw e;
    source = await openByteSource(path, { writable: false, backend: 'auto' });
    readOnlyReason = reason;
  }
  if (!readOnlyReason && !source.writable) readOnlyReason = 'the file could not be opened for writing';
  return { source, readOnlyReason, identity: await statIdentity(path) };
}

async function openVirtual(uri: vscode.Uri): Promise<Opened> {
  const source = await openVscodeFsSource(uri);
  const st = await vscode.workspace.fs.stat(uri);
  return {
    source,
    readOnlyReason: `Hexmap opens files on ${uri.scheme}: read-only`,
    identity: { path: uri.toString(), size: st.size, mtimeMs: st.mtime, dev: 0, ino: 0 },
  };
}

function announceFallbackOnce(): void {
  if (fallbackAnnounced) return;
  const status = nativeAddonStatus();
  if (status.loaded) return;
  fallbackAnnounced = true;
  void vscode.window.showInformationMessage(
    `Hexmap's native memory-mapping addon is not available on this platform (${status.error ?? 'unknown reason'}). Files open with plain reads instead: everything works, large scans are slower.`,
  );
}

async function restoreBackup(document: HexDocument, backupId: string, log: (m: string) => void): Promise<void> {
  try {
    if (!backupId) throw new Error('VS Code named no backup to restore');
    const backup = decodeBackup(await vscode.workspace.fs.readFile(vscode.Uri.parse(backupId)));
    const problem = backupProblem(backup, await document.statNow());
    log(`restoring ${backup.runs.length} unsaved run(s) of ${document.fileName} from backup ${backupId}${problem ? ` (file changed: ${problem})` : ''}`);
    if (problem) {
      // Never dropped silently: the user decides, and Cancel keeps the edits.
      const choice = await askBackupOverChangedFile(document.fileName, problem, async () => {
        const text = await describeBackupEdits(backup, async (o, n) => (o + n <= document.model.size ? document.model.source.read(o, Math.min(n, 1 << 20)) : undefined));
        await vscode.window.showTextDocument(await vscode.workspace.openTextDocument({ content: text }), { preview: true, viewColumn: vscode.ViewColumn.Beside });
      });
      if (choice === 'discard') {
        void vscode.window.showInformationMessage(`Discarded the unsaved edits of ${document.fileName}; the editor shows the file as it is on disk. Revert (or undo) clears the unsaved mark.`);
        return;
      }
    }
    if (!backupIsOverwriteOnly(backup)) {
      // Inserted or deleted bytes: one batch edit over the file as it is now (an undo step the user can take back).
      const edits = await backupEdits(backup, (o, n) => document.model.source.read(o, n));
      const size = document.model.size;
      if (edits.some((e) => e.offset + e.deleteLength > size)) throw new Error(`the edits reach past the end of the file as it is now (${size} bytes)`);
      if (edits.length) document.model.editBatch(edits, 'Restore Unsaved Edits');
      return;
    }
    const fits = backup.runs.filter((r) => r.offset + r.bytes.length <= document.model.size);
    if (fits.length < backup.runs.length) {
      void vscode.window.showWarningMessage(`${backup.runs.length - fits.length} unsaved run(s) of ${document.fileName} lie past the end of the file as it is now and could not be restored.`);
    }
    if (backup.runs.length === 0) {
      void vscode.window.showWarningMessage(`Hexmap's backup of ${document.fileName} holds no unsaved bytes: the editor shows the file as it is on disk.`);
    }
    document.model.restoreEdits(fits);
  } catch (e) {
    log(`restoring backup ${backupId} failed: ${(e as Error).message}`);
    void vscode.window.showWarningMessage(`Hexmap could not restore the unsaved edits of ${document.fileName}: ${(e as Error).message}`);
  }
}
