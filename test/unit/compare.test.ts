/**
 * The compare engine on real files through HexDocumentModel (both
 * backends), checked against `cmp -l` (test/support/compareReference.ts):
 * identical, empty, different sizes, differences on page / window / chunk
 * edges, every byte different, random scatters with tiny chunks, the cap
 * with an exact count, cancellation.
 */
import { test, after } from 'node:test';
import assert from 'node:assert/strict';
import type { CompareTuning } from '../../extension/compare/compareEngine';
import { differingBytes, type CompareOptions } from '../../extension/compare/types';
import { docBackends, randomBytes, rng, TempDir, type DocBackend } from '../support/documentFiles';
import { cmpAvailable, cmpReference, expectedRanges } from '../support/compareReference';
import { compareFiles as compareFilesIn } from '../support/compareFiles';

const dir = new TempDir();
after(() => dir.cleanup());
assert.ok(cmpAvailable(), 'cmp (diffutils) must be installed: apt-get install diffutils');

const compareFiles = (backend: DocBackend, a: Uint8Array, b: Uint8Array, options: CompareOptions = {}, tuning: CompareTuning = {}) =>
  compareFilesIn(dir, backend, a, b, options, tuning);

function flip(bytes: Uint8Array, offsets: number[]): Uint8Array {
  const out = bytes.slice();
  for (const o of offsets) out[o] ^= 0x5a;
  return out;
}

