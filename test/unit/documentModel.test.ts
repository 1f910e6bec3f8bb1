// HexDocumentModel on the real backends: windows with context and unsaved
// marks, edit validation, read-only, events, and the edit/undo/redo/save/revert
// property test on small files.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { chmodSync, readFileSync } from 'node:fs';
import { HexDocumentModel, USER_READ_ONLY_REASON } from '../../extension/document/hexDocumentModel';
import type { DocumentChange } from '../../extension/document/documentModel';
import { HexmapError } from '../../extension/engine/byteSource';
import { docBackends, randomBytes, rng, TempDir } from '../support/documentFiles';
import { runEditProperty } from '../support/documentProperty';

for (const backend of docBackends()) {
  test(`[${backend.name}] readWindow: context bytes each side, edits applied, unsaved runs`, async () => {
    const dir = new TempDir();
    try {
      const data = Uint8Array.from({ length: 100 }, (_, i) => i);
      const model = new HexDocumentModel(await backend.open(dir.file('a.bin', data)));
      model.edit(9, Uint8Array.of(0xaa, 0xbb), 'Edit');
      model.edit(51, Uint8Array.of(0xcc), 'Edit');
      const w = await model.readWindow(10, 40);
      assert.deepEqual([...w.before], [7, 8, 0xaa]);
      assert.equal(w.bytes[0], 0xbb);
      assert.deepEqual([...w.bytes.subarray(1)], [...data.subarray(11, 50)]);
      assert.deepEqual([...w.after], [50, 0xcc, 52]);
      assert.deepEqual(w.unsaved, [{ offset: 10, length: 1 }]);
      // At the edges the context shrinks; past the end the window is clipped.
      const start = await model.readWindow(0, 4);
      assert.equal(start.before.length, 0);
      const end = await model.readWindow(98, 10);
      assert.deepEqual([...end.bytes], [98, 99]);
      assert.equal(end.after.length, 0);
      const atEnd = await model.readWindow(100, 10);
      assert.equal(atEnd.bytes.length, 0);
      await assert.rejects(model.readWindow(101, 1), RangeError);
      assert.deepEqual(readFileSync(model.source.path), Buffer.from(data), 'nothing written before save');
      model.dispose();
    } finally {
      dir.cleanup();
    }
  });

  test(`[${backend.name}] edit: validates the range, never changes the size`, async () => {
    const dir = new TempDir();
    try {
      const model = new HexDocumentModel(await backend.open(dir.file('b.bin', new Uint8Array(10))));
      assert.throws(() => model.edit(9, Uint8Array.of(1, 2), 'Edit'), /past the end of the file \(10 bytes\)/);
      assert.throws(() => model.edit(-1, Uint8Array.of(1), 'Edit'), RangeError);
      assert.throws(() => model.edit(0, new Uint8Array(0), 'Edit'), RangeError);
      assert.throws(() => model.edit(0.5, Uint8Array.of(1), 'Edit'), RangeError);
      assert.equal(model.isDirty, false);
      model.edit(9, Uint8Array.of(1), 'Edit');
      assert.equal(model.size, 10);
      assert.equal(model.isDirty, true);
      model.dispose();
    } finally {
      dir.cleanup();
    }
  });

  test(`[${backend.name}] read-only: by permissions, by backend and by choice; nothing written`, async () => {
    const dir = new TempDir();
    try {
      const path = dir.file('ro.bin', Uint8Array.of(1, 2, 3));
      // Opened read-only (as the provider does for a file without write permission).
      chmodSync(path, 0o444);
      const ro = new HexDocumentModel(await backend.open(path, false), { readOnlyReason: 'you have no write permission for it' });
      assert.equal(ro.readOnly, true);
      assert.throws(() => ro.edit(0, Uint8Array.of(9), 'Edit'), (e: unknown) =>
        e instanceof HexmapError && e.code === 'ERR_HEXMAP_READ_ONLY' && /Cannot edit ro\.bin: you have no write permission/.test(e.message));
      assert.equal(ro.setUserReadOnly(false), true, 'a fixed read-only state cannot be toggled off');
      ro.dispose();
      chmodSync(path, 0o644);
      // A read-only source without a reason still explains itself.
      const plain = new HexDocumentModel(await backend.open(path, false));
      assert.throws(() => plain.edit(0, Uint8Array.of(9), 'Edit'), /opened read-only/);
      plain.dispose();
      // The user's choice, toggled.
      const model = new HexDocumentModel(await backend.open(path), { userReadOnly: true });
      assert.equal(model.readOnlyReason, USER_READ_ONLY_REASON);
      assert.throws(() => model.edit(0, Uint8Array.of(9), 'Edit'), /read-only by your choice/);
      assert.equal(model.setUserReadOnly(false), false);
      model.edit(0, Uint8Array.of(9), 'Edit');
      assert.equal((await model.read(0, 1))[0], 9);
      model.dispose();
      assert.deepEqual([...readFileSync(path)], [1, 2, 3]);
    } finally {
      dir.cleanup();
    }
  });

  test(`[${backend.name}] events: edit, undo, redo, revert report their ranges; history follows VS Code`, async () => {
    const dir = new TempDir();
    try {
      const model = new HexDocumentModel(await backend.open(dir.file('e.bin', new Uint8Array(32))));
      const seen: DocumentChange[] = [];
      const labels: string[] = [];
      model.onDidChange((c) => seen.push(c));
      model.onDidEdit((s) => labels.push(s.label));
      const v0 = model.version;
      model.edit(4, Uint8Array.of(1, 2), 'Type');
      model.undo();
      model.redo();
      await model.revert();
      assert.deepEqual(seen.map((c) => c.reason), ['edit', 'undo', 'redo', 'revert']);
      assert.deepEqual(seen[0].ranges, [{ offset: 4, length: 2 }]);
      assert.equal(seen[3].ranges, undefined);
      assert.deepEqual(labels, ['Type']);
      assert.ok(model.version > v0);
      assert.equal(model.isDirty, false);
      assert.equal(model.canUndo, false, 'revert cuts the history back to the save point');
      model.dispose();
    } finally {
      dir.cleanup();
    }
  });

  test(`[${backend.name}] property: random edit/undo/redo/save/revert equal a simple model, byte for byte`, async () => {
    let total = 0;
    for (let seed = 1; seed <= 12; seed++) {
      const dir = new TempDir();
      try {
        const next = rng(seed * 7919);
        const size = seed % 4 === 0 ? 1 : 1 + Math.floor(next() * 300);
        const initial = randomBytes(next, size);
        const path = dir.file('p.bin', initial);
        const source = await backend.open(path);
        const { ops } = await runEditProperty({
          source, path, size, base: (i) => initial[i], journalDir: dir.join('journal'), next, steps: 150,
          pickOffset: (len) => Math.floor(next() * (size - Math.min(len, size) + 1)), checkAll: true,
        });
        total += ops.edit + ops.undo + ops.redo + ops.save + ops.revert;
        assert.ok(ops.save > 0 && ops.undo > 0, `seed ${seed} exercised save and undo`);
        source.close();
      } finally {
        dir.cleanup();
      }
    }
    assert.equal(total, 12 * 150);
  });
}

test('undo after save restores the pre-save bytes (saved-state baseline) and marks them unsaved', async () => {
  const dir = new TempDir();
  try {
    const { saveInPlace } = await import('../../extension/document/save/saveInPlace');
    const path = dir.file('s.bin', Uint8Array.of(10, 11, 12, 13));
    const model = new HexDocumentModel(await docBackends()[0].open(path));
    model.edit(1, Uint8Array.of(0xa1, 0xa2), 'Edit');
    const { runs, at } = model.beginSave();
    const res = await saveInPlace(model.source, runs, { journalDir: dir.join('j') });
    model.completeSave(res.runs, at);
    assert.equal(model.isDirty, false);
    assert.deepEqual([...readFileSync(path)], [10, 0xa1, 0xa2, 13]);
    model.undo();
    assert.deepEqual([...(await model.read(0, 4))], [10, 11, 12, 13]);
    assert.deepEqual(model.unsavedRanges(), [{ offset: 1, length: 2 }]);
    model.redo();
    assert.deepEqual([...(await model.read(0, 4))], [10, 0xa1, 0xa2, 13]);
    model.dispose();
  } finally {
    dir.cleanup();
  }
});
