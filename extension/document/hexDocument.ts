/**
 * The VS Code side of a Hexmap document: wraps a HexDocumentModel and
 * connects it to what needs `vscode`. The decisions live elsewhere, in plain
 * Node: documentSaver.ts (save policy, through the shared SaveController),
 * backup.ts (hot exit), diskWatcher.ts (outside changes); the dialogs that
 * present them are in save/saveDialogs.ts and save/recoveryDialogs.ts.
 * Undo/redo entries are announced by the provider (it owns
 * onDidChangeCustomDocument).
 */
import { promises as fsp } from 'node:fs';
import { basename } from 'node:path';
import * as vscode from 'vscode';
import { HexmapError } from '../engine/byteSource';
import type { HexDocumentModel } from './hexDocumentModel';
import { watchFile } from './diskWatcher';
import { encodeBackup } from './save/backup';
import { isOverwriteOnly } from './save/savePlan';
import { DocumentSaver, SaveAsInstead } from './save/documentSaver';
import { sameVersion, statIdentity, type FileIdentity } from './save/fileIdentity';
import { formatBytes } from './save/formatSize';
import { removeIdleJournal } from './save/journal';
import { saveCopyAs, saveSnapshotAs } from './save/saveAs';
import { SaveController } from './save/saveController';
import { askAboutOutsideChange, vscodeSaveUi, withSaveProgress } from './save/saveDialogs';

export { formatBytes };

/** Files above this get a progress notification for Save As. */
const SAVE_AS_PROGRESS_BYTES = 64 << 20;
/** Save As to a virtual file system goes through memory: refuse beyond this. */
const SAVE_AS_VIRTUAL_MAX = 256 << 20;

/** One queue for every document in this extension host: saves of one file never overlap. */
const sharedSaveController = new SaveController();

export interface HexDocumentOptions {
  journalDir: string;
  log(message: string): void;
  controller?: SaveController;
}

export class HexDocument implements vscode.CustomDocument {
  private readonly disposables: vscode.Disposable[] = [];
  private prompting = false;
  /** The watcher fired while a save ran: checked once the save is over. */
  private changedDuringSave = false;
  private readonly saver: DocumentSaver;
  private readonly disposeEmitter = new vscode.EventEmitter<void>();
  readonly onDidDispose = this.disposeEmitter.event;

  constructor(
    readonly uri: vscode.Uri,
    readonly model: HexDocumentModel,
    identity: FileIdentity | undefined,
    private readonly options: HexDocumentOptions,
  ) {
    this.saver = new DocumentSaver({
      controller: options.controller ?? sharedSaveController,
      model,
      source: model.source,
      journalDir: options.journalDir,
      ui: vscodeSaveUi,
      fileName: basename(uri.path),
    }, identity);
    this.disposables.push(watchFile(uri, () => void this.onDiskChanged()));
  }

  get fileName(): string {
    return basename(this.uri.path);
  }

  /** The file version the document last agreed with (undefined: not known). */
  get identity(): FileIdentity | undefined {
    return this.saver.identity;
  }

  private get isLocalFile(): boolean {
    return this.uri.scheme === 'file' && this.model.source.kind !== 'vscode-fs';
  }

  // ---------------------------------------------------------------- save

  async save(token?: vscode.CancellationToken): Promise<void> {
    if (!this.isLocalFile) throw new Error(`Cannot save ${this.fileName}: files on ${this.uri.scheme}: are opened read-only by Hexmap.`);
    if (this.model.readOnlyIsFixed) {
      throw new HexmapError(`Cannot save ${this.fileName}: ${this.model.readOnlyReason}.`, 'ERR_HEXMAP_READ_ONLY', this.uri.fsPath);
    }
    const abort = new AbortController();
    const sub = token?.onCancellationRequested(() => abort.abort());
    try {
      await this.saver.save(abort.signal);
    } catch (e) {
      if (e instanceof SaveAsInstead) {
        void vscode.commands.executeCommand('workbench.action.files.saveAs', this.uri);
        throw new vscode.CancellationError();
      }
      if (e instanceof HexmapError && e.code === 'ERR_HEXMAP_CHANGED_DURING_SAVE') {
        // Another program wrote during the save: show the file as it is and keep the edits unsaved.
        await this.model.reloadFromDisk().catch(() => undefined);
        this.saver.identity = await this.statNow().catch(() => this.saver.identity);
      }
      throw e;
    } finally {
      sub?.dispose();
      if (this.changedDuringSave && !this.saver.saving) {
        this.changedDuringSave = false;
        void this.onDiskChanged();
      }
    }
  }

  async saveAs(target: vscode.Uri, token: vscode.CancellationToken): Promise<void> {
    if (this.isLocalFile && target.scheme === 'file') {
      const snapshot = this.model.snapshot();
      const sameLayout = isOverwriteOnly(snapshot);
      const mode = (await fsp.stat(this.uri.fsPath)).mode;
      const write = (onProgress?: (done: number, total: number) => void, signal?: AbortSignal) => (sameLayout
        // Same size, bytes in place: copy in the kernel (reflink where offered), then write the edits.
        ? saveCopyAs(this.uri.fsPath, target.fsPath, this.model.editedRuns(), { onProgress })
        // Inserted or deleted bytes: stream the new content.
        : saveSnapshotAs(snapshot, (o, n) => this.model.source.read(o, n), target.fsPath, { onProgress, signal, mode }));
      if (this.model.size < SAVE_AS_PROGRESS_BYTES) return write();
      // The kernel copy of the same-layout path cannot be stopped halfway: no Cancel there.
      return withSaveProgress(`Hexmap: saving a copy as ${basename(target.path)}`, (report, signal) => write(report, signal), { cancellable: !sameLayout, token });
    }
    // A virtual file system on either side: through memory, so only for moderate sizes.
    if (this.model.size > SAVE_AS_VIRTUAL_MAX) {
      throw new Error(`Save As between ${this.uri.scheme}: and ${target.scheme}: is limited to ${formatBytes(SAVE_AS_VIRTUAL_MAX)} in Hexmap; this file is ${formatBytes(this.model.size)}.`);
    }
    const all = new Uint8Array(this.model.size);
    for (let at = 0; at < all.length && !token.isCancellationRequested; at += 16 << 20) {
      all.set(await this.model.read(at, Math.min(16 << 20, all.length - at)), at);
    }
    if (token.isCancellationRequested) throw new vscode.CancellationError();
    await vscode.workspace.fs.writeFile(target, all);
  }

