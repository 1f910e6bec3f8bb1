/** Selection range and overlay discovery used by every inspect command. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { selectionRange, versionOf, type InspectableEditor } from '../../extension/inspect/editors';
import { HexDocumentModel } from '../../extension/document/hexDocumentModel';
import type { DocumentModel } from '../../extension/document/documentModel';
import { MemoryByteSource } from '../support/memoryByteSource';

const editor = (cursor: number, anchor: number, size: number): InspectableEditor =>
  ({ cursor, anchor, model: { size } as DocumentModel } as unknown as InspectableEditor);

test('the selection is inclusive of both ends, in either direction, clipped to the file', () => {
  assert.deepEqual(selectionRange(editor(5, 5, 10)), { offset: 5, length: 1 });
  assert.deepEqual(selectionRange(editor(2, 7, 10)), { offset: 2, length: 6 });
  assert.deepEqual(selectionRange(editor(7, 2, 10)), { offset: 2, length: 6 });
  assert.deepEqual(selectionRange(editor(3, 50, 10)), { offset: 3, length: 7 });
  assert.deepEqual(selectionRange(editor(0, 0, 0)), { offset: 0, length: 0 });
});

test('HexDocumentModel exposes the segments and version the report and jumps rely on', () => {
  const model = new HexDocumentModel(new MemoryByteSource(new Uint8Array(8)));
  const v0 = versionOf(model);
  assert.equal(typeof v0, 'number');
  model.edit(2, Uint8Array.of(0x41), 'Type');
  assert.deepEqual(model.segments(0, 8).map((s) => [s.start, s.length, s.diskOffset ?? [...s.bytes!]]), [[0, 2, 0], [2, 1, [0x41]], [3, 5, 3]]);
  assert.notEqual(versionOf(model), v0, 'an edit changes the version (the report cache key)');
  assert.equal(versionOf({} as DocumentModel), undefined);
});
