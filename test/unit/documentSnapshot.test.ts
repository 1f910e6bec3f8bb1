// The SnapshotSource contract on its own: what preserveBeforeSave keeps for
// an overwrite, an insert and a delete; the history it drops beyond its
// budget (and says so); memory freed by savedAs; and native scans held back
// while a save moves bytes, with windows read through the mover's reader.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { HexDocumentModel, type HistoryTrimNotice } from '../../extension/document/hexDocumentModel';
import type { DiskRemap, Snapshot } from '../../extension/document/snapshot';
import { findInDocument } from '../../extension/search/findInDocument';
import { MemoryByteSource } from '../support/memoryByteSource';

const bytes = (n: number, f = (i: number) => i & 255) => Uint8Array.from({ length: n }, (_, i) => f(i));

/** Kept ranges of a save of `snap`: each disk piece's old range, once, at its new place. */
function remapOf(snap: Snapshot): DiskRemap {
  const kept: { from: number; to: number; length: number }[] = [];
  let at = 0;
  for (const p of snap.pieces) {
    if (p.kind === 'disk') kept.push({ from: p.offset, to: at, length: p.length });
    at += p.kind === 'disk' ? p.length : p.bytes.length;
  }
  return { kept: kept.sort((a, b) => a.from - b.from), newDiskSize: snap.size };
}

/** Writes the snapshot's content into the memory source (a save), after preserveBeforeSave. */
async function save(model: HexDocumentModel, data: { bytes: Uint8Array }): Promise<void> {
  const snap = model.snapshot();
  await model.preserveBeforeSave(snap);
  const content = new Uint8Array(snap.size);
  let at = 0;
  for (const p of snap.pieces) {
    const part = p.kind === 'disk' ? data.bytes.slice(p.offset, p.offset + p.length) : p.bytes;
    content.set(part, at);
    at += part.length;
  }
  data.bytes = content;
  model.savedAs(snap, remapOf(snap));
}

/** A memory source whose content the test replaces (the "disk"). */
function disk(initial: Uint8Array) {
  const source = new MemoryByteSource(initial.slice());
  const state: { current: Uint8Array; bytes: Uint8Array } = {
    current: initial.slice() as Uint8Array,
    get bytes(): Uint8Array { return this.current; },
    set bytes(b: Uint8Array) { this.current = b; source.setContent(b); },
  };
  return { state, source };
}

test('preserve keeps the overwritten bytes history refers to; an insert needs nothing; a delete keeps what undo brings back', async () => {
  const { state, source } = disk(bytes(1000));
  const model = new HexDocumentModel(source);
  model.edit(10, Uint8Array.of(1, 2, 3), 'Overwrite');
  await save(model, state);
  assert.equal(model.lastPreservedBytes, 3, 'overwrite: the 3 old bytes undo needs');
  assert.equal(model.isDirty, false);
  assert.ok(model.undo());
  assert.deepEqual([...await model.read(10, 3)], [10, 11, 12], 'undo shows the old bytes after the save');
  assert.equal(model.isDirty, true);
  assert.ok(model.redo());
  assert.equal(model.isDirty, false, 'back at the saved state: clean');

  model.replace(500, 0, bytes(7, () => 0xee), 'Insert');
  await save(model, state);
  assert.equal(model.lastPreservedBytes, 0, 'insert: every old byte survives, moved');

  const expectedAfterUndo = await model.read(0, model.size);
  model.replace(100, 200, new Uint8Array(0), 'Delete');
  await save(model, state);
  assert.equal(model.lastPreservedBytes, 200, 'delete: the deleted range, because undo can bring it back');
  assert.ok(model.undo());
  assert.deepEqual(await model.read(0, model.size), expectedAfterUndo);
});

test('beyond the budget, the farthest history is dropped and a notice is fired; the live state is kept whole', async () => {
  const { state, source } = disk(bytes(100_000));
  const model = new HexDocumentModel(source, { preserveBudget: 1000 });
  const notices: HistoryTrimNotice[] = [];
  model.onDidTrimHistory((n) => notices.push(n));
  // Three deletes of 600 bytes each: undo needs 1,800 old bytes, the budget is 1,000.
  for (let k = 0; k < 3; k++) model.replace(1000 * (k + 1), 600, new Uint8Array(0), `Delete ${k}`);
  const before = await model.read(0, model.size);
  await save(model, state);
  assert.equal(notices.length, 1);
  assert.deepEqual({ undo: notices[0].droppedUndo, redo: notices[0].droppedRedo }, { undo: 2, redo: 0 });
  assert.equal(model.historyLength, 1, 'the newest step stays undoable');
  assert.deepEqual(await model.read(0, model.size), before, 'the live state is whole');
  assert.ok(model.undo());
  assert.ok(!model.undo(), 'older steps are gone');
  assert.equal(model.isDirty, true);
});

