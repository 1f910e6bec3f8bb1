/**
 * Cursor, selection, keyboard, typing, paste, go-to and find in the editor
 * webview, in headless Chromium, over a real session and model: every edit
 * is checked as the 'edit' message the webview sent AND as the bytes the
 * model now holds.
 */
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { editorState, markedOffsets, openEditor, readRows, clickCell, cellBox, shownRows, screenshot, waitForIdle, type EditorUnderTest, press } from './support/editorHarness';
import { editorSuite } from './support/editorSuite';
import { bytesOf } from './support/testFiles';

const env = editorSuite();

const text = (n: number): Uint8Array => {
  const line = 'The quick brown fox jumps over the lazy dog. ';
  return bytesOf(line.repeat(Math.ceil(n / line.length)).slice(0, n));
};


const marked = markedOffsets;

function edits(ed: EditorUnderTest): { offset: number; bytes: number[] }[] {
  return ed.fromWebview.filter((m) => m.type === 'edit').map((m) => ({ offset: (m as { offset: number }).offset, bytes: [...(m as { bytes: Uint8Array }).bytes] }));
}

async function waitForEdits(ed: EditorUnderTest, n: number): Promise<void> {
  const deadline = Date.now() + 5000;
  while (edits(ed).length < n && Date.now() < deadline) await new Promise((r) => setTimeout(r, 20));
  await waitForIdle(ed.page);
}

