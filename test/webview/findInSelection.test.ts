/**
 * Find in selection, in headless Chromium over a real session and file:
 * with the toggle on, the count, Enter / Shift+Enter (wrapping inside the
 * scope) and Replace All see only matches lying wholly inside the selection
 * it was switched on with; a match straddling the scope's end is left out;
 * the scope is shaded in both panes and grows with its own replacements; with no selection the toggle
 * explains itself and stays off.
 */
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { editorSuite } from './support/editorSuite';
import type { Page } from 'playwright-core';
import { markedOffsets, openEditor, shownRows, waitForIdle } from './support/editorHarness';
import { bytesOf, TestFiles } from './support/testFiles';

const env = editorSuite();

async function countText(page: Page, expected: string): Promise<void> {
  await page.waitForFunction((want) => document.querySelector('.match-count')?.textContent === want, expected, { timeout: 10_000 })
    .catch(async () => assert.fail(`count: expected ${expected}, shows ${await page.locator('.match-count').textContent()}`));
}

const cursorIs = (page: Page, offset: number) => page.waitForFunction((o) => document.getElementById('hexmap-root')!.dataset.cursor === String(o), offset, { timeout: 10_000 });

describe('editor webview: find in selection', () => {
  it('counts, steps, wraps and replaces only inside the selection', async () => {
    const bytes = new Uint8Array(30_000).fill(0x2e);
    const needles = [100, 5000, 9000, 9997, 20_000]; // 9997 straddles the scope's end (10,000)
    for (const n of needles) bytes.set(bytesOf('needle'), n);
    const ed = await openEditor(env.browser, env.files.write('scope.bin', bytes));
    try {
      const { page } = ed;
      ed.session.reveal(4000, 6000); // selects [4000, 10000)
      await page.waitForFunction(() => document.getElementById('hexmap-root')!.dataset.anchor === '9999');
      await page.locator('.grid').focus();
      await page.keyboard.press('Control+f');
      await page.locator('.find-widget input').first().fill('needle');
      await countText(page, '5');
      const sentBefore = ed.fromWebview.length;
      await page.locator('.find-widget input').first().press('Alt+l'); // VS Code's key for the toggle
      assert.equal(await page.getByRole('button', { name: /^Find in selection/ }).getAttribute('aria-pressed'), 'true');
      assert.match(await page.getByRole('button', { name: /^Find in selection/ }).getAttribute('aria-label') ?? '', /0xFA0 to 0x270F/);
      await countText(page, '2');
      // The scope is shaded in both panes, exactly over [4000, 10000) where it is on screen.
      await waitForIdle(page);
      const shaded = await markedOffsets(page, 'scope');
      const shown = (await shownRows(page)).flatMap((r) => r.cells.map((c) => c.offset));
      const inScope = shown.filter((o) => o >= 4000 && o < 10_000);
      assert.ok(inScope.length > 0);
      assert.deepEqual(shaded, { hex: inScope, text: inScope });
      await page.locator('.find-widget input').first().press('Enter');
      await cursorIs(page, 5000);
      await page.keyboard.press('Enter');
      await cursorIs(page, 9000);
      await page.keyboard.press('Enter');
      await cursorIs(page, 5000); // wrapped inside the scope, not to 9997 or 20000
      await page.keyboard.press('Shift+Enter');
      await cursorIs(page, 9000); // backwards from the first wraps to the scope's last
      const found = ed.fromWebview.slice(sentBefore).filter((m) => m.type === 'request' && m.request.kind === 'find');
      assert.ok(found.length >= 5 && found.every((m) => m.type === 'request' && m.request.kind === 'find' && m.request.rangeStart === 4000 && m.request.rangeEnd === 10_000),
        'every find request carried the scope');

      await page.locator('.find-widget input').nth(1).fill('NEEDLES');
      await page.getByRole('button', { name: 'Replace all (one undo step)' }).click();
      await page.waitForSelector('.message-bar:not([hidden])');
      assert.match(await page.locator('.message-bar').innerText(), /Replaced 2 match/);
      assert.deepEqual(await ed.model.read(5000, 7), bytesOf('NEEDLES'));
      assert.deepEqual(await ed.model.read(9001, 7), bytesOf('NEEDLES'));
      for (const n of [100, 9997 + 2, 20_000 + 2]) assert.deepEqual(await ed.model.read(n, 6), bytesOf('needle'), `untouched at ${n}`);
      // The scope grew by the two replacements (2 bytes): the straddling needle is still outside it.
      await countText(page, 'No results'); // 'needle' is gone from the scope
      await page.locator('.find-widget input').first().fill('NEEDLES');
      await countText(page, '2');
      await page.locator('.find-widget input').first().fill('needle');
      await countText(page, 'No results');
      // Off again: the whole document.
      await page.getByRole('button', { name: /^Find in selection/ }).click();
      await countText(page, '3');
      await waitForIdle(page);
      assert.deepEqual(await markedOffsets(page, 'scope'), { hex: [], text: [] }, 'no shading once off');
      await waitForIdle(page);
    } finally {
      await ed.close();
    }
  });

  it('with only a cursor, the toggle says what to do and stays off', async () => {
    const ed = await openEditor(env.browser, env.files.write('noscope.bin', bytesOf('needle '.repeat(50))));
    try {
      const { page } = ed;
      await page.locator('.grid').focus();
      await page.keyboard.press('Control+f');
      await page.locator('.find-widget input').first().fill('needle');
      await countText(page, '50');
      await page.getByRole('button', { name: /^Find in selection/ }).click();
      await page.waitForSelector('.message-bar:not([hidden])');
      assert.match(await page.locator('.message-bar').innerText(), /Select the bytes to search in first/);
      assert.equal(await page.getByRole('button', { name: /^Find in selection/ }).getAttribute('aria-pressed'), 'false');
      await countText(page, '50');
    } finally {
      await ed.close();
    }
  });
});
