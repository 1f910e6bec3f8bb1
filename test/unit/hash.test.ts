/**
 * extension/hash: Adler-32 against a byte-at-a-time reference, and hashPieces (the real worker thread over
 * a real file) against node:crypto, zlib.crc32 and the reference Adler-32 on
 * the same bytes: pieces mixing disk and memory (also a real model's
 * segments after inserts and deletes), chunk edges, empty input,
 * a 6 GiB sparse file (offsets past 2^32, progress, Cancel), a shortened
 * file and a FIFO.
 */
import { test, after } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { rmSync } from 'node:fs';
import { performance } from 'node:perf_hooks';
import { crc32 } from 'node:zlib';
import { adler32Update } from '../../extension/hash/adler32';
import type { HashAlgorithm } from '../../extension/hash/algorithms';
import { hashPieces } from '../../extension/hash/hashPieces';
import { piecesLength } from '../../extension/document/diskRebase';
import { segmentsAsPieces } from '../../extension/hash/segmentsAsPieces';
import type { Piece } from '../../extension/document/snapshot';
import { HexDocumentModel } from '../../extension/document/hexDocumentModel';
import { openByteSource } from '../../extension/engine/openByteSource';
import { createSparseFile, readThroughSeparateDescriptor } from '../support/sparseFile';
import { seededRandom } from '../support/seededRandom';
import { TempDir } from '../support/tempFiles';

const ALL: HashAlgorithm[] = ['crc32', 'adler32', 'md5', 'sha1', 'sha256'];
const dir = new TempDir('hexmap-hash-');
after(() => dir.remove());

/** Adler-32 exactly as RFC 1950 defines it: both sums reduced after every byte. */
function referenceAdler32(bytes: Uint8Array): string {
  let a = 1;
  let b = 0;
  for (const x of bytes) {
    a = (a + x) % 65521;
    b = (b + a) % 65521;
  }
  return ((b * 65536 + a) >>> 0).toString(16).padStart(8, '0');
}

function referenceDigests(bytes: Uint8Array, algorithms = ALL): Record<string, string> {
  const out: Record<string, string> = {};
  for (const a of algorithms) {
    if (a === 'crc32') out.crc32 = crc32(bytes).toString(16).padStart(8, '0');
    else if (a === 'adler32') out.adler32 = referenceAdler32(bytes);
    else out[a] = createHash(a).update(bytes).digest('hex');
  }
  return out;
}

const random = (next: () => number, n: number) => Uint8Array.from({ length: n }, () => Math.floor(next() * 256));

/** The flat bytes pieces describe, with disk pieces read from `disk`. */
function flatten(pieces: readonly Piece[], disk: Uint8Array): Uint8Array {
  const out = new Uint8Array(piecesLength(pieces));
  let at = 0;
  for (const p of pieces) {
    const bytes = p.kind === 'disk' ? disk.subarray(p.offset, p.offset + p.length) : p.bytes;
    out.set(bytes, at);
    at += bytes.length;
  }
  return out;
}

test('Adler-32: known vectors, and the block-deferred modulo equals the per-byte reference at every length near a block edge', () => {
  const enc = new TextEncoder();
  assert.equal(adler32Update(1, enc.encode('Wikipedia')).toString(16), '11e60398');
  assert.equal(adler32Update(1, new Uint8Array(0)), 1);
  // All 0xFF is the worst case for the sums' growth between two reductions.
  for (const fill of [0xff, 0x00]) {
    for (const n of [1, 3799, 3800, 3801, 7600, 7601, 100_000]) {
      const bytes = new Uint8Array(n).fill(fill);
      assert.equal(adler32Update(1, bytes).toString(16).padStart(8, '0'), referenceAdler32(bytes), `n=${n} fill=${fill}`);
    }
  }
  const next = seededRandom(7);
  for (let k = 0; k < 20; k++) {
    const bytes = random(next, Math.floor(next() * 20_000));
    const cut = Math.floor(next() * (bytes.length + 1));
    const continued = adler32Update(adler32Update(1, bytes.subarray(0, cut)), bytes.subarray(cut));
    assert.equal(continued.toString(16).padStart(8, '0'), referenceAdler32(bytes), `continued at ${cut} of ${bytes.length}`);
  }
});

