/**
 * Size-changing edits in the editor webview, in headless Chromium, over a
 * real session and model: insert mode typed in both panes, Delete and
 * Backspace (a whole character in the text pane), paste of hex text and of
 * UTF-8, cut, the cursor following an insert made elsewhere, and a
 * comparison's highlights drawn in both panes and on the scrollbar. Every
 * edit is checked as the message the webview sent AND as the bytes the
 * model holds afterwards.
 */
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import type { Page } from 'playwright-core';
import { cellBox, editorState, markedOffsets, openEditor, pagePixels, waitForIdle, modelBecomes, press } from './support/editorHarness';
import { editorSuite } from './support/editorSuite';
import { bytesOf } from './support/testFiles';
import { seededRandom } from '../support/seededRandom';

const env = editorSuite();



function paste(page: Page, data: string): Promise<void> {
  return page.evaluate((d) => {
    const dt = new DataTransfer();
    dt.setData('text/plain', d);
    document.querySelector('.grid')!.dispatchEvent(new ClipboardEvent('paste', { clipboardData: dt, bubbles: true, cancelable: true }));
  }, data);
}

const mode = (page: Page): Promise<string | undefined> => page.evaluate(() => document.getElementById('hexmap-root')!.dataset.mode);

describe('editor webview: insert mode, delete, paste and cut', () => {
  it('Insert toggles the mode; hex digits insert a byte, text inserts a whole UTF-8 character', async () => {
    const ed = await openEditor(env.browser, env.files.write('ins.txt', bytesOf('abcdef')));
    try {
      const { page } = ed;
      await page.locator('.grid').focus();
      assert.equal(await mode(page), 'overwrite');
      await press(page, 'ArrowRight', 'Insert');
      assert.equal(await mode(page), 'insert');
      assert.ok(ed.fromWebview.some((m) => m.type === 'insertMode' && m.insert), 'the host hears of the mode');
      assert.match((await markedOffsets(page, 'cur-bar')).hex.join(), /^1$/, 'the cursor is a bar before byte 1');
      await press(page, '4');
      await modelBecomes(ed, bytesOf('a', [0x40], 'bcdef'));
      await press(page, '2');
      await modelBecomes(ed, bytesOf('a', [0x42], 'bcdef'));
      assert.equal((await editorState(page)).cursor, 2, 'after the second digit the cursor is past the new byte');
      // Keys that produce 'é' and '🐍' (Playwright's key map has none): raw key events through CDP.
      const cdp = await page.context().newCDPSession(page);
      const typeKey = async (key: string): Promise<void> => {
        await cdp.send('Input.dispatchKeyEvent', { type: 'keyDown', key, text: key, unmodifiedText: key });
        await cdp.send('Input.dispatchKeyEvent', { type: 'keyUp', key });
      };
      await press(page, 'Tab');
      await typeKey('é');
      await modelBecomes(ed, bytesOf('aB', [0xc3, 0xa9], 'bcdef'));
      await typeKey('🐍');
      await modelBecomes(ed, bytesOf('aBé🐍bcdef'));
      assert.equal((await editorState(page)).cursor, 8);
      // At the end of the file the cursor may stand past the last byte: typing appends.
      await press(page, 'Control+End');
      assert.equal((await editorState(page)).cursor, ed.model.size);
      await press(page, '!');
      await modelBecomes(ed, bytesOf('aBé🐍bcdef!'));
      // The webview draws what the model holds, shifted bytes included.
      await page.waitForFunction(() => document.getElementById('hexmap-root')!.dataset.loading === 'false');
      const hex = await page.evaluate(() => (window as unknown as { hexmapEditor: { renderer: { shown(): { cells: { hex: string }[] }[] } } }).hexmapEditor.renderer.shown()[0].cells.map((c) => c.hex).join(' '));
      assert.match(hex, /^61 42 C3 A9 F0 9F 90 8D 62 63 64 65 66 21/);
      // Back to overwrite: typing writes over again and the size stays.
      await press(page, 'Insert', 'Home', 'x');
      await modelBecomes(ed, bytesOf('xBé🐍bcdef!'));
      assert.equal(await mode(page), 'overwrite');
    } finally {
      await ed.close();
    }
  });

  it('Delete and Backspace remove the selection or one byte; in the text pane one whole character', async () => {
    const ed = await openEditor(env.browser, env.files.write('del.txt', bytesOf('ab🐍cé€xyz')));
    try {
      const { page } = ed;
      await page.locator('.grid').focus();
      // Overwrite mode: Delete removes bytes too (as HxD does).
      await press(page, 'Delete');
      await modelBecomes(ed, bytesOf('b🐍cé€xyz'));
      // Text pane: Delete on the snake's first byte removes all 4.
      await press(page, 'Tab', 'ArrowRight', 'Delete');
      await modelBecomes(ed, bytesOf('bcé€xyz'));
      // Backspace with the cursor on 'x' (after the euro sign) removes the 3-byte euro sign.
      assert.equal((await editorState(page)).cursor, 1, 'the cursor stays where the character was');
      await press(page, 'ArrowRight', 'ArrowRight', 'ArrowRight', 'ArrowRight', 'ArrowRight', 'ArrowRight');
      assert.equal((await editorState(page)).cursor, 7, 'on x');
      await press(page, 'Backspace');
      await modelBecomes(ed, bytesOf('bcéxyz'));
      assert.equal((await editorState(page)).cursor, 4, 'the cursor stays on x');
      // Hex pane: Backspace removes one byte, even inside a character.
      await press(page, 'Tab', 'Backspace');
      await modelBecomes(ed, bytesOf('bc', [0xc3], 'xyz'));
      // A selection is removed whole, by either key.
      await press(page, 'Home', 'Shift+ArrowRight', 'Shift+ArrowRight', 'Backspace');
      await modelBecomes(ed, bytesOf('xyz'));
      assert.equal(ed.fromWebview.filter((m) => m.type === 'edit').length, 5, 'one edit per key');
    } finally {
      await ed.close();
    }
  });

  it('pastes hex text as bytes and text as UTF-8; inserts in insert mode, replaces a selection; refuses malformed hex', async () => {
    const ed = await openEditor(env.browser, env.files.write('paste.txt', bytesOf('0123456789')));
    try {
      const { page } = ed;
      await page.locator('.grid').focus();
      await press(page, 'Insert', 'ArrowRight');
      await paste(page, '0xDE, 0xAD');
      await modelBecomes(ed, bytesOf('0', [0xde, 0xad], '123456789'));
      assert.equal((await editorState(page)).cursor, 3, 'the cursor is after the pasted bytes');
      await paste(page, 'DE AD B');
      await page.waitForSelector('.message-bar:not([hidden])');
      assert.match(await page.locator('.message-bar').innerText(), /malformed.*odd number of hex digits.*column 7/);
      await press(page, 'Tab');
      await paste(page, 'CAFE→');
      await modelBecomes(ed, bytesOf('0', [0xde, 0xad], 'CAFE→123456789'));
      // With a selection, paste replaces it (here 3 bytes by 1).
      await press(page, 'Shift+ArrowRight', 'Shift+ArrowRight');
      await paste(page, '#');
      await modelBecomes(ed, bytesOf('0', [0xde, 0xad], 'CAFE→#456789'));
      // Overwrite mode pastes over, as before.
      await press(page, 'Insert', 'Home', 'Tab');
      await paste(page, '41 42');
      await modelBecomes(ed, bytesOf('AB', [0xad], 'CAFE→#456789'));
      const sent = ed.fromWebview.filter((m) => m.type === 'edit').map((m) => (m as { deleteLength?: number }).deleteLength);
      assert.deepEqual(sent, [0, 0, 3, undefined], 'inserts, a replace of the selection, an overwrite; nothing for the malformed paste');
    } finally {
      await ed.close();
    }
  });

  it('cut copies the selection, then deletes it', async () => {
    const ed = await openEditor(env.browser, env.files.write('cut.txt', bytesOf('hello, world')));
    try {
      const { page } = ed;
      await page.context().grantPermissions(['clipboard-read', 'clipboard-write'], { origin: env.browser.origin });
      await page.locator('.grid').focus();
      await press(page, 'Tab', 'ArrowRight', 'ArrowRight', 'ArrowRight', 'ArrowRight', 'ArrowRight', 'Shift+ArrowRight', 'Shift+ArrowRight', 'Shift+ArrowRight', 'Shift+ArrowRight', 'Shift+ArrowRight', 'Shift+ArrowRight');
      await page.evaluate(() => document.querySelector('.grid')!.dispatchEvent(new ClipboardEvent('cut', { bubbles: true, cancelable: true })));
      await modelBecomes(ed, bytesOf('hello'));
      assert.equal(await page.evaluate(() => navigator.clipboard.readText()), ', world');
    } finally {
      await ed.close();
    }
  });

  it('the cursor follows bytes inserted or deleted in another editor of the document', async () => {
    const ed = await openEditor(env.browser, env.files.write('follow.txt', bytesOf('0123456789abcdef0123456789')));
    try {
      const { page } = ed;
      await page.locator('.grid').focus();
      await press(page, 'Control+End', 'ArrowLeft'); // on byte 24 ('8')
      assert.equal((await editorState(page)).cursor, 24);
      ed.model.replace(2, 0, bytesOf('+++'), 'insert elsewhere');
      await page.waitForFunction(() => document.getElementById('hexmap-root')!.dataset.cursor === '27');
      ed.model.replace(0, 10, new Uint8Array(0), 'delete elsewhere');
      await page.waitForFunction(() => document.getElementById('hexmap-root')!.dataset.cursor === '17');
      // Still on the same byte.
      assert.deepEqual(await ed.model.read(17, 1), bytesOf('8'));
      ed.model.replace(0, 3, bytesOf('zz'), 'replace before the cursor, one byte shorter');
      await page.waitForFunction(() => document.getElementById('hexmap-root')!.dataset.cursor === '16');
      // An edit after the cursor leaves it alone.
      ed.model.replace(18, 0, bytesOf('!'), 'after');
      await waitForIdle(page);
      await new Promise((r) => setTimeout(r, 100));
      assert.equal((await editorState(page)).cursor, 16);
    } finally {
      await ed.close();
    }
  });
});

