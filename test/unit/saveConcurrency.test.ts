// Model-based concurrency test of saving: random interleavings of edits
// (overwrite, insert, delete), undo, redo, revert, saves that are not
// awaited, second saves, cancelled saves and writes by another program, on
// the real HexDocumentModel through DocumentSaver and the shared
// SaveController. At every quiescent point (all saves settled):
//   - the document shows exactly the reference's current state;
//   - the disk holds exactly the last snapshot whose save completed (or the
//     old bytes), byte for byte, read through another descriptor;
//   - a clean document shows exactly the disk.
// Also the findings one by one: a second save queued behind the first (no
// EEXIST, no stale bytes, no false "changed on disk"), two documents on one
// file through different paths, a write by another program during a save.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { closeSync, openSync, readFileSync, utimesSync, writeSync } from 'node:fs';
import { HexDocumentModel } from '../../extension/document/hexDocumentModel';
import { DocumentSaver, type SaveUi } from '../../extension/document/save/documentSaver';
import { statIdentity } from '../../extension/document/save/fileIdentity';
import { SaveController } from '../../extension/document/save/saveController';
import type { Snapshot, SnapshotSource } from '../../extension/document/snapshot';
import { HexmapError, type ByteSource } from '../../extension/engine/byteSource';
import { createSparseFile } from '../support/sparseFile';
import { docBackends, randomBytes, rng, TempDir } from '../support/documentFiles';
import { linkAlias } from '../support/portable';

const quietUi = (overwrite = true): SaveUi & { asked: string[] } => {
  const asked: string[] = [];
  return {
    asked,
    confirmOverwrite: async (_f, detail) => { asked.push(detail); return overwrite; },
    confirmMove: async () => 'save',
    withProgress: (_t, task) => task(() => undefined, new AbortController().signal),
    warn: (m) => asked.push(m),
  };
};

/** Records, for each snapshot a save writes, the content it describes (read before anything is written). */
class Recorder implements SnapshotSource {
  lastSaved: Uint8Array;
  inFlight: { id: number; content: Uint8Array } | undefined;
  constructor(private readonly model: HexDocumentModel, initial: Uint8Array) {
    this.lastSaved = initial;
  }
  snapshot(): Snapshot {
    return this.model.snapshot();
  }
  async preserveBeforeSave(s: Snapshot): Promise<void> {
    const content = new Uint8Array(s.size);
    let at = 0;
    for (const p of s.pieces) {
      const bytes = p.kind === 'bytes' ? p.bytes : await readAll(this.model, p.offset, p.length);
      content.set(bytes, at);
      at += bytes.length;
    }
    this.inFlight = { id: s.stateId, content };
    await this.model.preserveBeforeSave(s);
  }
  saveAbandoned(s: Snapshot): void {
    if (this.inFlight?.id === s.stateId) this.inFlight = undefined;
    this.model.saveAbandoned(s);
  }
  beginMove(r: Parameters<SnapshotSource['beginMove']>[0]): void {
    this.model.beginMove(r);
  }
  endMove(): void {
    this.model.endMove();
  }
  savedAs(s: Snapshot, remap: Parameters<SnapshotSource['savedAs']>[1]): void {
    // A save with nothing to write skips preserveBeforeSave: the disk already is the snapshot.
    if (this.inFlight?.id === s.stateId) this.lastSaved = this.inFlight.content;
    this.inFlight = undefined;
    this.model.savedAs(s, remap);
  }
}

async function readAll(model: HexDocumentModel, diskOffset: number, length: number): Promise<Uint8Array> {
  const out = new Uint8Array(length);
  for (let o = 0; o < length; o += 16 << 20) out.set(await model.source.read(diskOffset + o, Math.min(16 << 20, length - o)), o);
  return out;
}

async function docContent(model: HexDocumentModel): Promise<Uint8Array> {
  const out = new Uint8Array(model.size);
  for (let o = 0; o < out.length; o += 16 << 20) out.set(await model.read(o, Math.min(16 << 20, out.length - o)), o);
  return out;
}

const eq = (a: Uint8Array, b: Uint8Array) => a.length === b.length && Buffer.compare(a, b) === 0;

