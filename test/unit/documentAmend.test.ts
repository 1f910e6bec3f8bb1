// The digits typed into one hex cell are one undo step: the webview sends the
// later digits as an 'edit' with `amend`, and the model folds them into the
// step the first digit made (amendLast) — only while that is safe, else the
// session makes a normal new step so no keystroke is ever lost.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { HexDocumentModel, type EditStep } from '../../extension/document/hexDocumentModel';
import { EditorSession } from '../../extension/editor/editorSession';
import { saveSnapshot } from '../../extension/document/save/saveEngine';
import type { DocumentChange } from '../../extension/document/documentModel';
import { parseWebviewMessage, ProtocolError } from '../../shared/protocol';
import { MemoryByteSource } from '../support/memoryByteSource';
import { docBackends, rng, TempDir } from '../support/documentFiles';

const ORIGINAL = [0, 1, 2, 3, 4, 5, 6, 7];

function open() {
  const model = new HexDocumentModel(new MemoryByteSource(Uint8Array.from(ORIGINAL)));
  const steps: EditStep[] = [];
  const changes: DocumentChange[] = [];
  model.onDidEdit((s) => steps.push(s));
  model.onDidChange((c) => changes.push(c));
  const bytes = async () => [...(await model.read(0, model.size))];
  return { model, steps, changes, bytes };
}

test('amendLast changes the byte inside the step: no new step, views hear the byte, undo gives the original, redo the amended byte', async () => {
  const { model, steps, changes, bytes } = open();
  model.edit(2, Uint8Array.of(0x40), 'Type hex');
  const step = steps[0];
  const before = changes.length;
  assert.equal(model.amendLast(step.id, 2, Uint8Array.of(0x41)), true);
  assert.equal(steps.length, 1, 'no new undo entry');
  assert.deepEqual(await bytes(), [0, 1, 0x41, 3, 4, 5, 6, 7]);
  assert.deepEqual(changes.slice(before).map((c) => [c.reason, c.ranges]), [['edit', [{ offset: 2, length: 1 }]]]);
  assert.equal(model.isDirty, true);
  assert.equal(model.undo(step.id), true);
  assert.deepEqual(await bytes(), ORIGINAL);
  assert.equal(model.isDirty, false);
  assert.equal(model.redo(step.id), true);
  assert.deepEqual(await bytes(), [0, 1, 0x41, 3, 4, 5, 6, 7]);
});

test('amendLast of an inserted byte (insert mode): undo removes the byte, redo inserts the amended one', async () => {
  const { model, steps, bytes } = open();
  model.replace(2, 0, Uint8Array.of(0x40), 'Type hex');
  assert.equal(model.amendLast(steps[0].id, 2, Uint8Array.of(0x41)), true);
  assert.equal(model.amendLast(steps[0].id, 2, Uint8Array.of(0x42)), true, 'a third digit (decimal, octal, binary) amends again');
  assert.deepEqual(await bytes(), [0, 1, 0x42, 2, 3, 4, 5, 6, 7]);
  assert.equal(model.undo(steps[0].id), true);
  assert.deepEqual(await bytes(), ORIGINAL);
  assert.equal(model.redo(steps[0].id), true);
  assert.deepEqual(await bytes(), [0, 1, 0x42, 2, 3, 4, 5, 6, 7]);
});

test('amendLast refuses (changing nothing) after an undo, with a redo stack, at another offset, for another step, for more than one byte', async () => {
  const { model, steps, changes, bytes } = open();
  model.edit(2, Uint8Array.of(0x40), 'A');
  const a = steps[0];
  assert.equal(model.amendLast(a.id, 3, Uint8Array.of(0x41)), false, 'different offset');
  assert.equal(model.amendLast(a.id, 2, Uint8Array.of(0x41, 0x42)), false, 'more than one byte');
  model.edit(4, Uint8Array.of(0x50), 'B');
  assert.equal(model.amendLast(a.id, 2, Uint8Array.of(0x41)), false, 'not the newest step');
  const b = steps[1];
  assert.equal(model.undo(b.id), true);
  assert.equal(model.amendLast(a.id, 2, Uint8Array.of(0x41)), false, 'redo stack not empty');
  assert.equal(model.amendLast(b.id, 4, Uint8Array.of(0x51)), false, 'the undone step');
  assert.equal(model.undo(a.id), true);
  assert.equal(model.redo(a.id), true);
  assert.equal(model.redo(b.id), true);
  assert.equal(model.amendLast(b.id, 4, Uint8Array.of(0x51)), false, 'undone and redone since: no longer the typing it was');
  model.edit(0, Uint8Array.of(9, 9), 'two bytes');
  assert.equal(model.amendLast(steps[2].id, 0, Uint8Array.of(8)), false, 'the step wrote two bytes');
  const count = changes.length;
  assert.deepEqual(await bytes(), [9, 9, 0x40, 3, 0x50, 5, 6, 7]);
  assert.equal(changes.length, count, 'a refusal fires nothing');
  assert.equal(steps.length, 3);
});

