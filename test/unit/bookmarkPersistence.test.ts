// DocumentBookmarks as a model-based property: random bookmarks, inserts, deletes, overwrites, undo,
// redo, saves (the real save engine), reverts, and closing without saving then reopening (the stored
// record read back by a new document over the same file), all on one real file. After every step the
// bookmarks must be where the naive identity model says: live, on the bytes they mark; after a revert or a
// reopen, on those of their bytes that are in the file on disk.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { DocumentBookmarks } from '../../extension/bookmarks/documentBookmarks';
import { BookmarkStore, type KeyValueStore } from '../../extension/bookmarks/bookmarkStore';
import { HexDocumentModel } from '../../extension/document/hexDocumentModel';
import { saveSnapshot } from '../../extension/document/save/saveEngine';
import { openByteSource } from '../../extension/engine/openByteSource';
import { NaiveDocument } from '../support/bookmarkModel';
import { TempDir } from '../support/documentFiles';
import { seededRandom } from '../support/seededRandom';

class JsonState implements KeyValueStore {
  private readonly values = new Map<string, string>();
  get<T>(key: string): T | undefined { const v = this.values.get(key); return v === undefined ? undefined : JSON.parse(v) as T; }
  async update(key: string, value: unknown): Promise<void> { this.values.set(key, JSON.stringify(value)); }
}

const sorted = (r: (readonly [number, number])[]) => r.map((x) => [x[0], x[1]]).sort((a, b) => a[0] - b[0] || a[1] - b[1]);

for (const seed of Array.from({ length: 12 }, (_, i) => 11 + i)) {
  test(`property (seed ${seed}): bookmarks across edits, undo, saves, reverts and reopening without saving`, async () => {
    const random = seededRandom(seed);
    const int = (n: number) => Math.floor(random() * n);
    const dir = new TempDir();
    try {
      const path = dir.file('p.bin', new Uint8Array(200).fill(0x2e));
      const store = new BookmarkStore(new JsonState());
      const open = async () => {
        const model = new HexDocumentModel(await openByteSource(path, { backend: 'file', writable: true }));
        return { model, marks: new DocumentBookmarks('file:///p.bin', model, store) };
      };
      let { model, marks } = await open();
      const naive = new NaiveDocument(200);
      let saved = naive.ids.slice();
      let undoable = 0;
      let redoable = 0;
      /** After a revert or reopen the set holds new bookmarks: the naive model follows them from here. */
      const rekey = () => {
        naive.marks.clear();
        for (const b of marks.set.all()) naive.mark(b.id, b.start, b.length);
      };
      for (let step = 0; step < 120; step++) {
        const size = model.size;
        const roll = random();
        let expected: number[][];
        if (roll < 0.15 && size > 0) {
          const start = int(size);
          const length = 1 + int(Math.min(6, size - start));
          const overlapping = marks.set.all().some((b) => b.start === start && b.length === length) || (length === 1 && marks.set.all().some((b) => b.start <= start && start < b.start + b.length));
          if (overlapping) continue; // toggling off is the set's own test
          const b = marks.toggle(start, length)!;
          naive.mark(b.id, b.start, b.length);
        } else if (roll < 0.22 && undoable > 0) {
          model.undo(); naive.back(); undoable--; redoable++;
        } else if (roll < 0.26 && redoable > 0) {
          model.redo(); naive.forward(); redoable--; undoable++;
        } else if (roll < 0.33) {
          await saveSnapshot({ source: model.source, model, snapshot: model.snapshot(), journalDir: dir.join('j') });
          naive.resetHistory();
          saved = naive.ids.slice();
          undoable = redoable = 0;
        } else if (roll < 0.38 || roll < 0.43) {
          // Revert, or close without saving and open again: the file's bytes, the stored bookmarks.
          const live = new Set(naive.ids);
          const want = sorted([...naive.marks.keys()].map((k) => naive.rangeOf(k, saved, live)).filter((r): r is [number, number] => r !== undefined));
          if (roll < 0.38) await model.revert();
          else {
            await marks.flush();
            marks.dispose();
            model.dispose();
            ({ model, marks } = await open());
          }
          naive.resetHistory(saved);
          undoable = redoable = 0;
          assert.deepEqual(sorted(marks.ranges().map((r) => [r.start, r.length] as const)), want, `step ${step}: ${roll < 0.38 ? 'revert' : 'reopen'}`);
          rekey();
          continue;
        } else {
          const offset = int(size + 1);
          const kind = int(4);
          const deleteLength = kind === 0 ? 0 : Math.min(size - offset, 1 + int(5));
          const insertLength = kind === 1 ? 0 : kind === 2 ? deleteLength : 1 + int(4);
          if (deleteLength === 0 && insertLength === 0) continue;
          model.replace(offset, deleteLength, new Uint8Array(insertLength).fill(0x41), 'Edit');
          naive.apply([{ offset, deleteLength, insertLength }]);
          undoable++;
          redoable = 0;
        }
        expected = sorted([...naive.marks.keys()].map((k) => naive.rangeOf(k)).filter((r): r is [number, number] => r !== undefined));
        assert.deepEqual(sorted(marks.ranges().map((r) => [r.start, r.length] as const)), expected, `after step ${step}`);
      }
      marks.dispose();
      model.dispose();
    } finally {
      dir.cleanup();
    }
  });
}