describe('editor webview: selection, keyboard and editing', () => {
  it('shows one cursor and selection in both panes; shift+arrows, shift+click and drag select', async () => {
    const ed = await openEditor(env.browser, env.files.write('sel.txt', text(4096)));
    try {
      const { page } = ed;
      await page.locator('.grid').focus();
      await press(page, 'ArrowRight', 'ArrowRight', 'Shift+ArrowRight', 'Shift+ArrowRight', 'Shift+ArrowDown');
      let s = await editorState(page);
      assert.deepEqual([s.anchor, s.cursor], [2, 20]);
      const sel = await marked(page, 'sel');
      const expected = Array.from({ length: 19 }, (_, i) => i + 2);
      assert.deepEqual(sel.hex, expected, 'hex pane selection');
      assert.deepEqual(sel.text, expected, 'text pane shows the same selection');
      assert.deepEqual(await marked(page, 'cur'), { hex: [20], text: [20] }, 'cursor in both panes');

      // Click in the text pane, shift+click in the hex pane.
      await clickCell(page, 0x10 + 5, 'text');
      await clickCell(page, 0x30 + 2, 'hex', ['Shift']);
      await waitForIdle(page);
      s = await editorState(page);
      assert.deepEqual([s.anchor, s.cursor, s.pane], [21, 50, 'hex']);
      // Drag in the hex pane from row 0 col 0 to row 2 col 3.
      const from = (await cellBox(page, 0, 'hex'))!;
      const to = (await cellBox(page, 0x20 + 3, 'hex'))!;
      await page.mouse.move(from.x + 4, from.y + 4);
      await page.mouse.down();
      await page.mouse.move(to.x + 4, to.y + 4, { steps: 4 });
      await page.mouse.up();
      await waitForIdle(page);
      s = await editorState(page);
      assert.deepEqual([s.anchor, s.cursor], [0, 35]);
      assert.equal((await marked(page, 'sel')).text.length, 36);
      // Hover over a hex cell highlights the same byte in the text pane.
      const over = (await cellBox(page, 0x40 + 7, 'hex'))!;
      await page.mouse.move(over.x + over.width / 2, over.y + over.height / 2);
      await waitForIdle(page);
      assert.deepEqual(await marked(page, 'hov'), { hex: [71], text: [71] });
      // The host heard about the selection.
      await page.waitForTimeout(80);
      assert.deepEqual([ed.session.selection.anchor, ed.session.selection.cursor], [0, 35]);
      await screenshot(page, 'interaction-selection');
      // Tab moves focus to the other pane; both still show the cursor.
      await press(page, 'Tab');
      assert.equal((await editorState(page)).pane, 'text');
      await press(page, 'Tab');
      assert.equal((await editorState(page)).pane, 'hex');
    } finally {
      await ed.close();
    }
  });

  it('navigates with arrows, Home/End, PageUp/PageDown and Ctrl+Home/End', async () => {
    const size = 100_000;
    const ed = await openEditor(env.browser, env.files.write('nav.txt', text(size)));
    try {
      const { page } = ed;
      await page.locator('.grid').focus();
      const fullRows = await page.evaluate(() => (window as unknown as { hexmapEditor: { scroll: { fullRows: number } } }).hexmapEditor.scroll.fullRows);
      const cursor = async (): Promise<number> => (await editorState(page)).cursor;
      await press(page, 'ArrowDown', 'ArrowDown', 'ArrowRight');
      assert.equal(await cursor(), 33);
      await press(page, 'End');
      assert.equal(await cursor(), 47);
      await press(page, 'Home');
      assert.equal(await cursor(), 32);
      await press(page, 'ArrowLeft');
      assert.equal(await cursor(), 31);
      await press(page, 'ArrowUp', 'ArrowUp', 'ArrowUp');
      assert.equal(await cursor(), 15, 'ArrowUp stops at the first row');
      await press(page, 'PageDown');
      assert.equal(await cursor(), 15 + fullRows * 16);
      assert.equal((await editorState(page)).topOffset, fullRows * 16, 'the view pages with the cursor');
      await press(page, 'PageUp');
      assert.equal(await cursor(), 15);
      await press(page, 'Control+End');
      assert.equal(await cursor(), size - 1);
      const rows = await readRows(page);
      assert.equal(parseInt(rows.at(-1)!.address, 16), Math.floor((size - 1) / 16) * 16, 'the last row is in view');
      await press(page, 'ArrowRight');
      assert.equal(await cursor(), size - 1, 'the cursor stays on the last byte');
      await press(page, 'Control+Home');
      assert.deepEqual([await cursor(), (await editorState(page)).topOffset], [0, 0]);
    } finally {
      await ed.close();
    }
  });

  it('hex digits edit nibbles in the hex pane; typed characters write their UTF-8 bytes in the text pane', async () => {
    const ed = await openEditor(env.browser, env.files.write('type.txt', text(256)));
    try {
      const { page } = ed;
      await page.locator('.grid').focus();
      await press(page, '4', '1', 'c', '3');
      await waitForEdits(ed, 4);
      assert.deepEqual(edits(ed), [
        { offset: 0, bytes: [0x44] }, // high nibble of 'T' (54) -> 44
        { offset: 0, bytes: [0x41] },
        { offset: 1, bytes: [0xc8] }, // 'h' (68) -> C8
        { offset: 1, bytes: [0xc3] },
      ]);
      assert.equal((await editorState(page)).cursor, 2);
      await press(page, 'Tab'); // text pane
      // A key that produces 'é' (as on a French layout): Playwright's keyboard
      // map has no such key, so send the raw key event through CDP.
      const cdp = await page.context().newCDPSession(page);
      const typeKey = async (key: string): Promise<void> => {
        await cdp.send('Input.dispatchKeyEvent', { type: 'keyDown', key, text: key, unmodifiedText: key });
        await cdp.send('Input.dispatchKeyEvent', { type: 'keyUp', key });
      };
      await typeKey('é');
      await page.keyboard.press('Z');
      await waitForEdits(ed, 6);
      assert.deepEqual(edits(ed).slice(4), [{ offset: 2, bytes: [0xc3, 0xa9] }, { offset: 4, bytes: [0x5a] }]);
      assert.deepEqual([...await ed.model.read(0, 5)], [0x41, 0xc3, 0xc3, 0xa9, 0x5a], 'the model holds the typed bytes');
      // The view shows the new bytes, marked unsaved, and the text pane shows 'Ã' 'é' 'Z'.
      const rows = await readRows(page);
      assert.deepEqual(rows[0].hex.slice(0, 5), ['41', 'C3', 'C3', 'A9', '5A']);
      assert.equal(rows[0].glyph.slice(0, 5).join(''), 'A\ufffdéZ', 'C3 followed by C3 is a truncated unit');
      assert.deepEqual((await marked(page, 'uns')).hex, [0, 1, 2, 3, 4]);
      await screenshot(page, 'interaction-typed-unsaved');
      // Undo in the model (VS Code's undo) reaches the webview as 'changed': 'Z' goes back to 'q'.
      ed.model.undo();
      for (const deadline = Date.now() + 5000; (await shownRows(page))[0].cells[4].hex !== '71';) {
        if (Date.now() > deadline) assert.fail('the undone byte was not painted back');
        await page.waitForTimeout(20);
      }
      assert.deepEqual((await marked(page, 'uns')).hex, [0, 1, 2, 3]);
      // A 4-byte character overwrites 4 bytes from the cursor.
      await press(page, 'End');
      await typeKey('🐍');
      await waitForEdits(ed, 7);
      assert.deepEqual(edits(ed)[6], { offset: 15, bytes: [0xf0, 0x9f, 0x90, 0x8d] });
      assert.equal((await editorState(page)).cursor, 19);
      await cdp.detach();
    } finally {
      await ed.close();
    }
  });

  it('pastes hex in the hex pane and UTF-8 text in the text pane, from the cursor', async () => {
    const ed = await openEditor(env.browser, env.files.write('paste.txt', text(256)));
    try {
      const { page } = ed;
      const paste = (data: string): Promise<void> => page.evaluate((d) => {
        const dt = new DataTransfer();
        dt.setData('text/plain', d);
        document.querySelector('.grid')!.dispatchEvent(new ClipboardEvent('paste', { clipboardData: dt, bubbles: true, cancelable: true }));
      }, data);
      await page.locator('.grid').focus();
      await press(page, 'ArrowRight');
      await paste('DE AD be ef');
      await waitForEdits(ed, 1);
      assert.deepEqual(edits(ed)[0], { offset: 1, bytes: [0xde, 0xad, 0xbe, 0xef] });
      assert.equal((await editorState(page)).cursor, 5, 'the cursor moves past the pasted bytes');
      await paste('hello'); // not hex: written as text even in the hex pane
      await waitForEdits(ed, 2);
      assert.deepEqual(edits(ed)[1], { offset: 5, bytes: [...new TextEncoder().encode('hello')] });
      await press(page, 'Tab');
      await paste('CAFE'); // the text pane always pastes text
      await waitForEdits(ed, 3);
      assert.deepEqual(edits(ed)[2], { offset: 10, bytes: [0x43, 0x41, 0x46, 0x45] });
      await paste('→🐍');
      await waitForEdits(ed, 4);
      assert.deepEqual(edits(ed)[3], { offset: 14, bytes: [0xe2, 0x86, 0x92, 0xf0, 0x9f, 0x90, 0x8d] });
      assert.deepEqual(await ed.model.read(0, 21), bytesOf('T', [0xde, 0xad, 0xbe, 0xef], 'helloCAFE→🐍'));
      // Pasting past the end is refused with a message; nothing is sent.
      await press(page, 'Control+End');
      await paste('too long');
      await page.waitForSelector('.message-bar:not([hidden])');
      assert.match(await page.locator('.message-bar').innerText(), /do not fit/);
      assert.equal(edits(ed).length, 4);
    } finally {
      await ed.close();
    }
  });

  it('refuses edits in a read-only document with a clear message', async () => {
    const ed = await openEditor(env.browser, env.files.write('ro.txt', text(256)), { userReadOnly: true });
    try {
      const { page } = ed;
      await page.locator('.grid').focus();
      await press(page, 'A');
      await page.waitForSelector('.message-bar:not([hidden])');
      assert.match(await page.locator('.message-bar').innerText(), /read-only/i);
      assert.equal(edits(ed).length, 0);
      assert.deepEqual([...await ed.model.read(0, 1)], [0x54]);
      await screenshot(page, 'interaction-read-only');
      // "Hexmap: Toggle Read-Only" reaches the open editor: typing works again.
      ed.model.setUserReadOnly(false);
      await page.waitForFunction(() => document.querySelector('.grid')!.getAttribute('aria-readonly') === 'false');
      await press(page, '6');
      await waitForEdits(ed, 1);
      assert.deepEqual(edits(ed), [{ offset: 0, bytes: [0x64] }]);
    } finally {
      await ed.close();
    }
  });

  it('goes to an offset with Ctrl+G (hex, relative, from the end) and explains bad input', async () => {
    const size = 1_000_000;
    const ed = await openEditor(env.browser, env.files.write('goto.txt', text(size)));
    try {
      const { page } = ed;
      await page.locator('.grid').focus();
      const go = async (input: string): Promise<void> => {
        await page.keyboard.press('Control+g');
        await page.locator('.goto-widget input').fill(input);
        await page.keyboard.press('Enter');
        await waitForIdle(page);
      };
      await go('0x1234');
      assert.equal((await editorState(page)).cursor, 0x1234);
      const rows = await readRows(page);
      assert.ok(rows.some((r) => r.address === '00001230'), 'the target row is on screen');
      await go('+16');
      assert.equal((await editorState(page)).cursor, 0x1244);
      await go('end-1');
      assert.equal((await editorState(page)).cursor, size - 1);
      await go('--10');
      assert.equal((await editorState(page)).cursor, size - 10);
      await go('2000000');
      assert.equal(await page.locator('.goto-widget').isVisible(), true, 'stays open on an error');
      assert.match(await page.locator('#goto-error').innerText(), /out of range.*1,000,000 bytes/);
      await screenshot(page, 'interaction-goto-error');
      await page.locator('.goto-widget input').fill('12zz');
      await page.keyboard.press('Enter');
      assert.match(await page.locator('#goto-error').innerText(), /not an offset/);
      await page.keyboard.press('Escape');
      assert.equal(await page.locator('.goto-widget').isVisible(), false);
      assert.equal((await editorState(page)).cursor, size - 10, 'a failed go-to does not move the cursor');
    } finally {
      await ed.close();
    }
  });
});