test('hashPieces: every algorithm over pieces mixing disk and memory, across chunk edges, against node:crypto / zlib.crc32 / reference Adler-32', async () => {
  const next = seededRandom(3);
  const disk = random(next, 50_000);
  const path = dir.write('mixed.bin', disk);
  for (let round = 0; round < 12; round++) {
    const pieces: Piece[] = [];
    for (let i = 0, count = 1 + Math.floor(next() * 8); i < count; i++) {
      const n = 1 + Math.floor(next() * 5000);
      if (next() < 0.6) {
        const offset = Math.floor(next() * (disk.length - n));
        pieces.push({ kind: 'disk', offset, length: n });
      } else {
        pieces.push({ kind: 'bytes', bytes: random(next, n) });
      }
    }
    // Odd chunk sizes put chunk edges everywhere, inside disk and memory pieces alike.
    const chunkSize = [1, 7, 4096, 65536][round % 4];
    const digests = await hashPieces(path, pieces, ALL, { chunkSize });
    assert.deepEqual(digests, referenceDigests(flatten(pieces, disk)), `round ${round}, chunk ${chunkSize}`);
  }
});

test('hashPieces: empty input gives the empty digests; a subset of algorithms gives only those', async () => {
  const path = dir.write('small.bin', 'abc');
  assert.deepEqual(await hashPieces(path, [], ALL), referenceDigests(new Uint8Array(0)));
  assert.equal((await hashPieces(path, [], ['crc32'])).crc32, '00000000');
  assert.equal((await hashPieces(path, [], ['adler32'])).adler32, '00000001');
  const only = await hashPieces(path, [{ kind: 'disk', offset: 0, length: 3 }], ['sha256', 'crc32']);
  assert.deepEqual(only, { sha256: createHash('sha256').update('abc').digest('hex'), crc32: '352441c2' });
  assert.deepEqual(await hashPieces(path, [{ kind: 'disk', offset: 0, length: 3 }], []), {});
  // Only memory pieces: the file is never opened (it need not exist).
  const bytes = new TextEncoder().encode('123456789');
  assert.deepEqual(await hashPieces(dir.file('missing'), [{ kind: 'bytes', bytes }], ['crc32', 'adler32']), { crc32: 'cbf43926', adler32: '091e01de' });
});

test('the snapshot of a real HexDocumentModel with unsaved overwrites, inserts and deletes hashes like the bytes the model reads', async () => {
  const next = seededRandom(5);
  const content = random(next, 20_000);
  const path = dir.write('edited.bin', content);
  const model = new HexDocumentModel(await openByteSource(path, { backend: 'file', writable: true }));
  try {
    for (const [offset, n] of [[0, 3], [100, 1], [101, 4], [9_000, 700], [19_990, 10]] as const) {
      model.edit(offset, random(next, n), 'test');
    }
    model.replace(5_000, 0, random(next, 300), 'insert');
    model.replace(12_000, 2_000, new Uint8Array(0), 'delete');
    const pieces = segmentsAsPieces(model.segments(0, model.size));
    assert.ok(pieces.some((p) => p.kind === 'disk') && pieces.some((p) => p.kind === 'bytes'));
    const seen = await model.read(0, model.size);
    assert.deepEqual(await hashPieces(path, pieces, ALL, { chunkSize: 4096 }), referenceDigests(seen));
    // A selection crossing edited and unedited bytes.
    const part = segmentsAsPieces(model.segments(95, 9_100));
    assert.deepEqual(await hashPieces(path, part, ALL), referenceDigests(seen.subarray(95, 95 + 9_100)));
  } finally {
    model.dispose();
  }
});

