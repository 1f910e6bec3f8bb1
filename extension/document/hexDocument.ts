/**
 * The VS Code side of a Hexmap document: wraps a HexDocumentModel and adds
 * what needs `vscode` — save / Save As / revert / hot-exit backup, watching
 * the file for outside changes and the conflict prompt. Undo/redo entries are
 * announced by the provider (it owns onDidChangeCustomDocument).
 */
import { basename } from 'node:path';
import * as vscode from 'vscode';
import { HexmapError } from '../engine/byteSource';
import type { HexDocumentModel } from './hexDocumentModel';
import { watchFile } from './diskWatcher';
import { encodeBackup } from './save/backup';
import { sameVersion, statIdentity, type FileIdentity } from './save/fileIdentity';
import { saveCopyAs } from './save/saveAs';
import { saveInPlace } from './save/saveInPlace';
import { removeIdleJournal } from './save/journal';

/** Files above this get a progress notification for Save As. */
const SAVE_AS_PROGRESS_BYTES = 64 << 20;
/** Save As to a virtual file system goes through memory: refuse beyond this. */
const SAVE_AS_VIRTUAL_MAX = 256 << 20;

export interface HexDocumentOptions {
  journalDir: string;
  log(message: string): void;
}

export class HexDocument implements vscode.CustomDocument {
  private readonly disposables: vscode.Disposable[] = [];
  private saving = false;
  private prompting = false;
  private readonly disposeEmitter = new vscode.EventEmitter<void>();
  readonly onDidDispose = this.disposeEmitter.event;

  constructor(
    readonly uri: vscode.Uri,
    readonly model: HexDocumentModel,
    /** The file version the document last agreed with (undefined: not known). */
    private identity: FileIdentity | undefined,
    private readonly options: HexDocumentOptions,
  ) {
    this.disposables.push(watchFile(uri, () => void this.onDiskChanged()));
  }

  get fileName(): string {
    return basename(this.uri.path);
  }

  private get isLocalFile(): boolean {
    return this.uri.scheme === 'file' && this.model.source.kind !== 'vscode-fs';
  }

  // ---------------------------------------------------------------- save

  async save(): Promise<void> {
    if (!this.isLocalFile) throw new Error(`Cannot save ${this.fileName}: files on ${this.uri.scheme}: are opened read-only by Hexmap.`);
    if (this.model.readOnlyIsFixed) {
      throw new HexmapError(`Cannot save ${this.fileName}: ${this.model.readOnlyReason}.`, 'ERR_HEXMAP_READ_ONLY', this.uri.fsPath);
    }
    this.saving = true;
    try {
      const { runs, at } = this.model.beginSave();
      let result;
      try {
        result = await saveInPlace(this.model.source, runs, { journalDir: this.options.journalDir, expected: this.identity });
      } catch (e) {
        if (!(e instanceof HexmapError && e.code === 'ERR_HEXMAP_CONFLICT')) throw e;
        const overwrite = 'Overwrite';
        const pick = await vscode.window.showWarningMessage(
          `${this.fileName} changed on disk since Hexmap loaded it. Write your edits over it anyway? (Only your changed bytes are written.)`,
          { modal: true }, overwrite,
        );
        if (pick !== overwrite) throw new Error(`Not saved: ${this.fileName} changed on disk and you chose not to overwrite it.`);
        result = await saveInPlace(this.model.source, runs, { journalDir: this.options.journalDir });
      }
      this.model.completeSave(result.runs, at);
      this.identity = result.identity;
      if (result.warning) void vscode.window.showWarningMessage(result.warning);
    } finally {
      this.saving = false;
    }
  }

