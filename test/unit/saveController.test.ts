// The save queue: one save at a time per file identity, a newer request of
// the same document supersedes a waiting one, cancellation before the start
// means the save never runs, different documents all run in order. And the
// finding that started it: undo while a save runs acts on the live state.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { HexDocumentModel } from '../../extension/document/hexDocumentModel';
import { DocumentSaver } from '../../extension/document/save/documentSaver';
import { statIdentity } from '../../extension/document/save/fileIdentity';
import { SaveController, Superseded } from '../../extension/document/save/saveController';
import { docBackends, TempDir } from '../support/documentFiles';

function gate() {
  let open!: () => void;
  const opened = new Promise<void>((r) => (open = r));
  return { open, opened };
}

test('one at a time per key; a newer request of the same owner supersedes the waiting one; other owners still run', async () => {
  const c = new SaveController();
  const log: string[] = [];
  const first = gate();
  const owner = {};
  const other = {};
  const job = (name: string, o: object, wait?: Promise<void>) => ({ owner: o, run: async () => { log.push(`start ${name}`); await wait; log.push(`end ${name}`); return name; } });
  const p1 = c.save('k', job('1', owner, first.opened));
  const p2 = c.save('k', job('2', owner));
  const p3 = c.save('k', job('3', other));
  const p4 = c.save('k', job('4', owner));
  const p5 = c.save('other-file', job('5', owner));
  assert.equal(await p5, '5', 'another file is not held up');
  assert.ok(c.busy('k'));
  first.open();
  assert.deepEqual(await Promise.all([p1, p2, p3, p4]), ['1', '4', '3', '4'], 'request 2 settles with 4, which replaced it');
  assert.deepEqual(log.filter((l) => !l.endsWith('5')), ['start 1', 'end 1', 'start 3', 'end 3', 'start 4', 'end 4']);
  assert.equal(c.busy('k'), false);
});

test('a request cancelled while waiting never runs; a running one sees the abort', async () => {
  const c = new SaveController();
  const g = gate();
  let sawAbort = false;
  const abortRunning = new AbortController();
  const running = c.save('k', { owner: {}, signal: abortRunning.signal, run: async (signal) => { await g.opened; sawAbort = signal.aborted; return 'ran'; } });
  const abortWaiting = new AbortController();
  let ran = false;
  const waiting = c.save('k', { owner: {}, signal: abortWaiting.signal, run: async () => { ran = true; return 'x'; } });
  abortWaiting.abort();
  abortRunning.abort();
  g.open();
  assert.equal(await running, 'ran');
  assert.equal(sawAbort, true);
  const w = await waiting;
  assert.ok(w instanceof Superseded && w.reason === 'cancelled');
  assert.equal(ran, false);
});

test('undo while a save runs: the disk gets the saved state, the document shows the undone one and is dirty; redo reaches the saved state, clean', async () => {
  const dir = new TempDir();
  try {
    const path = dir.file('u.bin', Uint8Array.of(0xa0, 0xa1, 0xa2, 0xa3));
    const model = new HexDocumentModel(await docBackends()[0].open(path));
    const release = gate();
    const saver = new DocumentSaver({
      controller: new SaveController(), model, source: model.source, journalDir: dir.join('j'), fileName: 'u',
      ui: { confirmOverwrite: async () => true, confirmMove: async () => 'save', withProgress: (_t, task) => task(() => undefined, new AbortController().signal), warn: () => undefined },
      faults: { at: async (phase) => { if (phase === 'journal-armed') await release.opened; } },
    }, await statIdentity(path));
    model.edit(1, Uint8Array.of(0xbb), 'Edit');
    const saving = saver.save();
    await new Promise((r) => setTimeout(r, 20));
    model.undo();
    release.open();
    await saving;
    assert.equal(readFileSync(path)[1], 0xbb, 'the snapshot was saved');
    assert.equal((await model.read(1, 1))[0], 0xa1, 'the document shows the undone state');
    assert.equal(model.isDirty, true);
    model.redo();
    assert.equal((await model.read(1, 1))[0], 0xbb);
    assert.equal(model.isDirty, false);
    model.undo();
    assert.equal((await model.read(1, 1))[0], 0xa1, 'the original byte is still reachable');
    model.dispose();
  } finally {
    dir.cleanup();
  }
});
