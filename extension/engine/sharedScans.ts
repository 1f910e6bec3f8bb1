/**
 * Identical concurrent scans share one run. Selecting a large range with the
 * inspector open makes the status bar and the inspector count the same bytes
 * at the same moment; they get one scan, not two.
 *
 * A run is keyed by the caller (the backend) with everything that decides
 * its answer: the scan's kind and arguments and the source's generation
 * (bumped by every write and refresh, so a scan started after a change never
 * joins one that began before it). Each caller keeps its own AbortSignal and
 * progress callback: aborting rejects that caller at once with
 * ERR_HEXMAP_CANCELLED, and the run itself is cancelled as soon as nobody is
 * waiting for it any more.
 */
import type { ScanOptions, ScanProgress } from './byteSource';
import { cancelledError } from './validate';

/** A started scan: its answer and a way to stop it (then the promise rejects). */
export interface RunningScan<T> { promise: Promise<T>; cancel(): void }

interface Waiter<T> {
  resolve(value: T): void;
  reject(error: unknown): void;
  onProgress?: ScanProgress;
}

interface Run<T> {
  scan: RunningScan<T>;
  waiters: Set<Waiter<T>>;
  last?: [number, number];
}

export class SharedScans {
  private readonly runs = new Map<string, Run<unknown>>();

  constructor(private readonly path: string) {}

  /** How many distinct scans are running (for tests). */
  get running(): number { return this.runs.size; }

  /**
   * Joins the running scan with this key, or starts one with `start`, which
   * gets a progress callback that fans out to every waiter.
   */
  run<T>(key: string, options: ScanOptions | undefined, start: (onProgress: ScanProgress) => RunningScan<T>): Promise<T> {
    const signal = options?.signal;
    if (signal?.aborted) return Promise.reject(cancelledError(this.path));
    let run = this.runs.get(key) as Run<T> | undefined;
    if (!run) run = this.begin(key, start);
    const joined = run;
    return new Promise<T>((resolve, reject) => {
      const waiter: Waiter<T> = { resolve, reject, onProgress: options?.onProgress };
      joined.waiters.add(waiter);
      if (joined.last && waiter.onProgress) waiter.onProgress(...joined.last);
      signal?.addEventListener('abort', () => {
        if (!joined.waiters.delete(waiter)) return;
        reject(cancelledError(this.path));
        if (joined.waiters.size === 0) this.abandon(key, joined);
      }, { once: true });
    });
  }

  private begin<T>(key: string, start: (onProgress: ScanProgress) => RunningScan<T>): Run<T> {
    const run: Run<T> = { scan: undefined as unknown as RunningScan<T>, waiters: new Set() };
    run.scan = start((done, total) => {
      run.last = [done, total];
      for (const w of run.waiters) {
        // One caller's failing callback must not starve the others of progress.
        try { w.onProgress?.(done, total); } catch (e) { queueMicrotask(() => { throw e; }); }
      }
    });
    this.runs.set(key, run as Run<unknown>);
    run.scan.promise.then((value) => {
      this.forget(key, run);
      for (const w of run.waiters) w.resolve(value);
    }, (error: unknown) => {
      this.forget(key, run);
      for (const w of run.waiters) w.reject(error);
    });
    return run;
  }

  /** Nobody waits any more: stop the scan now (its own rejection then reaches no one). */
  private abandon(key: string, run: Run<unknown>): void {
    this.forget(key, run);
    run.scan.cancel();
  }

  private forget(key: string, run: Run<unknown>): void {
    if (this.runs.get(key) === run) this.runs.delete(key);
  }
}
