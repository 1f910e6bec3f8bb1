/**
 * The body of the hash worker thread. It reads the file itself with
 * synchronous reads (a read that blocks here blocks only this thread, never
 * the extension host's event loop nor a libuv pool thread), in large chunks,
 * and feeds every requested algorithm from the same chunk, so the bytes are
 * read once however many digests are asked for. MD5, SHA-1 and SHA-256 come
 * from node:crypto (OpenSSL, which uses the CPU's SHA instructions where it
 * has them), CRC-32 from zlib.crc32, Adler-32 from adler32.ts.
 *
 * The VSIX ships the host as one bundle, so the worker is started from this
 * function's source text (`new Worker(source, { eval: true })`) rather than
 * from a file of its own. That is why the function is self-contained: it
 * `require`s what it needs inside its body, refers to nothing outside it,
 * and receives the Adler-32 routine as an argument.
 */
import type { HashAlgorithm } from './algorithms';

/** What the worker gets as workerData. Disk pieces are read from `path`; memory pieces arrive copied. */
export interface HashJob {
  path: string;
  pieces: ({ kind: 'disk'; offset: number; length: number } | { kind: 'bytes'; bytes: Uint8Array })[];
  algorithms: HashAlgorithm[];
  /** Bytes read (and hashed) at a time. */
  chunkSize: number;
  /** Least time between two progress messages. */
  progressIntervalMs: number;
}

export type HashWorkerMessage =
  | { type: 'progress'; done: number }
  | { type: 'done'; digests: Partial<Record<HashAlgorithm, string>> }
  | { type: 'error'; message: string; code?: string };

export function hashWorkerMain(adler32Update: (adler: number, bytes: Uint8Array) => number): void {
  const { parentPort, workerData } = require('node:worker_threads') as typeof import('node:worker_threads');
  const fs = require('node:fs') as typeof import('node:fs');
  const crypto = require('node:crypto') as typeof import('node:crypto');
  const zlib = require('node:zlib') as typeof import('node:zlib') & { crc32?: (data: Uint8Array, value?: number) => number };
  const job = workerData as HashJob;
  const post = (m: HashWorkerMessage) => parentPort!.postMessage(m);

  let fd: number | undefined;
  try {
    const wanted = new Set(job.algorithms);
    const hashes = (['md5', 'sha1', 'sha256'] as const).filter((a) => wanted.has(a)).map((a) => ({ id: a, hash: crypto.createHash(a) }));
    const crc32 = zlib.crc32;
    if (wanted.has('crc32') && typeof crc32 !== 'function') throw new Error('this Node.js has no zlib.crc32 (Node 20.15 or later has it)');
    let crc = 0;
    let adler = 1;
    let done = 0;
    let lastProgress = Date.now();
    const feed = (bytes: Uint8Array) => {
      for (const h of hashes) h.hash.update(bytes);
      if (wanted.has('crc32')) crc = crc32!(bytes, crc);
      if (wanted.has('adler32')) adler = adler32Update(adler, bytes);
      done += bytes.length;
      const now = Date.now();
      if (now - lastProgress >= job.progressIntervalMs) {
        lastProgress = now;
        post({ type: 'progress', done });
      }
    };

    if (job.pieces.some((p) => p.kind === 'disk')) {
      // O_NONBLOCK: opening a FIFO or a device that waits for a writer returns at once
      // (and is then refused below) instead of hanging the worker forever.
      fd = fs.openSync(job.path, fs.constants.O_RDONLY | (fs.constants.O_NONBLOCK ?? 0));
      if (!fs.fstatSync(fd).isFile()) throw Object.assign(new Error(`${job.path} is not a regular file`), { code: 'ERR_HEXMAP_SPECIAL_FILE' });
    }
    const buffer = new Uint8Array(job.chunkSize);
    for (const piece of job.pieces) {
      if (piece.kind === 'bytes') {
        for (let i = 0; i < piece.bytes.length; i += job.chunkSize) feed(piece.bytes.subarray(i, i + job.chunkSize));
        continue;
      }
      for (let at = piece.offset, end = piece.offset + piece.length; at < end;) {
        const n = fs.readSync(fd!, buffer, 0, Math.min(job.chunkSize, end - at), at);
        if (n === 0) {
          throw Object.assign(new Error(`the file ended at ${at} bytes, before the ${end} bytes the document holds (did another program shorten it?)`), { code: 'ERR_HEXMAP_TRUNCATED' });
        }
        feed(buffer.subarray(0, n));
        at += n;
      }
    }
    const digests: Partial<Record<HashAlgorithm, string>> = {};
    for (const h of hashes) digests[h.id] = h.hash.digest('hex');
    if (wanted.has('crc32')) digests.crc32 = (crc >>> 0).toString(16).padStart(8, '0');
    if (wanted.has('adler32')) digests.adler32 = adler.toString(16).padStart(8, '0');
    post({ type: 'done', digests });
  } catch (error) {
    const e = error as { message?: unknown; code?: unknown };
    post({ type: 'error', message: String(e?.message ?? error), code: typeof e?.code === 'string' ? e.code : undefined });
  } finally {
    if (fd !== undefined) fs.closeSync(fd);
  }
}
