// BookmarkSet: hand-made cases of the edit rule, then a model-based property
// test: random inserts, deletes, overwrites, replaces and batches, undo and
// redo, run on a real HexDocumentModel whose change events feed the set,
// checked after every step against a naive model that tracks the identity of
// every byte (a bookmark is the span of the bytes it marks).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { BookmarkSet } from '../../extension/bookmarks/bookmarkSet';
import { HexDocumentModel } from '../../extension/document/hexDocumentModel';
import { MemoryByteSource } from '../support/memoryByteSource';
import { seededRandom } from '../support/seededRandom';
import { NaiveDocument } from '../support/bookmarkModel';

const ranges = (s: BookmarkSet) => s.all().map((b) => [b.start, b.length]);

test('an insert before a bookmark shifts it, inside grows it, at its end leaves it', () => {
  const s = new BookmarkSet([{ start: 10, length: 4, name: 'a', color: 'blue' }]);
  s.applyEdit([{ offset: 10, deleteLength: 0, insertLength: 3 }]);
  assert.deepEqual(ranges(s), [[13, 4]]);
  s.applyEdit([{ offset: 15, deleteLength: 0, insertLength: 2 }]);
  assert.deepEqual(ranges(s), [[13, 6]]);
  s.applyEdit([{ offset: 19, deleteLength: 0, insertLength: 5 }]);
  assert.deepEqual(ranges(s), [[13, 6]]);
});

test('a delete shrinks a bookmark, removes it when it covers it; an overwrite moves nothing', () => {
  const s = new BookmarkSet([{ start: 10, length: 4, name: 'a', color: 'blue' }, { start: 20, length: 2, name: 'b', color: 'red' }]);
  s.applyEdit([{ offset: 8, deleteLength: 4, insertLength: 0 }]);
  assert.deepEqual(ranges(s), [[8, 2], [16, 2]]);
  s.applyEdit([{ offset: 16, deleteLength: 2, insertLength: 2 }]);
  assert.deepEqual(ranges(s), [[8, 2], [16, 2]]);
  s.applyEdit([{ offset: 15, deleteLength: 5, insertLength: 0 }], 7);
  assert.deepEqual(ranges(s), [[8, 2]]);
  // Undo of that step brings the removed bookmark back where it was, with its name.
  s.applyEdit([{ offset: 15, deleteLength: 0, insertLength: 5 }], 7, true);
  assert.deepEqual(s.all().map((b) => [b.start, b.length, b.name]), [[8, 2, 'a'], [16, 2, 'b']]);
});

test('undo gives back a bookmark an edit reached into even when its length came out the same; redo gives back what undo removed', () => {
  const s = new BookmarkSet([{ start: 14, length: 18, name: 'a', color: 'blue' }]);
  // Its first 2 bytes deleted, 2 inserted inside it: 18 bytes long again, but not the same bytes.
  s.applyEdit([{ offset: 19, deleteLength: 0, insertLength: 2 }, { offset: 14, deleteLength: 2, insertLength: 0 }], 1);
  assert.deepEqual(ranges(s), [[14, 18]]);
  s.applyEdit([{ offset: 14, deleteLength: 0, insertLength: 2 }, { offset: 19, deleteLength: 2, insertLength: 0 }], 1, true);
  assert.deepEqual(ranges(s), [[14, 18]]);
  // A bookmark made in bytes an edit inserted goes with the undo and comes back with the redo.
  s.applyEdit([{ offset: 40, deleteLength: 0, insertLength: 4 }], 2);
  s.add(41, 2, 'in the insert', 'red');
  s.applyEdit([{ offset: 40, deleteLength: 4, insertLength: 0 }], 2, true);
  assert.deepEqual(ranges(s), [[14, 18]]);
  s.applyEdit([{ offset: 40, deleteLength: 0, insertLength: 4 }], 2);
  assert.deepEqual(s.all().map((b) => [b.start, b.length, b.name]), [[14, 18, 'a'], [41, 2, 'in the insert']]);
});

test('toggle adds, removes the exact range or the one under the cursor; next/previous wrap', () => {
  const s = new BookmarkSet();
  assert.ok(s.toggle(5, 3, '0x5', 'blue'));
  assert.ok(s.toggle(40, 1, '0x28', 'red'));
  assert.equal(s.toggle(6, 1, 'x', 'blue'), undefined);
  assert.deepEqual(ranges(s), [[40, 1]]);
  s.add(5, 3, 'again', 'green');
  assert.equal(s.next(5)?.start, 40);
  assert.equal(s.next(40)?.start, 5);
  assert.equal(s.previous(40)?.start, 5);
  assert.equal(s.previous(5)?.start, 40);
  assert.throws(() => s.add(1, 0, 'empty', 'blue'), RangeError);
});

