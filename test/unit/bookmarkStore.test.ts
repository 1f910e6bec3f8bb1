// DocumentBookmarks + BookmarkStore on a real file, the real document model
// and the real save engine: bookmarks persist in the file's coordinates
// across a reopen, after inserted bytes were saved, discarded, restored
// (as a hot-exit restore does) or reverted, and are clamped when another
// program changed the file's size.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { truncateSync } from 'node:fs';
import { DocumentBookmarks } from '../../extension/bookmarks/documentBookmarks';
import { BookmarkStore, type KeyValueStore } from '../../extension/bookmarks/bookmarkStore';
import { HexDocumentModel } from '../../extension/document/hexDocumentModel';
import { saveSnapshot } from '../../extension/document/save/saveEngine';
import { docBackends, TempDir } from '../support/documentFiles';

/** workspaceState as VS Code keeps it: JSON values, so what comes back is a copy. */
class JsonState implements KeyValueStore {
  private readonly values = new Map<string, string>();
  get<T>(key: string): T | undefined { const v = this.values.get(key); return v === undefined ? undefined : JSON.parse(v) as T; }
  async update(key: string, value: unknown): Promise<void> { this.values.set(key, JSON.stringify(value)); }
}

const spans = (d: DocumentBookmarks) => d.ranges().map((r) => [r.start, r.length]);
const data = Uint8Array.from({ length: 1000 }, (_, i) => i & 0xff);

for (const backend of docBackends()) {
  test(`[${backend.name}] bookmarks survive a reopen, moved by saved inserts, back in place after discarded ones`, async () => {
    const dir = new TempDir();
    try {
      const path = dir.file('a.bin', data);
      const store = new BookmarkStore(new JsonState());
      let model = new HexDocumentModel(await backend.open(path));
      let marks = new DocumentBookmarks('file:///a.bin', model, store);
      marks.toggle(100, 4);
      marks.toggle(500, 1);
      marks.rename(marks.set.all()[1].id, 'header');
      // Unsaved: 10 bytes inserted at 50 move both; on disk they are still at 100 and 500.
      model.replace(50, 0, new Uint8Array(10), 'Insert');
      assert.deepEqual(spans(marks), [[110, 4], [510, 1]]);
      await marks.flush();
      marks.dispose();
      model.dispose();
      // Reopened without the edits (discarded): the bookmarks are on their bytes.
      model = new HexDocumentModel(await backend.open(path));
      marks = new DocumentBookmarks('file:///a.bin', model, store);
      assert.deepEqual(spans(marks), [[100, 4], [500, 1]]);
      assert.equal(marks.ranges()[1].name, 'header');
      // Inserted again and saved: the file moved, so do the stored bookmarks.
      model.replace(50, 0, new Uint8Array(10), 'Insert');
      await saveSnapshot({ source: model.source, model, snapshot: model.snapshot(), journalDir: dir.join('j') });
      assert.equal(model.isDirty, false);
      await marks.flush();
      marks.dispose();
      model.dispose();
      model = new HexDocumentModel(await backend.open(path));
      marks = new DocumentBookmarks('file:///a.bin', model, store);
      assert.deepEqual(spans(marks), [[110, 4], [510, 1]]);
      marks.dispose();
      model.dispose();
    } finally {
      dir.cleanup();
    }
  });

  test(`[${backend.name}] a restored unsaved delete moves stored bookmarks onto the same bytes; revert puts them back`, async () => {
    const dir = new TempDir();
    try {
      const path = dir.file('b.bin', data);
      const store = new BookmarkStore(new JsonState());
      let model = new HexDocumentModel(await backend.open(path));
      let marks = new DocumentBookmarks('file:///b.bin', model, store);
      marks.toggle(300, 2);
      await marks.flush();
      marks.dispose();
      model.dispose();
      // As a hot-exit restore: the document opens with the unsaved edits already applied.
      model = new HexDocumentModel(await backend.open(path));
      model.editBatch([{ offset: 0, deleteLength: 20, bytes: new Uint8Array(0) }, { offset: 400, deleteLength: 0, bytes: new Uint8Array(5) }], 'Restore Unsaved Edits');
      marks = new DocumentBookmarks('file:///b.bin', model, store);
      assert.deepEqual(spans(marks), [[280, 2]]);
      // A bookmark made in unsaved inserted bytes has no place on disk yet; it lives until revert.
      marks.toggle(381, 3);
      assert.deepEqual(spans(marks), [[280, 2], [381, 3]]);
      await model.revert();
      assert.deepEqual(spans(marks), [[300, 2]]);
      marks.dispose();
      model.dispose();
    } finally {
      dir.cleanup();
    }
  });

  test(`[${backend.name}] a file that shrank outside Hexmap keeps its bookmarks, clamped`, async () => {
    const dir = new TempDir();
    try {
      const path = dir.file('c.bin', data);
      const store = new BookmarkStore(new JsonState());
      let model = new HexDocumentModel(await backend.open(path));
      let marks = new DocumentBookmarks('file:///c.bin', model, store);
      marks.toggle(900, 50);
      marks.toggle(10, 1);
      await marks.flush();
      marks.dispose();
      model.dispose();
      truncateSync(path, 600);
      model = new HexDocumentModel(await backend.open(path));
      marks = new DocumentBookmarks('file:///c.bin', model, store);
      assert.equal(marks.clampedFrom, 1000);
      assert.deepEqual(spans(marks), [[10, 1], [599, 1]]);
      await marks.flush();
      assert.deepEqual(store.load('file:///c.bin')?.fileSize, 600);
      marks.dispose();
      model.dispose();
    } finally {
      dir.cleanup();
    }
  });
}

test('a damaged stored record is cleaned, never thrown: bad bookmarks dropped, unknown colours replaced', async () => {
  const state = new JsonState();
  await state.update('hexmap.bookmarks', {
    'file:///ok.bin': { fileSize: 100, bookmarks: [{ start: 1, length: 2, name: 'a', color: 'red' }, { start: -1, length: 2 }, { start: 3, length: 0 }, 'x', { start: 5, length: 1, name: 7, color: 'plaid' }] },
    'file:///bad.bin': { fileSize: 'big', bookmarks: [] },
    'file:///empty.bin': { fileSize: 10, bookmarks: [] },
  });
  const store = new BookmarkStore(state);
  assert.deepEqual(store.load('file:///ok.bin'), { fileSize: 100, bookmarks: [{ start: 1, length: 2, name: 'a', color: 'red' }, { start: 5, length: 1, name: '', color: 'blue' }] });
  assert.equal(store.load('file:///bad.bin'), undefined);
  assert.deepEqual([...store.files().keys()], ['file:///ok.bin'], 'files with bookmarks only');
  await store.save('file:///ok.bin', { fileSize: 100, bookmarks: [] });
  assert.equal(store.load('file:///ok.bin'), undefined, 'no bookmarks: the record goes');
});
