/**
 * Typing a byte's digits in the hex pane, in headless Chromium over a real
 * session and model, is ONE undo step: "4" then "1" over a byte (or inserted
 * before it) makes one VS Code undo entry, and undoing it gives back the
 * original bytes — not a stray "40" (insert) or "4x" (overwrite). The same
 * for a decimal cell's three digits.
 */
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { editorState, openEditor, waitForIdle, type EditorUnderTest, modelBecomes, press } from './support/editorHarness';
import { editorSuite } from './support/editorSuite';
import { bytesOf } from './support/testFiles';
import type { EditStep } from '../../extension/document/hexDocumentModel';
import { DEFAULT_LAYOUT } from '../../shared/protocol';

const env = editorSuite();



/** What VS Code's Ctrl+Z does: undo the newest undo entry the document announced. */
function undoEntry(ed: EditorUnderTest, entries: EditStep[]): void {
  const entry = entries.pop();
  assert.ok(entry, 'an undo entry to take back');
  assert.equal(ed.model.undo(entry.id), true, 'the entry is the step on top');
}

describe('editor webview: the digits of one cell are one undo step', () => {
  it('overwrite and insert mode: "41" is one undo entry, and one undo restores the original bytes', async () => {
    const ed = await openEditor(env.browser, env.files.write('undo.bin', bytesOf('abcdef')));
    try {
      const entries: EditStep[] = [];
      ed.model.onDidEdit((s) => entries.push(s));
      const { page } = ed;
      await page.locator('.grid').focus();
      await press(page, 'ArrowRight', '4', '1');
      await modelBecomes(ed, bytesOf('a', [0x41], 'cdef'));
      assert.equal(entries.length, 1, 'overwrite: one entry for the byte');
      undoEntry(ed, entries);
      await modelBecomes(ed, bytesOf('abcdef'));

      await press(page, 'Home', 'ArrowRight', 'ArrowRight', 'Insert', '4', '1');
      await modelBecomes(ed, bytesOf('ab', [0x41], 'cdef'));
      assert.equal(entries.length, 1, 'insert: one entry for the byte');
      undoEntry(ed, entries);
      await modelBecomes(ed, bytesOf('abcdef'));
      assert.equal(ed.model.canUndo, false, 'nothing else was left to undo');
      assert.deepEqual(ed.pageErrors, []);
    } finally {
      await ed.close();
    }
  });

  it('half a hex cell typed, then undone: the next digit starts the cell over from the restored byte', async () => {
    const ed = await openEditor(env.browser, env.files.write('undo-half.bin', bytesOf('abcdef')));
    try {
      const entries: EditStep[] = [];
      ed.model.onDidEdit((s) => entries.push(s));
      const { page } = ed;
      await page.locator('.grid').focus();
      await press(page, 'ArrowRight', '4');
      await modelBecomes(ed, bytesOf('a', [0x42], 'cdef'));
      undoEntry(ed, entries);
      await modelBecomes(ed, bytesOf('abcdef'));
      // 'b' is 0x62: a "1" is its high digit again (0x12), not the low digit of the undone 0x4_ (0x41).
      await press(page, '1');
      await modelBecomes(ed, bytesOf('a', [0x12], 'cdef'));
      assert.equal((await editorState(page)).cursor, 1, 'the cell is half typed again');
      await press(page, '7');
      await modelBecomes(ed, bytesOf('a', [0x17], 'cdef'));
      assert.equal(entries.length, 1, 'one entry for the cell typed after the undo');
    } finally {
      await ed.close();
    }
  });

  it('a decimal cell: three digits, one entry; after an undo the next digit is an edit of its own', async () => {
    const ed = await openEditor(env.browser, env.files.write('undo-dec.bin', bytesOf('abcdef')));
    try {
      const entries: EditStep[] = [];
      ed.model.onDidEdit((s) => entries.push(s));
      const { page } = ed;
      ed.session.setLayout({ ...DEFAULT_LAYOUT, bytesPerRow: 16, cellFormat: 'decimal' });
      await waitForIdle(page);
      await page.locator('.grid').focus();
      await press(page, 'ArrowRight', '2', '5', '0');
      await modelBecomes(ed, bytesOf('a', [250], 'cdef'));
      assert.equal(entries.length, 1);
      undoEntry(ed, entries);
      await modelBecomes(ed, bytesOf('abcdef'));
      // Half a cell typed, then undone: the rest of the cell must not vanish into the undone step.
      assert.equal((await editorState(page)).cursor, 2, 'the cell was complete: the cursor went on');
      await press(page, '1');
      await modelBecomes(ed, bytesOf('ab', [199], 'def'));
      undoEntry(ed, entries);
      await modelBecomes(ed, bytesOf('abcdef'));
      await press(page, '2');
      assert.equal(entries.length, 1, 'a digit after the undo is a new entry');
      assert.equal(ed.model.canUndo, true);
    } finally {
      await ed.close();
    }
  });
});