for (const backend of docBackends()) {
  const name = `[${backend.name}]`;

  test(`${name} identical files: no range, identical`, async () => {
    const bytes = randomBytes(rng(1), 300_000);
    for (const mode of ['resync', 'bytes'] as const) {
      const { summary, streamed } = await compareFiles(backend, bytes, bytes, { mode });
      assert.equal(summary.identical, true);
      assert.equal(summary.rangeCount, 0);
      assert.equal(streamed.length, 0);
      assert.equal(summary.complete, true);
    }
  });

  test(`${name} one side empty, both empty`, async () => {
    const bytes = randomBytes(rng(2), 5000);
    const e = new Uint8Array(0);
    let r = await compareFiles(backend, e, bytes);
    assert.deepEqual(r.summary.ranges, [{ kind: 'inserted', offsetA: 0, lengthA: 0, offsetB: 0, lengthB: 5000 }]);
    assert.equal(r.summary.onlyInB, 5000);
    assert.equal(r.summary.shifts, 0, 'the tail of the longer side is not a shift');
    r = await compareFiles(backend, bytes, e);
    assert.deepEqual(r.summary.ranges, [{ kind: 'deleted', offsetA: 0, lengthA: 5000, offsetB: 0, lengthB: 0 }]);
    r = await compareFiles(backend, e, e);
    assert.equal(r.summary.identical, true);
  });

  test(`${name} different sizes with differences: cmp's ranges plus the tail`, async () => {
    const a = randomBytes(rng(3), 200_000);
    const b = flip(a, [0, 77, 4095, 4096, 150_000]).slice(0, 180_000);
    for (const [x, y] of [[a, b], [b, a]]) {
      const { summary, pathA, pathB } = await compareFiles(backend, x, y);
      assert.deepEqual(summary.ranges, expectedRanges(pathA, pathB, x.length, y.length));
      assert.equal(summary.sizeA, x.length);
      assert.equal(summary.sizeB, y.length);
    }
  });

  test(`${name} differences at page, window and chunk edges (default 2 MiB chunks)`, async () => {
    const size = 9 << 20;
    const a = randomBytes(rng(4), size);
    const edges = [4095, 4096, 65535, 65536, 65537, (1 << 20) - 1, (2 << 20) - 1, 2 << 20, (2 << 20) + 288, (4 << 20) - 2, (4 << 20) - 1, 4 << 20, (4 << 20) + 288, (8 << 20) - 1, 8 << 20, size - 1];
    const b = flip(a, edges);
    // A run crossing the chunk edge must stay one range.
    for (let o = (8 << 20) - 100; o < (8 << 20) + 100; o++) b[o] = a[o] ^ 0xff;
    for (const mode of ['resync', 'bytes'] as const) {
      const { summary, streamed, pathA, pathB } = await compareFiles(backend, a, b, { mode });
      const expected = expectedRanges(pathA, pathB, size, size);
      assert.deepEqual(summary.ranges, expected, mode);
      assert.deepEqual(streamed, expected, 'streamed = kept when under the cap');
      assert.equal(summary.changedBytes, cmpReference(pathA, pathB).differingBytes);
      assert.deepEqual(summary.first, expected[0]);
      assert.deepEqual(summary.last, expected[expected.length - 1]);
    }
  });

  test(`${name} every byte different: one range, exact count`, async () => {
    const a = randomBytes(rng(5), 1 << 20);
    const b = a.map((x) => x ^ 0xff);
    for (const mode of ['resync', 'bytes'] as const) {
      const { summary, pathA, pathB } = await compareFiles(backend, a, b, { mode }, { chunk: 100_000 });
      assert.deepEqual(summary.ranges, expectedRanges(pathA, pathB, a.length, b.length));
      assert.equal(summary.changedBytes, 1 << 20);
      assert.equal(summary.rangeCount, 1);
    }
  });

  test(`${name} random scatters with tiny chunks match cmp -l (model-based)`, async () => {
    const next = rng(backend.name === 'file' ? 60 : 61);
    for (let round = 0; round < 12; round++) {
      const size = 1 + Math.floor(next() * 40_000);
      const a = randomBytes(next, size);
      const b = a.slice();
      const runs = Math.floor(next() * 30);
      for (let k = 0; k < runs; k++) {
        const at = Math.floor(next() * size);
        const len = 1 + Math.floor(next() * (next() < 0.8 ? 4 : 400));
        for (let o = at; o < Math.min(size, at + len); o++) b[o] = (a[o] + 1 + Math.floor(next() * 255)) & 255;
      }
      const sizeB = next() < 0.3 ? Math.floor(next() * size) : size;
      const bb = b.slice(0, sizeB);
      const chunk = 1 + Math.floor(next() * 5000);
      const { summary, streamed, pathA, pathB } = await compareFiles(backend, a, bb, { mode: 'bytes' }, { chunk, batchSize: 3 });
      const expected = expectedRanges(pathA, pathB, size, sizeB);
      assert.deepEqual(summary.ranges, expected, `round ${round}, chunk ${chunk}`);
      assert.deepEqual(streamed, expected);
    }
  });

  test(`${name} the cap keeps the first ranges, the counts stay exact ("N+")`, async () => {
    const a = randomBytes(rng(7), 100_000);
    const offsets = Array.from({ length: 500 }, (_, i) => i * 199);
    const b = flip(a, offsets);
    const { summary, streamed, pathA, pathB } = await compareFiles(backend, a, b, { maxRanges: 10 });
    const expected = expectedRanges(pathA, pathB, a.length, b.length);
    assert.equal(summary.rangeCount, 500);
    assert.equal(summary.ranges.length, 10);
    assert.equal(summary.capped, true);
    assert.deepEqual(summary.ranges, expected.slice(0, 10));
    assert.deepEqual(streamed, expected, 'streaming is not capped');
    assert.equal(differingBytes(summary), 500);
    assert.deepEqual(summary.last, expected[499]);
  });

  test(`${name} cancel stops the comparison and says so`, async () => {
    const a = randomBytes(rng(8), 6 << 20);
    const b = a.map((x) => x ^ 1); // dense: many slices, so the abort lands mid-way
    const controller = new AbortController();
    const { summary } = await compareFiles(backend, a, b, {
      signal: controller.signal, mode: 'bytes',
      onProgress: (done) => { if (done > 0) controller.abort(); },
    }, { chunk: 1 << 20 });
    assert.equal(summary.cancelled, true);
    assert.equal(summary.complete, false);
    assert.ok(summary.changedBytes < 6 << 20, `stopped early (${summary.changedBytes} bytes compared as different)`);
  });
}
