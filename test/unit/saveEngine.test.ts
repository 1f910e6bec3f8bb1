// The save engine on real files, against a simple in-memory model: random
// inserts, deletes and overwrites, then a save through each write path and
// backend, with shift blocks smaller and larger than the shift distance.
// After every save the file on disk, read by a separate descriptor, must be
// exactly the model's content, and the model (rebased on the new disk) must
// still show the same content and be clean.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { promises as fsp, readFileSync, statSync, linkSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { DamagedJournalError, findJournal, journalPathFor } from '../../extension/document/save/journal';
import { saveSnapshot } from '../../extension/document/save/saveEngine';
import { planSave } from '../../extension/document/save/savePlan';
import { injectedError } from '../../extension/document/save/saveFaults';
import { docBackends, randomBytes, rng, TempDir } from '../support/documentFiles';
import { PieceModel } from '../support/pieceModel';

function randomEdit(model: PieceModel, next: () => number, sizeChanges: boolean): void {
  const size = model.size;
  const offset = Math.floor(next() * (size + 1));
  const kind = sizeChanges ? Math.floor(next() * 3) : 0;
  const len = 1 + Math.floor(next() * (next() < 0.2 ? 3000 : 40));
  if (kind === 0 && offset < size) model.overwrite(offset, randomBytes(next, Math.min(len, size - offset)));
  else if (kind === 1 || offset >= size) model.replace(offset, 0, randomBytes(next, len));
  else model.replace(offset, Math.min(len, size - offset), new Uint8Array(0));
}

for (const backend of docBackends()) {
  for (const writePath of ['pwrite', 'mapped'] as const) {
    if (writePath === 'mapped' && backend.name !== 'mapped') continue;
    for (const blockSize of [64, 4096, 1 << 20]) {
      test(`random edits and saves: ${backend.name} backend, ${writePath} writes, shift block ${blockSize}`, async () => {
        const dir = new TempDir();
        try {
          for (const [seed, initialSize] of [[1, 0], [2, 1], [3, 5000], [4, 70_000]] as const) {
            const next = rng(seed * 31 + blockSize);
            const path = dir.file(`f${seed}.bin`, randomBytes(next, initialSize));
            const source = await backend.open(path);
            const model = new PieceModel(source);
            try {
              for (let round = 0; round < 6; round++) {
                const sizeChanges = round % 2 === 1;
                const edits = 1 + Math.floor(next() * 8);
                for (let e = 0; e < edits; e++) randomEdit(model, next, sizeChanges);
                if (next() < 0.3) model.undo();
                const expected = await model.content();
                await saveSnapshot({ source, model, snapshot: model.snapshot(), journalDir: dir.join('journal'), writePath, blockSize });
                assert.deepEqual(new Uint8Array(readFileSync(path)), expected, `disk after save, seed ${seed} round ${round}`);
                assert.equal(model.isDirty, false);
                assert.deepEqual(await model.content(), expected, 'model after rebase');
                if (model.undo()) {
                  // Undo reaches the state before the last edit: its bytes were preserved before the save.
                  await model.content();
                  model.redo();
                }
              }
            } finally {
              source.close();
            }
          }
        } finally {
          dir.cleanup();
        }
      });
    }
  }
}

test('an overwrite save keeps the inode, mode and hard links, and writes nothing outside the runs', async () => {
  const dir = new TempDir();
  try {
    const next = rng(5);
    const initial = randomBytes(next, 100_000);
    const path = dir.file('a.bin', initial);
    linkSync(path, dir.join('link.bin'));
    const before = statSync(path);
    const source = await docBackends()[0].open(path);
    const model = new PieceModel(source);
    model.overwrite(10, Uint8Array.of(1, 2, 3));
    model.replace(50_000, 0, Uint8Array.of(9, 9)); // and a shift
    await saveSnapshot({ source, model, snapshot: model.snapshot(), journalDir: dir.join('j') });
    const after = statSync(path);
    assert.equal(after.ino, before.ino);
    assert.equal(after.mode, before.mode);
    assert.equal(after.nlink, 2);
    assert.deepEqual(readFileSync(dir.join('link.bin')), readFileSync(path));
    const disk = readFileSync(path);
    assert.deepEqual(disk.subarray(0, 10), Buffer.from(initial.subarray(0, 10)));
    assert.deepEqual(disk.subarray(50_002), Buffer.from(initial.subarray(50_000)));
    source.close();
  } finally {
    dir.cleanup();
  }
});

test('the plan never rewrites bytes before the first size change, and coalesces near runs', () => {
  const snapshot = {
    size: 1001, diskSize: 1000, stateId: 1,
    pieces: [
      { kind: 'disk' as const, offset: 0, length: 10 }, { kind: 'bytes' as const, bytes: Uint8Array.of(1) },
      { kind: 'disk' as const, offset: 11, length: 100 }, { kind: 'bytes' as const, bytes: Uint8Array.of(2) },
      { kind: 'disk' as const, offset: 112, length: 500 }, { kind: 'bytes' as const, bytes: Uint8Array.of(3) },
      { kind: 'disk' as const, offset: 612, length: 388 },
    ],
  };
  const plan = planSave(snapshot, 64);
  assert.equal(plan.shiftStart, 612);
  assert.equal(plan.runs.length, 1, 'runs 100 bytes apart are one write');
  assert.deepEqual([plan.runs[0].offset, plan.runs[0].length], [10, 102]);
  assert.equal(plan.blocks[0].end, 1001, 'growing: the last block first');
  assert.ok(plan.blocks.every((b) => b.start >= 612));
});

