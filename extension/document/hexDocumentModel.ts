/**
 * A Hexmap document without VS Code: a sequence of pieces over the file on
 * disk (pieceTable.ts) with the undo/redo history of edit steps. The webview
 * session, search, the VS Code document wrapper and the tests all use this
 * one class.
 *
 * Editing. Every edit is a replace: [offset, offset + deleteLength) becomes
 * `bytes` (overwrite: deleteLength = bytes.length; insert: 0; delete: no
 * bytes). A batch (Replace All, a large paste) is one step. A step keeps only
 * what it needs: per replace, the pieces it removed and the ones it inserted.
 * Pieces share immutable buffers, so a step costs its own bytes, never a copy
 * of the run it was typed into.
 *
 * States and the dirty flag. Each state of the history has an id (the id of
 * the step that led to it, or of the base the history starts from). A save
 * marks the id of the state it wrote; the document is clean exactly when the
 * current state is that one, so undoing back to a saved state is clean again.
 *
 * Saving (the SnapshotSource contract of snapshot.ts). The save engine takes
 * `snapshot()` (the pieces; no bytes copied), calls `preserveBeforeSave`,
 * writes, and calls `savedAs` with where every surviving old disk byte now
 * lies. What must be preserved follows from one rule: after the save the
 * file IS the snapshot's content, so an old disk range that appears in a
 * disk piece of the snapshot survives (moved to that piece's place), and
 * every old disk byte outside the union of the snapshot's disk pieces is
 * lost. So preserve = (old disk ranges referred to by the live state or by
 * any undo/redo step) − (union of the snapshot's disk pieces). For an
 * overwrite-only save that is the overwritten bytes history still refers to;
 * for an insert it is nothing (everything moves); for a delete it is the
 * deleted range if undo can bring it back. Preserved bytes become bytes
 * pieces. History needing more than PRESERVE_BUDGET is dropped, oldest
 * first (farthest redo first), and `onDidTrimHistory` says so; the live
 * state is always preserved in full.
 *
 * Edits, undo, redo and revert made while a save runs act on the live state:
 * they only move pieces between the live state and the history, so
 * everything they can refer to was accounted for by preserveBeforeSave.
 * Revert while a save runs goes to the state being saved (that is what the
 * disk will hold).
 */
import { HexmapError, MAX_READ, type ByteSource } from '../engine/byteSource';
import { WINDOW_CONTEXT, type ByteRange, type ReadResult } from '../../shared/protocol';
import type { BatchEdit, DocumentChange, DocumentModel, DocumentSegment, Disposable } from './documentModel';
import type { DiskRemap, KnownOldBytes, OldDiskReader, Piece, Snapshot, SnapshotSource } from './snapshot';
import { overwriteRuns, type OverlayRun } from './editOverlay';
import { appliedReplaces, changedRanges, stepPieceLists, type EditStep, type StepPart } from './editStep';
import { PieceTable, pieceLength, totalLength } from './pieceTable';
import { ByteArena } from './byteArena';
import { PreservedBytes, remapDiskPiece } from './diskRebase';
import { measure } from './intervals';
import { planPreserve } from './preservePlan';
import { compactionOf, holdsLargeBuffer } from './bufferCompaction';
import { RecentWindows } from './recentWindows';
import { readSegments } from './segmentReader';

export type { EditStep, StepPart } from './editStep';

/** A run the old save path wrote: the bytes now on disk and the ones it replaced. */
export interface SavedRun {
  offset: number;
  bytes: Uint8Array;
  old: Uint8Array;
}

/** What preserveBeforeSave gave up to stay within its budget. */
export interface HistoryTrimNotice {
  droppedUndo: number;
  droppedRedo: number;
  /** Bytes the dropped steps would have needed. */
  neededBytes: number;
  budgetBytes: number;
}

export interface HexDocumentModelOptions {
  /** Set when the document can never be edited (permissions, read-only FS, backend). */
  readOnlyReason?: string;
  /** The user's choice (hexmap.readOnly setting / toggle command). */
  userReadOnly?: boolean;
  /** Bytes preserveBeforeSave may copy for the undo/redo history (default 256 MiB). */
  preserveBudget?: number;
}

export const USER_READ_ONLY_REASON = 'it is read-only by your choice (setting "hexmap.readOnly" or the command "Hexmap: Toggle Read-Only")';

const PRESERVE_BUDGET = 256 << 20;
/** preserveBeforeSave reads old bytes this much at a time... */
const PRESERVE_CHUNK = 1 << 20;
/** Old bytes read from disk are kept in stores of at most this size (see preserveBeforeSave). */
const STORE_BLOCK = 256 << 20;
/** ...and yields to the event loop after this long. */
const PRESERVE_SLICE_MS = 4;
/** Steps with at least this many parts are applied in one pass over the pieces. */
const MANY_PARTS = 32;
/** Bookkeeping bytes counted per piece in memory accounting. */
const PIECE_OVERHEAD = 64;

