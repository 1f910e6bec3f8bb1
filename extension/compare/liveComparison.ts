/**
 * A comparison that stays true while the documents change. After an edit,
 * undo or redo of known bytes, while the two documents are aligned offset
 * for offset, only the edited spans are compared again (patchRanges.ts), so
 * typing next to an 8 GiB comparison costs microseconds. Any other change
 * (a revert, another process writing the file, an insert or delete — any
 * change of either size, which moves every byte after it — a comparison
 * with shifts or past the cap) cancels the run in progress and starts again after a short
 * pause, so a burst of typing costs one comparison.
 * Plain Node: the VS Code compare view drives it, the tests drive it directly.
 */
import type { ByteRange } from '../../shared/protocol';
import { compareDocuments, type CompareTuning } from './compareEngine';
import { canPatch, patchComparison } from './patchRanges';
import type { CompareMode, CompareReader, CompareSummary, DiffRange } from './types';

/** A document as the live comparison sees it (HexDocumentModel fits). */
export interface LiveSide extends CompareReader {
  /**
   * `reason` 'save' means no byte changed (a save, a read-only switch): nothing to compare again.
   * `ranges`, when given, are the only bytes that changed.
   */
  onDidChange(listener: (change: { reason: string; ranges?: ByteRange[] }) => void): { dispose(): void };
}

export interface LiveOptions {
  mode?: CompareMode;
  maxRanges?: number;
  /** Quiet time after a change before comparing again (default 250 ms). */
  debounceMs?: number;
  tuning?: CompareTuning;
}

export interface LiveUpdate {
  /** The ranges known so far (complete when `summary` is set). */
  ranges: readonly DiffRange[];
  /** Set when a run finished (also when it was cancelled by the user). */
  summary?: CompareSummary;
  /** Bytes compared out of both sizes, for a progress display. */
  done: number;
  total: number;
}

export class LiveComparison {
  private controller: AbortController | undefined;
  private timer: ReturnType<typeof setTimeout> | undefined;
  private readonly listeners = new Set<(u: LiveUpdate) => void>();
  private readonly subscriptions: { dispose(): void }[];
  private generation = 0;
  private running: Promise<void> | undefined;
  /** A full comparison is scheduled or running (patches wait for it: it covers their bytes). */
  private fullRunPending = false;
  private dirty: ByteRange[] = [];
  private patching: Promise<void> | undefined;
  private disposed = false;
  /** The last finished run (undefined while the first one runs). */
  summary: CompareSummary | undefined;
  /** True while the documents may differ from `summary` (a change came after its run started). */
  stale = true;
  /** How the result was kept up to date (tests and diagnostics). */
  readonly counts = { fullRuns: 0, patches: 0 };

  constructor(readonly a: LiveSide, readonly b: LiveSide, private readonly options: LiveOptions = {}) {
    const changed = (change: { reason: string; ranges?: ByteRange[] }) => {
      if (change.reason === 'save') return;
      const known = change.ranges && (change.reason === 'edit' || change.reason === 'undo' || change.reason === 'redo');
      if (known && !this.fullRunPending && this.patchable(this.summary)) this.schedulePatch(change.ranges!);
      else this.scheduleRun();
    };
    this.subscriptions = [a.onDidChange(changed), b.onDidChange(changed)];
  }

  onDidUpdate(listener: (u: LiveUpdate) => void): { dispose(): void } {
    this.listeners.add(listener);
    return { dispose: () => this.listeners.delete(listener) };
  }

