/**
 * The in-editor Find widget (Ctrl+F) in headless Chromium over a real
 * session/model: text and hex (?? wildcards) patterns, ignore-case,
 * Enter / Shift+Enter with wrap-around, the "N+" cap and counting them all,
 * highlights in both panes, progress + Cancel on a 64 GiB file, and
 * Replace / Replace All as ordinary edits.
 */
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import type { Page } from 'playwright-core';
import { editorState, EditorTestBrowser, openEditor, screenshot, waitForIdle, markedOffsets } from './support/editorHarness';
import { bytesOf, TestFiles } from './support/testFiles';

let tb: EditorTestBrowser;
let files: TestFiles;
before(async () => { tb = await EditorTestBrowser.launch(); files = new TestFiles(); });
after(async () => { await tb?.close(); files?.cleanup(); });

/** ~200 KB of filler with 'needle' planted at known offsets (and one 'NEEDLE'). */
function haystack(): { bytes: Uint8Array; needles: number[]; upper: number } {
  const bytes = new Uint8Array(200_000).fill(0x2e);
  const needles = [100, 70_000, 131_070, 199_000]; // 131070: straddles the second 64 KiB window edge
  for (const n of needles) bytes.set(bytesOf('needle'), n);
  const upper = 150_000;
  bytes.set(bytesOf('NEEDLE'), upper);
  return { bytes, needles, upper };
}

async function countText(page: Page, done: RegExp = /^(No results|[\d,]+\+?|.*cancelled.*)$/): Promise<string> {
  await page.waitForFunction((re) => new RegExp(re).test(document.querySelector('.match-count')?.textContent ?? ''), done.source);
  return (await page.locator('.match-count').textContent()) ?? '';
}

async function find(page: Page, text: string): Promise<void> {
  await page.locator('.find-widget input').first().fill(text);
}