test('savedAs turns the bytes it wrote back into file pieces: memory is freed', async () => {
  const { state, source } = disk(bytes(1 << 20));
  const model = new HexDocumentModel(source);
  model.replace(1000, 0, bytes(4 << 20, () => 7), 'Paste');
  assert.ok(model.retainedBytes() >= 4 << 20);
  await save(model, state);
  // History still refers to the paste (undo removes it, redo needs it): those bytes are on disk now.
  assert.ok(model.retainedBytes() < 64 << 10, `retained ${model.retainedBytes()}`);
  assert.ok(model.undo());
  assert.equal(model.size, 1 << 20);
  assert.ok(model.redo());
  assert.deepEqual([...await model.read(1000, 4)], [7, 7, 7, 7]);
});

test('while a save moves bytes, windows read through its reader and native scans wait for endMove', async () => {
  const { state, source } = disk(new TextEncoder().encode('....needle....'));
  const model = new HexDocumentModel(source);
  model.replace(0, 0, Uint8Array.of(0x2d), 'Insert');
  const snap = model.snapshot();
  await model.preserveBeforeSave(snap);
  const old = state.bytes.slice();
  model.beginMove({ read: async (o, n) => old.slice(o, o + n) });
  state.bytes = new Uint8Array(old.length + 1).fill(0x3f); // the file mid-move: garbage to anyone reading it directly
  assert.equal(new TextDecoder().decode(await model.read(0, model.size)), '-....needle....', 'windows show the right bytes');
  let found: number[] | undefined;
  const search = findInDocument(model, { pattern: new TextEncoder().encode('needle'), ignoreCase: false, from: 0, backward: false, maxMatches: 10 })
    .then((r) => { found = r.matches; });
  await new Promise((r) => setTimeout(r, 20));
  assert.equal(found, undefined, 'the native scan waits');
  state.bytes = new TextEncoder().encode('-....needle....');
  model.savedAs(snap, remapOf(snap));
  model.endMove();
  await search;
  assert.deepEqual(found, [5]);
});

test('a native scan already running when a save starts moving bytes is run again on the new layout', async () => {
  const { state, source } = disk(new TextEncoder().encode('....needle....'));
  const model = new HexDocumentModel(source);
  model.replace(0, 0, Uint8Array.of(0x2d), 'Insert');
  let release!: () => void;
  const held = new Promise<void>((r) => { release = r; });
  const find = source.find.bind(source);
  let calls = 0;
  source.find = async (pattern, options) => { calls++; if (calls === 1) await held; return find(pattern, options); };
  let found: number[] | undefined;
  const search = findInDocument(model, { pattern: new TextEncoder().encode('needle'), ignoreCase: false, from: 0, backward: false, maxMatches: 10 })
    .then((r) => { found = r.matches; });
  await new Promise((r) => setTimeout(r, 10));
  assert.equal(calls, 1, 'the native scan is running');
  const snap = model.snapshot();
  await model.preserveBeforeSave(snap);
  const old = state.bytes.slice();
  model.beginMove({ read: async (o, n) => old.slice(o, o + n) });
  state.bytes = new Uint8Array(old.length + 1).fill(0x3f); // what the running scan now reads
  release();
  await new Promise((r) => setTimeout(r, 10));
  assert.equal(found, undefined, 'the stale result was dropped; the scan waits for the move');
  state.bytes = new TextEncoder().encode('-....needle....');
  model.savedAs(snap, remapOf(snap));
  model.endMove();
  await search;
  assert.deepEqual(found, [5]);
  assert.equal(calls, 2);
});

test('after an abandoned save, revert goes to the disk again and nothing preserved is lost', async () => {
  const { state, source } = disk(bytes(100));
  const model = new HexDocumentModel(source);
  model.replace(10, 20, new Uint8Array(0), 'Delete');
  const snap = model.snapshot();
  await model.preserveBeforeSave(snap);
  model.saveAbandoned(snap); // the file stays as it was
  assert.deepEqual(state.bytes, bytes(100));
  await model.revert();
  assert.deepEqual(await model.read(0, model.size), bytes(100), 'the disk, not the state that was being saved');
  assert.equal(model.isDirty, false);
});

test('after saving a Replace All, every replaced byte is a file byte at its own offset again', async () => {
  const { state, source } = disk(new TextEncoder().encode('ab-ab-ab-ab'));
  const model = new HexDocumentModel(source);
  const x = new TextEncoder().encode('X');
  model.editBatch([0, 3, 6, 9].map((offset) => ({ offset, deleteLength: 2, bytes: x })), 'Replace All');
  await save(model, state);
  assert.deepEqual(model.snapshot().pieces, [{ kind: 'disk', offset: 0, length: 7 }], 'one file piece, nothing in memory');
  // The old save path (overwrite runs) still works on it.
  model.edit(1, Uint8Array.of(0x2b), 'Type');
  assert.deepEqual(model.editedRuns().map((r) => r.offset), [1]);
});