export class HexDocumentModel implements DocumentModel, SnapshotSource {
  private readonly table: PieceTable;
  private disk: number;
  private steps: EditStep[] = [];
  /** steps[0..applied) are applied. */
  private applied = 0;
  /** Id of the state the history starts from (before steps[0]). */
  private baseStateId = 0;
  /** Id of the state the disk holds. */
  private savedStateId = 0;
  private nextId = 1;
  /**
   * The step amendLast may still change: the newest edit, until anything else
   * touches the history or hands out its state (undo, redo, revert, a
   * snapshot for a save or a backup). Then undefined.
   */
  private amendable: number | undefined;
  private readonly arena = new ByteArena();
  private fixedReadOnlyReason?: string;
  private userReadOnly: boolean;
  private readonly preserveBudget: number;
  private changeListeners = new Set<(change: DocumentChange) => void>();
  private editListeners = new Set<(step: EditStep) => void>();
  private trimListeners = new Set<(notice: HistoryTrimNotice) => void>();
  private contentVersion = 0;
  /** See layoutEpoch. */
  private epoch = 0;
  /** Saves that reached preserveBeforeSave: the point after which a save may change the file. */
  private savesBegun = 0;
  /** The snapshot being saved (between preserveBeforeSave and savedAs). */
  private inFlight: Snapshot | undefined;
  /** Snapshots handed out by the old save path (beginSave), by state id. */
  private readonly legacySaves = new Map<number, Snapshot>();
  /** Set while a size-changing save moves bytes: disk pieces are read through it. */
  private moveReader: OldDiskReader | undefined;
  private moveDone: Promise<void> = Promise.resolve();
  private endMoveNow: () => void = () => undefined;
  /** Windows recently served, to tell which bytes an outside change touched. */
  private readonly recent = new RecentWindows();

  constructor(readonly source: ByteSource, options: HexDocumentModelOptions = {}) {
    this.fixedReadOnlyReason = options.readOnlyReason ?? (source.writable ? undefined : 'the file was opened read-only');
    this.userReadOnly = options.userReadOnly ?? false;
    this.preserveBudget = options.preserveBudget ?? PRESERVE_BUDGET;
    this.disk = source.size;
    this.table = new PieceTable(wholeDisk(this.disk));
  }

  /** Size of the document (changes with inserts and deletes). */
  get size(): number {
    return this.table.size;
  }