/**
 * The source with its refresh() held back: by `delay()` milliseconds (the
 * random test: a slow stat, as under wine), or until `gate` opens. A revert
 * asks the source for the file's size while a save may be changing it.
 */
function slowRefresh(source: ByteSource, delay: () => Promise<void>): ByteSource {
  return new Proxy(source, {
    get(target, key) {
      if (key === 'refresh') return async () => { await delay(); return target.refresh(); };
      const value = Reflect.get(target, key, target) as unknown;
      return typeof value === 'function' ? (value as (...a: unknown[]) => unknown).bind(target) : value;
    },
  });
}

for (const backend of docBackends()) {
  test(`[${backend.name}] random interleavings of edit, undo, redo, revert and unawaited saves, checked at quiescence`, async () => {
    const dir = new TempDir();
    try {
      for (const [seed, initialSize] of [[1, 0], [2, 1], [3, 4000], [4, 300_000]] as const) {
        const next = rng(seed);
        const initial = randomBytes(next, initialSize);
        const path = dir.file(`c${seed}.bin`, initial);
        // Some refreshes are slow, so a revert's look at the file's size can straddle a save's phases.
        const model = new HexDocumentModel(slowRefresh(await backend.open(path), () => new Promise((r) => setTimeout(r, next() < 0.5 ? 0 : Math.floor(next() * 8)))));
        const recorder = new Recorder(model, initial);
        // Saves pause now and then at a phase boundary, so edits, undo and revert land inside every phase.
        const pauses = rng(seed + 1000);
        const saver = new DocumentSaver({
          controller: new SaveController(), model: recorder, source: model.source, journalDir: dir.join('j'), ui: quietUi(), fileName: 'c', blockSize: 4096,
          faults: { at: () => (pauses() < 0.3 ? new Promise((r) => setTimeout(r, Math.floor(pauses() * 4))) : undefined) },
        }, await statIdentity(path));
        // The reference: states by the model's state id, and the history as a list of ids.
        let history: { id: number; content: Uint8Array }[] = [{ id: model.snapshot().stateId, content: initial }];
        let at = 0;
        const pending: Promise<unknown>[] = [];
        const record = (content: Uint8Array) => {
          history = history.slice(0, at + 1);
          history.push({ id: model.snapshot().stateId, content });
          at++;
        };
        for (let step = 0; step < 120; step++) {
          const cur = history[at].content;
          const roll = next();
          if (roll < 0.45) {
            const offset = Math.floor(next() * (cur.length + 1));
            const kind = cur.length === 0 ? 1 : Math.floor(next() * 3);
            const n = 1 + Math.floor(next() * (next() < 0.1 ? 9000 : 20));
            if (kind === 0 && offset < cur.length) {
              const bytes = randomBytes(next, Math.min(n, cur.length - offset));
              model.edit(offset, bytes, 'Edit');
              const c = Uint8Array.from(cur);
              c.set(bytes, offset);
              record(c);
            } else if (kind === 2 && offset < cur.length) {
              const del = Math.min(n, cur.length - offset);
              model.replace(offset, del, new Uint8Array(0), 'Delete');
              record(Uint8Array.from([...cur.subarray(0, offset), ...cur.subarray(offset + del)]));
            } else {
              const bytes = randomBytes(next, n);
              model.replace(offset, 0, bytes, 'Insert');
              record(Uint8Array.from([...cur.subarray(0, offset), ...bytes, ...cur.subarray(offset)]));
            }
          } else if (roll < 0.58) {
            assert.equal(model.undo(), at > 0, 'undo availability');
            if (at > 0) at--;
          } else if (roll < 0.66) {
            assert.equal(model.redo(), at < history.length - 1, 'redo availability');
            if (at < history.length - 1) at++;
          } else if (roll < 0.70) {
            const target = recorder.inFlight ?? { id: -1, content: recorder.lastSaved };
            // The state changes before revert's first await; its look at the file's size may trail behind.
            const reverting = model.revert();
            if (next() < 0.5) await reverting;
            else pending.push(reverting);
            const id = model.snapshot().stateId;
            const i = history.findIndex((h) => h.id === id);
            if (i >= 0) {
              history = history.slice(0, i + 1);
              at = i;
            } else {
              history = [{ id, content: target.content }];
              at = 0;
            }
          } else if (roll < 0.92) {
            const abort = new AbortController();
            pending.push(saver.save(abort.signal).catch((e) => {
              if (!(e instanceof HexmapError && e.code === 'ERR_HEXMAP_CANCELLED')) throw e;
            }));
            if (next() < 0.15) setTimeout(() => abort.abort(), Math.floor(next() * 3));
          } else {
            await Promise.all(pending.splice(0));
            assert.deepEqual(await docContent(model), history[at].content, `seed ${seed} step ${step}: document`);
            assert.ok(eq(new Uint8Array(readFileSync(path)), recorder.lastSaved), `seed ${seed} step ${step}: the disk holds the last completed snapshot`);
            if (!model.isDirty) assert.ok(eq(history[at].content, recorder.lastSaved), `seed ${seed} step ${step}: clean means the disk shows it`);
          }
          if (next() < 0.3) await new Promise((r) => setTimeout(r, 0));
        }
        await Promise.all(pending.splice(0));
        await saver.save();
        assert.deepEqual(await docContent(model), history[at].content);
        assert.ok(eq(new Uint8Array(readFileSync(path)), history[at].content), `seed ${seed}: final save`);
        assert.equal(model.isDirty, false);
        model.dispose();
      }
    } finally {
      dir.cleanup();
    }
  });
}

