// The host side of insert and delete: the session turns the webview's
// replace messages into model edits, and every view hears one 'changed'
// with the new size and every shifted byte invalidated.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { HexDocumentModel } from '../../extension/document/hexDocumentModel';
import { EditorSession } from '../../extension/editor/editorSession';
import type { HostMessage } from '../../shared/protocol';
import { MemoryByteSource } from '../support/memoryByteSource';

type Changed = Extract<HostMessage, { type: 'changed' }>;

function open(text: string) {
  const model = new HexDocumentModel(new MemoryByteSource(new TextEncoder().encode(text)));
  const a: HostMessage[] = [];
  const b: HostMessage[] = [];
  const one = new EditorSession(model, (m) => { a.push(m); }, { fileName: 'x', bytesPerRow: 16, log: () => undefined });
  new EditorSession(model, (m) => { b.push(m); }, { fileName: 'x', bytesPerRow: 16, log: () => undefined }); // a second view of the same document
  const changed = (list: HostMessage[]) => list.filter((m): m is Changed => m.type === 'changed');
  const text$ = async () => new TextDecoder().decode(await model.read(0, model.size));
  return { model, one, a, b, changed, text: text$ };
}

test('insert, delete and replace messages edit the document; both views hear the new size and the shifted range', async () => {
  const { model, one, a, b, changed, text } = open('0123456789');
  one.handle({ type: 'edit', offset: 3, bytes: new TextEncoder().encode('ab'), label: 'Type', deleteLength: 0 });
  assert.equal(await text(), '012ab3456789');
  for (const list of [a, b]) {
    const c = changed(list).at(-1)!;
    assert.equal(c.fileSize, 12);
    assert.deepEqual(c.ranges, [{ offset: 3, length: 9 }], 'from the insert to the new end');
    assert.deepEqual(c.unsaved, [{ offset: 3, length: 2 }]);
  }
  one.handle({ type: 'edit', offset: 0, bytes: new Uint8Array(0), label: 'Delete', deleteLength: 5 });
  assert.equal(await text(), '3456789');
  assert.deepEqual(changed(a).at(-1)!.ranges, [{ offset: 0, length: 12 }], 'to the old end: it was larger');
  one.handle({ type: 'edit', offset: 1, bytes: new TextEncoder().encode('XYZ'), label: 'Replace', deleteLength: 1 });
  assert.equal(await text(), '3XYZ56789');
  one.handle({ type: 'edit', offset: 0, bytes: new TextEncoder().encode('!'), label: 'Type' });
  assert.equal(await text(), '!XYZ56789', 'no deleteLength: overwrite');
  assert.deepEqual(changed(a).at(-1)!.ranges, [{ offset: 0, length: 1 }]);
  assert.equal(model.historyLength, 4);
  while (model.undo()) { /* back to the start */ }
  assert.equal(await text(), '0123456789');
  assert.equal(model.isDirty, false);
  assert.equal(one.rejected, 0);
});

test('a refused edit makes the webview refetch: an overwrite its range, an insert or batch everything', async () => {
  const { model, one, a, changed, text } = open('0123');
  one.handle({ type: 'edit', offset: 3, bytes: Uint8Array.of(1, 2), label: 'Type' }); // overwrite past the end
  const n1 = a.filter((m) => m.type === 'changed').length;
  assert.equal(n1, 1);
  assert.deepEqual(changed(a)[0].ranges, [{ offset: 3, length: 2 }]);
  one.handle({ type: 'edit', offset: 9, bytes: Uint8Array.of(1), label: 'Type', deleteLength: 0 }); // insert past the end
  assert.equal(changed(a)[1].ranges, undefined);
  one.handle({ type: 'editBatch', label: 'Replace All', edits: [{ offset: 0, deleteLength: 1, bytes: Uint8Array.of(1) }, { offset: 2, deleteLength: 9, bytes: Uint8Array.of(1) }] });
  assert.equal(changed(a)[2].ranges, undefined);
  assert.equal(await text(), '0123', 'nothing applied: a batch is all or nothing');
  assert.equal(model.historyLength, 0);
  const notices: string[] = [];
  one.onNotify((n) => notices.push(n.message));
  one.handle({ type: 'edit', offset: 0, bytes: Uint8Array.of(1), label: 'Type', deleteLength: 0 });
  model.setUserReadOnly(true);
  one.handle({ type: 'edit', offset: 0, bytes: Uint8Array.of(1), label: 'Type', deleteLength: 0 });
  assert.match(notices.at(-1)!, /Cannot edit/);
  assert.equal(model.size, 5);
});