test('clampTo keeps bookmarks inside a file that shrank outside Hexmap', () => {
  const s = new BookmarkSet([{ start: 10, length: 20, name: 'a', color: 'blue' }, { start: 90, length: 5, name: 'b', color: 'red' }]);
  s.clampTo(50);
  assert.deepEqual(ranges(s), [[10, 20], [49, 1]]);
  s.clampTo(15);
  assert.deepEqual(ranges(s), [[10, 5], [14, 1]]);
});

for (const seed of Array.from({ length: 40 }, (_, i) => i + 1)) {
  test(`property (seed ${seed}): bookmarks follow random edits, batches, undo and redo like the bytes they mark`, async () => {
    const random = seededRandom(seed);
    const int = (n: number) => Math.floor(random() * n);
    const initial = 64;
    const model = new HexDocumentModel(new MemoryByteSource(new Uint8Array(initial)));
    const set = new BookmarkSet();
    let quietButMoved = 0;
    model.onDidChange((c) => {
      if (!c.edit) return;
      const before = JSON.stringify(set.all());
      // "Nothing moved" must be true: the editors are then not sent the bookmarks again.
      if (!set.applyEdit(c.edit.replaces, c.edit.stepId, c.edit.undone) && JSON.stringify(set.all()) !== before) quietButMoved++;
    });
    const naive = new NaiveDocument(initial);
    const keyOf = new Map<number, number>(); // bookmark id -> naive key
    for (let step = 0; step < 300; step++) {
      const size = model.size;
      const roll = random();
      if (roll < 0.15 && size > 0) {
        const start = int(size);
        const b = set.add(start, 1 + int(Math.min(8, size - start)), 'b', 'blue');
        keyOf.set(b.id, b.id);
        naive.mark(b.id, b.start, b.length);
      } else if (roll < 0.2 && set.size > 0) {
        const b = set.all()[int(set.size)];
        set.remove(b.id);
        naive.marks.delete(b.id);
        keyOf.delete(b.id);
      } else if (roll < 0.3 && model.canUndo) {
        model.undo();
        naive.back();
      } else if (roll < 0.36 && model.canRedo) {
        model.redo();
        naive.forward();
      } else {
        const count = random() < 0.2 ? 2 + int(4) : 1;
        const edits: { offset: number; deleteLength: number; bytes: Uint8Array }[] = [];
        let at = 0;
        for (let k = 0; k < count && at <= size; k++) {
          const offset = at + int(Math.max(1, Math.min(12, size - at + 1)));
          if (offset > size) break;
          const kind = int(4); // insert, delete, overwrite, replace
          const room = size - offset;
          const deleteLength = kind === 0 ? 0 : Math.min(room, 1 + int(6));
          const insertLength = kind === 1 ? 0 : kind === 2 ? deleteLength : 1 + int(5);
          if (deleteLength === 0 && insertLength === 0) continue;
          edits.push({ offset, deleteLength, bytes: new Uint8Array(insertLength).fill(0x41) });
          at = offset + deleteLength + 1;
        }
        if (edits.length === 0) continue;
        model.editBatch(edits, 'Edit');
        naive.apply(edits.map((e) => ({ offset: e.offset, deleteLength: e.deleteLength, insertLength: e.bytes.length })));
      }
      assert.equal(model.size, naive.ids.length);
      const expected = [...keyOf.values()].map((k) => [k, naive.rangeOf(k)] as const).filter(([, r]) => r).map(([k, r]) => [k, ...r!]);
      const actual = set.all().map((b) => [b.id, b.start, b.length]);
      const sortIds = (a: number[][]) => a.sort((x, y) => x[0] - y[0]);
      assert.deepEqual(sortIds(actual), sortIds(expected), `after step ${step}`);
      assert.equal(quietButMoved, 0, `applyEdit said nothing moved, but something did (step ${step})`);
    }
  });
}

test('a batch of 200,000 replaces maps 1,000 bookmarks in one pass', () => {
  const set = new BookmarkSet(Array.from({ length: 1000 }, (_, i) => ({ start: i * 1000 + 5, length: 10, name: '', color: 'blue' })));
  // One byte inserted every 5 bytes, applied in descending order as the document does.
  const replaces = Array.from({ length: 200_000 }, (_, i) => ({ offset: (199_999 - i) * 5, deleteLength: 0, insertLength: 1 }));
  set.applyEdit(replaces, 1);
  const b = set.all();
  // Bookmark k starts at 1000k + 5: 200k + 2 inserts lie at or before it (offsets 0, 5, ..., 1000k + 5).
  assert.deepEqual([b[0].start, b[0].length], [5 + 2, 11]);
  assert.deepEqual([b[999].start, b[999].length], [999_005 + 199_802, 11]);
});