  /** Size of the file the disk pieces refer to. */
  get diskSize(): number {
    return this.disk;
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

  /** True when the document differs from the state last saved (or loaded). */
  get isDirty(): boolean {
    return this.stateId !== this.savedStateId;
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

  /** Pieces in the live state (tests, benchmarks). */
  get pieceCount(): number {
    return this.table.pieceCount;
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

  private get stateId(): number {
    return this.applied > 0 ? this.steps[this.applied - 1].id : this.baseStateId;
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
    const len = Math.min(length, size - offset, MAX_READ);
    const start = Math.max(0, offset - WINDOW_CONTEXT);
    const end = Math.min(size, offset + len + WINDOW_CONTEXT);
    const view = await this.readBytes(start, end - start);
    this.recent.remember(start, view);
    const at = offset - start;
    return {
      offset,
      bytes: view.slice(at, at + len),
      before: view.slice(0, at),
      after: view.slice(at + len),
      unsaved: this.unsavedRanges(offset, len),
    };
  }

  async read(offset: number, length: number): Promise<Uint8Array> {
    checkNonNegative('offset', offset);
    checkNonNegative('length', length);
    if (offset + length > this.size) {
      throw new RangeError(`range [${offset}, ${offset + length}) is past the end of the file (${this.size} bytes)`);
    }
    if (length > MAX_READ) throw new RangeError(`read of ${length} bytes exceeds the ${MAX_READ}-byte limit`);
    return this.readBytes(offset, length);
  }

  /** Bytes of [offset, offset + length) as the user sees them; any length (the caller holds the result). */
  async readBytes(offset: number, length: number): Promise<Uint8Array> {
    if (offset < 0 || length < 0 || offset + length > this.size) {
      throw new RangeError(`range [${offset}, ${offset + length}) is outside the document (${this.size} bytes)`);
    }
    return readSegments(this.segments(offset, length), offset, length, (o, n) => this.readDisk(o, n));
  }

  private readDisk(offset: number, length: number): Promise<Uint8Array> {
    return this.moveReader ? this.moveReader.read(offset, length) : this.source.read(offset, length);
  }

  segments(offset: number, length: number): DocumentSegment[] {
    const out: DocumentSegment[] = [];
    const end = offset + length;
    for (const { piece, start } of this.table.placed(offset, length)) {
      const from = Math.max(offset, start);
      const to = Math.min(end, start + pieceLength(piece));
      if (piece.kind === 'disk') out.push({ start: from, length: to - from, diskOffset: piece.offset + (from - start) });
      else out.push({ start: from, length: to - from, bytes: piece.bytes.subarray(from - start, to - start) });
    }
    return out;
  }

  scansAllowed(): Promise<void> {
    return this.moveDone;
  }

  get layoutEpoch(): number {
    return this.epoch;
  }

  /**
   * The edited runs intersecting [offset, offset+length), clipped: where the
   * document shows bytes held in memory. Moved file bytes are not marked
   * (after an insert at the start, that would be the whole file).
   */
  unsavedRanges(offset = 0, length = Infinity): ByteRange[] {
    const out: ByteRange[] = [];
    const end = offset + length;
    for (const { piece, start } of this.table.placed(offset, Math.min(length, this.size - offset))) {
      if (piece.kind !== 'bytes') continue;
      const from = Math.max(offset, start);
      const to = Math.min(end, start + piece.bytes.length);
      const last = out[out.length - 1];
      if (last && last.offset + last.length === from) last.length += to - from;
      else out.push({ offset: from, length: to - from });
    }
    return out;
  }

  // ------------------------------------------------------------- editing

  /** Overwrite: never changes the size. */
  edit(offset: number, bytes: Uint8Array, label: string): void {
    this.checkWritable();
    checkNonNegative('offset', offset);
    if (!(bytes instanceof Uint8Array)) throw new TypeError('bytes must be a Uint8Array');
    if (bytes.length === 0) throw new RangeError('an edit must change at least one byte');
    if (offset + bytes.length > this.size) {
      throw new RangeError(
        `edit of ${bytes.length} byte(s) at offset ${offset} goes past the end of the file (${this.size} bytes); overwrite never changes the size`,
      );
    }
    this.editBatch([{ offset, deleteLength: bytes.length, bytes }], label);
  }

  replace(offset: number, deleteLength: number, bytes: Uint8Array, label: string): void {
    this.editBatch([{ offset, deleteLength, bytes }], label);
  }

  /**
   * Many replaces as one undoable step and one change event. Offsets refer
   * to the document before the batch; ranges must not overlap (inserts at
   * one offset keep their order).
   */
  editBatch(edits: readonly BatchEdit[], label: string): void {
    this.checkWritable();
    const size = this.size;
    let ascending = true;
    for (let k = 1; k < edits.length && ascending; k++) ascending = edits[k - 1].offset <= edits[k].offset;
    const sorted = ascending ? edits : edits.map((e, i) => ({ e, i })).sort((a, b) => a.e.offset - b.e.offset || a.i - b.i).map((x) => x.e);
    let prevEnd = 0;
    for (const e of sorted) {
      checkNonNegative('offset', e.offset);
      checkNonNegative('deleteLength', e.deleteLength);
      if (!(e.bytes instanceof Uint8Array)) throw new TypeError('bytes must be a Uint8Array');
      if (e.offset + e.deleteLength > size) {
        throw new RangeError(`edit of [${e.offset}, +${e.deleteLength}) goes past the end of the file (${size} bytes)`);
      }
      if (e.offset < prevEnd) throw new RangeError(`edits overlap at offset ${e.offset}`);
      prevEnd = e.offset + e.deleteLength;
    }
    const real = sorted.filter((e) => e.deleteLength > 0 || e.bytes.length > 0);
    if (real.length === 0) throw new RangeError('an edit must change at least one byte');
    this.dropRedo();
    // Parts are applied from the last to the first, so each offset still means what the caller meant.
    // One stored copy per distinct buffer (Replace All sends the same replacement for every
    // match), but a piece object per edit: savedAs tells where a written piece lies by its identity.
    const stored = new Map<Uint8Array, Uint8Array>();
    const pieceOf = (bytes: Uint8Array): Piece => {
      let copy = stored.get(bytes);
      if (!copy) stored.set(bytes, (copy = this.arena.store(bytes)));
      return { kind: 'bytes', bytes: copy };
    };
    const ascendingParts = real.map((e): StepPart => ({ offset: e.offset, removed: [], inserted: e.bytes.length ? [pieceOf(e.bytes)] : [] }));
    const parts = ascendingParts.reverse();
    this.applyParts(parts, 'apply', real.map((e) => e.deleteLength).reverse());
    const step: EditStep = { id: this.nextId++, label, parts };
    this.steps.push(step);
    this.applied++;
    this.amendable = step.id;
    for (const l of [...this.editListeners]) l(step);
    this.changed('edit', changedRanges(parts, size, this.size, 'apply'), true, { stepId: step.id, undone: false, replaces: appliedReplaces(parts, 'apply') });
  }

  /**
   * Replaces the one byte step `stepId` put at `offset` with `bytes` (one
   * byte), inside that step: undo still gives back what was there before
   * the step, redo gives the amended byte, and no new step (no new VS Code
   * undo entry) is made. WHY: the digits typed into one hex cell are one
   * byte, so they must be one undo step. Refused (false, nothing changed)
   * unless that step is the newest, nothing was undone or redone since, no
   * save or backup took a snapshot of it (a save that later completes would
   * mark the document clean while it is not), and it wrote exactly one byte
   * at `offset`. The caller then makes a normal edit.
   */
  amendLast(stepId: number, offset: number, bytes: Uint8Array): boolean {
    if (this.readOnly || bytes.length !== 1 || this.amendable !== stepId) return false;
    if (this.applied !== this.steps.length || this.applied === 0) return false;
    const step = this.steps[this.applied - 1];
    if (step.id !== stepId || this.savedStateId === stepId || this.inFlight?.stateId === stepId || this.legacySaves.has(stepId)) return false;
    if (step.parts.length !== 1) return false;
    const part = step.parts[0];
    if (part.offset !== offset || totalLength(part.inserted) !== 1) return false;
    const piece: Piece = { kind: 'bytes', bytes: this.arena.store(bytes) };
    this.table.splice(offset, 1, [piece]);
    part.inserted = [piece];
    // No `edit`: nothing moved, so views that map positions through edits have nothing to do.
    this.changed('edit', [{ offset, length: 1 }]);
    return true;
  }

  /**
   * Apply a step's parts (in order; 'apply' also records what each removed),
   * or undo them (in reverse order). Parts are in descending offset order, so
   * a part's offset is unaffected by the parts after it. Many parts go in one
   * pass over the pieces.
   */
  private applyParts(parts: StepPart[], how: 'apply' | 'redo' | 'undo', deleteLengths?: number[]): void {
    const removedLength = (k: number) => (deleteLengths ? deleteLengths[k] : totalLength(parts[k].removed));
    if (parts.length < MANY_PARTS) {
      if (how === 'undo') {
        for (let k = parts.length - 1; k >= 0; k--) this.table.splice(parts[k].offset, totalLength(parts[k].inserted), parts[k].removed);
      } else {
        parts.forEach((part, k) => {
          const removed = this.table.splice(part.offset, removedLength(k), part.inserted);
          if (how === 'apply') part.removed = removed;
        });
      }
      return;
    }
    // In the current content, ascending: for undo each part sits shifted by
    // what the parts below it (later in the list) inserted minus removed.
    const edits: { offset: number; deleteLength: number; pieces: Piece[] }[] = [];
    let shift = 0;
    for (let k = parts.length - 1; k >= 0; k--) {
      const part = parts[k];
      const insertedLength = totalLength(part.inserted);
      if (how === 'undo') {
        edits.push({ offset: part.offset + shift, deleteLength: insertedLength, pieces: part.removed });
        shift += insertedLength - removedLength(k);
      } else {
        edits.push({ offset: part.offset, deleteLength: removedLength(k), pieces: part.inserted });
      }
    }
    const removed = this.table.spliceMany(edits);
    if (how === 'apply') for (let k = 0; k < parts.length; k++) parts[parts.length - 1 - k].removed = removed[k];
  }

  private checkWritable(): void {
    if (this.readOnly) {
      throw new HexmapError(`Cannot edit ${baseName(this.source.path)}: ${this.readOnlyReason}.`, 'ERR_HEXMAP_READ_ONLY', this.source.path);
    }
  }

  /** A new edit drops the redo branch (as VS Code does). */
  private dropRedo(): void {
    if (this.applied >= this.steps.length) return;
    const dropped = this.steps.splice(this.applied);
    this.compactAfterDropping(dropped);
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
    this.amendable = undefined;
    const before = this.size;
    this.applyParts(step.parts, 'undo');
    this.changed('undo', changedRanges(step.parts, before, this.size, 'undo'), true, { stepId: step.id, undone: true, replaces: appliedReplaces(step.parts, 'undo') });
    return true;
  }

  /** Re-apply the next undone step; false when there is none. With `stepId`: only when that step is the next one (see undo). */
  redo(stepId?: number): boolean {
    if (this.applied >= this.steps.length) return false;
    if (stepId !== undefined && this.steps[this.applied].id !== stepId) return false;
    const step = this.steps[this.applied++];
    this.amendable = undefined;
    const before = this.size;
    this.applyParts(step.parts, 'redo');
    this.changed('redo', changedRanges(step.parts, before, this.size, 'apply'), true, { stepId: step.id, undone: false, replaces: appliedReplaces(step.parts, 'apply') });
    return true;
  }

  /**
   * Throw away unsaved bytes and show the disk again. Like VS Code's revert,
   * the history is cut back to the last save point. While a save runs, the
   * disk is about to hold the state being saved, so that is where revert goes.
   */
  async revert(): Promise<void> {
    const saving = this.inFlight;
    this.amendable = undefined;
    const target = saving ? saving.stateId : this.savedStateId;
    const before = this.size;
    this.table.reset(saving ? saving.pieces : wholeDisk(this.disk));
    const at = this.historyIndexOf(target);
    let dropped: EditStep[];
    if (at >= 0) {
      dropped = this.steps.splice(at);
      this.applied = at;
    } else {
      dropped = this.steps;
      this.steps = [];
      this.applied = 0;
      this.baseStateId = target;
    }
    this.compactAfterDropping(dropped);
    this.changed('revert', before === this.size ? undefined : [{ offset: 0, length: Math.max(before, this.size) }]);
    // The state changes before the first await: VS Code shows the tab clean as soon as it asks for the
    // revert, and an edit typed in that moment must not be swept away by a reset that lands later.
    // A size change another program made since the last look is then adopted like any outside change.
    if (saving) return;
    const saves = this.savesBegun;
    const size = await this.source.refresh();
    // A save that began meanwhile changes the size itself (it extends the file before it tells the
    // model, in savedAs): adopting that as another program's change would give the model disk
    // pieces that no old byte backs. The file watcher still reports real outside changes.
    if (size !== this.disk && this.savesBegun === saves && !this.inFlight) await this.reloadFromDisk();
  }

  /** How many steps are applied in the state with this id; -1 when it is not in the history. */
  private historyIndexOf(stateId: number): number {
    if (stateId === this.baseStateId) return 0;
    const i = this.steps.findIndex((s) => s.id === stateId);
    return i < 0 ? -1 : i + 1;
  }

  /**
   * Replace the unsaved bytes wholesale (hot-exit restore of overwrite runs):
   * no undo steps, the document is dirty until saved or reverted.
   */
  restoreEdits(runs: readonly OverlayRun[]): void {
    for (const run of runs) {
      if (run.offset + run.bytes.length > this.disk) {
        throw new RangeError(`restored edit at ${run.offset} (+${run.bytes.length}) is past the end of the file (${this.disk} bytes)`);
      }
    }
    const dropped = this.steps;
    this.amendable = undefined;
    this.table.reset(wholeDisk(this.disk));
    for (const run of runs) if (run.bytes.length) this.table.splice(run.offset, run.bytes.length, [{ kind: 'bytes', bytes: run.bytes.slice() }]);
    this.steps = [];
    this.applied = 0;
    this.baseStateId = this.nextId++;
    this.compactAfterDropping(dropped);
    this.changed('edit', runs.map((r) => ({ offset: r.offset, length: r.bytes.length })));
  }

  /**
   * The edits as overwrite runs (hot-exit backups and Save As of the old
   * save path). Only for documents whose size never changed: every file
   * byte must still be at its own offset.
   */
  editedRuns(): OverlayRun[] {
    const snap = this.snapshot();
    return overwriteRuns(snap);
  }

  // ------------------------------------------------- saving (SnapshotSource)

  snapshot(): Snapshot {
    // Whoever holds a snapshot (a save, a backup) has the newest step's bytes as they are now.
    this.amendable = undefined;
    return { size: this.size, diskSize: this.disk, pieces: this.table.all(), stateId: this.stateId };
  }

  /** What the last preserveBeforeSave dropped (undefined: nothing). */
  lastTrim: HistoryTrimNotice | undefined;
  /** Old disk bytes the last preserveBeforeSave copied into memory. */
  lastPreservedBytes = 0;

  async preserveBeforeSave(snapshot: Snapshot, known?: KnownOldBytes): Promise<void> {
    this.savesBegun++;
    this.lastTrim = undefined;
    this.lastPreservedBytes = 0;
    this.inFlight = snapshot;
    const { need, oldest, newest, droppedBytes } = planPreserve(
      snapshot.pieces, this.table.all(), this.steps.map(pieceListsOf), this.applied, this.preserveBudget,
    );
    let droppedUndo = 0;
    let droppedRedo = 0;
    if (oldest > 0 || newest < this.steps.length) {
      const droppedSteps = [...this.steps.slice(newest), ...this.steps.slice(0, oldest)];
      droppedRedo = this.steps.length - newest;
      droppedUndo = oldest;
      this.steps.length = newest;
      if (oldest > 0) {
        this.baseStateId = this.steps[oldest - 1].id;
        this.steps.splice(0, oldest);
        this.applied -= oldest;
      }
      this.compactAfterDropping(droppedSteps);
    }
    const preserved = new PreservedBytes();
    // Bytes the engine does not hold are read from disk into one store per STORE_BLOCK, not one
    // array per chunk. WHY: V8 collects the whole heap each time memory outside it grows by a
    // few tens of MiB; 256 MiB of old bytes in 1 MiB arrays cost several full collections on the
    // event loop while the save runs, one large allocation costs one.
    // First what the engine holds (asked once per chunk), and so how much must be read.
    const held: (Uint8Array | undefined)[] = [];
    let unknown = 0;
    for (const range of need) {
      for (let at = range.start; at < range.end; at += PRESERVE_CHUNK) {
        const n = Math.min(PRESERVE_CHUNK, range.end - at);
        const view = known?.get(at, n);
        held.push(view);
        if (!view) unknown += n;
      }
    }
    let chunk = 0;
    let store = new Uint8Array(0);
    let stored = 0;
    const read: (offset: number, length: number, into: Uint8Array) => Promise<Uint8Array> = known?.read ?? ((o, n) => this.readDisk(o, n));
    // Read in short chunks, giving the event loop a turn between slices: a read that the
    // source answers synchronously (a resident mapping) resolves without yielding.
    let slice = performance.now();
    for (const range of need) {
      for (let at = range.start; at < range.end; at += PRESERVE_CHUNK) {
        const n = Math.min(PRESERVE_CHUNK, range.end - at);
        let bytes = held[chunk++];
        if (!bytes) {
          if (stored + n > store.length) {
            store = new Uint8Array(Math.max(n, Math.min(unknown, STORE_BLOCK)));
            stored = 0;
          }
          bytes = store.subarray(stored, (stored += n));
          unknown -= n;
          const got = await read(at, n, bytes);
          if (got.buffer !== bytes.buffer || got.byteOffset !== bytes.byteOffset) bytes.set(got);
        }
        preserved.add(at, bytes);
        if (performance.now() - slice > PRESERVE_SLICE_MS) {
          await new Promise((resolve) => setImmediate(resolve));
          slice = performance.now();
        }
      }
    }
    this.substituteEverywhere(preserved, snapshot);
    this.lastPreservedBytes = measure(need);
    if (droppedUndo + droppedRedo === 0) return;
    const notice: HistoryTrimNotice = { droppedUndo, droppedRedo, neededBytes: droppedBytes, budgetBytes: this.preserveBudget };
    this.lastTrim = notice;
    for (const l of [...this.trimListeners]) l(notice);
  }

  /** Every disk piece over preserved bytes, in the live state and the history, becomes bytes pieces. */
  private substituteEverywhere(preserved: PreservedBytes, saving?: Snapshot): void {
    if (preserved.isEmpty) return;
    // The live state of an overwrite save refers to no overwritten byte: rebuilding its table would be wasted.
    // Still the state being saved (usual: nothing typed meanwhile): its disk pieces are the ones the save
    // keeps, so none lies over a preserved byte and the lookups can be skipped.
    const live = this.table.all();
    const next = saving && sameItems(live, saving.pieces) ? live : preserved.substituteAll(live);
    if (next !== live) this.table.reset(next);
    for (const s of this.steps) {
      for (const part of s.parts) {
        part.removed = preserved.substituteAll(part.removed);
        part.inserted = preserved.substituteAll(part.inserted);
      }
    }
  }

  beginMove(reader: OldDiskReader): void {
    this.epoch++;
    this.moveReader = reader;
    this.moveDone = new Promise<void>((resolve) => { this.endMoveNow = resolve; });
  }

  endMove(): void {
    this.moveReader = undefined;
    this.endMoveNow();
    this.moveDone = Promise.resolve();
  }

  /**
   * The save of `snapshot` will not complete (cancelled, or failed and the
   * file rolled back to its old bytes): revert goes to the disk again. What
   * was preserved stays valid (bytes pieces); disk pieces still name the old
   * file, which is what the disk holds.
   */
  saveAbandoned(snapshot: Snapshot): void {
    if (this.inFlight === snapshot) this.inFlight = undefined;
    if (this.moveReader) this.endMove();
  }

  savedAs(snapshot: Snapshot, remap: DiskRemap): void {
    this.prepareSavedAs(snapshot, remap).commit();
  }

  /**
   * The rebase of savedAs, computed now (the save engine calls it while the
   * file's fdatasync runs, so a save of 10,000 edits does this work while it
   * waits for the disk) and applied by `commit`, once the save is durable.
   * An edit, undo or redo in between changes the pieces it was computed
   * from: then commit computes it again.
   */
  prepareSavedAs(snapshot: Snapshot, remap: DiskRemap): { commit(): void } {
    const from = this.pieceLists();
    const rebased = this.rebasedLists(snapshot, remap, from);
    return {
      commit: () => {
        const now = this.pieceLists();
        const same = now.length === from.length && now.every((list, i) => list === from[i] || sameItems(list, from[i]));
        this.applySavedAs(snapshot, remap, same ? rebased : this.rebasedLists(snapshot, remap, now));
      },
    };
  }

  /** The live pieces, then every step part's removed and inserted lists, in order. */
  private pieceLists(): Piece[][] {
    const lists: Piece[][] = [this.table.all()];
    for (const s of this.steps) for (const part of s.parts) lists.push(part.removed, part.inserted);
    return lists;
  }

  /** `lists` (from pieceLists) as they are after the save of `snapshot`. Throws, changing nothing, on a mismatch. */
  private rebasedLists(snapshot: Snapshot, remap: DiskRemap, lists: Piece[][]): Piece[][] {
    // Where each written bytes piece now lies on disk.
    const written = new Map<Piece, number>();
    let at = 0;
    for (const p of snapshot.pieces) {
      if (p.kind === 'bytes') written.set(p, at);
      at += pieceLength(p);
    }
    // Compute everything first: a mismatch throws before anything changed. A list whose
    // pieces all stay as they are is kept as it is: most of a long history (bytes the save
    // did not write) is, and a batch step of 10,000 parts is rebased on every save.
    const kept = remap.kept;
    const rebaseAll = (ps: Piece[]): Piece[] => {
      let out: Piece[] | undefined;
      for (let k = 0; k < ps.length; k++) {
        const p = ps[k];
        const to = p.kind === 'bytes' ? written.get(p) : undefined;
        if (p.kind === 'bytes' && to === undefined) {
          out?.push(p);
          continue;
        }
        out ??= ps.slice(0, k);
        if (p.kind === 'bytes') out.push({ kind: 'disk', offset: to!, length: p.bytes.length });
        else remapDiskPiece(p, kept, out);
      }
      return out ?? ps;
    };
    return lists.map(rebaseAll);
  }

  private applySavedAs(snapshot: Snapshot, remap: DiskRemap, rebased: Piece[][]): void {
    this.table.reset(rebased[0]);
    let k = 1;
    for (const s of this.steps) {
      for (const part of s.parts) {
        part.removed = rebased[k++];
        part.inserted = rebased[k++];
      }
    }
    this.disk = remap.newDiskSize;
    // From here disk pieces name the new file's offsets: reads go to the file itself again
    // (before the change below, whose listeners read at once).
    if (this.moveReader) this.endMove();
    this.epoch++;
    this.savedStateId = snapshot.stateId;
    if (this.inFlight === snapshot) this.inFlight = undefined;
    const ranges = snapshot.size === this.size ? writtenRanges(snapshot) : undefined;
    this.changed('save', ranges, false);
  }

  // ------------------------------------------- the old save path (overwrite only)

  /** The unsaved runs to write (overwrite-only documents) and the state they represent. */
  beginSave(): { runs: OverlayRun[]; at: number } {
    const snap = this.snapshot();
    const runs = overwriteRuns(snap);
    this.legacySaves.set(snap.stateId, snap);
    return { runs, at: snap.stateId };
  }

  /**
   * The runs of `beginSave()` reached the disk; `saved` carries the bytes
   * they replaced, which stand in for what preserveBeforeSave would have read.
   */
  completeSave(saved: readonly SavedRun[], at: number): void {
    const snap = this.legacySaves.get(at) ?? this.snapshot();
    this.legacySaves.delete(at);
    const preserved = new PreservedBytes();
    const kept: { from: number; to: number; length: number }[] = [];
    let cursor = 0;
    for (const run of [...saved].sort((a, b) => a.offset - b.offset)) {
      preserved.add(run.offset, run.old);
      if (run.offset > cursor) kept.push({ from: cursor, to: cursor, length: run.offset - cursor });
      cursor = Math.max(cursor, run.offset + run.bytes.length);
    }
    if (this.disk > cursor) kept.push({ from: cursor, to: cursor, length: this.disk - cursor });
    this.substituteEverywhere(preserved);
    this.savedAs(snap, { kept, newDiskSize: this.disk });
  }

  // ---------------------------------------------------------------- memory

  /**
   * Heap bytes the document holds for its edits: every distinct buffer the
   * live state or the history refers to (whole, since a view keeps all of
   * its buffer alive), plus per-piece bookkeeping.
   */
  retainedBytes(): number {
    const buffers = new Set<ArrayBufferLike>([this.arena.currentBlock]);
    let pieces = 0;
    const visit = (ps: readonly Piece[]) => {
      for (const p of ps) {
        pieces++;
        if (p.kind === 'bytes') buffers.add(p.bytes.buffer);
      }
    };
    visit(this.table.all());
    for (const s of this.steps) for (const ps of stepPieceLists(s)) visit(ps);
    let n = pieces * PIECE_OVERHEAD;
    for (const b of buffers) n += b.byteLength;
    return n;
  }

  /**
   * After steps were dropped, large buffers may be mostly dead while a few
   * small views of them live on: copy those views out so the rest is freed.
   */
  private compactAfterDropping(dropped: readonly EditStep[]): void {
    if (!holdsLargeBuffer(dropped.flatMap(stepPieceLists))) return;
    const copy = compactionOf([this.table.all(), ...this.steps.flatMap(stepPieceLists)]);
    if (!copy) return;
    this.table.mapPieces((p) => [copy(p)]);
    for (const s of this.steps) for (const part of s.parts) { part.removed = part.removed.map(copy); part.inserted = part.inserted.map(copy); }
  }

  // ------------------------------------------------------ outside changes

  /**
   * The file changed on disk (another process). Refresh the size/mapping,
   * clip disk pieces to what is left (or let a document that ends with the
   * file's end grow with it), and tell the views, with the bytes that
   * changed among those recently shown (for the flash). The caller decides
   * about conflicts: this never drops unsaved bytes held in memory.
   */
  async reloadFromDisk(): Promise<{ oldSize: number; newSize: number; flash: ByteRange[] }> {
    const oldSize = this.size;
    const oldDisk = this.disk;
    const newDisk = await this.source.refresh();
    this.amendable = undefined;
    this.disk = newDisk;
    this.epoch++;
    if (newDisk !== oldDisk) {
      const pieces = this.table.all();
      const last = pieces[pieces.length - 1];
      const endsWithFile = pieces.length === 0 || (last.kind === 'disk' && last.offset + last.length === oldDisk);
      const clipped = pieces.flatMap((p): Piece[] => {
        if (p.kind !== 'disk' || p.offset + p.length <= newDisk) return [p];
        return p.offset < newDisk ? [{ kind: 'disk', offset: p.offset, length: newDisk - p.offset }] : [];
      });
      if (newDisk > oldDisk && endsWithFile) clipped.push({ kind: 'disk', offset: oldDisk, length: newDisk - oldDisk });
      this.table.reset(clipped);
    }
    const newSize = this.size;
    const flash = await this.recent.changedRanges((o, n) => this.readBytes(o, n), newSize);
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

  /** preserveBeforeSave dropped history to stay within its memory budget (the VS Code layer warns). */
  onDidTrimHistory(listener: (notice: HistoryTrimNotice) => void): Disposable {
    this.trimListeners.add(listener);
    return { dispose: () => this.trimListeners.delete(listener) };
  }

  /** History sizes, for tests and the memory benchmark. */
  get historyLength(): number {
    return this.steps.length;
  }

  dispose(): void {
    this.changeListeners.clear();
    this.editListeners.clear();
    this.trimListeners.clear();
    this.recent.clear();
    this.endMove();
    this.source.close();
  }

  private changed(reason: DocumentChange['reason'], ranges: ByteRange[] | undefined, bytesChanged = true, edit?: DocumentChange['edit']): void {
    if (bytesChanged) this.contentVersion++;
    this.fireChange(edit ? { reason, ranges, edit } : { reason, ranges });
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

function wholeDisk(size: number): Piece[] {
  return size > 0 ? [{ kind: 'disk', offset: 0, length: size }] : [];
}

/** Same pieces (by identity) in the same order. */
function sameItems<T>(a: readonly T[], b: readonly T[]): boolean {
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return false;
  return true;
}

function writtenRanges(snap: Snapshot): ByteRange[] {
  const out: ByteRange[] = [];
  let at = 0;
  for (const p of snap.pieces) {
    if (p.kind === 'bytes') out.push({ offset: at, length: p.bytes.length });
    at += pieceLength(p);
  }
  return out;
}

function checkNonNegative(name: string, value: number): void {
  if (!Number.isSafeInteger(value) || value < 0) throw new RangeError(`${name} must be a non-negative integer, got ${value}`);
}

function baseName(path: string): string {
  return path.split(/[\\/]/).pop() || path;
}

/** A step's removed and inserted piece lists (a loop: the preserve plan runs on every save). */
function pieceListsOf(step: EditStep): Piece[][] {
  const lists: Piece[][] = [];
  for (const part of step.parts) lists.push(part.removed, part.inserted);
  return lists;
}
