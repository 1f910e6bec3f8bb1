/**
 * A Hexmap document without VS Code: the bytes on disk (a ByteSource) plus
 * the unsaved edits (an EditOverlay), with the undo/redo history of edit
 * steps. The webview session, search, the VS Code document wrapper and the
 * tests all use this one class.
 *
 * Undo model: a step remembers the overlay's content over its own range as it
 * was before the step (`prev`, a sparse list of runs), so undo puts exactly
 * that back. Where `prev` has no run the document showed disk bytes; a save
 * changes the disk under those places, so a save rebases every applied step
 * with the pre-save disk bytes (the same bytes the journal keeps). Redo
 * re-captures `prev` when it re-applies a step, which keeps undone steps
 * correct across saves too.
 */
import { HexmapError, MAX_READ, type ByteSource } from '../engine/byteSource';
import { WINDOW_CONTEXT, type ByteRange, type CountResult, type FindResult, type ReadResult } from '../../shared/protocol';
import { EditOverlay, type OverlayRun } from './editOverlay';
import type { DocumentChange, DocumentModel, Disposable, FindCallbacks, FindQuery } from './documentModel';
import { findInDocument } from '../search/findInDocument';
import { countInDocument } from '../search/countInDocument';
import { RecentWindows } from './recentWindows';

/** One undoable edit. */
export interface EditStep {
  /** Unique within the model: VS Code's undo/redo entry for this step names it by id. */
  readonly id: number;
  offset: number;
  bytes: Uint8Array;
  label: string;
  /** Overlay runs inside [offset, offset+bytes.length) before the step was (re)applied. */
  prev: OverlayRun[];
}

/** A run the save wrote: the bytes now on disk and the ones it replaced. */
export interface SavedRun {
  offset: number;
  bytes: Uint8Array;
  old: Uint8Array;
}

export interface HexDocumentModelOptions {
  /** Set when the document can never be edited (permissions, read-only FS, backend). */
  readOnlyReason?: string;
  /** The user's choice (hexmap.readOnly setting / toggle command). */
  userReadOnly?: boolean;
}

export const USER_READ_ONLY_REASON = 'it is read-only by your choice (setting "hexmap.readOnly" or the command "Hexmap: Toggle Read-Only")';

export class HexDocumentModel implements DocumentModel {
  readonly overlay = new EditOverlay();
  private steps: EditStep[] = [];
  /** steps[0..applied) are applied to the overlay. */
  private applied = 0;
  /** Value of `applied` when the disk last matched the document; -1 when that state is gone from the history. */
  private savedAt = 0;
  private fixedReadOnlyReason?: string;
  private userReadOnly: boolean;
  private changeListeners = new Set<(change: DocumentChange) => void>();
  private editListeners = new Set<(step: EditStep) => void>();
  private nextStepId = 1;
  private contentVersion = 0;
  /** Disk bytes of windows recently served, to tell which bytes an outside change touched. */
  private readonly recent = new RecentWindows();

  constructor(readonly source: ByteSource, options: HexDocumentModelOptions = {}) {
    this.fixedReadOnlyReason = options.readOnlyReason ?? (source.writable ? undefined : 'the file was opened read-only');
    this.userReadOnly = options.userReadOnly ?? false;
  }

  get size(): number {
    return this.source.size;
  }

  get readOnly(): boolean {
    return this.readOnlyReason !== undefined;
  }

  get readOnlyReason(): string | undefined {
    return this.fixedReadOnlyReason ?? (this.userReadOnly ? USER_READ_ONLY_REASON : undefined);
  }

  /** Whether the read-only state comes from the file itself (so the user cannot toggle it off). */
  get readOnlyIsFixed(): boolean {
    return this.fixedReadOnlyReason !== undefined;
  }

  /** True while unsaved bytes exist. */
  get isDirty(): boolean {
    return !this.overlay.isEmpty;
  }

  /** Increases on every change of the bytes the user sees (edits, undo, redo, revert, outside changes). */
  get version(): number {
    return this.contentVersion;
  }

  get canUndo(): boolean {
    return this.applied > 0;
  }

  get canRedo(): boolean {
    return this.applied < this.steps.length;
  }

  /** Switch the user's read-only choice; returns the new read-only state. */
  setUserReadOnly(readOnly: boolean): boolean {
    if (this.userReadOnly !== readOnly) {
      this.userReadOnly = readOnly;
      // No byte changed; an empty 'save' change makes every view re-read the read-only state.
      this.fireChange({ reason: 'save', ranges: [] });
    }
    return this.readOnly;
  }

  // ------------------------------------------------------------- reading

  async readWindow(offset: number, length: number): Promise<ReadResult> {
    try {
      return await this.readWindowOnce(offset, length);
    } catch (e) {
      if (!(e instanceof HexmapError && e.code === 'ERR_HEXMAP_TRUNCATED')) throw e;
      // Another program shrank the file before our watcher said so: adopt the new
      // size now (the views hear about it) and answer from what is left.
      await this.reloadFromDisk();
      return this.readWindowOnce(offset, length);
    }
  }