describe('editor webview: random interleavings of keys, pastes and edits from another editor', () => {
  it('matches a reference model of bytes and cursor after every step', async () => {
    const next = seededRandom(Number(process.env.HEXMAP_SEED ?? 1207)); // HEXMAP_SEED=n reproduces another run
    let bytes = Array.from({ length: 24 }, (_, i) => 0x41 + i);
    const ed = await openEditor(env.browser, env.files.write('random.bin', Uint8Array.from(bytes)));
    try {
      const { page } = ed;
      await page.locator('.grid').focus();
      let cursor = 0;
      let insert = false;
      const last = () => (insert ? bytes.length : Math.max(0, bytes.length - 1));
      const hex = (v: number) => v.toString(16).padStart(2, '0');
      const log: string[] = [];
      for (let step = 0; step < 60; step++) {
        const r = next();
        const c = cursor;
        if (r < 0.1) {
          await press(page, 'Insert');
          insert = !insert;
          if (!insert && cursor > last()) cursor = last();
          log.push(`Insert -> ${insert ? 'insert' : 'overwrite'}`);
        } else if (r < 0.4) {
          const v = Math.floor(next() * 256);
          await press(page, hex(v)[0], hex(v)[1]);
          if (insert) { bytes.splice(c, 0, v); cursor = c + 1; } else if (c < bytes.length) { bytes[c] = v; cursor = Math.min(c + 1, last()); }
          log.push(`type ${hex(v)} at ${c}`);
        } else if (r < 0.5) {
          await press(page, 'Delete');
          if (c < bytes.length) { bytes.splice(c, 1); cursor = Math.min(c, last()); }
          log.push(`Delete at ${c}`);
        } else if (r < 0.6) {
          await press(page, 'Backspace');
          if (c > 0) { bytes.splice(c - 1, 1); cursor = c - 1; }
          log.push(`Backspace at ${c}`);
        } else if (r < 0.7) {
          const k = next() < 0.5 ? 'ArrowLeft' : 'ArrowRight';
          await press(page, k);
          if (bytes.length > 0 || insert) cursor = k === 'ArrowLeft' ? Math.max(0, c - 1) : Math.min(c + 1, last());
          log.push(`${k} from ${c}`);
        } else if (r < 0.8) {
          const add = Array.from({ length: 1 + Math.floor(next() * 3) }, () => Math.floor(next() * 256));
          await paste(page, add.map(hex).join(' '));
          if (insert) { bytes.splice(c, 0, ...add); cursor = c + add.length; } else if (c + add.length <= bytes.length && bytes.length > 0) {
            bytes.splice(c, add.length, ...add);
            cursor = Math.min(c + add.length, last());
          }
          log.push(`paste ${add.length} at ${c}`);
        } else {
          // Another editor of the document inserts, deletes or replaces somewhere.
          const at = Math.floor(next() * (bytes.length + 1));
          const del = Math.min(bytes.length - at, Math.floor(next() * 3));
          const ins = Array.from({ length: Math.floor(next() * 3) }, () => Math.floor(next() * 256));
          if (del === 0 && ins.length === 0) continue;
          ed.model.replace(at, del, Uint8Array.from(ins), 'elsewhere');
          bytes.splice(at, del, ...ins);
          const delta = ins.length - del;
          if (delta !== 0 && c >= at) cursor = Math.max(at, c + delta);
          if (cursor > last()) cursor = last();
          log.push(`elsewhere: replace ${del} at ${at} by ${ins.length}`);
        }
        const expected = Uint8Array.from(bytes);
        await modelBecomes(ed, expected).catch((e) => { throw new Error(`step ${step}: ${log.slice(-5).join('; ')}: ${(e as Error).message}`); });
        const deadline = Date.now() + 3000;
        while ((await editorState(page)).cursor !== cursor && Date.now() < deadline) await new Promise((res) => setTimeout(res, 20));
        assert.equal((await editorState(page)).cursor, cursor, `cursor after step ${step}: ${log.slice(-5).join('; ')}`);
      }
      // What is drawn is what the model holds.
      await page.waitForFunction(() => document.getElementById('hexmap-root')!.dataset.loading === 'false');
      const shown = await page.evaluate(() => (window as unknown as { hexmapEditor: { renderer: { shown(): { cells: { hex: string }[] }[] } } }).hexmapEditor.renderer.shown().flatMap((r) => r.cells.map((c) => c.hex)).filter((h) => h !== ''));
      assert.deepEqual(shown, bytes.map((b) => hex(b).toUpperCase()));
    } finally {
      await ed.close();
    }
  });
});