test('preserve takes old bytes the engine already holds and reads from disk only what it lacks', async () => {
  const { state, source } = disk(bytes(10_000));
  const model = new HexDocumentModel(source);
  // Edited out of offset order, so the copies reach the model's store out of order too.
  const offsets = [9000, 40, 5000, 41, 700];
  model.editBatch(offsets.map((o) => ({ offset: o, deleteLength: 1, bytes: Uint8Array.of(0xff) })), 'Scattered');
  const snap = model.snapshot();
  // The engine holds every overwritten byte except the one at 5000 (as a run-sized view of its copy).
  const held = new Map([[40, Uint8Array.of(40, 41)], [700, Uint8Array.of(700 & 255)], [9000, Uint8Array.of(9000 & 255)]]);
  const asked: number[] = [];
  const known = {
    get(offset: number, length: number) {
      asked.push(offset);
      for (const [at, b] of held) if (offset >= at && offset + length <= at + b.length) return b.subarray(offset - at, offset - at + length);
      return undefined;
    },
  };
  const readsBefore = source.calls.read;
  await model.preserveBeforeSave(snap, known);
  assert.deepEqual(asked.sort((a, b) => a - b), [40, 700, 5000, 9000], 'asked once per coalesced range');
  assert.equal(source.calls.read - readsBefore, 1, 'only the byte the engine lacked is read from disk');
  const content = new Uint8Array(snap.size);
  let at = 0;
  for (const p of snap.pieces) {
    const part = p.kind === 'disk' ? state.bytes.slice(p.offset, p.offset + p.length) : p.bytes;
    content.set(part, at);
    at += part.length;
  }
  state.bytes = content;
  model.savedAs(snap, remapOf(snap));
  assert.ok(model.undo());
  assert.deepEqual(await model.read(0, model.size), bytes(10_000), 'undo brings back every old byte, held or read');
});

test('an edit, undo or redo made between prepareSavedAs and its commit is kept: the rebase is computed again', async () => {
  const { state, source } = disk(bytes(64 << 10));
  const model = new HexDocumentModel(source);
  model.editBatch([10, 2000, 40_000].map((o) => ({ offset: o, deleteLength: 1, bytes: Uint8Array.of(0xee) })), 'Edit');
  const snap = model.snapshot();
  await model.preserveBeforeSave(snap);
  const content = state.bytes.slice();
  for (const o of [10, 2000, 40_000]) content[o] = 0xee;
  state.bytes = content;
  const prepared = model.prepareSavedAs(snap, remapOf(snap));
  // The user types while the file's flush runs: then undoes the first edit's neighbour and redoes it.
  model.edit(100, Uint8Array.of(0x55), 'Type');
  assert.ok(model.undo());
  assert.ok(model.redo());
  prepared.commit();
  assert.equal(model.isDirty, true, 'the edit made after the snapshot is still unsaved');
  assert.deepEqual([...await model.read(100, 1)], [0x55]);
  assert.deepEqual([...await model.read(10, 1)], [0xee]);
  assert.ok(model.undo());
  assert.equal(model.isDirty, false, 'undoing it reaches the saved state');
  assert.deepEqual([...await model.read(100, 1)], [100 & 255]);
  assert.ok(model.undo());
  assert.deepEqual([...await model.read(2000, 1)], [2000 & 255], 'the saved edit undoes to the preserved old byte');
});

test('a commit with nothing changed since prepareSavedAs applies the rebase computed then', async () => {
  const { state, source } = disk(bytes(64 << 10));
  const model = new HexDocumentModel(source);
  model.replace(500, 0, bytes(1000, () => 3), 'Paste');
  const snap = model.snapshot();
  await model.preserveBeforeSave(snap);
  const content = new Uint8Array(snap.size);
  content.set(state.bytes.subarray(0, 500));
  content.fill(3, 500, 1500);
  content.set(state.bytes.subarray(500), 1500);
  state.bytes = content;
  const prepared = model.prepareSavedAs(snap, remapOf(snap));
  prepared.commit();
  assert.equal(model.isDirty, false);
  assert.ok(model.retainedBytes() < 64 << 10, 'the pasted bytes are file bytes again');
  assert.ok(model.undo());
  assert.equal(model.size, 64 << 10);
  assert.deepEqual([...await model.read(499, 2)], [499 & 255, 500 & 255]);
});
