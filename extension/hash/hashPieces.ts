/**
 * Hashes a document range, described as pieces (disk ranges plus bytes held
 * in memory), in a worker thread: the extension host's event loop only
 * starts the worker and receives a few progress messages. Cancel (the
 * signal) terminates the worker at once.
 */
import { Worker } from 'node:worker_threads';
import type { Piece } from '../document/snapshot';
import { adler32Update } from './adler32';
import type { HashAlgorithm } from './algorithms';
import { hashWorkerMain, type HashJob, type HashWorkerMessage } from './hashWorker';
import { piecesLength } from '../document/diskRebase';

export type Digests = Partial<Record<HashAlgorithm, string>>;

export interface HashOptions {
  signal?: AbortSignal;
  /** Bytes hashed so far, out of `total`; called at most every `progressIntervalMs`, and once at the end. */
  onProgress?: (done: number, total: number) => void;
  /** Bytes read at a time (default 8 MiB: large enough that the read calls cost nothing next to hashing). */
  chunkSize?: number;
  progressIntervalMs?: number;
}

const DEFAULT_CHUNK = 8 << 20;
const DEFAULT_PROGRESS_MS = 100;

/** Source text of the worker: the body with the Adler-32 routine passed in (see hashWorker.ts). */
const WORKER_SOURCE = `(${hashWorkerMain.toString()})(${adler32Update.toString()});`;

export class HashError extends Error {
  constructor(message: string, readonly code?: string) {
    super(message);
    this.name = code === 'ERR_HEXMAP_CANCELLED' ? 'AbortError' : 'HashError';
  }
}

/**
 * Every digest of `algorithms` over the content `pieces` describe, disk pieces read from `path`.
 * Rejects with code ERR_HEXMAP_CANCELLED when `signal` aborts.
 */
export function hashPieces(path: string, pieces: readonly Piece[], algorithms: readonly HashAlgorithm[], options: HashOptions = {}): Promise<Digests> {
  const { signal, onProgress } = options;
  const total = piecesLength(pieces);
  if (signal?.aborted) return Promise.reject(cancelled());
  if (algorithms.length === 0) return Promise.resolve({});
  const job: HashJob = {
    path,
    pieces: pieces.map((p) => (p.kind === 'disk' ? { kind: 'disk', offset: p.offset, length: p.length } : { kind: 'bytes', bytes: ownBuffer(p.bytes) })),
    algorithms: [...new Set(algorithms)],
    chunkSize: options.chunkSize ?? DEFAULT_CHUNK,
    progressIntervalMs: options.progressIntervalMs ?? DEFAULT_PROGRESS_MS,
  };
  return new Promise<Digests>((resolve, reject) => {
    const worker = new Worker(WORKER_SOURCE, { eval: true, workerData: job });
    let settled = false;
    const finish = (outcome: () => void) => {
      if (settled) return;
      settled = true;
      signal?.removeEventListener('abort', onAbort);
      void worker.terminate();
      outcome();
    };
    const onAbort = () => finish(() => reject(cancelled()));
    signal?.addEventListener('abort', onAbort, { once: true });
    worker.on('message', (m: HashWorkerMessage) => {
      if (settled) return;
      if (m.type === 'progress') onProgress?.(m.done, total);
      else if (m.type === 'done') finish(() => { onProgress?.(total, total); resolve(m.digests); });
      else finish(() => reject(new HashError(m.message, m.code)));
    });
    worker.on('error', (e) => finish(() => reject(e)));
    worker.on('exit', (code) => finish(() => reject(new HashError(`the hash worker stopped (exit code ${code}) before it finished`))));
  });
}

/**
 * Posting a view to a worker copies its whole ArrayBuffer: a few bytes sliced
 * from a large edit would carry all of it. Copy just the bytes in that case.
 */
function ownBuffer(bytes: Uint8Array): Uint8Array {
  return bytes.byteLength === bytes.buffer.byteLength ? bytes : bytes.slice();
}

function cancelled(): HashError {
  return new HashError('cancelled', 'ERR_HEXMAP_CANCELLED');
}
