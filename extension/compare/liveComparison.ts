/**
 * A comparison that stays true while the documents change: it runs the
 * engine, and when either document changes (an edit, undo, revert, another
 * process writing the file) it cancels the run in progress and starts again
 * after a short pause, so a burst of typing costs one comparison.
 * Plain Node: the VS Code compare view drives it, the tests drive it directly.
 */
import { compareDocuments, type CompareTuning } from './compareEngine';
import type { CompareMode, CompareReader, CompareSummary, DiffRange } from './types';

/** A document as the live comparison sees it (HexDocumentModel fits). */
export interface LiveSide extends CompareReader {
  /** `reason` 'save' means no byte changed (a save, a read-only switch): nothing to compare again. */
  onDidChange(listener: (change: { reason: string }) => void): { dispose(): void };
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
  private disposed = false;
  /** The last finished run (undefined while the first one runs). */
  summary: CompareSummary | undefined;
  /** True while the documents may differ from `summary` (a change came after its run started). */
  stale = true;

  constructor(readonly a: LiveSide, readonly b: LiveSide, private readonly options: LiveOptions = {}) {
    const changed = (change: { reason: string }) => {
      if (change.reason !== 'save') this.scheduleRun();
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

  /** Resolves when no run is pending or in progress (tests wait on it). */
  async settled(): Promise<void> {
    for (;;) {
      const pending = this.running;
      if (this.timer === undefined && pending) await pending;
      if (this.timer === undefined && pending === this.running) return;
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

  private scheduleRun(): void {
    if (this.disposed) return;
    this.stale = true;
    this.generation++; // what the run in progress finds is already out of date: drop it
    this.controller?.abort();
    clearTimeout(this.timer);
    this.timer = setTimeout(() => {
      this.timer = undefined;
      void this.run();
    }, this.options.debounceMs ?? 250);
  }
}
