/**
 * The cursor's row is highlighted across the whole editor width, as VS
 * Code's current line is: beyond the canvas (which is only as wide as the
 * columns) the highlight continues in the same colour, moves with the
 * cursor and the scroll position, and other rows stay plain there.
 */
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import type { Page } from 'playwright-core';
import { cellBox, openEditor, pagePixels, waitForIdle } from './support/editorHarness';
import { editorSuite } from './support/editorSuite';
import { bytesOf } from './support/testFiles';

const env = editorSuite();

/** Colours at the middle of `offset`'s row: left of the address (inside the canvas) and near the right edge (outside it). */
async function rowColours(page: Page, offset: number): Promise<{ inside: number[]; outside: number[] }> {
  const box = await cellBox(page, offset, 'hex');
  assert.ok(box, `row of ${offset} on screen`);
  const canvasRight = await page.evaluate(() => document.querySelector('canvas.grid-canvas')!.getBoundingClientRect().right);
  const px = await pagePixels(page);
  const y = Math.round(box.y + box.height / 2);
  const outsideX = Math.round(canvasRight + (px.width - canvasRight) / 2);
  assert.ok(outsideX > canvasRight + 10, 'there is room right of the canvas');
  return { inside: px.rgb(2, y), outside: px.rgb(outsideX, y) };
}

describe('the cursor row highlight', () => {
  it('spans the whole width in the line colour, follows the cursor, and other rows stay plain', async () => {
    const ed = await openEditor(env.browser, env.files.write('line.txt', bytesOf('0123456789abcdef'.repeat(400))), { theme: 'light', viewport: { width: 1200, height: 500 } });
    try {
      const { page } = ed;
      const move = async (offset: number) => {
        await page.evaluate((o) => (window as unknown as { hexmapEditor: { moveCursor(o: number, e: boolean): void } }).hexmapEditor.moveCursor(o, false), offset);
        await waitForIdle(page);
      };
      await move(16 * 3 + 2);
      const line = await rowColours(page, 16 * 3);
      const plain = await rowColours(page, 16 * 6);
      assert.notDeepEqual(line.inside, plain.inside, 'the canvas paints the cursor row in the line colour');
      assert.deepEqual(line.outside, line.inside, 'beyond the canvas the row has the same colour');
      assert.deepEqual(plain.outside, plain.inside, 'another row is plain beyond the canvas too');
      await move(16 * 6 + 1);
      assert.deepEqual((await rowColours(page, 16 * 6)).outside, line.inside, 'the highlight moved with the cursor');
      assert.deepEqual((await rowColours(page, 16 * 3)).outside, plain.inside, 'and left the old row');
      // A fractional scroll moves the tail with the row.
      await page.evaluate(() => (window as unknown as { hexmapEditor: { wheel(d: number, m: number): void } }).hexmapEditor.wheel(7, 0));
      await waitForIdle(page);
      const after = await rowColours(page, 16 * 6);
      assert.deepEqual(after.outside, after.inside);
      assert.deepEqual(ed.pageErrors, []);
    } finally {
      await ed.close();
    }
  });
});
