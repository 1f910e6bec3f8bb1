// Each VS Code undo/redo entry is bound to the model step it announced: an undo
// or redo naming a step that is not on top / next must change nothing (VS Code's
// history and the model's can drift; acting on "the last step" would then undo
// the wrong edit and put bytes nobody asked for into the file on save).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { HexDocumentModel, type EditStep } from '../../extension/document/hexDocumentModel';
import { docBackends, TempDir } from '../support/documentFiles';

async function openModel(dir: TempDir): Promise<{ model: HexDocumentModel; steps: EditStep[] }> {
  const model = new HexDocumentModel(await docBackends()[0].open(dir.file('u.bin', Uint8Array.of(0, 1, 2, 3, 4, 5, 6, 7))));
  const steps: EditStep[] = [];
  model.onDidEdit((s) => steps.push(s));
  return { model, steps };
}

const bytes = async (m: HexDocumentModel) => [...(await m.read(0, 8))];

test('undo/redo act only on the step they name, in order', async () => {
  const dir = new TempDir();
  try {
    const { model, steps } = await openModel(dir);
    model.edit(1, Uint8Array.of(0xe1), 'E1');
    model.edit(2, Uint8Array.of(0xe2), 'E2');
    const [e1, e2] = steps;
    assert.notEqual(e1.id, e2.id, 'steps have distinct ids');
    // VS Code's undo of E1 arriving while E2 is on top: nothing happens.
    assert.equal(model.undo(e1.id), false);
    assert.deepEqual(await bytes(model), [0, 0xe1, 0xe2, 3, 4, 5, 6, 7]);
    assert.equal(model.undo(e2.id), true);
    assert.deepEqual(await bytes(model), [0, 0xe1, 2, 3, 4, 5, 6, 7]);
    assert.equal(model.undo(e1.id), true);
    assert.deepEqual(await bytes(model), [0, 1, 2, 3, 4, 5, 6, 7]);
    assert.equal(model.undo(e1.id), false, 'nothing left to undo');
    // Redo of E2 before E1 is refused; in order, both come back.
    assert.equal(model.redo(e2.id), false);
    assert.deepEqual(await bytes(model), [0, 1, 2, 3, 4, 5, 6, 7]);
    assert.equal(model.redo(e1.id), true);
    assert.equal(model.redo(e2.id), true);
    assert.deepEqual(await bytes(model), [0, 0xe1, 0xe2, 3, 4, 5, 6, 7]);
    assert.equal(model.redo(e2.id), false, 'nothing left to redo');
    model.dispose();
  } finally {
    dir.cleanup();
  }
});

test('undo/redo of steps the history no longer holds change nothing', async () => {
  const dir = new TempDir();
  try {
    const { model, steps } = await openModel(dir);
    model.edit(1, Uint8Array.of(0xe1), 'E1');
    model.edit(2, Uint8Array.of(0xe2), 'E2');
    assert.equal(model.undo(steps[1].id), true);
    // A new edit drops E2's redo branch; a late redo of E2 must not apply E3 or anything else.
    model.edit(3, Uint8Array.of(0xe3), 'E3');
    assert.equal(model.redo(steps[1].id), false);
    assert.deepEqual(await bytes(model), [0, 0xe1, 2, 0xe3, 4, 5, 6, 7]);
    // After a revert the history is cut back to the save point (the start): old entries do nothing.
    await model.revert();
    assert.equal(model.redo(steps[0].id), false);
    assert.equal(model.undo(steps[2].id), false);
    assert.deepEqual(await bytes(model), [0, 1, 2, 3, 4, 5, 6, 7]);
    // A stale undo of the cut-off E3 arriving after a new edit must not undo the new edit.
    model.edit(6, Uint8Array.of(0xe6), 'E6');
    assert.equal(model.undo(steps[2].id), false);
    assert.deepEqual(await bytes(model), [0, 1, 2, 3, 4, 5, 0xe6, 7]);
    await model.revert();
    // Hot-exit restore has no steps: an undo entry from before must not touch the restored bytes.
    model.edit(4, Uint8Array.of(0xe4), 'E4');
    model.restoreEdits([{ offset: 5, bytes: Uint8Array.of(0xb5) }]);
    assert.equal(model.undo(steps[4].id), false);
    assert.deepEqual(await bytes(model), [0, 1, 2, 3, 4, 0xb5, 6, 7]);
    model.dispose();
  } finally {
    dir.cleanup();
  }
});