test('[edit 100←1; save (not awaited); edit 100←2; save]: the disk and the document end with 2; no EEXIST, no false conflict', async () => {
  const dir = new TempDir();
  try {
    for (let trial = 0; trial < 12; trial++) {
      const path = dir.file(`q${trial}.bin`, new Uint8Array(4096));
      const model = new HexDocumentModel(await docBackends()[0].open(path));
      const ui = quietUi(false);
      const saver = new DocumentSaver({ controller: new SaveController(), model, source: model.source, journalDir: dir.join(`j${trial}`), ui, fileName: 'q' }, await statIdentity(path));
      model.edit(100, Uint8Array.of(1), 'Edit');
      const first = saver.save();
      if (trial % 2) await new Promise((r) => setTimeout(r, trial % 4));
      model.edit(100, Uint8Array.of(2), 'Edit');
      const second = saver.save();
      await Promise.all([first, second]);
      assert.equal(readFileSync(path)[100], 2, `trial ${trial}: disk`);
      assert.equal((await model.read(100, 1))[0], 2);
      assert.equal(model.isDirty, false);
      assert.deepEqual(ui.asked, [], 'no conflict prompt for our own first save');
      model.dispose();
    }
  } finally {
    dir.cleanup();
  }
});

test('two documents on one file through different paths share one queue: saves never overlap', async () => {
  const dir = new TempDir();
  try {
    const path = dir.file('two.bin', new Uint8Array(100_000));
    linkAlias(path, dir.join('alias.bin'));
    const controller = new SaveController();
    const a = new HexDocumentModel(await docBackends()[0].open(path));
    const b = new HexDocumentModel(await docBackends()[0].open(dir.join('alias.bin')));
    const events: string[] = [];
    const tracing = (name: string) => ({ at: (phase: string) => { if (phase === 'checked' || phase === 'disarmed') events.push(`${name}:${phase}`); } });
    const sa = new DocumentSaver({ controller, model: a, source: a.source, journalDir: dir.join('j'), ui: quietUi(), fileName: 'a', faults: tracing('a') }, await statIdentity(path));
    const sb = new DocumentSaver({ controller, model: b, source: b.source, journalDir: dir.join('j'), ui: quietUi(), fileName: 'b', faults: tracing('b') }, await statIdentity(dir.join('alias.bin')));
    a.edit(10, new Uint8Array(50_000).fill(1), 'Edit');
    b.edit(60_000, Uint8Array.of(2), 'Edit');
    await Promise.all([sa.save(), sb.save()]);
    assert.deepEqual(events, ['a:checked', 'a:disarmed', 'b:checked', 'b:disarmed']);
    a.dispose();
    b.dispose();
  } finally {
    dir.cleanup();
  }
});

