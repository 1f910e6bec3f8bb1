/**
 * The scrollbar's overview strip in headless Chromium, fed by the real host
 * session and document: lanes for unsaved edits (a real edit), find matches
 * (half a million, handed over as the find widget hands them), invalid
 * sequences (the host's 'invalidMarks') and bookmarks (DocumentBookmarks
 * over the real model), each reduced to pixel rows. Checked on the runs the
 * strip reports and on its pixels.
 */
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { editorSuite } from './support/editorSuite';
import { openEditor, pagePixels, screenshot, waitForIdle } from './support/editorHarness';
import { DocumentBookmarks } from '../../extension/bookmarks/documentBookmarks';
import { BookmarkStore } from '../../extension/bookmarks/bookmarkStore';
import { MemoryState } from '../support/memoryState';

const env = editorSuite();


describe('editor webview: marks on the scrollbar', () => {
  it('lanes for unsaved edits, a million find matches, invalid sequences and bookmarks, bucketed by pixel row', async () => {
    const size = 1 << 20;
    const ed = await openEditor(env.browser, env.files.sparse('ruler.bin', size));
    const marks = new DocumentBookmarks('file:///ruler', ed.model, new BookmarkStore(new MemoryState()));
    marks.onDidChange(() => ed.session.overlay({ type: 'bookmarks', ranges: marks.ranges() }));
    try {
      const { page } = ed;
      ed.model.edit(0, Uint8Array.of(1, 2, 3), 'Edit');
      marks.toggle(size / 2, 16);
      ed.session.overlay({ type: 'invalidMarks', offsets: [size * 3 / 4], total: 1 });
      // Find All's result as the find widget hands it over: every other byte matches.
      await page.evaluate((n) => {
        const matches = Array.from({ length: n / 2 }, (_, i) => i * 2);
        (window as unknown as { hexmapEditor: { setHighlights(h: unknown): void } }).hexmapEditor.setHighlights({ matches, matchLength: 1, current: n / 4 });
      }, size);
      const read = () => page.evaluate(() => {
        const c = document.querySelector('.overview-ruler') as HTMLCanvasElement;
        const r = c.getBoundingClientRect();
        return { lanes: JSON.parse(c.dataset.marks || '{}') as Record<string, [number, number][]>, top: r.top, left: r.left, width: r.width, height: r.height, hidden: c.hidden };
      });
      const deadline = Date.now() + 5000;
      let ruler = await read();
      while ((ruler.lanes.bookmarks?.length !== 1 || ruler.lanes.invalid?.length !== 1 || ruler.lanes.unsaved?.length !== 1) && Date.now() < deadline) {
        await new Promise((r) => setTimeout(r, 50));
        ruler = await read();
      }
      assert.equal(ruler.hidden, false);
      const h = ruler.height;
      const near = (run: [number, number] | undefined, at: number) => run !== undefined && Math.abs(run[0] - at) <= 1 && run[1] >= 2 && run[1] <= 3;
      assert.ok(near(ruler.lanes.unsaved[0], 0), `unsaved edit at the top: ${JSON.stringify(ruler.lanes.unsaved)}`);
      assert.ok(near(ruler.lanes.bookmarks[0], h / 2), `bookmark half way: ${JSON.stringify(ruler.lanes.bookmarks)} of ${h}`);
      assert.ok(near(ruler.lanes.invalid[0], (h * 3) / 4), `invalid sequence three quarters down: ${JSON.stringify(ruler.lanes.invalid)}`);
      // 524,288 matches over every pixel row: one run, the whole strip.
      assert.equal(ruler.lanes.matches.length, 1);
      assert.ok(ruler.lanes.matches[0][0] === 0 && Math.abs(ruler.lanes.matches[0][1] - h) <= 1);
      // Pixels: the bookmark lane (rightmost quarter) is painted at the bookmark, not above it.
      await waitForIdle(page);
      await screenshot(page, 'bookmarks-ruler-lanes');
      const pixels = await pagePixels(page);
      const x = ruler.left + ruler.width * 7 / 8;
      const at = (y: number) => pixels.rgb(Math.floor(x), Math.floor(ruler.top + y)).join();
      assert.notEqual(at(h / 2 + 1), at(h / 3), 'bookmark mark painted in its lane');
      assert.deepEqual(ed.pageErrors, []);
    } finally {
      marks.dispose();
      await ed.close();
    }
  });
});