test('a 6 GiB sparse file: a range across 2^32 with edits in it; progress rises; Cancel stops the worker promptly', { timeout: 120_000 }, async () => {
  const G = 2 ** 30;
  const size = 6 * G;
  const next = seededRandom(9);
  const plants = [4 * G - 5, 4 * G + 1_000_000, size - 64].map((offset) => ({ offset, bytes: random(next, 64) }));
  const path = createSparseFile(dir.file('sparse6g.bin'), size, plants);
  try {
    const start = 4 * G - 3 * 2 ** 20;
    const length = 6 * 2 ** 20;
    const edit = random(next, 333);
    const pieces: Piece[] = [
      { kind: 'disk', offset: start, length: 2 ** 20 },
      { kind: 'bytes', bytes: edit },
      { kind: 'disk', offset: start + 2 ** 20 + edit.length, length: length - 2 ** 20 - edit.length },
    ];
    const expected = readThroughSeparateDescriptor(path, start, length);
    expected.set(edit, 2 ** 20);
    const progress: number[] = [];
    const digests = await hashPieces(path, pieces, ['crc32', 'sha256', 'adler32'], { chunkSize: 1 << 20, progressIntervalMs: 0, onProgress: (done) => progress.push(done) });
    assert.deepEqual(digests, referenceDigests(expected, ['crc32', 'sha256', 'adler32']));
    assert.ok(progress.length >= 6, `progress reported ${progress.length} times`);
    assert.ok(progress.every((d, i) => i === 0 || d >= progress[i - 1]), 'progress never goes back');
    assert.equal(progress.at(-1), length);

    // The whole file, every algorithm: cancel at the first progress report.
    const controller = new AbortController();
    let reports = 0;
    let cancelledAt = 0;
    const whole = hashPieces(path, [{ kind: 'disk', offset: 0, length: size }], ALL, {
      signal: controller.signal,
      progressIntervalMs: 20,
      onProgress: (done, total) => {
        reports++;
        assert.equal(total, size);
        assert.ok(done > 0 && done < size);
        if (!cancelledAt) { cancelledAt = performance.now(); controller.abort(); }
      },
    });
    await assert.rejects(whole, (e: { code?: string; name?: string }) => e.code === 'ERR_HEXMAP_CANCELLED' && e.name === 'AbortError');
    assert.ok(performance.now() - cancelledAt < 1000, 'the promise settles right after Cancel');
    await new Promise((r) => setTimeout(r, 200));
    assert.equal(reports, 1, 'no progress after Cancel');
    await assert.rejects(hashPieces(path, [], ALL, { signal: controller.signal }), { code: 'ERR_HEXMAP_CANCELLED' });
  } finally {
    rmSync(path);
  }
});

test('the event loop stays idle while 512 MiB are hashed (the work is in the worker)', { timeout: 60_000 }, async () => {
  const path = createSparseFile(dir.file('half.bin'), 512 * 2 ** 20);
  // Event-loop utilisation counts the time this thread spends running code rather than waiting for
  // events. Unlike timer lateness it does not grow when a busy machine delays the thread's scheduling.
  const before = performance.eventLoopUtilization();
  try {
    const digests = await hashPieces(path, [{ kind: 'disk', offset: 0, length: 512 * 2 ** 20 }], ['sha256', 'md5']);
    assert.equal(digests.sha256?.length, 64);
  } finally {
    rmSync(path);
  }
  const { utilization, active } = performance.eventLoopUtilization(before);
  // Hashing 512 MiB on this thread would keep it busy for about a second (utilisation near 1).
  assert.ok(utilization < 0.25, `the event loop was busy ${(utilization * 100).toFixed(0)}% of the time (${active.toFixed(0)} ms)`);
});

test('a file shortened by another program, and a FIFO, are errors (never a hang)', { timeout: 30_000 }, async () => {
  const path = dir.write('short.bin', new Uint8Array(100));
  await assert.rejects(hashPieces(path, [{ kind: 'disk', offset: 50, length: 100 }], ['md5']), { code: 'ERR_HEXMAP_TRUNCATED' });
  await assert.rejects(hashPieces(dir.file('gone.bin'), [{ kind: 'disk', offset: 0, length: 1 }], ['md5']), { code: 'ENOENT' });
  if (process.platform !== 'win32') {
    const fifo = dir.file('fifo');
    execFileSync('mkfifo', [fifo]);
    await assert.rejects(hashPieces(fifo, [{ kind: 'disk', offset: 0, length: 10 }], ['crc32']), { code: 'ERR_HEXMAP_SPECIAL_FILE' });
  }
});