describe('editor webview: find widget', () => {
  it('finds text, counts, highlights in both panes, and steps with Enter / Shift+Enter, wrapping', async () => {
    const h = haystack();
    const ed = await openEditor(tb, files.write('hay.bin', h.bytes));
    try {
      const { page } = ed;
      await page.locator('.grid').focus();
      await page.keyboard.press('Control+f');
      assert.equal(await page.locator('.find-widget').isVisible(), true);
      await find(page, 'needle');
      assert.equal(await countText(page), '4');
      await page.keyboard.press('Enter');
      await page.waitForFunction(() => document.getElementById('hexmap-root')!.dataset.cursor === '100');
      await waitForIdle(page);
      const mat = await markedOffsets(page, 'mat');
      const marked = { hex: mat.hex.length, text: mat.text.length, current: (await markedOffsets(page, 'mat-cur')).text.length };
      assert.deepEqual(marked, { hex: 6, text: 6, current: 6 }, 'the match is highlighted in both panes');
      await screenshot(page, 'find-text-match');
      const cursors: number[] = [];
      for (let i = 0; i < 4; i++) {
        await page.keyboard.press('Enter');
        await page.waitForFunction((prev) => document.getElementById('hexmap-root')!.dataset.cursor !== String(prev), cursors.at(-1) ?? 100);
        cursors.push((await editorState(page)).cursor);
      }
      assert.deepEqual(cursors, [70_000, 131_070, 199_000, 100], 'forward, then wraps to the first');
      await page.keyboard.press('Shift+Enter');
      await page.waitForFunction(() => document.getElementById('hexmap-root')!.dataset.cursor === '199000');
      assert.equal((await editorState(page)).cursor, 199_000, 'Shift+Enter wraps backwards from the first match');
      // Ignore case finds the upper-case one too.
      await page.getByRole('button', { name: 'Ignore ASCII case' }).click();
      assert.equal(await countText(page), '5');
      // Hex with a wildcard: 6E ?? 65 64 = "n?ed".
      await page.getByRole('button', { name: /Search hex bytes/ }).click();
      await find(page, '6E ?? 65 64');
      assert.equal(await countText(page), '4');
      await find(page, '6E6');
      await page.waitForSelector('.find-widget .widget-error:not(:empty)');
      assert.match(await page.locator('.find-widget .widget-error').innerText(), /pairs of hex digits/);
      await page.keyboard.press('Escape');
      assert.equal(await page.locator('.find-widget').isVisible(), false);
      assert.deepEqual(await markedOffsets(page, 'mat'), { hex: [], text: [] }, 'closing clears highlights');
    } finally {
      await ed.close();
    }
  });

  it('caps the displayed count as "N+" (hexmap.findMaxMatches) and counts them all on request', async () => {
    const ed = await openEditor(tb, files.write('many.txt', bytesOf('ab'.repeat(12_000))), { findMaxMatches: 500 });
    try {
      const { page } = ed;
      await page.locator('.grid').focus();
      await page.keyboard.press('Control+f');
      await find(page, 'ab');
      assert.equal(await countText(page), '500+');
      await page.locator('.match-count').click();
      assert.equal(await countText(page, /^12,000$/), '12,000');
    } finally {
      await ed.close();
    }
  });

  it('shows progress on a 64 GiB file and Cancel stops the search', async () => {
    const ed = await openEditor(tb, files.sparse('huge-find.bin', 64 * 1024 ** 3));
    try {
      const { page } = ed;
      await page.locator('.grid').focus();
      await page.keyboard.press('Control+f');
      await find(page, 'absent');
      await page.waitForSelector('.find-progress:not([hidden])');
      await screenshot(page, 'find-progress');
      await page.getByRole('button', { name: 'Cancel search' }).click();
      const label = await countText(page);
      assert.match(label, /cancelled/);
      assert.ok(ed.fromWebview.some((m) => m.type === 'cancel'), "the webview sent 'cancel'");
    } finally {
      await ed.close();
    }
  });

  it('replaces one match and all matches as edits of the same length', async () => {
    const h = haystack();
    const ed = await openEditor(tb, files.write('replace.bin', h.bytes));
    try {
      const { page } = ed;
      await page.locator('.grid').focus();
      await page.keyboard.press('Control+f');
      await find(page, 'needle');
      assert.equal(await countText(page), '4');
      await page.locator('.find-widget input').nth(1).fill('pin');
      await page.getByRole('button', { name: 'Replace (same length)' }).click();
      await page.waitForSelector('.find-widget .widget-error:not(:empty)');
      assert.match(await page.locator('.find-widget .widget-error').innerText(), /same length/);
      await page.locator('.find-widget input').nth(1).fill('thread');
      await page.keyboard.press('Enter'); // in the replace box: go to the first match
      await page.waitForFunction(() => document.getElementById('hexmap-root')!.dataset.cursor === '100');
      await page.keyboard.press('Enter'); // replace it, move on
      await page.waitForFunction(() => document.getElementById('hexmap-root')!.dataset.cursor === '70000');
      assert.deepEqual(await ed.model.read(100, 6), bytesOf('thread'));
      await page.getByRole('button', { name: 'Replace all (same length)' }).click();
      await page.waitForSelector('.message-bar:not([hidden])');
      assert.match(await page.locator('.message-bar').innerText(), /Replaced 3 match/);
      for (const n of h.needles) assert.deepEqual(await ed.model.read(n, 6), bytesOf('thread'), `at ${n}`);
      assert.deepEqual(await ed.model.read(h.upper, 6), bytesOf('NEEDLE'), 'case-sensitive replace leaves NEEDLE');
      const editOffsets = ed.fromWebview.filter((m) => m.type === 'edit').map((m) => (m as { offset: number }).offset);
      assert.deepEqual(editOffsets, [100, 70_000, 131_070, 199_000]);
    } finally {
      await ed.close();
    }
  });
});
