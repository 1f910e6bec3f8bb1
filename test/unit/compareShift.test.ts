/**
 * Resynchronisation: bytes inserted into or deleted from one side are
 * reported as one 'inserted' / 'deleted' range and the comparison goes on
 * aligned with the new offset delta. Differences after the shift are checked
 * with `cmp -l --ignore-initial=A:B`, i.e. cmp told where the two files
 * realign, not the engine.
 */
import { test, after } from 'node:test';
import assert from 'node:assert/strict';
import type { DiffRange } from '../../extension/compare/types';
import { compareDocuments } from '../../extension/compare/compareEngine';
import { HexDocumentModel } from '../../extension/document/hexDocumentModel';
import { docBackends, randomBytes, rng, TempDir } from '../support/documentFiles';
import { cmpReference } from '../support/compareReference';
import { compareFiles } from '../support/compareFiles';

const dir = new TempDir();
after(() => dir.cleanup());
const MiB = 1 << 20;

const insert = (bytes: Uint8Array, at: number, extra: Uint8Array) => {
  const out = new Uint8Array(bytes.length + extra.length);
  out.set(bytes.subarray(0, at));
  out.set(extra, at);
  out.set(bytes.subarray(at), at + extra.length);
  return out;
};

/** Text-like content: a small alphabet with spaces and newlines, where shifted bytes often agree by chance. */
function textLike(next: () => number, n: number): Uint8Array {
  const alphabet = new TextEncoder().encode('eeeettaaoinshrdlu      \n\n,.');
  const out = new Uint8Array(n);
  for (let i = 0; i < n; i++) out[i] = alphabet[Math.floor(next() * alphabet.length)];
  return out;
}

