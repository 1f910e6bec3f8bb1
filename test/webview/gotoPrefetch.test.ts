/**
 * Go to offset (Ctrl+G) asks for the bytes at the offset while it is typed,
 * so Enter paints the target's rows from the cache, without waiting for a
 * round trip to the host.
 */
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { EDITOR_WINDOW_SIZE, type WebviewMessage } from '../../shared/protocol';
import { editorState, openEditor, readRows, waitForIdle } from './support/editorHarness';
import { editorSuite } from './support/editorSuite';
import { bytesOf } from './support/testFiles';

const env = editorSuite();

const reads = (messages: WebviewMessage[]): number[] =>
  messages.flatMap((m) => (m.type === 'request' && m.request.kind === 'read' ? [m.request.offset] : []));

describe('go to offset', () => {
  it('fetches the window of the offset being typed before Enter, and Enter paints it from the cache', async () => {
    const target = 200 * 2 ** 20 + 0x1235;
    const ed = await openEditor(env.browser, env.files.sparse('far.bin', 256 * 2 ** 20, [{ offset: target, bytes: bytesOf('HEXMAP-MARK') }]));
    try {
      const { page } = ed;
      const window = Math.floor(target / EDITOR_WINDOW_SIZE) * EDITOR_WINDOW_SIZE;
      assert.ok(!reads(ed.fromWebview).includes(window), 'not asked for before');
      await page.locator('.grid').focus();
      await page.keyboard.press('Control+G');
      await page.locator('.goto-widget input').waitFor({ state: 'visible' });
      await page.keyboard.type(`0x${target.toString(16)}`);
      // Asked for while typing: before Enter.
      const deadline = Date.now() + 5000;
      while (!reads(ed.fromWebview).includes(window) && Date.now() < deadline) await new Promise((r) => setTimeout(r, 20));
      assert.ok(reads(ed.fromWebview).includes(window), `the window at 0x${window.toString(16)} was asked for before Enter`);
      await waitForIdle(page);
      const before = reads(ed.fromWebview).filter((o) => o === window).length;
      await page.keyboard.press('Enter');
      await waitForIdle(page);
      assert.equal((await editorState(page)).cursor, target);
      const row = (await readRows(page)).find((r) => parseInt(r.address, 16) === target - (target % 16));
      assert.ok(row, 'the target row is on screen');
      assert.equal(row.glyph.slice(5, 16).join(''), 'HEXMAP-MARK');
      assert.equal(reads(ed.fromWebview).filter((o) => o === window).length, before, 'Enter needed no new read of that window');
      assert.deepEqual(ed.pageErrors, []);
    } finally {
      await ed.close();
    }
  });
});