test('a failed write mid-shift rolls back to exactly the old file; the edits stay unsaved', async () => {
  const dir = new TempDir();
  try {
    for (const grow of [true, false]) {
      const next = rng(grow ? 7 : 8);
      const initial = randomBytes(next, 300_000);
      const path = dir.file(`r${grow}.bin`, initial);
      const source = await docBackends()[0].open(path);
      const model = new PieceModel(source);
      if (grow) model.replace(1000, 0, randomBytes(next, 700));
      else model.replace(1000, 700, new Uint8Array(0));
      model.overwrite(10, Uint8Array.of(7));
      const expected = await model.content();
      let blocks = 0;
      await assert.rejects(
        saveSnapshot({
          source, model, snapshot: model.snapshot(), journalDir: dir.join('j'), blockSize: 4096,
          faults: { at: (phase) => { if (phase === 'block-chunk' && ++blocks === 20) throw injectedError('ENOSPC'); } },
        }),
        (e: Error & { code?: string }) => e.code === 'ENOSPC' && /put back/.test(e.message),
      );
      assert.deepEqual(new Uint8Array(readFileSync(path)), initial, 'exactly the old file');
      assert.equal(model.isDirty, true);
      assert.deepEqual(await model.content(), expected);
      assert.deepEqual(model.calls.slice(-2), ['beginMove', 'endMove']);
      source.close();
    }
  } finally {
    dir.cleanup();
  }
});

test('cancel mid-shift puts back the old file', async () => {
  const dir = new TempDir();
  try {
    const next = rng(9);
    const initial = randomBytes(next, 200_000);
    const path = dir.file('c.bin', initial);
    const source = await docBackends()[0].open(path);
    const model = new PieceModel(source);
    model.replace(5, 0, Uint8Array.of(1, 2, 3));
    const abort = new AbortController();
    let n = 0;
    await assert.rejects(
      saveSnapshot({
        source, model, snapshot: model.snapshot(), journalDir: dir.join('j'), blockSize: 8192, signal: abort.signal,
        faults: { at: (phase) => { if (phase === 'block-written' && ++n === 5) abort.abort(); } },
      }),
      (e: Error & { code?: string }) => e.code === 'ERR_HEXMAP_CANCELLED',
    );
    assert.deepEqual(new Uint8Array(readFileSync(path)), initial);
    assert.equal(model.isDirty, true);
    source.close();
  } finally {
    dir.cleanup();
  }
});

test('real disk full mid-shift (a full tmpfs, moving bytes into holes) -> exactly the old file, edits unsaved', async (t) => {
  const dir = new TempDir();
  const point = dir.join('tmpfs');
  const { execFileSync } = await import('node:child_process');
  const { mkdirSync, writeFileSync: write, truncateSync } = await import('node:fs');
  mkdirSync(point);
  try {
    execFileSync('mount', ['-t', 'tmpfs', '-o', 'size=1m', 'tmpfs', point], { stdio: 'ignore' });
  } catch {
    dir.cleanup();
    return t.skip('cannot mount a tmpfs here (needs root); the injected ENOSPC test covers the roll back');
  }
  try {
    const path = `${point}/sparse.bin`;
    const next = rng(11);
    write(path, randomBytes(next, 64 * 1024));
    truncateSync(path, 8 * 1024 * 1024); // 8 MiB, only the first 64 KiB allocated
    for (let i = 0; ; i++) {
      try {
        write(`${point}/filler-${i}`, Buffer.alloc(16 * 1024, 1));
      } catch {
        break;
      }
    }
    (await import('node:fs')).unlinkSync(`${point}/filler-0`); // 16 KiB free: the free-space check passes, the move does not fit
    const before = new Uint8Array(readFileSync(path));
    const source = await docBackends()[0].open(path);
    const model = new PieceModel(source);
    model.replace(0, 0, Uint8Array.of(1, 2, 3)); // everything after it moves, also into the holes
    try {
      await assert.rejects(
        saveSnapshot({ source, model, snapshot: model.snapshot(), journalDir: dir.join('j'), blockSize: 1 << 20 }),
        (e: Error & { code?: string }) => e.code === 'ENOSPC' && /put back as it was/.test(e.message),
      );
      assert.ok(eq(new Uint8Array(readFileSync(path)), before), 'exactly the old file');
      assert.equal(model.isDirty, true);
    } finally {
      source.close();
    }
  } finally {
    execFileSync('umount', [point], { stdio: 'ignore' });
    dir.cleanup();
  }
});