for (const backend of docBackends()) {
  const name = `[${backend.name}]`;

  test(`${name} 1 byte inserted at 1 MiB: one insertion, the rest aligned`, async () => {
    const a = randomBytes(rng(11), 3 * MiB);
    const extra = Uint8Array.of(a[MiB] ^ 0x80); // differs from the byte it displaces, so the place is unambiguous
    const b = insert(a, MiB, extra);
    const { summary, streamed } = await compareFiles(dir, backend, a, b);
    const one: DiffRange = { kind: 'inserted', offsetA: MiB, lengthA: 0, offsetB: MiB, lengthB: 1 };
    assert.deepEqual(summary.ranges, [one]);
    assert.deepEqual(streamed, [one]);
    assert.equal(summary.onlyInB, 1);
    assert.equal(summary.changedBytes, 0);
    assert.equal(summary.shifts, 1);

    const bytewise = await compareFiles(dir, backend, a, b, { mode: 'bytes' });
    assert.ok(bytewise.summary.changedBytes > 1.9 * MiB, `byte for byte only: the rest differs (${bytewise.summary.changedBytes})`);
  });

  test(`${name} the insertion is streamed when found, long before the comparison ends`, async () => {
    const a = randomBytes(rng(18), 8 * MiB);
    const b = insert(a, MiB, Uint8Array.of(a[MiB] ^ 1));
    const pathA = dir.file('stream-a.bin', a);
    const pathB = dir.file('stream-b.bin', b);
    const [ma, mb] = [new HexDocumentModel(await backend.open(pathA, false)), new HexDocumentModel(await backend.open(pathB, false))];
    let read = 0;
    const counted = (m: HexDocumentModel) => ({ size: m.size, read: (o: number, n: number) => { read += n; return m.read(o, n); } });
    let readWhenReported = -1;
    try {
      await compareDocuments(counted(ma), counted(mb), { onRanges: (r) => { if (r.some((x) => x.kind === 'inserted')) readWhenReported = read; } });
    } finally {
      ma.dispose();
      mb.dispose();
    }
    assert.ok(readWhenReported > 0 && readWhenReported < read / 2, `reported after ${readWhenReported} of ${read} bytes read`);
  });

  test(`${name} bytes deleted, then changes after the shift match cmp on the realigned files`, async () => {
    const base = randomBytes(rng(12), 2 * MiB);
    const a = base;
    // B: 1000 bytes of A missing at 700,000, then a few bytes changed further on.
    const b = new Uint8Array(base.length - 1000);
    b.set(base.subarray(0, 700_000));
    b.set(base.subarray(701_000), 700_000);
    for (const o of [900_000, 900_001, 1_500_000]) b[o] ^= 0x33;
    const { summary, pathA, pathB } = await compareFiles(dir, backend, a, b, {}, { chunk: 256 << 10 });
    assert.deepEqual(summary.ranges[0], { kind: 'deleted', offsetA: 700_000, lengthA: 1000, offsetB: 700_000, lengthB: 0 });
    const after_ = cmpReference(pathA, pathB, [701_000, 700_000]).ranges
      .map((r): DiffRange => ({ kind: 'changed', offsetA: r.offset, lengthA: r.length, offsetB: r.offset - 1000, lengthB: r.length }));
    assert.equal(after_.length, 2);
    assert.deepEqual(summary.ranges.slice(1), after_);
    assert.equal(summary.shifts, 1);
  });

  test(`${name} a change followed by an insertion, and a plain change that is not a shift`, async () => {
    const a = randomBytes(rng(13), MiB);
    // 10 bytes replaced, 5 inserted right after them.
    const b0 = a.slice();
    for (let o = 400_000; o < 400_010; o++) b0[o] ^= 0xff;
    const b = insert(b0, 400_010, randomBytes(rng(14), 5));
    const { summary } = await compareFiles(dir, backend, a, b);
    assert.deepEqual(summary.ranges, [
      { kind: 'changed', offsetA: 400_000, lengthA: 10, offsetB: 400_000, lengthB: 10 },
      { kind: 'inserted', offsetA: 400_010, lengthA: 0, offsetB: 400_010, lengthB: 5 },
    ]);
    // 3000 bytes replaced in place: a change, never "deleted + inserted".
    const c = a.slice();
    for (let o = 100_000; o < 103_000; o++) c[o] ^= 0xff;
    const plain = await compareFiles(dir, backend, a, c);
    assert.deepEqual(plain.summary.ranges, [{ kind: 'changed', offsetA: 100_000, lengthA: 3000, offsetB: 100_000, lengthB: 3000 }]);
  });

  test(`${name} text-like content: insertions and deletions at several places`, async () => {
    const next = rng(15);
    const a = textLike(next, 2 * MiB);
    let b = insert(a, 300_000, new TextEncoder().encode('#'));
    b = insert(b, 1_200_000, new TextEncoder().encode('!!!!!!!!!!!!!!!!!!!!'));
    const { summary } = await compareFiles(dir, backend, a, b);
    const kinds = summary.ranges.map((r) => r.kind);
    assert.deepEqual(kinds.filter((k) => k !== 'changed'), ['inserted', 'inserted'], JSON.stringify(summary.ranges.slice(0, 6)));
    assert.equal(summary.onlyInB, 21);
    assert.ok(summary.changedBytes <= 64, `at most a few bytes near each insertion are called changed (${summary.changedBytes})`);
    const ins = summary.ranges.filter((r) => r.kind === 'inserted');
    assert.ok(Math.abs(ins[0].offsetA - 300_000) <= 32 && Math.abs(ins[1].offsetA - 1_199_999) <= 32, JSON.stringify(ins));
  });

  test(`${name} random insertions, deletions and changes: the ranges are a valid edit script`, async () => {
    const next = rng(backend.name === 'file' ? 31 : 32);
    for (let round = 0; round < 6; round++) {
      const a = randomBytes(next, 200_000 + Math.floor(next() * 400_000));
      // Build B from A with a few operations far apart, each smaller than the window.
      const parts: Uint8Array[] = [];
      let at = 0;
      let events = 0;
      while (at < a.length) {
        const gap = 5000 + Math.floor(next() * 60_000);
        parts.push(a.subarray(at, Math.min(a.length, at + gap)));
        at += gap;
        if (at >= a.length) break;
        const len = 1 + Math.floor(next() * (next() < 0.7 ? 8 : 3000));
        const op = next();
        if (op < 0.35) { parts.push(randomBytes(next, len)); events++; } // inserted
        else if (op < 0.7) { at += len; events++; } // deleted
        else { parts.push(a.subarray(at, at + len).map((x) => x ^ 0x41)); at += len; } // changed
      }
      const b = new Uint8Array(parts.reduce((n, p) => n + p.length, 0));
      let o = 0;
      for (const p of parts) { b.set(p, o); o += p.length; }
      const { summary } = await compareFiles(dir, backend, a, b, {}, { chunk: 1000 + Math.floor(next() * 100_000) });
      // Walk the ranges: between them both sides must be equal, inside 'changed' every byte must differ.
      let pa = 0;
      let pb = 0;
      for (const r of summary.ranges) {
        assert.equal(r.offsetA - pa, r.offsetB - pb, `equal stretch has one length on both sides before ${JSON.stringify(r)}`);
        assert.ok(Buffer.from(a.subarray(pa, r.offsetA)).equals(b.subarray(pb, r.offsetB)), `equal before ${JSON.stringify(r)}`);
        if (r.kind === 'changed') for (let i = 0; i < r.lengthA; i++) assert.notEqual(a[r.offsetA + i], b[r.offsetB + i]);
        pa = r.offsetA + r.lengthA;
        pb = r.offsetB + r.lengthB;
      }
      assert.equal(a.length - pa, b.length - pb);
      assert.ok(Buffer.from(a.subarray(pa)).equals(b.subarray(pb)), 'equal after the last range');
      assert.equal(summary.shifts, events, `round ${round}: every insertion and deletion found as one shift`);
    }
  });

  test(`${name} a shift larger than the window is not found: reported as changed, cost stays linear`, async () => {
    const a = randomBytes(rng(16), 4 * MiB);
    const b = insert(a, MiB, randomBytes(rng(17), (1 << 20) + 300_000));
    const { summary } = await compareFiles(dir, backend, a, b);
    assert.equal(summary.shifts, 0);
    assert.ok(summary.changedBytes > 2.9 * MiB);
    assert.equal(summary.onlyInB, b.length - a.length);
  });
}
