/**
 * Bookmarks in the editor webview, in headless Chromium, fed by the real
 * host side: DocumentBookmarks over the real document model, its ranges
 * posted through the real EditorSession (as the extension wires them). The
 * draw list says which cells are bookmarked in each pane; the pixels say
 * they were painted (tint, start marker); an insert on the host moves them.
 */
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { editorSuite } from './support/editorSuite';
import { cellBox, screenshot, markedOffsets, openEditor, pagePixels, waitForIdle, type EditorUnderTest } from './support/editorHarness';
import { DocumentBookmarks } from '../../extension/bookmarks/documentBookmarks';
import { BookmarkStore } from '../../extension/bookmarks/bookmarkStore';
import { MemoryState } from '../support/memoryState';

const env = editorSuite();


/** Bookmarks of the editor's document, sent to its session on every change, as BookmarkFeature does. */
function bookmarksFor(ed: EditorUnderTest): DocumentBookmarks {
  const marks = new DocumentBookmarks('file:///test', ed.model, new BookmarkStore(new MemoryState()));
  const send = () => ed.session.overlay({ type: 'bookmarks', ranges: marks.ranges() });
  marks.onDidChange(send);
  send();
  return marks;
}

async function waitForMarked(ed: EditorUnderTest, cls: string, offsets: number[]): Promise<void> {
  const deadline = Date.now() + 5000;
  for (;;) {
    await waitForIdle(ed.page);
    const got = await markedOffsets(ed.page, cls);
    if (JSON.stringify(got) === JSON.stringify({ hex: offsets, text: offsets })) return;
    if (Date.now() > deadline) assert.deepEqual(got, { hex: offsets, text: offsets }, `cells marked '${cls}'`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

describe('editor webview: bookmarks', () => {
  it('draws a bookmark in both panes (tint and a marker at its start) and follows an insert', async () => {
    const ed = await openEditor(env.browser, env.files.write('bm.bin', new Uint8Array(4096).fill(0x2e)));
    const marks = bookmarksFor(ed);
    try {
      const { page } = ed;
      marks.toggle(18, 4);
      marks.toggle(40, 1);
      await waitForMarked(ed, 'bm', [18, 19, 20, 21, 40]);
      await waitForMarked(ed, 'bm-start', [18, 40]);
      assert.deepEqual(await markedOffsets(page, 'bm-green'), { hex: [40], text: [40] }, 'the second bookmark takes the next colour');
      // Pixels, within row 1 (16..31), away from the cursor's row: a bookmarked cell is tinted,
      // its first cell carries the corner marker, a plain cell is plain.
      await screenshot(page, 'bookmarks-both-panes');
      const pixels = await pagePixels(page);
      const px = async (offset: number, pane: 'hex' | 'text', dx: number, dy: number) => {
        const b = (await cellBox(page, offset, pane))!;
        return pixels.rgb(b.x + dx, b.y + dy).join();
      };
      for (const pane of ['hex', 'text'] as const) {
        const plain = await px(26, pane, 1, 10);
        assert.notEqual(await px(20, pane, 1, 10), plain, `${pane}: bookmarked cell tinted`);
        assert.equal(await px(23, pane, 1, 10), plain, `${pane}: the cell after the bookmark is plain`);
        assert.notEqual(await px(18, pane, 1, 1), await px(19, pane, 1, 1), `${pane}: marker in the first cell's corner`);
      }
      // A screen reader hears it: the cursor's cell label says so.
      ed.session.reveal(18, 1);
      const label = () => page.evaluate(() => {
        const grid = document.querySelector('.grid')!;
        return document.getElementById(grid.getAttribute('aria-activedescendant') ?? '')?.getAttribute('aria-label') ?? '';
      });
      await page.waitForFunction(() => document.getElementById('hexmap-root')?.dataset.cursor === '18');
      assert.match(await label(), /^Offset 0x12, .*, start of a bookmark$/);
      ed.session.reveal(19, 1);
      await page.waitForFunction(() => document.getElementById('hexmap-root')?.dataset.cursor === '19');
      await waitForIdle(page);
      assert.match(await label(), /, in a bookmark$/);
      // Three bytes inserted on the host before both: they move with their bytes.
      ed.model.replace(2, 0, new Uint8Array(3), 'Insert');
      await waitForMarked(ed, 'bm-start', [21, 43]);
      await waitForMarked(ed, 'bm', [21, 22, 23, 24, 43]);
      // Undo puts them back; deleting the marked byte removes that bookmark.
      ed.model.undo();
      await waitForMarked(ed, 'bm-start', [18, 40]);
      ed.model.replace(40, 1, new Uint8Array(0), 'Delete');
      await waitForMarked(ed, 'bm-start', [18]);
      assert.deepEqual(ed.pageErrors, []);
    } finally {
      marks.dispose();
      await ed.close();
    }
  });
});

describe('editor webview: bookmarks in every theme kind', () => {
  for (const theme of ['light', 'dark', 'high-contrast'] as const) {
    it(`${theme}: the tint and the start marker stand out from plain cells and from each other, in every colour`, async () => {
      const ed = await openEditor(env.browser, env.files.write(`bm-${theme}.bin`, new Uint8Array(4096).fill(0x2e)), { theme });
      const marks = bookmarksFor(ed);
      try {
        const { page } = ed;
        // Six bookmarks on row 2 (32..47), one per colour, two bytes each.
        for (let k = 0; k < 6; k++) marks.toggle(32 + 2 * k, 2);
        await waitForMarked(ed, 'bm-start', [32, 34, 36, 38, 40, 42]);
        await screenshot(page, `bookmarks-${theme}`);
        const pixels = await pagePixels(page);
        const px = async (offset: number, pane: 'hex' | 'text', dx: number, dy: number) => {
          const b = (await cellBox(page, offset, pane))!;
          return pixels.rgb(b.x + dx, b.y + dy).join();
        };
        for (const pane of ['hex', 'text'] as const) {
          const plain = await px(46, pane, 1, 10);
          const tints = new Set<string>();
          for (let k = 0; k < 6; k++) {
            const tint = await px(33 + 2 * k, pane, 1, 10);
            assert.notEqual(tint, plain, `${pane}: colour ${k} tinted`);
            assert.notEqual(await px(32 + 2 * k, pane, 1, 1), tint, `${pane}: colour ${k} marker on its tint`);
            tints.add(tint);
          }
          assert.equal(tints.size, 6, `${pane}: six colours, six different tints`);
        }
      } finally {
        marks.dispose();
        await ed.close();
      }
    });
  }
});
