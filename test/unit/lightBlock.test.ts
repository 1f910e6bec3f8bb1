// Light shift blocks (a block that moves the old file by a few bytes): the
// journal keeps page checksums and edge bytes, and the old bytes are rebuilt
// from any mix of old and new pages. Checked on the rebuild itself (random
// blocks, distances and page mixes) and through the save engine: a save
// stopped in the middle of a light block, with half its pages new, recovers
// to exactly the old or exactly the new file, and the journal of a head
// insert holds a few bytes per page, not the file.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync, statSync, writeFileSync } from 'node:fs';
import { HexDocumentModel } from '../../extension/document/hexDocumentModel';
import { lightPayload, lightPayloadLength, oldFromWritten, rebuildOld, slotAt, TornBlockError, UNIT, unitCount, unitOf } from '../../extension/document/save/lightBlock';
import { findJournal, journalPathFor } from '../../extension/document/save/journal';
import { applyRecovery, examineJournal } from '../../extension/document/save/recovery';
import { saveSnapshot } from '../../extension/document/save/saveEngine';
import { openByteSource } from '../../extension/engine/openByteSource';
import { randomBytes, rng, TempDir } from '../support/documentFiles';

/** A file of `size` bytes, a block [s, e) in it moved by delta: its old content, its new content. */
function scene(next: () => number, size: number, s: number, e: number, delta: number) {
  const file = randomBytes(next, size);
  const oldBytes = file.slice(s, e);
  const newBytes = file.slice(s + delta, e + delta);
  return { file, oldBytes, newBytes };
}

test('old bytes are rebuilt exactly from any mix of old and new pages, for grows and shrinks', async () => {
  const next = rng(7);
  for (let round = 0; round < 60; round++) {
    const d = 1 + Math.floor(next() * 512);
    const delta = next() < 0.5 ? -d : d;
    const s = 600 + Math.floor(next() * 3 * UNIT);
    const e = s + 1 + Math.floor(next() * 12 * UNIT);
    const { oldBytes, newBytes } = scene(next, e + 1200, s, e, delta);
    const payload = await lightPayload(s, e, delta, oldBytes);
    assert.equal(payload.length, lightPayloadLength(s, e, delta));
    // Each page (aligned to the file, clipped to the block) old or new at random; all old; all new.
    for (const mix of ['random', 'old', 'new'] as const) {
      const current = oldBytes.slice();
      for (let i = 0; i < unitCount(s, e); i++) {
        const a = i === 0 ? s : (Math.floor(s / UNIT) + i) * UNIT;
        const b = Math.min(e, (Math.floor(s / UNIT) + i + 1) * UNIT);
        if (mix === 'new' || (mix === 'random' && next() < 0.5)) current.set(newBytes.subarray(a - s, b - s), a - s);
      }
      assert.deepEqual(rebuildOld(s, e, delta, current, payload), oldBytes, `round ${round}, ${mix}, delta ${delta}, [${s}, ${e})`);
    }
  }
});

test('a page that is neither old nor new is reported, not guessed', async () => {
  const next = rng(11);
  const s = 5000;
  const e = s + 6 * UNIT;
  const { oldBytes, newBytes } = scene(next, e + 100, s, e, -3);
  const payload = await lightPayload(s, e, -3, oldBytes);
  const current = newBytes.slice();
  const page = (Math.floor(s / UNIT) + 2) * UNIT - s;
  current.set(oldBytes.subarray(page, page + 512), page); // one sector of this page old, the rest new
  assert.throws(() => rebuildOld(s, e, -3, current, payload), TornBlockError);
});

test('once written, any range of old bytes comes from the new place and the edge slots', async () => {
  const next = rng(3);
  for (let round = 0; round < 40; round++) {
    const d = 1 + Math.floor(next() * 300);
    const delta = next() < 0.5 ? -d : d;
    const s = 1000 + Math.floor(next() * 2 * UNIT);
    const e = s + 1 + Math.floor(next() * 8 * UNIT);
    const { file, oldBytes } = scene(next, e + 1000, s, e, delta);
    const payload = await lightPayload(s, e, delta, oldBytes);
    const written = file.slice();
    written.set(file.slice(s + delta, e + delta), s); // the block's new content in place
    const rs = s + Math.floor(next() * (e - s));
    const re = rs + 1 + Math.floor(next() * (e - rs));
    const first = unitOf(s, rs);
    const slots = payload.subarray(slotAt(s, e, delta, first));
    const out = new Uint8Array(re - rs);
    oldFromWritten(s, e, delta, rs, re, written, 0, slots, first, out, rs);
    assert.deepEqual(out, oldBytes.subarray(rs - s, re - s), `round ${round}, delta ${delta}`);
  }
});