test('a save that needs more space than the disk has is refused before anything is written', async (t) => {
  const dir = new TempDir();
  const point = dir.join('tmpfs');
  const { execFileSync } = await import('node:child_process');
  const { mkdirSync } = await import('node:fs');
  mkdirSync(point);
  try {
    execFileSync('mount', ['-t', 'tmpfs', '-o', 'size=256k', 'tmpfs', point], { stdio: 'ignore' });
  } catch {
    dir.cleanup();
    return t.skip('cannot mount a tmpfs here (needs root)');
  }
  try {
    const initial = randomBytes(rng(12), 100 * 1024);
    const path = `${point}/f.bin`;
    (await import('node:fs')).writeFileSync(path, initial);
    const source = await docBackends()[0].open(path);
    const model = new PieceModel(source);
    model.replace(10, 0, new Uint8Array(400 * 1024));
    try {
      await assert.rejects(saveSnapshot({ source, model, snapshot: model.snapshot(), journalDir: dir.join('j') }),
        (e: Error & { code?: string }) => e.code === 'ENOSPC' && /needs \d+ more bytes/.test(e.message));
      assert.ok(eq(new Uint8Array(readFileSync(path)), initial));
      assert.equal(model.calls.length, 0, 'the model was not even asked to preserve anything');
    } finally {
      source.close();
    }
  } finally {
    execFileSync('umount', [point], { stdio: 'ignore' });
    dir.cleanup();
  }
});

function eq(a: Uint8Array, b: Uint8Array): boolean {
  return a.length === b.length && Buffer.compare(a, b) === 0;
}

test('a save of small runs syncs twice: the armed journal record once, the file once (the disarm is not synced)', async () => {
  const dir = new TempDir();
  const proto = Object.getPrototypeOf(await fsp.open(__filename, 'r').then(async (h) => (await h.close(), h))) as { datasync(): Promise<void>; sync(): Promise<void> };
  const { datasync, sync } = proto;
  try {
    const path = dir.file('s.bin', randomBytes(rng(3), 200_000));
    const source = await docBackends()[0].open(path);
    const model = new PieceModel(source);
    model.overwrite(7, Uint8Array.of(1));
    await saveSnapshot({ source, model, snapshot: model.snapshot(), journalDir: dir.join('j'), writePath: 'pwrite' }); // creates the journal (and syncs its directory)
    let datasyncs = 0;
    let fsyncs = 0;
    // The save engine syncs plain descriptors (fs.fdatasync / fs.fsync) and, for directories, FileHandles: count both.
    const fs = createRequire(__filename)('node:fs') as typeof import('node:fs');
    const plain = { fdatasync: fs.fdatasync, fsync: fs.fsync };
    proto.datasync = function (this: unknown) { datasyncs++; return datasync.call(this); };
    proto.sync = function (this: unknown) { fsyncs++; return sync.call(this); };
    (fs as { fdatasync: unknown }).fdatasync = (...args: Parameters<typeof fs.fdatasync>) => { datasyncs++; return plain.fdatasync(...args); };
    (fs as { fsync: unknown }).fsync = (...args: Parameters<typeof fs.fsync>) => { fsyncs++; return plain.fsync(...args); };
    for (const o of [11, 150_000, 199_999]) model.overwrite(o, Uint8Array.of(o & 0xff));
    try {
      await saveSnapshot({ source, model, snapshot: model.snapshot(), journalDir: dir.join('j'), writePath: 'pwrite' });
    } finally {
      (fs as { fdatasync: unknown }).fdatasync = plain.fdatasync;
      (fs as { fsync: unknown }).fsync = plain.fsync;
    }
    proto.datasync = datasync;
    proto.sync = sync;
    assert.equal(datasyncs, 2);
    assert.equal(fsyncs, 0);
    assert.equal(readFileSync(path)[150_000], 150_000 & 0xff);
    source.close();
  } finally {
    proto.datasync = datasync;
    proto.sync = sync;
    dir.cleanup();
  }
});

test('a small save arms its journal record in the same write: a torn copy of it is reported, never taken as idle', async () => {
  const dir = new TempDir();
  try {
    const path = dir.file('t.bin', randomBytes(rng(4), 50_000));
    const source = await docBackends()[0].open(path);
    const model = new PieceModel(source);
    model.overwrite(100, Uint8Array.of(1, 2, 3));
    let record: Buffer | undefined;
    await saveSnapshot({
      source, model, snapshot: model.snapshot(), journalDir: dir.join('j'), writePath: 'pwrite',
      faults: { at: (phase) => { if (phase === 'journal-armed') record = readFileSync(journalPathFor(dir.join('j'), statSync(path))); } },
    });
    assert.ok(record && record.subarray(0, 8).toString() === 'HEXMAPJ2', 'armed by the record write itself');
    const journal = journalPathFor(dir.join('j'), statSync(path));
    // A crash that kept only the first part of the record's write (the file was never touched then).
    writeFileSync(journal, record.subarray(0, record.length - 40));
    await assert.rejects(findJournal(dir.join('j'), path), (e: unknown) => e instanceof DamagedJournalError);
    source.close();
  } finally {
    dir.cleanup();
  }
});
