/**
 * extension/inspect/inspectorEdit.ts on a real HexDocumentModel over a real
 * file: a typed value becomes exactly one undoable edit of the right bytes;
 * refusals (bad text, past the end, read-only) change nothing.
 */
import { test, after } from 'node:test';
import assert from 'node:assert/strict';
import { applyValueEdit } from '../../extension/inspect/inspectorEdit';
import { HexDocumentModel } from '../../extension/document/hexDocumentModel';
import { openByteSource } from '../../extension/engine/openByteSource';
import { TempDir } from '../support/tempFiles';

const dir = new TempDir('hexmap-inspect-edit-');
after(() => dir.remove());

async function modelOf(bytes: number[], options: { userReadOnly?: boolean } = {}): Promise<HexDocumentModel> {
  const path = dir.write(`f${Math.random().toString(36).slice(2)}.bin`, Uint8Array.from(bytes));
  return new HexDocumentModel(await openByteSource(path, { backend: 'file', writable: true }), options);
}

test('a value becomes one edit of its bytes, undone in one step', async () => {
  const model = await modelOf(Array.from({ length: 32 }, (_, i) => i));
  try {
    assert.equal(await applyValueEdit(model, { offset: 4, field: 'uint32', text: '0xDEADBEEF', littleEndian: false }), undefined);
    assert.deepEqual(Array.from(await model.read(0, 10)), [0, 1, 2, 3, 0xde, 0xad, 0xbe, 0xef, 8, 9]);
    assert.equal(model.historyLength, 1);
    assert.equal(await applyValueEdit(model, { offset: 10, field: 'guidWindows', text: '{C12A7328-F81F-11D2-BA4B-00A0C93EC93B}', littleEndian: true }), undefined);
    assert.deepEqual(Array.from(await model.read(10, 16)), [0x28, 0x73, 0x2a, 0xc1, 0x1f, 0xf8, 0xd2, 0x11, 0xba, 0x4b, 0x00, 0xa0, 0xc9, 0x3e, 0xc9, 0x3b]);
    assert.equal(model.historyLength, 2);
    assert.ok(model.undo());
    assert.ok(model.undo());
    assert.deepEqual(Array.from(await model.read(0, 32)), Array.from({ length: 32 }, (_, i) => i));
    // Typing the value that is already there changes nothing and adds no undo step.
    assert.equal(await applyValueEdit(model, { offset: 1, field: 'uint8', text: '1', littleEndian: true }), undefined);
    assert.equal(model.isDirty, false);
  } finally {
    model.dispose();
  }
});

test('LEB128 is rewritten in the length it has in the file', async () => {
  const model = await modelOf([0xe5, 0x8e, 0x26, 0x41]);
  try {
    assert.equal(await applyValueEdit(model, { offset: 0, field: 'uleb128', text: '2', littleEndian: true }), undefined);
    assert.deepEqual(Array.from(await model.read(0, 4)), [0x82, 0x80, 0x00, 0x41]);
    assert.match((await applyValueEdit(model, { offset: 0, field: 'uleb128', text: '99999999', littleEndian: true }))!, /needs 4 bytes/);
  } finally {
    model.dispose();
  }
});

test('refusals say why and change nothing: bad text, out of range, past the end, read-only', async () => {
  const model = await modelOf([1, 2, 3, 4, 5, 6]);
  try {
    assert.match((await applyValueEdit(model, { offset: 0, field: 'uint8', text: '256', littleEndian: true }))!, /out of range for uint8/);
    assert.match((await applyValueEdit(model, { offset: 0, field: 'float32', text: 'pi', littleEndian: true }))!, /not a number/);
    assert.match((await applyValueEdit(model, { offset: 3, field: 'uint32', text: '1', littleEndian: true }))!, /uint32 takes 4 bytes, but only 3 are left/);
    assert.match((await applyValueEdit(model, { offset: 6, field: 'uint8', text: '1', littleEndian: true }))!, /past the end/);
    assert.equal(model.isDirty, false);
    assert.equal(model.historyLength, 0);
  } finally {
    model.dispose();
  }
  const readOnly = await modelOf([1, 2], { userReadOnly: true });
  try {
    assert.match((await applyValueEdit(readOnly, { offset: 0, field: 'uint8', text: '9', littleEndian: true }))!, /cannot be edited: it is read-only by your choice/);
    assert.equal(readOnly.isDirty, false);
  } finally {
    readOnly.dispose();
  }
});

test('the host accepts only well-formed edit messages', async () => {
  const { parseInspectorMessage } = await import('../../shared/inspectMessages');
  const ok = { type: 'editValue', offset: 5, field: 'int16', text: '-3', littleEndian: false };
  assert.deepEqual(parseInspectorMessage(ok), ok);
  for (const bad of [
    { ...ok, field: 'toString' }, { ...ok, offset: -1 }, { ...ok, offset: 1.5 }, { ...ok, offset: '5' },
    { ...ok, text: 5 }, { ...ok, text: 'x'.repeat(101) }, { ...ok, littleEndian: 'yes' },
  ]) assert.equal(parseInspectorMessage(bad), undefined, JSON.stringify(bad));
});