test('a write by another program during a save is a conflict, never absorbed', async () => {
  const dir = new TempDir();
  try {
    const path = dir.file('ext.bin', new Uint8Array(8192));
    const model = new HexDocumentModel(await docBackends()[0].open(path));
    const saver = new DocumentSaver({
      controller: new SaveController(), model, source: model.source, journalDir: dir.join('j'), ui: quietUi(), fileName: 'ext',
      faults: {
        at: (phase) => {
          if (phase !== 'run-written') return;
          const fd = openSync(path, 'r+');
          writeSync(fd, Uint8Array.of(0x77), 0, 1, 101); // inside the run being saved
          closeSync(fd);
        },
      },
    }, await statIdentity(path));
    model.edit(100, Uint8Array.of(1, 2, 3), 'Edit');
    await assert.rejects(saver.save(), (e: unknown) => e instanceof HexmapError && e.code === 'ERR_HEXMAP_CHANGED_DURING_SAVE' && /another program/i.test((e as Error).message));
    assert.equal(model.isDirty, true, 'the edits stay unsaved');
    model.dispose();
  } finally {
    dir.cleanup();
  }
});

test('a write by another program after the old bytes were read, before the save writes: a conflict, and its byte stays', async () => {
  const dir = new TempDir();
  try {
    const path = dir.file('pre.bin', new Uint8Array(8192));
    const model = new HexDocumentModel(await docBackends()[0].open(path));
    const saver = new DocumentSaver({
      controller: new SaveController(), model, source: model.source, journalDir: dir.join('j'), ui: quietUi(), fileName: 'pre',
      faults: {
        at: (phase) => {
          if (phase !== 'journal') return; // the old bytes are read; the journal is about to be written
          const fd = openSync(path, 'r+');
          writeSync(fd, Uint8Array.of(0x77), 0, 1, 5000);
          closeSync(fd);
        },
      },
    }, await statIdentity(path));
    model.edit(100, Uint8Array.of(1), 'Edit');
    model.edit(5000, Uint8Array.of(2), 'Edit');
    await assert.rejects(saver.save(), (e: unknown) => e instanceof HexmapError && e.code === 'ERR_HEXMAP_CHANGED_DURING_SAVE' && /offset 5000/.test((e as Error).message));
    const disk = readFileSync(path);
    assert.equal(disk[5000], 0x77, "the other program's byte is kept");
    assert.equal(disk[100], 0, 'nothing of the save was written');
    assert.equal(model.isDirty, true);
    model.dispose();
  } finally {
    dir.cleanup();
  }
});

test('revert while a growing save starts: the save\'s own size change is not taken for another program\'s', async () => {
  const dir = new TempDir();
  try {
    for (const backend of docBackends()) {
      const initial = randomBytes(rng(9), 100_000);
      const path = dir.file(`rv-${backend.name}.bin`, initial);
      let open!: () => void;
      const gate = new Promise<void>((r) => (open = r));
      let held = false;
      // The revert's size check (the next refresh after `held` is set) is held until the save has extended the file.
      const model = new HexDocumentModel(slowRefresh(await backend.open(path), () => {
        if (!held) return Promise.resolve();
        held = false;
        return gate;
      }));
      let reverting: Promise<void> | undefined;
      const saver = new DocumentSaver({
        controller: new SaveController(), model, source: model.source, journalDir: dir.join(`j-${backend.name}`), ui: quietUi(), fileName: 'rv', blockSize: 4096,
        faults: {
          at: async (phase) => {
            if (phase === 'checked') { // planned, nothing preserved or written yet
              held = true;
              reverting = model.revert();
            }
            if (phase === 'extended') {
              open();
              await reverting;
            }
          },
        },
      }, await statIdentity(path));
      model.replace(100, 0, Uint8Array.of(1, 2, 3), 'Insert');
      await saver.save();
      await reverting;
      const inserted = Uint8Array.from([...initial.subarray(0, 100), 1, 2, 3, ...initial.subarray(100)]);
      assert.ok(eq(new Uint8Array(readFileSync(path)), inserted), `[${backend.name}] the disk holds the saved snapshot`);
      assert.ok(eq(await docContent(model), initial), `[${backend.name}] the document shows the reverted state`);
      assert.equal(model.isDirty, true, `[${backend.name}] reverted away from what was saved: dirty`);
      model.dispose();
    }
  } finally {
    dir.cleanup();
  }
});