  private async readWindowOnce(offset: number, length: number): Promise<ReadResult> {
    checkNonNegative('offset', offset);
    checkNonNegative('length', length);
    const size = this.size;
    if (offset > size) throw new RangeError(`window offset ${offset} is past the end of the file (${size} bytes)`);
    const len = Math.min(length, size - offset);
    const start = Math.max(0, offset - WINDOW_CONTEXT);
    const end = Math.min(size, offset + len + WINDOW_CONTEXT);
    const disk = end > start ? await this.source.read(start, end - start) : new Uint8Array(0);
    this.recent.remember(start, disk);
    const view = disk.slice();
    this.overlay.applyTo(start, view);
    const at = offset - start;
    return {
      offset,
      bytes: view.slice(at, at + len),
      before: view.slice(0, at),
      after: view.slice(at + len),
      unsaved: this.overlay.ranges(offset, len),
    };
  }

  async read(offset: number, length: number): Promise<Uint8Array> {
    checkNonNegative('offset', offset);
    checkNonNegative('length', length);
    if (offset + length > this.size) {
      throw new RangeError(`range [${offset}, ${offset + length}) is past the end of the file (${this.size} bytes)`);
    }
    if (length > MAX_READ) throw new RangeError(`read of ${length} bytes exceeds the ${MAX_READ}-byte limit`);
    const bytes = length === 0 ? new Uint8Array(0) : await this.source.read(offset, length);
    this.overlay.applyTo(offset, bytes);
    return bytes;
  }

  unsavedRanges(offset = 0, length = Infinity): ByteRange[] {
    return this.overlay.ranges(offset, length);
  }

  find(query: FindQuery, callbacks?: FindCallbacks): Promise<FindResult> {
    return findInDocument(this.source, this.overlay, query, callbacks);
  }

  count(offset: number, length: number, signal?: AbortSignal): Promise<CountResult> {
    return countInDocument(this.source, this.overlay, offset, length, signal);
  }

  // ------------------------------------------------------------- editing

  edit(offset: number, bytes: Uint8Array, label: string): void {
    if (this.readOnly) {
      throw new HexmapError(`Cannot edit ${baseName(this.source.path)}: ${this.readOnlyReason}.`, 'ERR_HEXMAP_READ_ONLY', this.source.path);
    }
    checkNonNegative('offset', offset);
    if (!(bytes instanceof Uint8Array)) throw new TypeError('bytes must be a Uint8Array');
    if (bytes.length === 0) throw new RangeError('an edit must change at least one byte');
    if (offset + bytes.length > this.size) {
      throw new RangeError(
        `edit of ${bytes.length} byte(s) at offset ${offset} goes past the end of the file (${this.size} bytes); overwrite mode never changes the size`,
      );
    }
    if (this.applied < this.steps.length) {
      this.steps.length = this.applied; // a new edit drops the redo branch (as VS Code does)
      if (this.savedAt > this.applied) this.savedAt = -1;
    }
    const step: EditStep = { id: this.nextStepId++, offset, bytes: bytes.slice(), label, prev: this.overlay.runs(offset, bytes.length) };
    this.overlay.set(offset, step.bytes);
    this.steps.push(step);
    this.applied++;
    for (const l of [...this.editListeners]) l(step);
    this.changed('edit', [{ offset, length: bytes.length }]);
  }

  /**
   * Undo the last applied step; false when there is none. With `stepId`
   * (VS Code's undo entry for that step) only when that step is the one on
   * top: VS Code's history and ours can drift (an undo arriving before the
   * workbench registered a newer edit, a revert that cut the history), and
   * undoing another step instead would put wrong bytes in place.
   */
  undo(stepId?: number): boolean {
    if (this.applied === 0) return false;
    if (stepId !== undefined && this.steps[this.applied - 1].id !== stepId) return false;
    const step = this.steps[--this.applied];
    this.overlay.clearRange(step.offset, step.bytes.length);
    for (const run of step.prev) this.overlay.set(run.offset, run.bytes);
    this.changed('undo', [{ offset: step.offset, length: step.bytes.length }]);
    return true;
  }

  /** Re-apply the next undone step; false when there is none. With `stepId`: only when that step is the next one (see undo). */
  redo(stepId?: number): boolean {
    if (this.applied >= this.steps.length) return false;
    if (stepId !== undefined && this.steps[this.applied].id !== stepId) return false;
    const step = this.steps[this.applied++];
    step.prev = this.overlay.runs(step.offset, step.bytes.length);
    this.overlay.set(step.offset, step.bytes);
    this.changed('redo', [{ offset: step.offset, length: step.bytes.length }]);
    return true;
  }

  /**
   * Throw away unsaved bytes and show the disk again. Like VS Code's revert,
   * the history is cut back to the last save point.
   */
  async revert(): Promise<void> {
    await this.source.refresh();
    this.overlay.clear();
    if (this.savedAt >= 0 && this.savedAt <= this.steps.length) {
      this.steps.length = this.savedAt;
      this.applied = this.savedAt;
    } else {
      this.steps = [];
      this.applied = this.savedAt = 0;
    }
    this.changed('revert', undefined);
  }