test('amendLast refuses once a save took (or completed) a snapshot of the step, and on a read-only document', async () => {
  const dir = new TempDir();
  try {
    const model = new HexDocumentModel(await docBackends()[0].open(dir.file('s.bin', Uint8Array.from(ORIGINAL))));
    const steps: EditStep[] = [];
    model.onDidEdit((s) => steps.push(s));
    model.edit(2, Uint8Array.of(0x40), 'A');
    // A save that is running (or waiting) on a snapshot holding the step's byte.
    const saving = saveSnapshot({ source: model.source, model, snapshot: model.snapshot(), journalDir: dir.join('j') });
    assert.equal(model.amendLast(steps[0].id, 2, Uint8Array.of(0x41)), false, 'a save holds this state');
    await saving;
    assert.equal(model.isDirty, false);
    assert.equal(model.amendLast(steps[0].id, 2, Uint8Array.of(0x41)), false, 'saved: amending would leave it marked clean');
    assert.equal(model.isDirty, false);
    assert.deepEqual([...(await model.read(0, 8))], [0, 1, 0x40, 3, 4, 5, 6, 7]);
    model.edit(3, Uint8Array.of(0x30), 'B');
    model.setUserReadOnly(true);
    assert.equal(model.amendLast(steps[1].id, 3, Uint8Array.of(0x31)), false, 'read-only');
    model.dispose();
  } finally {
    dir.cleanup();
  }
});

test("the 'edit' message's amend flag: only true, only on a one-byte overwrite", () => {
  const base = { type: 'edit', offset: 1, bytes: Uint8Array.of(1), label: 'Type hex' };
  assert.deepEqual(parseWebviewMessage({ ...base, amend: true }), { ...base, amend: true });
  assert.deepEqual(parseWebviewMessage(base), base);
  assert.throws(() => parseWebviewMessage({ ...base, amend: false }), ProtocolError);
  assert.throws(() => parseWebviewMessage({ ...base, amend: 1 }), ProtocolError);
  assert.throws(() => parseWebviewMessage({ ...base, amend: true, bytes: Uint8Array.of(1, 2) }), ProtocolError);
  assert.throws(() => parseWebviewMessage({ ...base, amend: true, deleteLength: 0 }), ProtocolError);
});

test('the session folds amending digits into its own last step, and makes a new step when it may not', async () => {
  const { model, steps, bytes } = open();
  const opts = { fileName: 'x', bytesPerRow: 16, log: () => undefined };
  const one = new EditorSession(model, () => undefined, opts);
  const two = new EditorSession(model, () => undefined, opts);
  const edit = (s: EditorSession, offset: number, value: number, amend?: true) =>
    s.handle({ type: 'edit', offset, bytes: Uint8Array.of(value), label: 'Type hex', ...(amend ? { amend } : {}) });
  edit(one, 2, 0x40);
  edit(one, 2, 0x41, true);
  assert.equal(steps.length, 1, 'two digits, one step');
  assert.equal(model.undo(steps[0].id), true);
  assert.deepEqual(await bytes(), ORIGINAL, 'one undo takes back the byte');
  // Undone meanwhile: the second digit is a step of its own.
  edit(one, 2, 0x40);
  assert.equal(model.undo(steps[1].id), true);
  edit(one, 2, 0x41, true);
  assert.equal(steps.length, 3);
  assert.deepEqual(await bytes(), [0, 1, 0x41, 3, 4, 5, 6, 7]);
  // Another view edited in between: the digit is not folded into that view's step.
  edit(one, 5, 0x50);
  edit(two, 6, 0x60);
  edit(one, 5, 0x51, true);
  assert.equal(steps.length, 6);
  assert.equal(model.undo(steps[5].id), true);
  assert.deepEqual(await bytes(), [0, 1, 0x41, 3, 4, 0x50, 0x60, 7]);
  one.dispose();
  two.dispose();
});

