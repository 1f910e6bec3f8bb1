/**
 * Comparing documents, not disks: two HexDocumentModels over temp files,
 * edited through model.edit. The expected result is cmp -l over files the
 * test writes itself from its own copy of the edited bytes. Then the live
 * comparison under random interleavings of edits, undo, redo and copies on
 * both sides, checked against cmp whenever it settles; and the navigation
 * helpers over a shifted pair.
 */
import { test, after } from 'node:test';
import assert from 'node:assert/strict';
import { writeFileSync } from 'node:fs';
import { HexDocumentModel } from '../../extension/document/hexDocumentModel';
import { compareDocuments } from '../../extension/compare/compareEngine';
import { copyDifference, CopyRefused } from '../../extension/compare/copyDifference';
import { LiveComparison } from '../../extension/compare/liveComparison';
import { differenceAt, facingOffset, nextDifference, previousDifference } from '../../extension/compare/navigation';
import type { DiffRange } from '../../extension/compare/types';
import { docBackends, randomBytes, rng, TempDir } from '../support/documentFiles';
import { expectedRanges } from '../support/compareReference';

const dir = new TempDir();
after(() => dir.cleanup());
let n = 0;

/** The bytes a model shows now, read back in pieces, written to a file for cmp. */
async function snapshot(model: HexDocumentModel): Promise<string> {
  const out = new Uint8Array(model.size);
  for (let at = 0; at < out.length; at += 1 << 20) out.set(await model.read(at, Math.min(1 << 20, out.length - at)), at);
  const p = dir.join(`snap${++n}.bin`);
  writeFileSync(p, out);
  return p;
}

