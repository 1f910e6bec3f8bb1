/**
 * Opening a document: pick the backend (the mapping for file: URIs, VS
 * Code's file system for the rest), decide read-only and why, offer recovery
 * of an interrupted save, and restore hot-exit edits.
 */
import * as vscode from 'vscode';
import type { ByteSource } from '../engine/byteSource';
import { nativeAddonStatus, openByteSource } from '../engine/openByteSource';
import { openVscodeFsSource } from '../engine/vscodeFsSource';
import { HexDocument } from './hexDocument';
import { HexDocumentModel } from './hexDocumentModel';
import { fileReadOnlyReason, reasonForError } from './readOnlyCheck';
import { backupProblem, decodeBackup } from './save/backup';
import { statIdentity, type FileIdentity } from './save/fileIdentity';
import { DamagedJournalError, deleteJournal, findJournal } from './save/journal';
import { applyJournal, journalProblem } from './save/recovery';

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
  readOnlyReason = (await recoverInterruptedSave(path, ctx, readOnlyReason)) ?? readOnlyReason;
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

/**
 * A journal left for this file means a save was interrupted. Ask what to do;
 * returns a read-only reason when the document must not be edited yet
 * (the user postponed the decision: a new save would replace the journal).
 */
async function recoverInterruptedSave(path: string, ctx: OpenContext, readOnlyReason: string | undefined): Promise<string | undefined> {
  let found;
  try {
    found = await findJournal(ctx.journalDir, path);
  } catch (e) {
    if (!(e instanceof DamagedJournalError)) throw e;
    // The journal is made durable in full before the file is touched, so one that
    // does not decode was torn while being written: the save never changed the file.
    ctx.log(`discarding incomplete save journal ${e.path}: ${e.message}`);
    await deleteJournal(e.path);
    void vscode.window.showInformationMessage(
      `A save of ${path} was interrupted before it changed the file (its journal was incomplete: ${e.message}). The file is as it was before that save.`,
    );
    return undefined;
  }
  if (!found) return undefined;
  const { journal, path: journalPath } = found;
  const problem = await journalProblem(journal, path);
  if (problem) {
    const remove = 'Delete Journal';
    const pick = await vscode.window.showWarningMessage(
      `A save of ${path} started ${journal.createdAt} was interrupted, but the journal cannot be applied: ${problem}.`,
      remove,
    );
    if (pick === remove) await deleteJournal(journalPath);
    return pick === remove ? undefined : 'an interrupted save is pending (reopen the file to decide about it)';
  }
  const changed = journal.runs.reduce((n, r) => n + r.bytes.length, 0);
  const restore = 'Restore Previous Bytes';
  const finish = 'Finish the Save';
  const pick = await vscode.window.showWarningMessage(
    `A save of ${path} was interrupted (started ${journal.createdAt}, ${journal.runs.length} changed run(s), ${changed} byte(s)).`,
    { modal: true, detail: 'Restore puts back the bytes from before that save. Finish writes the rest of the save. Cancel opens the file read-only and asks again next time.' },
    restore, finish,
  );
  if (pick !== restore && pick !== finish) return 'an interrupted save is pending (reopen the file to restore or finish it)';
  if (readOnlyReason) {
    void vscode.window.showErrorMessage(`Cannot recover ${path}: ${readOnlyReason}. The journal is kept at ${journalPath}.`);
    return readOnlyReason;
  }
  const source = await openByteSource(path, { writable: true, backend: 'auto' });
  try {
    await applyJournal(source, journal, journalPath, pick === restore ? 'restore' : 'finish');
    void vscode.window.showInformationMessage(pick === restore ? `Restored ${path} to its content before the interrupted save.` : `Finished the interrupted save of ${path}.`);
  } catch (e) {
    ctx.log(`recovery of ${path} failed: ${(e as Error).message}`);
    void vscode.window.showErrorMessage(`Recovery of ${path} failed: ${(e as Error).message}. The journal is kept.`);
    return 'recovery of an interrupted save failed';
  } finally {
    source.close();
  }
  return undefined;
}

async function restoreBackup(document: HexDocument, backupId: string, log: (m: string) => void): Promise<void> {
  try {
    if (!backupId) throw new Error('VS Code named no backup to restore');
    const backup = decodeBackup(await vscode.workspace.fs.readFile(vscode.Uri.parse(backupId)));
    const problem = backupProblem(backup, await document.statNow());
    log(`restoring ${backup.runs.length} unsaved run(s) of ${document.fileName} from backup ${backupId}${problem ? ` refused: ${problem}` : ''}`);
    if (problem) {
      void vscode.window.showWarningMessage(
        `Hexmap did not restore the unsaved edits of ${document.fileName}: ${problem}. Applying them would mix them with content you never saw.`,
      );
      return;
    }
    if (backup.runs.length === 0) {
      void vscode.window.showWarningMessage(`Hexmap's backup of ${document.fileName} holds no unsaved bytes: the editor shows the file as it is on disk.`);
    }
    document.model.restoreEdits(backup.runs);
  } catch (e) {
    log(`restoring backup ${backupId} failed: ${(e as Error).message}`);
    void vscode.window.showWarningMessage(`Hexmap could not restore the unsaved edits of ${document.fileName}: ${(e as Error).message}`);
  }
}