test('random interleavings of typed cells, undo, redo, saves and another view: undo and redo always give the states the user saw', async () => {
  const dir = new TempDir();
  try {
    const next = rng(18);
    let folded = 0;
    for (let round = 0; round < 20; round++) {
      const model = new HexDocumentModel(await docBackends()[0].open(dir.file(`r${round}.bin`, Uint8Array.from(ORIGINAL))));
      const entries: EditStep[] = [];
      model.onDidEdit((s) => entries.push(s));
      const opts = { fileName: 'x', bytesPerRow: 16, log: () => undefined };
      const views = [new EditorSession(model, () => undefined, opts), new EditorSession(model, () => undefined, opts)];
      // The oracle: VS Code's undo stack as (entry, content after it) and the redo stack.
      const content = async () => [...(await model.read(0, model.size))];
      const undoStack: { step: EditStep; after: number[] }[] = [];
      let redoStack: { step: EditStep; after: number[] }[] = [];
      const states: number[][] = [await content()];
      const typing: ({ offset: number } | undefined)[] = [undefined, undefined];
      for (let op = 0; op < 60; op++) {
        const roll = next();
        const v = Math.floor(next() * 2);
        if (roll < 0.55 && model.size > 0) {
          const t = typing[v];
          const amend = t !== undefined && next() < 0.7;
          const offset = amend ? Math.min(t.offset, model.size - 1) : Math.floor(next() * model.size);
          const insert = !amend && next() < 0.3;
          const count = entries.length;
          views[v].handle({ type: 'edit', offset, bytes: Uint8Array.of(Math.floor(next() * 256)), label: 'Type', ...(insert ? { deleteLength: 0 } : {}), ...(amend ? { amend: true } : {}) });
          typing[v] = { offset };
          typing[1 - v] = next() < 0.5 ? typing[1 - v] : undefined;
          if (entries.length > count) {
            undoStack.push({ step: entries[entries.length - 1], after: await content() });
            redoStack = [];
          } else {
            assert.ok(amend, 'only an amend makes no step');
            folded++;
            undoStack[undoStack.length - 1].after = await content();
          }
        } else if (roll < 0.7 && undoStack.length) {
          const e = undoStack.pop()!;
          assert.equal(model.undo(e.step.id), true);
          redoStack.push(e);
          assert.deepEqual(await content(), undoStack.length ? undoStack[undoStack.length - 1].after : states[0]);
        } else if (roll < 0.8 && redoStack.length) {
          const e = redoStack.pop()!;
          assert.equal(model.redo(e.step.id), true);
          undoStack.push(e);
          assert.deepEqual(await content(), e.after);
        } else if (roll < 0.9) {
          const saving = saveSnapshot({ source: model.source, model, snapshot: model.snapshot(), journalDir: dir.join('j') });
          const typedDuringSave = next() < 0.5 && model.size > 0 && typing[v] !== undefined;
          if (typedDuringSave) {
            // A digit typed while the save runs must become a new step (the save holds the old one).
            const count = entries.length;
            const offset = Math.min(typing[v]!.offset, model.size - 1);
            views[v].handle({ type: 'edit', offset, bytes: Uint8Array.of(0xee), label: 'Type', amend: true });
            assert.equal(entries.length, count + 1);
            undoStack.push({ step: entries[entries.length - 1], after: await content() });
            redoStack = [];
          }
          await saving;
          assert.equal(model.isDirty, typedDuringSave, 'clean after a save, unless a digit went in while it ran');
        }
      }
      // Everything undone: the original bytes (or the last saved ones, which undo may pass through).
      while (undoStack.length) assert.equal(model.undo(undoStack.pop()!.step.id), true);
      assert.deepEqual(await content(), states[0]);
      for (const view of views) view.dispose();
      model.dispose();
    }
    assert.ok(folded > 50, `digits were folded into their cell's step (${folded})`);
  } finally {
    dir.cleanup();
  }
});
