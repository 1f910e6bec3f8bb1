/**
 * How the editor page starts (webviewHtml.ts + main.ts): the script is async
 * and says 'ready' before the stylesheet may have arrived, builds its rows
 * while 'init' is on its way, and loads the codicons only after the page's
 * load event and first frame. Checked here: a stylesheet that arrives long after 'init' still
 * gives correctly measured rows from the very first frame (height from the
 * editor font, as many as fit), the codicon sheet becomes active after the first paint, and the page
 * stops saying it is busy.
 */
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { openEditor, readRows, shownRows, waitForIdle } from './support/editorHarness';
import { editorSuite } from './support/editorSuite';
import { bytesOf } from './support/testFiles';

const env = editorSuite();

describe('editor webview: start-up', () => {
  it('waits for a late stylesheet before measuring rows, then loads the codicons and drops aria-busy', async () => {
    let cssServedAt = 0;
    const ed = await openEditor(env.browser, env.files.write('late-css.txt', bytesOf('0123456789abcdef'.repeat(400))), {
      // The editor stylesheet arrives 600 ms late: well after 'ready' -> 'init'.
      beforeGoto: async (page) => {
        await page.route('**/editor.css', async (route) => {
          await new Promise((ok) => setTimeout(ok, 600));
          cssServedAt = Date.now();
          await route.continue();
        });
        // What the first frame was drawn with (ResizeObserver would quietly fix a wrong measure later).
        await page.addInitScript(() => {
          const mark = performance.mark.bind(performance);
          performance.mark = ((name: string, options?: PerformanceMarkOptions) => {
            if (name === 'hexmap-first-frame') {
              const root = document.getElementById('hexmap-root')!;
              (window as unknown as { firstFrame: unknown }).firstFrame = {
                cssLoaded: Boolean((document.getElementById('hexmap-css') as HTMLLinkElement).sheet),
                rowHeight: root.style.getPropertyValue('--row-h'),
                canvasHeight: parseFloat(document.querySelector<HTMLElement>('.grid canvas')!.style.height),
                viewport: document.querySelector<HTMLElement>('.viewport')!.clientHeight,
              };
            }
            return mark(name, options);
          }) as typeof performance.mark;
        });
      },
      noWait: true,
      page: 'urls',
    });
    try {
      const { page } = ed;
      await waitForIdle(page);
      assert.ok(cssServedAt > 0, 'the stylesheet was delayed');
      const initAt = ed.toWebview.findIndex((m) => m.type === 'init');
      assert.ok(initAt >= 0, 'init was sent');
      const first = await page.evaluate(() => (window as unknown as { firstFrame: { cssLoaded: boolean; rowHeight: string; canvasHeight: number; viewport: number } }).firstFrame);
      assert.equal(first.cssLoaded, true, 'the first frame was drawn with the stylesheet');
      assert.equal(first.rowHeight, '22px');
      assert.equal(first.canvasHeight, first.viewport, 'the canvas fills the viewport');
      const shown = await shownRows(page);
      const geometry = await page.evaluate(() => ({
        fontSize: parseFloat(getComputedStyle(document.querySelector('.grid')!).fontSize),
        viewport: document.querySelector<HTMLElement>('.viewport')!.clientHeight,
      }));
      // 14px editor font (test theme) -> round(14 * 1.55) = 22px rows; as many as the viewport needs.
      assert.equal(geometry.fontSize, 14);
      assert.equal(shown[1].top - shown[0].top, 22);
      assert.equal(shown.length, Math.ceil(geometry.viewport / 22));
      const rows = await readRows(page);
      assert.equal(rows[0].address, '00000000');
      assert.deepEqual(rows[1].hex, '30 31 32 33 34 35 36 37 38 39 61 62 63 64 65 66'.split(' '));
      // The codicon sheet is added once the page has loaded (never named by the page itself: VS Code
      // shows a webview at its `load`, which a named sheet would hold back), and it applies.
      assert.equal(await page.evaluate(() => document.querySelector('link[href*="codicon"]:not(#hexmap-codicons)')), null, 'the page names no codicon link');
      await page.waitForFunction(() => (document.getElementById('hexmap-codicons') as HTMLLinkElement | null)?.sheet != null);
      assert.equal(await page.evaluate(() => performance.getEntriesByName('hexmap-load').length), 1, 'added after load');
      assert.equal(await page.locator('#hexmap-root').getAttribute('aria-busy'), null, 'no longer busy');
      assert.deepEqual(ed.pageErrors, []);
    } finally {
      await ed.close();
    }
  });

  it("reaches `load` without waiting for the codicon sheet (VS Code shows a webview at its page's load)", async () => {
    let codiconsServedAt = 0;
    const ed = await openEditor(env.browser, env.files.write('slow-icons.txt', bytesOf('0123456789abcdef'.repeat(400))), {
      // The codicon sheet takes 800 ms, as a slow round trip through the extension host would.
      beforeGoto: async (page) => {
        await page.route('**/codicon.css', async (route) => {
          await new Promise((ok) => setTimeout(ok, 800));
          codiconsServedAt = Date.now();
          await route.continue();
        });
      },
      noWait: true,
    });
    try {
      const { page } = ed;
      await page.waitForFunction(() => performance.getEntriesByName('hexmap-load').length === 1);
      const loadedAt = await page.evaluate(() => performance.timeOrigin + performance.getEntriesByName('hexmap-load')[0].startTime);
      const firstFrameAt = await page.evaluate(() => performance.timeOrigin + (performance.getEntriesByName('hexmap-first-complete-frame')[0]?.startTime ?? NaN));
      assert.ok(firstFrameAt <= loadedAt, 'the first complete frame was drawn by load');
      await page.waitForFunction(() => (document.getElementById('hexmap-codicons') as HTMLLinkElement | null)?.sheet != null, undefined, { timeout: 10_000 });
      assert.ok(codiconsServedAt > 0, 'the codicon sheet was requested and served');
      assert.ok(loadedAt < codiconsServedAt, `load came ${Math.round(codiconsServedAt - loadedAt)} ms before the codicon sheet was served, not after it`);
      assert.deepEqual(ed.pageErrors, []);
    } finally {
      await ed.close();
    }
  });
});