test('between the end of a shift and the rebase, the document still reads its own bytes', async () => {
  const dir = new TempDir();
  try {
    for (const backend of docBackends()) {
      const initial = randomBytes(rng(11), 60_000);
      const path = dir.file(`mv-${backend.name}.bin`, initial);
      const model = new HexDocumentModel(await backend.open(path));
      let during: Uint8Array | undefined;
      const saver = new DocumentSaver({
        controller: new SaveController(), model, source: model.source, journalDir: dir.join(`j-${backend.name}`), ui: quietUi(), fileName: 'mv', blockSize: 4096,
        // Every byte has moved and the file is checked; the model has not been told yet.
        faults: { at: async (phase) => { if (phase === 'rechecked') during = await docContent(model); } },
      }, await statIdentity(path));
      model.replace(100, 0, Uint8Array.of(1, 2, 3), 'Insert');
      const expected = await docContent(model);
      await saver.save();
      assert.ok(during && eq(during, expected), `[${backend.name}] read while the save finishes`);
      assert.ok(eq(await docContent(model), expected));
      model.dispose();
    }
  } finally {
    dir.cleanup();
  }
});

test('a file changed on disk before the save: asked first, nothing written when declined', async () => {
  const dir = new TempDir();
  try {
    const path = dir.file('chg.bin', new Uint8Array(1000));
    const model = new HexDocumentModel(await docBackends()[0].open(path));
    const ui = quietUi(false);
    const saver = new DocumentSaver({ controller: new SaveController(), model, source: model.source, journalDir: dir.join('j'), ui, fileName: 'chg' }, await statIdentity(path));
    model.edit(5, Uint8Array.of(9), 'Edit');
    const later = new Date(Date.now() + 10_000);
    utimesSync(path, later, later); // even a touch
    await assert.rejects(saver.save(), (e: unknown) => e instanceof HexmapError && e.code === 'ERR_HEXMAP_CONFLICT');
    assert.equal(ui.asked.length, 1);
    assert.equal(readFileSync(path)[5], 0);
    model.dispose();
  } finally {
    dir.cleanup();
  }
});

test('6 GiB sparse file: insert near the end, overwrite at the start, save; only the tail moves', async () => {
  const dir = new TempDir();
  try {
    const size = 6 * 2 ** 30;
    const path = createSparseFile(dir.join('big.bin'), size, [{ offset: size - 10, bytes: Uint8Array.of(1, 2, 3, 4, 5, 6, 7, 8, 9, 10) }]);
    const model = new HexDocumentModel(await docBackends()[docBackends().length - 1].open(path));
    const saver = new DocumentSaver({ controller: new SaveController(), model, source: model.source, journalDir: dir.join('j'), ui: quietUi(), fileName: 'big' }, await statIdentity(path));
    model.edit(3, Uint8Array.of(0xaa), 'Edit');
    model.replace(size - 5, 0, Uint8Array.of(0xbb, 0xcc), 'Insert');
    const outcome = await saver.save();
    assert.ok(!(outcome instanceof Object && 'reason' in outcome));
    const fd = openSync(path, 'r');
    const tail = Buffer.alloc(12);
    (await import('node:fs')).readSync(fd, tail, 0, 12, size - 10);
    const head = Buffer.alloc(4);
    (await import('node:fs')).readSync(fd, head, 0, 4, 0);
    closeSync(fd);
    assert.deepEqual([...tail], [1, 2, 3, 4, 5, 0xbb, 0xcc, 6, 7, 8, 9, 10]);
    assert.deepEqual([...head], [0, 0, 0, 0xaa]);
    assert.equal(model.isDirty, false);
    assert.equal(model.size, size + 2);
    model.dispose();
  } finally {
    dir.cleanup();
  }
});
