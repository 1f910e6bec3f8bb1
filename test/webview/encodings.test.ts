/**
 * The text pane in the other encodings, in headless Chromium over a real
 * session and file: a UTF-16 surrogate pair drawn once across a row end and
 * a 64 KiB window edge (the window's context bytes let the next window know
 * its first bytes continue it), a live switch between the single-byte
 * encodings with windows-1252 judged by Chromium's own TextDecoder, and
 * find in UTF-16LE with ignore case (and a character ASCII cannot hold).
 */
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { editorSuite } from './support/editorSuite';
import type { Page } from 'playwright-core';
import { openEditor, readRows, screenshot, waitForIdle } from './support/editorHarness';
import { codecFor } from '../../shared/encodings';

const WINDOW = 64 * 1024;
const env = editorSuite();

async function scrollToRow(page: Page, row: number): Promise<void> {
  await page.evaluate((r) => (window as unknown as { hexmapEditor: { scrollToRow(r: number): void } }).hexmapEditor.scrollToRow(r), row);
  await waitForIdle(page);
}

/** `text` in UTF-16LE. */
const le = (text: string) => (codecFor('utf-16le').encode(text) as { bytes: Uint8Array }).bytes;

describe('editor webview: text encodings', () => {
  it('UTF-16LE: a surrogate pair straddling a row end and a 64 KiB window edge is drawn once, spanning its 4 bytes', async () => {
    const data = new Uint8Array(3 * WINDOW);
    data.set(le('.'.repeat((3 * WINDOW) / 2)));
    data.set(le('😀'), WINDOW - 2); // 3D D8 | 00 DE at 0xFFFE..0x10001: row 0xFFF0 ends, window 1 begins
    data.set(le('é'), 0x20);
    const ed = await openEditor(env.browser, env.files.write('utf16.bin', data), { beforeLoad: (s) => s.setEncoding('utf-16le') });
    try {
      const { page } = ed;
      let rows = await readRows(page);
      assert.equal(rows[2].glyph[0], 'é', 'a BMP character is drawn at its first byte');
      assert.equal(rows[2].glyph[1], '');
      assert.match(rows[2].hexClass[0], /\bk-l\b.*\bu-s\b/);
      assert.match(rows[2].hexClass[1], /\bk-c\b.*\bu-e\b/);
      assert.equal(rows[0].glyph.filter((g) => g === '.').length, 8, 'eight 2-byte units per 16-byte row');
      assert.equal(await page.locator('.header .txt').innerText(), 'UTF-16LE', 'the text pane\'s heading names the encoding');

      await scrollToRow(page, (WINDOW - 16) / 16 - 2);
      rows = await readRows(page);
      const i = rows.findIndex((r) => r.address === '0000FFF0');
      assert.ok(i >= 0);
      const [a, b] = [rows[i], rows[i + 1]];
      assert.equal(a.glyph[14], '😀', 'drawn once, at the high surrogate');
      assert.equal(a.glyph[15] + b.glyph[0] + b.glyph[1], '', 'the other three bytes draw no glyph');
      assert.match(a.hexClass[14], /\bk-l\b.*\bu-s\b/);
      assert.match(a.hexClass[15], /\bk-c\b.*\bu-m\b.*\bcarry-on\b/, 'the bracket continues on the next row');
      assert.match(b.hexClass[0], /\bk-c\b.*\bu-m\b.*\bcarry\b/, 'and continues from the previous row');
      assert.match(b.hexClass[1], /\bk-c\b.*\bu-e\b/);
      assert.match(b.textClass[0], /\bu-m\b.*\bcarry\b/, 'the text pane spans the same cells');
      assert.equal(b.glyph[2], '.', 'the next unit starts right after the pair');
      await screenshot(page, 'encodings-utf16-pair-straddle');

      // With the high surrogate above the view and in the window before, the low one is still known as its end.
      await scrollToRow(page, WINDOW / 16);
      rows = await readRows(page);
      assert.equal(rows[0].address, '00010000');
      assert.match(rows[0].hexClass[0], /\bk-c\b.*\bcarry\b/);
      assert.match(rows[0].hexClass[1], /\bk-c\b/);
      assert.doesNotMatch(rows[0].hexClass[0] + rows[0].hexClass[1], /\bk-i\b/, 'never flagged by a window edge');

      // The same bytes in UTF-8: dots and NULs, no pair.
      ed.session.setEncoding('utf-8');
      await page.waitForFunction(() => document.querySelector('[aria-label*="UTF-8"]') !== null);
      await waitForIdle(page);
      rows = await readRows(page);
      assert.equal(rows[0].glyph[2], '.');
      assert.deepEqual(ed.pageErrors, []);
    } finally {
      await ed.close();
    }
  });

  it('switches live between the single-byte encodings; windows-1252 is what Chromium\'s TextDecoder says', async () => {
    const all = Uint8Array.from({ length: 256 }, (_, b) => b);
    const ed = await openEditor(env.browser, env.files.write('bytes.bin', all), { bytesPerRow: 16 });
    try {
      const { page } = ed;
      // Chromium follows WHATWG for windows-1252 (Node 20 does not): its code points are the judge.
      const chromium: number[] = await page.evaluate(() => [...new TextDecoder('windows-1252').decode(Uint8Array.from({ length: 256 }, (_, b) => b))].map((c) => c.codePointAt(0)!));
      const codec = codecFor('windows-1252');
      assert.deepEqual([...all].map((b) => codec.decodeUnit(all, b, 256, b).codePoint), chromium);

      ed.session.setEncoding('windows-1252');
      await page.waitForFunction(() => document.querySelector('[aria-label*="Windows 1252"]') !== null);
      await waitForIdle(page);
      let rows = await readRows(page);
      const row8 = rows.find((r) => r.address === '00000080')!;
      assert.equal(row8.glyph[0], '€');
      assert.equal(row8.glyph[1], '\ufffd', '81 is undefined in windows-1252');
      assert.match(row8.hexClass[1], /\bk-i\b/);
      assert.equal(row8.glyph[10], 'Š');
      const rowE = rows.find((r) => r.address === '000000E0');
      if (rowE) assert.equal(rowE.glyph[9], 'é');
      await screenshot(page, 'encodings-windows-1252');

      ed.session.setEncoding('ascii');
      await page.waitForFunction(() => document.querySelector('[aria-label*="ASCII"]') !== null);
      await waitForIdle(page);
      rows = await readRows(page);
      assert.match(rows.find((r) => r.address === '00000080')!.hexClass[0], /\bk-i\b/, '80 is not ASCII');
      assert.equal(rows.find((r) => r.address === '00000040')!.glyph[1], 'A');

      ed.session.setEncoding('iso-8859-1');
      await page.waitForFunction(() => document.querySelector('[aria-label*="ISO 8859-1"]') !== null);
      await waitForIdle(page);
      rows = await readRows(page);
      const r8 = rows.find((r) => r.address === '00000080')!;
      assert.doesNotMatch(r8.hexClass[0] + r8.hexClass[1], /\bk-i\b/, 'C1 controls are characters in ISO-8859-1');
      assert.equal(r8.glyph[0], '\u00b7', 'drawn as a dim stand-in');
      assert.deepEqual(ed.pageErrors, []);
    } finally {
      await ed.close();
    }
  });

  it('typing and Delete in the text pane write and remove whole units of the encoding (UTF-16BE)', async () => {
    const be = (t: string) => (codecFor('utf-16be').encode(t) as { bytes: Uint8Array }).bytes;
    const ed = await openEditor(env.browser, env.files.write('type16.bin', be('ab😀c')), { beforeLoad: (s) => s.setEncoding('utf-16be') });
    const modelIs = async (want: Uint8Array) => {
      const deadline = Date.now() + 5000;
      let got = await ed.model.read(0, ed.model.size);
      while (Buffer.compare(Buffer.from(got), Buffer.from(want)) !== 0 && Date.now() < deadline) {
        await new Promise((r) => setTimeout(r, 20));
        got = await ed.model.read(0, ed.model.size);
      }
      assert.equal(Buffer.from(got).toString('hex'), Buffer.from(want).toString('hex'));
      await waitForIdle(ed.page);
    };
    try {
      const { page } = ed;
      await page.locator('.grid').focus();
      // Keys that produce 'é' and 'ж' (Playwright's key map has none): raw key events through CDP.
      const cdp = await page.context().newCDPSession(page);
      const typeKey = async (key: string): Promise<void> => {
        await cdp.send('Input.dispatchKeyEvent', { type: 'keyDown', key, text: key, unmodifiedText: key });
        await cdp.send('Input.dispatchKeyEvent', { type: 'keyUp', key });
      };
      await page.keyboard.press('Tab'); // the text pane
      await typeKey('é');
      await modelIs(be('éb😀c'));
      // Delete on any byte of the pair removes its 4 bytes.
      ed.session.reveal(5, 0);
      await page.waitForFunction(() => document.getElementById('hexmap-root')!.dataset.cursor === '5');
      await page.keyboard.press('Delete');
      await modelIs(be('ébc'));
      ed.session.setEncoding('ascii');
      await page.waitForFunction(() => document.querySelector('[aria-label*="ASCII"]') !== null);
      await typeKey('ж');
      await page.waitForFunction(() => /ASCII cannot represent/.test(document.body.innerText));
      await modelIs(be('ébc'));
      assert.deepEqual(ed.pageErrors, []);
    } finally {
      await ed.close();
    }
  });

  it('find in UTF-16LE encodes the query and ignores case by the one-bit rule; ASCII refuses what it cannot hold', async () => {
    const text = 'Größe · GRÖSSE · größe · GRÖßE · 䅁 · aa';
    const ed = await openEditor(env.browser, env.files.write('find16.bin', le(text)), { beforeLoad: (s) => s.setEncoding('utf-16le') });
    try {
      const { page } = ed;
      /** The final count of a query whose pattern is `bytes` long (so an earlier query's count is not taken for it). */
      const count = async (bytes: number) => {
        await page.waitForFunction((n) => {
          const h = (window as unknown as { hexmapEditor: { highlights: { matches: number[]; matchLength: number } } }).hexmapEditor.highlights;
          const shown = document.querySelector('.match-count')?.textContent ?? '';
          return /^(No results|[\d,]+\+?)$/.test(shown) && (shown === 'No results' || h.matchLength === n);
        }, bytes);
        return page.locator('.match-count').textContent();
      };
      await page.locator('.grid').focus();
      await page.keyboard.press('Control+f');
      await page.locator('.find-widget input').first().fill('größe');
      assert.equal(await count(10), '1', 'exact case: one');
      await page.getByRole('button', { name: 'Ignore case' }).click();
      assert.equal(await count(10), '3', 'Größe, größe, GRÖßE (ß has no one-character capital; GRÖSSE is longer)');
      await page.locator('.find-widget input').first().fill('AA');
      assert.equal(await count(4), '1', '"aa" only: U+4141 is the bytes 41 41 but not the letters');
      await page.keyboard.press('Enter');
      await page.waitForFunction((at) => document.getElementById('hexmap-root')!.dataset.cursor === String(at), 2 * (text.length - 2));

      ed.session.setEncoding('ascii');
      await page.locator('.find-widget input').first().fill('größe');
      await page.waitForSelector('.find-widget .widget-error:not(:empty)');
      assert.match(await page.locator('.find-widget .widget-error').innerText(), /ASCII cannot represent "ö"/);
      assert.deepEqual(ed.pageErrors, []);
    } finally {
      await ed.close();
    }
  });
});