for (const backend of docBackends()) {
  const name = `[${backend.name}]`;

  test(`${name} unsaved edits on both sides are compared, and match cmp over the edited bytes`, async () => {
    const base = randomBytes(rng(21), 600_000);
    const modelA = new HexDocumentModel(await backend.open(dir.file(`la${++n}.bin`, base)));
    const modelB = new HexDocumentModel(await backend.open(dir.file(`lb${n}.bin`, base)));
    try {
      const expectA = base.slice();
      const expectB = base.slice();
      const editBoth = (model: HexDocumentModel, mirror: Uint8Array, offset: number, bytes: number[]) => {
        model.edit(offset, Uint8Array.from(bytes), 'Edit');
        mirror.set(bytes, offset);
      };
      editBoth(modelA, expectA, 10, [1, 2, 3]);
      editBoth(modelB, expectB, 70_000, [9]);
      editBoth(modelA, expectA, 599_999, [base[599_999] ^ 1]);
      editBoth(modelB, expectB, 11, [2]); // equal to A's edit: no difference there
      assert.equal(modelA.isDirty && modelB.isDirty, true);
      const summary = await compareDocuments(modelA, modelB);
      const pa = dir.file(`ea${n}.bin`, expectA);
      const pb = dir.file(`eb${n}.bin`, expectB);
      assert.deepEqual(summary.ranges, expectedRanges(pa, pb, expectA.length, expectB.length));
      assert.equal(summary.rangeCount, 4);
    } finally {
      modelA.dispose();
      modelB.dispose();
    }
  });

  test(`${name} copy a difference to the other side: one edit, one undo`, async () => {
    const base = randomBytes(rng(22), 100_000);
    const other = base.slice();
    for (let o = 5000; o < 5100; o++) other[o] ^= 0xaa;
    const modelA = new HexDocumentModel(await backend.open(dir.file(`ca${++n}.bin`, base)));
    const modelB = new HexDocumentModel(await backend.open(dir.file(`cb${n}.bin`, other)));
    try {
      const before = await compareDocuments(modelA, modelB);
      assert.equal(before.rangeCount, 1);
      await copyDifference(before.ranges[0], 'a', { a: modelA, b: modelB });
      assert.equal((await compareDocuments(modelA, modelB)).identical, true);
      assert.equal(modelB.historyLength, 1, 'one edit step');
      modelB.undo();
      assert.deepEqual((await compareDocuments(modelA, modelB)).ranges, before.ranges);
      const tooBig: DiffRange = { kind: 'inserted', offsetA: 3, lengthA: 0, offsetB: 3, lengthB: (64 << 20) + 1 };
      await assert.rejects(copyDifference(tooBig, 'b', { a: modelA, b: modelB }), CopyRefused);
    } finally {
      modelA.dispose();
      modelB.dispose();
    }
  });

  test(`${name} an insert or a delete on either side compares everything again (byte for byte: checked against cmp)`, async () => {
    const base = randomBytes(rng(26), 200_000);
    const modelA = new HexDocumentModel(await backend.open(dir.file(`za${++n}.bin`, base)));
    const modelB = new HexDocumentModel(await backend.open(dir.file(`zb${n}.bin`, base)));
    const live = new LiveComparison(modelA, modelB, { debounceMs: 5, mode: 'bytes' });
    try {
      await live.run();
      assert.equal(live.summary?.identical, true);
      const check = async (what: string) => {
        await live.settled();
        const [pa, pb] = [await snapshot(modelA), await snapshot(modelB)];
        assert.deepEqual(live.summary?.ranges, expectedRanges(pa, pb, modelA.size, modelB.size), what);
      };
      modelA.replace(100, 0, Uint8Array.of(1, 2, 3), 'Insert');
      await check('after an insert in A');
      modelB.replace(50_000, 7, new Uint8Array(0), 'Delete');
      await check('after a delete in B');
      modelA.undo();
      await check('after undoing the insert');
      modelB.replace(0, 1, Uint8Array.of(base[0], 9), 'Replace 1 by 2');
      await check('after a replace of a different length');
      assert.ok(live.counts.fullRuns >= 5, `every size change ran the comparison again (${JSON.stringify(live.counts)})`);
    } finally {
      live.dispose();
      modelA.dispose();
      modelB.dispose();
    }
  });

  test(`${name} copy an inserted or deleted range to the other side: one replace, one undo`, async () => {
    const base = randomBytes(rng(27), 50_000);
    const shorter = new Uint8Array([...base.subarray(0, 20_000), ...base.subarray(20_010)]); // B lacks 10 bytes
    const modelA = new HexDocumentModel(await backend.open(dir.file(`ia${++n}.bin`, base)));
    const modelB = new HexDocumentModel(await backend.open(dir.file(`ib${n}.bin`, shorter)));
    try {
      const before = await compareDocuments(modelA, modelB);
      assert.equal(before.rangeCount, 1);
      const deleted = before.ranges[0];
      assert.deepEqual([deleted.kind, deleted.lengthA, deleted.lengthB], ['deleted', 10, 0]);
      // From A (which holds the bytes): B gets them inserted.
      await copyDifference(deleted, 'a', { a: modelA, b: modelB });
      assert.equal(modelB.size, base.length);
      assert.equal((await compareDocuments(modelA, modelB)).identical, true);
      assert.equal(modelB.historyLength, 1, 'one edit step');
      modelB.undo();
      assert.equal(modelB.size, shorter.length);
      // From B (which lacks them): A loses them.
      await copyDifference(deleted, 'b', { a: modelA, b: modelB });
      assert.equal(modelA.size, shorter.length);
      assert.equal((await compareDocuments(modelA, modelB)).identical, true);
      assert.equal(modelA.historyLength, 1);
      modelA.undo();
      assert.deepEqual((await compareDocuments(modelA, modelB)).ranges, before.ranges);
    } finally {
      modelA.dispose();
      modelB.dispose();
    }
  });

  test(`${name} live comparison under random interleavings of edits, undo, redo and copies`, async () => {
    const next = rng(backend.name === 'file' ? 23 : 24);
    const base = randomBytes(next, 300_000);
    const models = [
      new HexDocumentModel(await backend.open(dir.file(`ra${++n}.bin`, base))),
      new HexDocumentModel(await backend.open(dir.file(`rb${n}.bin`, base))),
    ];
    const live = new LiveComparison(models[0], models[1], { debounceMs: 5, tuning: { chunk: 4096 + Math.floor(next() * 60_000) } });
    let updates = 0;
    live.onDidUpdate((u) => { if (u.summary) updates++; });
    try {
      await live.run();
      assert.equal(live.summary?.identical, true);
      for (let step = 0; step < 120; step++) {
        const model = models[next() < 0.5 ? 0 : 1];
        const r = next();
        if (r < 0.55) {
          const len = 1 + Math.floor(next() * 40);
          const at = Math.floor(next() * (base.length - len));
          model.edit(at, randomBytes(next, len), 'Edit');
        } else if (r < 0.7) model.undo();
        else if (r < 0.8) model.redo();
        else if (r < 0.9 && live.summary && !live.stale && live.summary.ranges.length) {
          const ranges = live.summary.ranges;
          await copyDifference(ranges[Math.floor(next() * ranges.length)], next() < 0.5 ? 'a' : 'b', { a: models[0], b: models[1] });
        }
        // Sometimes let the comparison (or part of it) run before the next action.
        if (next() < 0.3) await new Promise((res) => setTimeout(res, Math.floor(next() * 12)));
        if (next() < 0.1) {
          await live.settled();
          assert.equal(live.stale, false);
          const [pa, pb] = [await snapshot(models[0]), await snapshot(models[1])];
          assert.deepEqual(live.summary?.ranges, expectedRanges(pa, pb, base.length, base.length), `step ${step}`);
        }
      }
      await live.settled();
      const [pa, pb] = [await snapshot(models[0]), await snapshot(models[1])];
      assert.deepEqual(live.summary?.ranges, expectedRanges(pa, pb, base.length, base.length));
      assert.ok(updates >= 2, `the comparison ran again after changes (${updates} runs)`);
      assert.ok(live.counts.patches > 10, `edits were patched in (${JSON.stringify(live.counts)})`);
    } finally {
      live.dispose();
      models.forEach((m) => m.dispose());
    }
  });
}