describe('editor webview: a comparison\'s highlights', () => {
  it('draws differences in both panes, the current one stronger, insertion markers and overview marks', async () => {
    const ed = await openEditor(env.browser, env.files.write('diff.bin', new Uint8Array(64 * 1024).fill(0x2e)));
    try {
      const { page } = ed;
      await page.locator('.grid').focus();
      ed.session.decorate({
        type: 'decorations', kind: 'diff', span: { offset: 0, length: 4096 },
        ranges: [{ offset: 20, length: 0 }, { offset: 35, length: 2 }, { offset: 40, length: 3 }, { offset: 44, length: 1 }],
        current: { offset: 40, length: 3 },
        overview: [{ offset: 0, length: 64 }, { offset: 32_768, length: 16 }],
      });
      await page.waitForFunction(() => document.querySelector('.overview-ruler:not([hidden])') !== null);
      await waitForIdle(page);
      assert.deepEqual(await markedOffsets(page, 'dif'), { hex: [35, 36, 40, 41, 42, 44], text: [35, 36, 40, 41, 42, 44] });
      assert.deepEqual(await markedOffsets(page, 'dif-cur'), { hex: [40, 41, 42], text: [40, 41, 42] });
      assert.deepEqual(await markedOffsets(page, 'dif-ins'), { hex: [20], text: [20] });
      // Pixels: a differing cell's background is not a plain cell's; the current one differs from both.
      const pixels = await pagePixels(page);
      const at = async (offset: number, pane: 'hex' | 'text') => { const b = (await cellBox(page, offset, pane))!; return pixels.rgb(b.x + 1, b.y + 2).join(); };
      // Cells of one row (row 2: 32..47) compared, so the cursor line's tint plays no part.
      const plain = await at(46, 'hex');
      assert.notEqual(await at(44, 'hex'), plain, 'hex pane: difference drawn');
      assert.notEqual(await at(35, 'text'), await at(46, 'text'), 'text pane: difference drawn');
      assert.notEqual(await at(41, 'hex'), await at(44, 'hex'), 'the current difference is drawn stronger');
      assert.equal(await at(38, 'hex'), plain, 'a plain cell between them is plain');
      assert.notEqual(await at(20, 'hex'), await at(22, 'hex'), 'a thin marker where the other side has bytes this one lacks');
      const ruler = await page.evaluate(() => {
        const c = document.querySelector('.overview-ruler') as HTMLCanvasElement;
        const r = c.getBoundingClientRect();
        return { top: r.top, height: r.height, x: r.left + r.width / 2 };
      });
      const markY = ruler.top + ruler.height / 2 + 0.5;
      const blankY = ruler.top + ruler.height / 4;
      assert.notEqual(pixels.rgb(ruler.x, markY).join(), pixels.rgb(ruler.x, blankY).join(), 'a mark half way down the strip for 32 KiB of 64');
      // Clearing: nothing drawn any more.
      ed.session.decorate({ type: 'decorations', kind: 'diff', span: { offset: 0, length: 4096 }, ranges: [] });
      await page.waitForFunction(() => document.querySelector('.overview-ruler[hidden]') !== null);
      await waitForIdle(page);
      assert.deepEqual(await markedOffsets(page, 'dif'), { hex: [], text: [] });
    } finally {
      await ed.close();
    }
  });

  it("scrollTo moves the view without moving the cursor and is not echoed as 'viewport'", async () => {
    const ed = await openEditor(env.browser, env.files.write('scroll.bin', new Uint8Array(1 << 20)));
    try {
      const { page } = ed;
      await page.locator('.grid').focus();
      const before = ed.fromWebview.filter((m) => m.type === 'viewport').length;
      ed.session.scrollTo(0x8000);
      await page.waitForFunction(() => document.getElementById('hexmap-root')!.dataset.topOffset === String(0x8000));
      await new Promise((r) => setTimeout(r, 400));
      assert.equal((await editorState(page)).cursor, 0);
      assert.equal(ed.fromWebview.filter((m) => m.type === 'viewport').length, before, 'no viewport message back');
      await press(page, 'PageDown');
      await new Promise((r) => setTimeout(r, 400));
      assert.ok(ed.fromWebview.filter((m) => m.type === 'viewport').length > before, 'a scroll by the user is reported');
    } finally {
      await ed.close();
    }
  });
});