  async saveAs(target: vscode.Uri, token: vscode.CancellationToken): Promise<void> {
    const runs = this.model.editedRuns();
    if (this.isLocalFile && target.scheme === 'file') {
      const copy = (onProgress?: (done: number, total: number) => void) =>
        saveCopyAs(this.uri.fsPath, target.fsPath, runs, { onProgress });
      if (this.model.size < SAVE_AS_PROGRESS_BYTES) return copy();
      return vscode.window.withProgress(
        { location: vscode.ProgressLocation.Notification, title: `Hexmap: saving a copy as ${basename(target.path)}` },
        async (progress) => {
          let reported = 0;
          await copy((done, total) => {
            const pct = total ? (done / total) * 100 : 100;
            progress.report({ increment: pct - reported, message: `${formatBytes(done)} of ${formatBytes(total)}` });
            reported = pct;
          });
        },
      );
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
    this.identity = await this.statNow().catch(() => this.identity);
  }

  /**
   * Hot exit: only the unsaved runs and the file's identity, written to
   * exactly `destination` (VS Code restores by that id). Written to a
   * temporary name and renamed, so the id never names a torn backup; a
   * cancelled backup (a newer one superseded it) leaves nothing behind.
   */
  async backup(destination: vscode.Uri, token?: vscode.CancellationToken): Promise<vscode.CustomDocumentBackup> {
    const identity = this.identity ?? (await this.statNow());
    // Snapshot the runs now: the bytes the backup describes are the ones at this moment.
    const bytes = encodeBackup({ identity, runs: this.model.editedRuns() });
    if (token?.isCancellationRequested) throw new vscode.CancellationError();
    const fs = vscode.workspace.fs;
    await fs.createDirectory(vscode.Uri.joinPath(destination, '..'));
    const temp = destination.with({ path: `${destination.path}.${process.pid}.${Date.now()}.tmp` });
    try {
      await fs.writeFile(temp, bytes);
      if (token?.isCancellationRequested) throw new vscode.CancellationError();
      await fs.rename(temp, destination, { overwrite: true });
      this.options.log(`backed up ${this.model.editedRuns().length} unsaved run(s) of ${this.fileName} to ${destination.toString()}`);
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
   * The watcher saw a change. Clean document: reload (views flash what
   * changed). Dirty: ask — nothing is overwritten or dropped silently.
   */
  async onDiskChanged(): Promise<void> {
    if (this.saving || this.prompting || this.model.source.closed) return;
    let now: FileIdentity;
    try {
      now = await this.statNow();
    } catch {
      void vscode.window.showWarningMessage(`${this.fileName} was deleted or cannot be read any more. Hexmap keeps showing what it had; saving will fail.`);
      return;
    }
    if (this.identity && sameVersion(this.identity, now)) return;
    if (this.identity && (now.dev !== this.identity.dev || now.ino !== this.identity.ino) && this.isLocalFile) {
      void vscode.window.showWarningMessage(
        `${this.fileName} was replaced by another file on disk (another program saved it by renaming). Hexmap still shows the file it opened; reopen the editor to see the new one.`,
      );
      this.identity = now;
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
      this.identity = now;
      return;
    }
    await this.resolveConflict(now);
  }

  private async resolveConflict(now: FileIdentity): Promise<void> {
    this.prompting = true;
    try {
      const overwrite = 'Overwrite with My Edits';
      const revert = 'Revert to Disk';
      const pick = await vscode.window.showWarningMessage(
        `${this.fileName} changed on disk while you have unsaved edits in Hexmap.`,
        { modal: true, detail: 'Overwrite writes your changed bytes over the file now. Revert drops your edits and shows the file as it is on disk. Cancel keeps both; saving later asks again.' },
        overwrite, revert,
      );
      if (pick === overwrite) {
        this.identity = now;
        await vscode.workspace.save(this.uri);
      } else if (pick === revert) {
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
    if (this.isLocalFile) void removeIdleJournal(this.options.journalDir, this.uri.fsPath);
    this.disposeEmitter.fire();
    this.disposeEmitter.dispose();
  }
}

export function formatBytes(n: number): string {
  const units = ['bytes', 'KiB', 'MiB', 'GiB', 'TiB'];
  let v = n;
  let u = 0;
  while (v >= 1024 && u < units.length - 1) {
    v /= 1024;
    u++;
  }
  return u === 0 ? `${n} bytes` : `${v.toFixed(1)} ${units[u]}`;
}
