/**
 * The in-editor Find widget (Ctrl+F) in headless Chromium over a real
 * session/model: text and hex (?? wildcards) patterns, ignore-case,
 * Enter / Shift+Enter with wrap-around, the "N+" cap and counting them all,
 * highlights in both panes, progress + Cancel on a 64 GiB file, and
 * Replace / Replace All as ordinary edits.
 */
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import type { Page } from 'playwright-core';
import { editorState, openEditor, screenshot, waitForIdle, markedOffsets } from './support/editorHarness';
import { editorSuite } from './support/editorSuite';
import { bytesOf } from './support/testFiles';

const env = editorSuite();

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
    const ed = await openEditor(env.browser, env.files.write('hay.bin', h.bytes));
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
      await page.getByRole('button', { name: 'Ignore case' }).click();
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
    const ed = await openEditor(env.browser, env.files.write('many.txt', bytesOf('ab'.repeat(12_000))), { findMaxMatches: 500 });
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
    const ed = await openEditor(env.browser, env.files.sparse('huge-find.bin', 64 * 1024 ** 3));
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

  it('replaces with a different length; Replace All is one batch and one undo step', async () => {
    const h = haystack();
    const ed = await openEditor(env.browser, env.files.write('replace.bin', h.bytes));
    try {
      const { page } = ed;
      await page.locator('.grid').focus();
      await page.keyboard.press('Control+f');
      await find(page, 'needle');
      assert.equal(await countText(page), '4');
      await page.locator('.find-widget input').nth(1).fill('pin');
      await page.keyboard.press('Enter'); // in the replace box: go to the first match
      await page.waitForFunction(() => document.getElementById('hexmap-root')!.dataset.cursor === '100');
      await page.keyboard.press('Enter'); // replace it (6 bytes by 3), move on
      // The next match moved 3 bytes closer.
      await page.waitForFunction(() => document.getElementById('hexmap-root')!.dataset.cursor === String(70_000 - 3));
      assert.equal(ed.model.size, h.bytes.length - 3);
      assert.deepEqual(await ed.model.read(97, 12), bytesOf('...pin......'));
      const single = ed.fromWebview.filter((m) => m.type === 'edit');
      assert.deepEqual(single.map((m) => [(m as { offset: number }).offset, (m as { deleteLength?: number }).deleteLength]), [[100, 6]]);

      await page.locator('.find-widget input').nth(1).fill('thread!!');
      await page.getByRole('button', { name: 'Replace all (one undo step)' }).click();
      await page.waitForSelector('.message-bar:not([hidden])');
      assert.match(await page.locator('.message-bar').innerText(), /Replaced 3 match/);
      const batches = ed.fromWebview.filter((m) => m.type === 'editBatch') as Extract<typeof ed.fromWebview[number], { type: 'editBatch' }>[];
      assert.equal(batches.length, 1, 'one editBatch message');
      assert.deepEqual(batches[0].edits.map((e) => [e.offset, e.deleteLength, e.bytes.length]), [[70_000 - 3, 6, 8], [131_070 - 3, 6, 8], [199_000 - 3, 6, 8]]);
      assert.equal(ed.fromWebview.filter((m) => m.type === 'edit').length, 1, 'no per-match edits');
      // Each replacement lands 2 bytes later than the one before it (8 for 6).
      const expected = [70_000 - 3, 131_070 - 1, 199_000 + 1];
      for (const at of expected) assert.deepEqual(await ed.model.read(at, 8), bytesOf('thread!!'), `at ${at}`);
      assert.deepEqual(await ed.model.read(h.upper - 3 + 4, 6), bytesOf('NEEDLE'), 'case-sensitive replace leaves NEEDLE');
      assert.equal(ed.model.size, h.bytes.length - 3 + 6);
      // One undo takes back all three.
      assert.ok(ed.model.undo());
      assert.equal(ed.model.size, h.bytes.length - 3);
      for (const n of h.needles.slice(1)) assert.deepEqual(await ed.model.read(n - 3, 6), bytesOf('needle'), `restored at ${n - 3}`);
      // The webview follows: the bytes it draws are the model's again.
      await page.waitForFunction(() => document.getElementById('hexmap-root')!.dataset.loading === 'false');
    } finally {
      await ed.close();
    }
  });
});