  async revert(): Promise<void> {
    await this.model.revert();
    this.saver.identity = await this.statNow().catch(() => this.saver.identity);
  }

  /**
   * Hot exit: the content as pieces (disk ranges + unsaved bytes) and the
   * file's identity, written to exactly `destination` (VS Code restores by
   * that id). Written to a temporary name and renamed, so the id never names
   * a torn backup; a cancelled backup (a newer one superseded it) leaves
   * nothing behind.
   */
  async backup(destination: vscode.Uri, token?: vscode.CancellationToken): Promise<vscode.CustomDocumentBackup> {
    const identity = this.saver.identity ?? (await this.statNow());
    const pieces = this.model.snapshot().pieces;
    const bytes = encodeBackup({ identity, pieces });
    if (token?.isCancellationRequested) throw new vscode.CancellationError();
    const fs = vscode.workspace.fs;
    await fs.createDirectory(vscode.Uri.joinPath(destination, '..'));
    const temp = destination.with({ path: `${destination.path}.${process.pid}.${Date.now()}.tmp` });
    try {
      await fs.writeFile(temp, bytes);
      if (token?.isCancellationRequested) throw new vscode.CancellationError();
      await fs.rename(temp, destination, { overwrite: true });
      this.options.log(`backed up ${pieces.filter((p) => p.kind === 'bytes').length} unsaved piece(s) of ${this.fileName} to ${destination.toString()}`);
    } catch (e) {
      await Promise.resolve(fs.delete(temp)).catch(() => undefined);
      throw e;
    }
    return {
      id: destination.toString(),
      delete: () => {
        fs.delete(destination).then(undefined, () => undefined);
      },
    };
  }

  /** The file's identity now (for virtual file systems: size and mtime only). */
  async statNow(): Promise<FileIdentity> {
    if (this.isLocalFile) return statIdentity(this.uri.fsPath);
    const st = await vscode.workspace.fs.stat(this.uri);
    return { path: this.uri.toString(), size: st.size, mtimeMs: st.mtime, dev: 0, ino: 0 };
  }

  // ------------------------------------------------------ outside changes

  /**
   * The watcher saw a change. During a save it is remembered and checked when
   * the save is over (never swallowed: the save's own writes leave the
   * identity the save recorded; anything else is another program). Clean
   * document: reload (views flash what changed). Dirty: ask.
   */
  async onDiskChanged(): Promise<void> {
    if (this.model.source.closed) return;
    if (this.saver.saving) {
      this.changedDuringSave = true;
      return;
    }
    if (this.prompting) return;
    let now: FileIdentity;
    try {
      now = await this.statNow();
    } catch {
      void vscode.window.showWarningMessage(`${this.fileName} was deleted or cannot be read any more. Hexmap keeps showing what it had; saving will fail.`);
      return;
    }
    const known = this.saver.identity;
    if (known && sameVersion(known, now)) return;
    if (known && (now.dev !== known.dev || now.ino !== known.ino) && this.isLocalFile) {
      void vscode.window.showWarningMessage(
        `${this.fileName} was replaced by another file on disk (another program saved it by renaming). Hexmap still shows the file it opened; reopen the editor to see the new one.`,
      );
      this.saver.identity = now;
      return;
    }
    try {
      const { oldSize, newSize } = await this.model.reloadFromDisk();
      if (newSize < oldSize) {
        void vscode.window.showWarningMessage(`${this.fileName} was truncated on disk from ${oldSize} to ${newSize} bytes.`);
      }
    } catch (e) {
      this.options.log(`reload of ${this.uri.fsPath} failed: ${(e as Error).message}`);
      void vscode.window.showErrorMessage(`Hexmap could not reload ${this.fileName}: ${(e as Error).message}`);
      return;
    }
    if (!this.model.isDirty) {
      this.saver.identity = now;
      return;
    }
    await this.resolveConflict(now);
  }

  private async resolveConflict(now: FileIdentity): Promise<void> {
    this.prompting = true;
    try {
      const pick = await askAboutOutsideChange(this.fileName);
      if (pick === 'overwrite') {
        this.saver.identity = now;
        await vscode.workspace.save(this.uri);
      } else if (pick === 'revert') {
        await vscode.commands.executeCommand('workbench.action.files.revert', this.uri).then(undefined, () => this.revert());
        if (this.model.isDirty) await this.revert();
      }
    } finally {
      this.prompting = false;
    }
  }

  dispose(): void {
    this.disposables.forEach((d) => d.dispose());
    this.model.dispose();
    const identity = this.saver.identity;
    if (this.isLocalFile && identity) void removeIdleJournal(this.options.journalDir, identity);
    this.disposeEmitter.fire();
    this.disposeEmitter.dispose();
  }
}