  /** Compares now (cancelling a run in progress); resolves when this run ends. */
  run(): Promise<void> {
    if (this.disposed) return Promise.resolve();
    clearTimeout(this.timer);
    this.timer = undefined;
    this.controller?.abort();
    const controller = new AbortController();
    this.controller = controller;
    const generation = ++this.generation;
    this.stale = true;
    this.fullRunPending = true;
    this.dirty = [];
    this.counts.fullRuns++;
    const ranges: DiffRange[] = [];
    const emit = (u: LiveUpdate) => {
      if (generation === this.generation && !this.disposed) for (const l of [...this.listeners]) l(u);
    };
    let done = 0;
    const total = this.a.size + this.b.size;
    const run = compareDocuments(this.a, this.b, {
      mode: this.options.mode, maxRanges: this.options.maxRanges, signal: controller.signal,
      onRanges: (batch) => {
        for (const r of batch) if (ranges.length < (this.options.maxRanges ?? 100_000)) ranges.push(r);
        emit({ ranges, done, total });
      },
      onProgress: (d) => {
        done = d;
        emit({ ranges, done, total });
      },
    }, this.options.tuning).then((summary) => {
      if (generation !== this.generation) return; // superseded by a newer run
      this.fullRunPending = false;
      this.summary = summary;
      this.stale = !summary.complete;
      emit({ ranges: summary.ranges, summary, done: summary.complete ? total : done, total });
    });
    this.running = run;
    return run;
  }

  /** Stops the run in progress (the user's Cancel); the next change starts a new one. */
  cancel(): void {
    this.controller?.abort();
  }

  /** Resolves when no run or patch is pending or in progress (tests wait on it). */
  async settled(): Promise<void> {
    for (;;) {
      const pending = this.running;
      const patching = this.patching;
      if (this.timer === undefined && pending) await pending;
      if (patching) await patching;
      if (this.timer === undefined && pending === this.running && !this.patching) return;
      await new Promise((r) => setTimeout(r, 10));
    }
  }

  dispose(): void {
    this.disposed = true;
    clearTimeout(this.timer);
    this.controller?.abort();
    this.subscriptions.forEach((s) => s.dispose());
    this.listeners.clear();
  }

  /**
   * The last result may be patched: it is aligned offset for offset, and
   * both documents still have the sizes it was made with (an insert or a
   * delete moved the bytes after it, so every later range is out of place).
   */
  private patchable(s: CompareSummary | undefined): s is CompareSummary {
    return canPatch(s) && s.sizeA === this.a.size && s.sizeB === this.b.size;
  }

  /** Compares the edited bytes again; edits made meanwhile are picked up by the same loop. */
  private schedulePatch(ranges: readonly ByteRange[]): void {
    this.stale = true;
    this.dirty.push(...ranges);
    if (this.patching) return;
    const generation = this.generation;
    this.patching = (async () => {
      try {
        while (this.dirty.length && generation === this.generation && !this.disposed) {
          const edited = this.dirty;
          this.dirty = [];
          const before = this.summary;
          if (!this.patchable(before)) return this.scheduleRun();
          const controller = new AbortController();
          this.controller = controller;
          this.counts.patches++;
          const after = await patchComparison(this.a, this.b, before, edited, controller.signal);
          if (generation !== this.generation) return; // a full run took over
          if (!after || after.ranges.length > (this.options.maxRanges ?? 100_000)) return this.scheduleRun();
          this.summary = after;
        }
        if (generation === this.generation && !this.disposed && this.summary) {
          this.stale = false;
          const total = this.a.size + this.b.size;
          for (const l of [...this.listeners]) l({ ranges: this.summary.ranges, summary: this.summary, done: total, total });
        }
      } catch {
        this.scheduleRun(); // a read failed (e.g. the file shrank): compare everything again
      } finally {
        this.patching = undefined;
      }
    })();
  }

  private scheduleRun(): void {
    if (this.disposed) return;
    this.stale = true;
    this.fullRunPending = true;
    this.dirty = [];
    this.generation++; // what the run in progress finds is already out of date: drop it
    this.controller?.abort();
    clearTimeout(this.timer);
    this.timer = setTimeout(() => {
      this.timer = undefined;
      void this.run();
    }, this.options.debounceMs ?? 250);
  }
}
