// EditOverlay against a naive byte map: random set/clearRange sequences, then
// runs(), ranges(), applyTo() and byteCount compared after every step.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { EditOverlay } from '../../extension/document/editOverlay';
import { randomBytes, rng } from '../support/documentFiles';

/** Runs derived from a Map<offset, byte>: maximal stretches of consecutive offsets. */
function naiveRuns(map: Map<number, number>, offset = 0, length = Infinity): { offset: number; bytes: number[] }[] {
  const keys = [...map.keys()].filter((k) => k >= offset && k < offset + length).sort((a, b) => a - b);
  const out: { offset: number; bytes: number[] }[] = [];
  for (const k of keys) {
    const last = out[out.length - 1];
    if (last && last.offset + last.bytes.length === k) last.bytes.push(map.get(k)!);
    else out.push({ offset: k, bytes: [map.get(k)!] });
  }
  return out;
}

const plain = (runs: { offset: number; bytes: Uint8Array }[]) => runs.map((r) => ({ offset: r.offset, bytes: [...r.bytes] }));

test('overlay: random set/clearRange agree with a byte map', () => {
  for (let seed = 1; seed <= 60; seed++) {
    const next = rng(seed);
    const overlay = new EditOverlay();
    const map = new Map<number, number>();
    const space = 20 + ((next() * 300) | 0);
    for (let step = 0; step < 200; step++) {
      const offset = (next() * space) | 0;
      const length = 1 + ((next() * 12) | 0);
      if (next() < 0.75) {
        const bytes = randomBytes(next, length);
        overlay.set(offset, bytes);
        bytes.forEach((b, i) => map.set(offset + i, b));
      } else {
        overlay.clearRange(offset, length);
        for (let i = 0; i < length; i++) map.delete(offset + i);
      }
      assert.deepEqual(plain(overlay.runs()), naiveRuns(map), `seed ${seed} step ${step}`);
      assert.equal(overlay.byteCount, map.size);
      const qo = (next() * space) | 0;
      const ql = (next() * 40) | 0;
      assert.deepEqual(plain(overlay.runs(qo, ql)), naiveRuns(map, qo, ql), `window ${qo}+${ql}`);
      const target = new Uint8Array(ql).fill(0xee);
      overlay.applyTo(qo, target);
      for (let i = 0; i < ql; i++) assert.equal(target[i], map.get(qo + i) ?? 0xee);
    }
  }
});

test('overlay: adjacent runs coalesce, overlapping ones merge, gaps stay', () => {
  const o = new EditOverlay();
  o.set(10, Uint8Array.of(1, 2));
  o.set(12, Uint8Array.of(3));
  o.set(8, Uint8Array.of(7, 8));
  o.set(20, Uint8Array.of(9));
  assert.deepEqual(plain(o.runs()), [{ offset: 8, bytes: [7, 8, 1, 2, 3] }, { offset: 20, bytes: [9] }]);
  o.set(11, Uint8Array.of(5, 5, 5, 5, 5, 5, 5, 5, 5, 5));
  assert.deepEqual(plain(o.runs()), [{ offset: 8, bytes: [7, 8, 1, 5, 5, 5, 5, 5, 5, 5, 5, 5, 5] }]);
  o.clearRange(10, 2);
  assert.deepEqual(o.ranges(), [{ offset: 8, length: 2 }, { offset: 12, length: 9 }]);
  assert.equal(o.byteCount, 11);
});

test('overlay: runs() are stable snapshots (copy-on-write)', () => {
  const o = new EditOverlay();
  o.set(0, Uint8Array.of(1, 2, 3));
  const snap = o.runs();
  o.set(1, Uint8Array.of(9));
  o.clearRange(0, 1);
  assert.deepEqual([...snap[0].bytes], [1, 2, 3]);
  const src = Uint8Array.of(4, 4);
  o.set(100, src);
  src[0] = 0;
  assert.deepEqual([...o.runs(100)[0].bytes], [4, 4], 'set() copies its input');
});

test('overlay: offsets beyond 2^32 and invalid offsets', () => {
  const o = new EditOverlay();
  const far = 6 * 2 ** 30 - 1;
  o.set(far, Uint8Array.of(0xab));
  o.set(5, Uint8Array.of(1));
  assert.deepEqual(o.ranges(), [{ offset: 5, length: 1 }, { offset: far, length: 1 }]);
  assert.deepEqual(o.ranges(far - 10, 20), [{ offset: far, length: 1 }]);
  assert.throws(() => o.set(-1, Uint8Array.of(1)), RangeError);
  assert.throws(() => o.set(1.5, Uint8Array.of(1)), RangeError);
});

test('overlay: memory grows with edits, not with the offsets they touch', () => {
  const o = new EditOverlay();
  const next = rng(7);
  for (let i = 0; i < 10_000; i++) o.set(Math.floor(next() * 8e9), Uint8Array.of(i & 255));
  assert.ok(o.byteCount <= 10_000);
  assert.ok(o.memoryBytes < 2_000_000, `memory estimate ${o.memoryBytes}`);
  // Lookups stay binary searches: a window query returns only its own runs.
  const runs = o.runs(4e9, 1 << 20);
  for (const r of runs) assert.ok(r.offset >= 4e9 && r.offset < 4e9 + (1 << 20));
});