for (const backend of docBackends()) {
  test(`[${backend.name}] an edit next to a big comparison re-reads only the edited bytes; a shift makes it compare all again`, async () => {
    const base = randomBytes(rng(25), 4 << 20);
    const other = base.slice();
    other[1000] ^= 1;
    const ma = new HexDocumentModel(await backend.open(dir.file(`pa${++n}.bin`, base)));
    const mb = new HexDocumentModel(await backend.open(dir.file(`pb${n}.bin`, other)));
    let read = 0;
    const counted = (m: HexDocumentModel) => ({
      get size() { return m.size; },
      read: (o: number, len: number) => { read += len; return m.read(o, len); },
      onDidChange: (l: (c: { reason: string; ranges?: { offset: number; length: number }[] }) => void) => m.onDidChange(l),
    });
    const live = new LiveComparison(counted(ma), counted(mb), { debounceMs: 5 });
    try {
      await live.run();
      assert.equal(live.summary?.rangeCount, 1);
      read = 0;
      mb.edit(3_000_000, Uint8Array.of(base[3_000_000] ^ 0xff, base[3_000_001] ^ 0xff), 'Edit');
      await live.settled();
      assert.ok(read < 64 << 10, `only the edited span was read again (${read} bytes)`);
      const pa = await snapshot(ma);
      const pb = await snapshot(mb);
      assert.deepEqual(live.summary?.ranges, expectedRanges(pa, pb, base.length, base.length));
      mb.undo();
      await live.settled();
      assert.equal(live.summary?.rangeCount, 1);
      assert.deepEqual(live.counts, { fullRuns: 1, patches: 2 });
    } finally {
      live.dispose();
      ma.dispose();
      mb.dispose();
    }

    // B has a byte inserted: offsets no longer face each other, so an edit means a full comparison.
    const shifted = new Uint8Array(base.length + 1);
    shifted.set(base.subarray(0, 500_000));
    shifted[500_000] = base[500_000] ^ 0x80;
    shifted.set(base.subarray(500_000), 500_001);
    const sa = new HexDocumentModel(await backend.open(dir.file(`sa${++n}.bin`, base)));
    const sb = new HexDocumentModel(await backend.open(dir.file(`sb${n}.bin`, shifted)));
    const live2 = new LiveComparison(sa, sb, { debounceMs: 5 });
    try {
      await live2.run();
      assert.equal(live2.summary?.shifts, 1);
      sb.edit(2_000_000, Uint8Array.of(shifted[2_000_000] ^ 1), 'Edit');
      await live2.settled();
      assert.deepEqual(live2.counts, { fullRuns: 2, patches: 0 });
      assert.deepEqual(live2.summary?.ranges, [
        { kind: 'inserted', offsetA: 500_000, lengthA: 0, offsetB: 500_000, lengthB: 1 },
        { kind: 'changed', offsetA: 1_999_999, lengthA: 1, offsetB: 2_000_000, lengthB: 1 },
      ]);
    } finally {
      live2.dispose();
      sa.dispose();
      sb.dispose();
    }
  });
}