  /**
   * Replace the unsaved bytes wholesale (hot-exit restore): no undo steps,
   * the document is dirty until saved or reverted.
   */
  restoreEdits(runs: readonly OverlayRun[]): void {
    for (const run of runs) {
      if (run.offset + run.bytes.length > this.size) {
        throw new RangeError(`restored edit at ${run.offset} (+${run.bytes.length}) is past the end of the file (${this.size} bytes)`);
      }
    }
    this.overlay.clear();
    for (const run of runs) this.overlay.set(run.offset, run.bytes);
    this.steps = [];
    this.applied = 0;
    this.savedAt = -1;
    this.changed('edit', runs.map((r) => ({ offset: r.offset, length: r.bytes.length })));
  }

  // --------------------------------------------------------------- saving

  /** The unsaved runs to write, as stable snapshots, and the history point they represent. */
  beginSave(): { runs: OverlayRun[]; at: number } {
    return { runs: this.overlay.runs(), at: this.applied };
  }

  /**
   * The save of `beginSave()`'s runs reached the disk. Drop overlay bytes
   * that now equal the disk (edits made during the save stay unsaved),
   * rebase the history on the new disk content and move the save point.
   */
  completeSave(saved: readonly SavedRun[], at: number): void {
    const oldDisk = new EditOverlay();
    for (const run of saved) oldDisk.set(run.offset, run.old);
    for (let i = 0; i < this.applied; i++) {
      const step = this.steps[i];
      const olds = oldDisk.runs(step.offset, step.bytes.length);
      if (olds.length === 0) continue;
      const rebased = new EditOverlay();
      for (const o of olds) rebased.set(o.offset, o.bytes);
      for (const p of step.prev) rebased.set(p.offset, p.bytes); // what the step saw wins over disk
      step.prev = rebased.runs();
    }
    for (const run of saved) this.dropIfSaved(run);
    this.savedAt = at <= this.steps.length ? at : -1;
    this.changed('save', saved.map((r) => ({ offset: r.offset, length: r.bytes.length })), false);
  }

  private dropIfSaved(run: SavedRun): void {
    for (const cur of this.overlay.runs(run.offset, run.bytes.length)) {
      const base = cur.offset - run.offset;
      let i = 0;
      while (i < cur.bytes.length) {
        if (cur.bytes[i] !== run.bytes[base + i]) {
          i++;
          continue;
        }
        let j = i + 1;
        while (j < cur.bytes.length && cur.bytes[j] === run.bytes[base + j]) j++;
        this.overlay.clearRange(cur.offset + i, j - i);
        i = j;
      }
    }
  }

  // ------------------------------------------------------ outside changes

  /**
   * The file changed on disk (another process). Refresh the size/mapping and
   * tell the views, with the bytes that changed among those recently shown
   * (for the flash). The caller decides about conflicts: this never drops
   * unsaved edits.
   */
  async reloadFromDisk(): Promise<{ oldSize: number; newSize: number; flash: ByteRange[] }> {
    const oldSize = this.size;
    const newSize = await this.source.refresh();
    const flash = await this.recent.changedRanges(this.source);
    if (newSize > oldSize) flash.push({ offset: oldSize, length: newSize - oldSize });
    this.contentVersion++;
    // First "anything may have changed" (views drop every cached window: bytes the
    // host did not recently serve may have changed too), then the bytes known to
    // have changed, which views flash. Views that know `flash` can use the first alone.
    this.fireChange({ reason: 'external', flash });
    if (flash.length) this.fireChange({ reason: 'external', ranges: flash, flash });
    return { oldSize, newSize, flash };
  }

  // ---------------------------------------------------------------- events

  onDidChange(listener: (change: DocumentChange) => void): Disposable {
    this.changeListeners.add(listener);
    return { dispose: () => this.changeListeners.delete(listener) };
  }

  /** A new edit step was pushed (the VS Code wrapper turns it into an undoable edit). */
  onDidEdit(listener: (step: EditStep) => void): Disposable {
    this.editListeners.add(listener);
    return { dispose: () => this.editListeners.delete(listener) };
  }

  /** History sizes, for tests and the memory benchmark. */
  get historyLength(): number {
    return this.steps.length;
  }

  dispose(): void {
    this.changeListeners.clear();
    this.editListeners.clear();
    this.recent.clear();
    this.source.close();
  }

  private changed(reason: DocumentChange['reason'], ranges: ByteRange[] | undefined, bytesChanged = true): void {
    if (bytesChanged) this.contentVersion++;
    this.fireChange({ reason, ranges });
  }

  private fireChange(change: DocumentChange): void {
    for (const l of [...this.changeListeners]) {
      try {
        l(change);
      } catch {
        // A failing view must not stop the others from hearing about the change.
      }
    }
  }
}

function checkNonNegative(name: string, value: number): void {
  if (!Number.isSafeInteger(value) || value < 0) throw new RangeError(`${name} must be a non-negative integer, got ${value}`);
}

function baseName(path: string): string {
  return path.split(/[\\/]/).pop() || path;
}
