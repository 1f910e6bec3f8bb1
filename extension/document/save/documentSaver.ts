/**
 * The save policy of one document, apart from the dialogs that present it
 * (saveDialogs.ts implements SaveUi with `vscode`; tests pass their own):
 *
 *   - every save goes through the shared SaveController (one at a time per
 *     file identity, newer requests of this document supersede older ones);
 *   - the snapshot is the state when the save was asked for, retaken at start
 *     only when an earlier save of this document rebased the model meanwhile;
 *   - a file changed on disk since it was loaded is a conflict: the user is
 *     asked before anything is written; a change by another program during
 *     the save is reported after it (never absorbed);
 *   - a save that must move more than MOVE_WARNING_BYTES says so first (the
 *     user may prefer Save As); a large save shows progress with Cancel.
 */
import { HexmapError, type ByteSource } from '../../engine/byteSource';
import type { Snapshot, SnapshotSource } from '../snapshot';
import { statIdentity, type FileIdentity } from './fileIdentity';
import { identityKey, Superseded, type SaveController } from './saveController';
import { saveSnapshot, type SaveOutcome } from './saveEngine';
import type { SaveFaults } from './saveFaults';
import { planSave } from './savePlan';

/** Above this many moved bytes, the user is told the cost first. */
export const MOVE_WARNING_BYTES = 1 << 30;
/** Above this many written or moved bytes, the save runs in a progress notification with Cancel. */
export const PROGRESS_BYTES = 64 << 20;

export interface SaveUi {
  /** The file changed on disk since Hexmap loaded it: write the edits over it anyway? */
  confirmOverwrite(fileName: string, detail: string): Promise<boolean>;
  /** The save must move `bytes` bytes of the file. */
  confirmMove(fileName: string, bytes: number): Promise<'save' | 'saveAs' | 'cancel'>;
  withProgress<T>(title: string, task: (report: (done: number, total: number) => void, signal: AbortSignal) => Promise<T>): Promise<T>;
  warn(message: string): void;
}

/** The user chose Save As instead of a long in-place move; the caller opens Save As. */
export class SaveAsInstead extends Error {
  constructor() {
    super('Save As was chosen instead of moving the bytes in place');
  }
}

export interface DocumentSaverOptions {
  controller: SaveController;
  model: SnapshotSource;
  source: ByteSource;
  journalDir: string;
  ui: SaveUi;
  fileName: string;
  faults?: SaveFaults;
  blockSize?: number;
}

export class DocumentSaver {
  /** The file version this document last agreed with (undefined: not known). */
  identity: FileIdentity | undefined;
  /** Counts completed saves of this document: a snapshot from an older generation refers to a disk that moved. */
  private generation = 0;
  private runningCount = 0;

  constructor(private readonly o: DocumentSaverOptions, identity: FileIdentity | undefined) {
    this.identity = identity;
  }

  get saving(): boolean {
    return this.runningCount > 0;
  }

  async save(signal?: AbortSignal): Promise<SaveOutcome | Superseded> {
    const requested = { snapshot: this.o.model.snapshot(), generation: this.generation };
    const key = identityKey(this.identity ?? (await statIdentity(this.o.source.path)));
    this.runningCount++;
    try {
      return await this.o.controller.save(key, {
        owner: this,
        signal,
        run: (sig) => this.runOne(requested.generation === this.generation ? requested.snapshot : this.o.model.snapshot(), sig),
      });
    } finally {
      this.runningCount--;
    }
  }

  private async runOne(snapshot: Snapshot, signal: AbortSignal): Promise<SaveOutcome> {
    const plan = planSave(snapshot, this.o.blockSize);
    if (plan.moveBytes > MOVE_WARNING_BYTES) {
      const pick = await this.o.ui.confirmMove(this.o.fileName, plan.moveBytes);
      if (pick === 'saveAs') throw new SaveAsInstead();
      if (pick !== 'save') throw new HexmapError(`Not saved: you cancelled the save of ${this.o.fileName}; your edits are still unsaved.`, 'ERR_HEXMAP_CANCELLED', this.o.source.path);
    }
    const big = plan.moveBytes + plan.runs.reduce((n, r) => n + r.length, 0) > PROGRESS_BYTES;
    const attempt = (expected: FileIdentity | undefined, report?: (d: number, t: number) => void, sig = signal) =>
      saveSnapshot({
        source: this.o.source, model: this.o.model, snapshot, journalDir: this.o.journalDir, expected,
        faults: this.o.faults, blockSize: this.o.blockSize, signal: sig, onProgress: report,
      });
    const run = (expected: FileIdentity | undefined) => (big
      ? this.o.ui.withProgress(`Hexmap: saving ${this.o.fileName}`, (report, cancel) => attempt(expected, report, anySignal(signal, cancel)))
      : attempt(expected));
    let outcome: SaveOutcome;
    try {
      outcome = await run(this.identity);
    } catch (e) {
      if (!(e instanceof HexmapError && e.code === 'ERR_HEXMAP_CONFLICT' )) throw e;
      const ok = await this.o.ui.confirmOverwrite(this.o.fileName, e.message);
      if (!ok) throw new HexmapError(`Not saved: ${this.o.fileName} changed on disk and you chose not to overwrite it.`, 'ERR_HEXMAP_CONFLICT', this.o.source.path);
      outcome = await run(undefined);
    }
    this.identity = outcome.identity;
    this.generation++;
    if (outcome.warning) this.o.ui.warn(outcome.warning);
    return outcome;
  }
}

function anySignal(a: AbortSignal, b: AbortSignal): AbortSignal {
  const c = new AbortController();
  const abort = () => c.abort();
  if (a.aborted || b.aborted) c.abort();
  a.addEventListener('abort', abort, { once: true });
  b.addEventListener('abort', abort, { once: true });
  return c.signal;
}