const MiB = 1 << 20;

/** A save of `edit` on a fresh 20 MiB file, stopped for good at the second chunk write of block `block`. */
async function stoppedSave(dir: TempDir, name: string, kind: 'grow' | 'shrink', block: number) {
  const path = dir.join(name);
  const initial = randomBytes(rng(5), 20 * MiB);
  writeFileSync(path, initial);
  const source = await openByteSource(path);
  const model = new HexDocumentModel(source);
  if (kind === 'grow') model.replace(0, 0, Uint8Array.of(0xa5), 'Insert');
  else model.replace(0, 1, new Uint8Array(0), 'Delete');
  const expected = kind === 'grow' ? Buffer.concat([Uint8Array.of(0xa5), initial]) : initial.subarray(1);
  let chunks = 0;
  let reached!: () => void;
  const stopped = new Promise<void>((resolve) => (reached = resolve));
  void saveSnapshot({
    source, model, snapshot: model.snapshot(), journalDir: dir.join('journal'), blockSize: 8 * MiB, writePath: 'pwrite',
    faults: {
      at: (phase, index) => {
        if (phase !== 'block-chunk' || index !== block || ++chunks !== 2) return;
        reached();
        return new Promise<void>(() => undefined); // the process "dies" here: nothing after this runs
      },
    },
  });
  await stopped;
  return { path, initial, expected, source };
}

for (const kind of ['grow', 'shrink'] as const) {
  for (const choice of ['restore', 'finish'] as const) {
    test(`a ${kind} stopped with half a light block written recovers by ${choice} to exactly the ${choice === 'restore' ? 'old' : 'new'} file`, async () => {
      const dir = new TempDir();
      try {
        // Grow: block 0 (the top) reaches past the old end and is journaled whole; block 1 is light.
        // Shrink: block 0 is the old file moved down by one byte: light.
        const { path, initial, expected } = await stoppedSave(dir, `${kind}.bin`, kind, kind === 'grow' ? 1 : 0);
        const disk = readFileSync(path);
        assert.ok(Buffer.compare(disk, initial) !== 0 && Buffer.compare(disk, expected) !== 0, 'stopped in the middle');
        const found = await findJournal(dir.join('journal'), path);
        assert.ok(found, 'an armed journal');
        const facts = await examineJournal(found, path);
        assert.equal(facts.blocker, undefined);
        const source = await openByteSource(path);
        await applyRecovery(source, found, choice === 'restore' && facts.canRestore ? 'restore' : 'finish');
        source.close();
        await found.close();
        const want = choice === 'restore' && facts.canRestore ? initial : expected;
        assert.ok(Buffer.compare(readFileSync(path), want) === 0, `exactly the ${choice === 'restore' ? 'old' : 'new'} file`);
      } finally {
        dir.cleanup();
      }
    });
  }
}

test('the journal of a one-byte insert at the head holds a few bytes per page, not the file', async () => {
  const dir = new TempDir();
  try {
    const path = dir.join('head.bin');
    const initial = randomBytes(rng(9), 24 * MiB);
    writeFileSync(path, initial);
    const source = await openByteSource(path);
    const model = new HexDocumentModel(source);
    model.replace(0, 0, Uint8Array.of(0x42), 'Insert');
    const identity = statSync(path);
    await saveSnapshot({ source, model, snapshot: model.snapshot(), journalDir: dir.join('journal'), blockSize: 4 * MiB, writePath: 'pwrite' });
    source.close();
    const disk = readFileSync(path);
    assert.equal(disk.length, initial.length + 1);
    assert.equal(disk[0], 0x42);
    assert.ok(Buffer.compare(disk.subarray(1), initial) === 0);
    // Top block and the head block are journaled whole (4 MiB each at most); the four light blocks in between
    // take 5 bytes per page.
    const journalBytes = statSync(journalPathFor(dir.join('journal'), identity)).size;
    assert.ok(journalBytes < 9 * MiB, `journal ${journalBytes} bytes for a 24 MiB shift`);
  } finally {
    dir.cleanup();
  }
});
