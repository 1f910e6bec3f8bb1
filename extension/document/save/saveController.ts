/**
 * One save at a time per file identity. Two editors, or two documents, on
 * the same file (through any path: the key is device + inode) share one
 * queue, so their journals and writes never interleave.
 *
 * A request holds a snapshot taken when it was made (VS Code marks the
 * document saved at the edit it had reached when it asked). While one save
 * runs, a newer request from the same document supersedes an older one still
 * waiting: the older resolves when the newer completes, because the newer
 * snapshot contains everything the older one would have written. Requests
 * from different documents all run, in order. A request cancelled while
 * waiting never starts; a running one sees its signal at the engine's safe
 * points (and rolls back).
 *
 * Plain Node: no `vscode`, unit-tested directly.
 */
export interface SaveJob<T> {
  /** Who asked: requests from the same owner supersede each other. */
  owner: object;
  run(signal: AbortSignal): Promise<T>;
  signal?: AbortSignal;
}

interface Pending<T> {
  job: SaveJob<T>;
  resolve(value: T | Superseded): void;
  reject(error: unknown): void;
  /** Older requests of the same owner that this one replaced: they settle with it. */
  replaced: Pending<T>[];
}

/** What a superseded or cancelled-while-waiting request resolves with. */
export class Superseded {
  constructor(readonly reason: 'superseded' | 'cancelled') {}
}

class Queue<T> {
  running = false;
  waiting: Pending<T>[] = [];
}

export class SaveController {
  private readonly queues = new Map<string, Queue<unknown>>();

  /** Queue a save for the file with `key` (see identityKey). */
  save<T>(key: string, job: SaveJob<T>): Promise<T | Superseded> {
    let queue = this.queues.get(key) as Queue<T> | undefined;
    if (!queue) {
      queue = new Queue<T>();
      this.queues.set(key, queue as Queue<unknown>);
    }
    const q = queue;
    return new Promise<T | Superseded>((resolve, reject) => {
      const entry: Pending<T> = { job, resolve, reject, replaced: [] };
      const older = q.waiting.findIndex((p) => p.job.owner === job.owner);
      if (older >= 0) {
        const [old] = q.waiting.splice(older, 1);
        entry.replaced.push(old, ...old.replaced);
        old.replaced = [];
      }
      q.waiting.push(entry);
      void this.pump(key, q);
    });
  }

  /** Whether a save for `key` is running or waiting. */
  busy(key: string): boolean {
    const q = this.queues.get(key);
    return !!q && (q.running || q.waiting.length > 0);
  }

  private async pump<T>(key: string, q: Queue<T>): Promise<void> {
    if (q.running) return;
    const next = q.waiting.shift();
    if (!next) {
      this.queues.delete(key);
      return;
    }
    q.running = true;
    try {
      if (next.job.signal?.aborted) {
        settle(next, (p) => p.resolve(new Superseded('cancelled')));
        return;
      }
      const controller = new AbortController();
      const forward = () => controller.abort();
      next.job.signal?.addEventListener('abort', forward, { once: true });
      try {
        const value = await next.job.run(controller.signal);
        settle(next, (p) => p.resolve(value));
      } catch (e) {
        next.reject(e);
        // The replaced requests asked for a subset of this state; they failed with it.
        for (const r of next.replaced) r.reject(e);
      } finally {
        next.job.signal?.removeEventListener('abort', forward);
      }
    } finally {
      q.running = false;
      void this.pump(key, q);
    }
  }
}

function settle<T>(entry: Pending<T>, how: (p: Pending<T>) => void): void {
  how(entry);
  for (const r of entry.replaced) how(r);
}

/** The queue key of a file: its device and inode (the same file through any path). */
export function identityKey(identity: { dev: number; ino: number; path: string }): string {
  return identity.dev || identity.ino ? `${identity.dev}:${identity.ino}` : `path:${identity.path}`;
}