test('patched ranges stay coalesced as cmp has them: edits next to, inside and across differences', async () => {
  const backend = docBackends()[0];
  const base = randomBytes(rng(26), 10_000);
  const other = base.slice();
  for (let o = 100; o < 110; o++) other[o] ^= 1; // one range [100, 110)
  other[500] ^= 1;
  const ma = new HexDocumentModel(await backend.open(dir.file(`ja${++n}.bin`, base)));
  const mb = new HexDocumentModel(await backend.open(dir.file(`jb${n}.bin`, other)));
  const live = new LiveComparison(ma, mb, { debounceMs: 1 });
  const check = async (what: string) => {
    await live.settled();
    const pa = await snapshot(ma);
    const pb = await snapshot(mb);
    assert.deepEqual(live.summary?.ranges, expectedRanges(pa, pb, base.length, base.length), what);
  };
  try {
    await live.run();
    mb.edit(110, Uint8Array.of(base[110] ^ 2, base[111] ^ 2), 'Edit');
    await check('a difference right after a range joins it');
    mb.edit(98, Uint8Array.of(base[98] ^ 2, base[99] ^ 2), 'Edit');
    await check('right before');
    mb.edit(104, Uint8Array.of(base[104], base[105]), 'Edit');
    await check('equal bytes inside split it');
    mb.edit(501, Uint8Array.of(base[501] ^ 4), 'Edit');
    ma.edit(499, Uint8Array.of(other[499] ^ 8), 'Edit');
    await check('on both sides around one byte');
    mb.edit(90, other.subarray(90, 120).map((x, i) => base[90 + i]), 'Edit');
    await check('a span wiped clean');
    assert.ok(live.counts.patches >= 5 && live.counts.fullRuns === 1, JSON.stringify(live.counts));
  } finally {
    live.dispose();
    ma.dispose();
    mb.dispose();
  }
});

test('navigation: next / previous / at, and facing offsets across a shift', () => {
  const ranges: DiffRange[] = [
    { kind: 'changed', offsetA: 10, lengthA: 2, offsetB: 10, lengthB: 2 },
    { kind: 'inserted', offsetA: 100, lengthA: 0, offsetB: 100, lengthB: 5 },
    { kind: 'changed', offsetA: 200, lengthA: 1, offsetB: 205, lengthB: 1 },
    { kind: 'deleted', offsetA: 300, lengthA: 10, offsetB: 305, lengthB: 0 },
  ];
  assert.equal(nextDifference(ranges, 'a', 0), 0);
  assert.equal(nextDifference(ranges, 'a', 10), 1);
  assert.equal(nextDifference(ranges, 'b', 150), 2);
  assert.equal(nextDifference(ranges, 'a', 300), -1);
  assert.equal(previousDifference(ranges, 'a', 10), -1);
  assert.equal(previousDifference(ranges, 'b', 206), 2);
  assert.equal(previousDifference(ranges, 'a', 1000), 3);
  assert.equal(differenceAt(ranges, 'b', 103), 1);
  assert.equal(differenceAt(ranges, 'a', 100), 1, 'an empty place is found where it is');
  assert.equal(differenceAt(ranges, 'a', 12), -1);
  assert.equal(facingOffset(ranges, 'a', 50, 1e6), 50);
  assert.equal(facingOffset(ranges, 'a', 150, 1e6), 155);
  assert.equal(facingOffset(ranges, 'b', 102, 1e6), 100, 'inside inserted bytes: where they would go');
  assert.equal(facingOffset(ranges, 'b', 250, 1e6), 245);
  assert.equal(facingOffset(ranges, 'a', 305, 1e6), 305, 'inside deleted bytes: where they would go');
  assert.equal(facingOffset(ranges, 'a', 400, 1e6), 395);
  assert.equal(facingOffset(ranges, 'a', 400, 390), 390, 'clamped to the other size');
});
