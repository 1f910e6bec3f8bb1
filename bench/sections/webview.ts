/**
 * The editor webview timed in headless Chromium with the webview test host
 * (test/webview/support/editorHarness.ts): the real bundle, a real
 * EditorSession + HexDocumentModel + ByteSource on the bench's mixed file.
 * Messages cross a Playwright binding (base64 for bytes) instead of VS Code's
 * postMessage, so host round trips here are slower than in VS Code: the
 * paint figures are upper bounds.
 *
 *   first_paint_ms       navigation start -> first frame with every visible byte painted (page clock);
 *                        the comparison column splits it: after the script starts (the rest is
 *                        page + resource loading) and after 'init' arrived (the rest is the round trip)
 *   scroll_frame_p95_ms  continuous wheel scrolling, one wheel event per animation frame:
 *                        p95 of the work each frame costs (event -> new rows rendered ->
 *                        style + layout forced), measured inside the page
 *   goto_paint_ms        jump to a random uncached offset -> its rows painted with data (p50)
 *   dom_nodes_max        the most elements the document held at any sample during all of this
 */
import { EditorTestBrowser, openEditor } from '../../test/webview/support/editorHarness';
import { percentile, type BenchContext, type BenchRow } from '../types';

interface PageEditor {
  scrollToRow(row: number): void;
  select(offset: number, length: number): void;
  renderNow(): void;
  onFrame(cb: () => void): void;
  viewport: HTMLElement;
  fileSize: number;
}

export default async function webviewSection(ctx: BenchContext): Promise<BenchRow[]> {
  const tb = await EditorTestBrowser.launch();
  try {
    // First paint: fresh page each time (median of 5).
    const firstPaints: number[] = [];
    const fromScript: number[] = [];
    const fromInit: number[] = [];
    let domMax = 0;
    for (let i = 0; i < 5; i++) {
      const ed = await openEditor(tb, ctx.file);
      try {
        // The editor puts User Timing marks on its first frame with every visible
        // byte and just after that frame was painted (rAF + task); times count
        // from the page's navigation start.
        await ed.page.waitForFunction(() => performance.getEntriesByName('hexmap-first-paint').length > 0);
        const [mark, script, init] = await ed.page.evaluate(() => ['hexmap-first-paint', 'hexmap-script-start', 'hexmap-init'].map((n) => performance.getEntriesByName(n)[0]?.startTime ?? NaN));
        if (!Number.isFinite(mark)) throw new Error('webview bench: no first-frame mark');
        firstPaints.push(mark);
        fromScript.push(mark - script);
        fromInit.push(mark - init);
        domMax = Math.max(domMax, await ed.page.evaluate(() => document.getElementsByTagName('*').length));
      } finally {
        await ed.close();
      }
    }
    firstPaints.sort((a, b) => a - b);
    fromScript.sort((a, b) => a - b);
    fromInit.sort((a, b) => a - b);

    const ed = await openEditor(tb, ctx.file);
    try {
      const { page } = ed;
      // Continuous scrolling: 600 frames, one 3-row wheel notch per frame, from a random spot.
      const scroll = await page.evaluate(async () => {
        const ed = (window as unknown as { hexmapEditor: PageEditor }).hexmapEditor;
        ed.scrollToRow(Math.floor(ed.fileSize / 16 / 3));
        const work: number[] = [];
        const intervals: number[] = [];
        let domMax = 0;
        let last = 0;
        await new Promise<void>((done) => {
          let n = 0;
          const frame = (ts: number): void => {
            if (last) intervals.push(ts - last);
            last = ts;
            const t0 = performance.now();
            ed.viewport.dispatchEvent(new WheelEvent('wheel', { deltaY: 60, deltaMode: 0, bubbles: true, cancelable: true }));
            ed.renderNow();
            void document.body.getBoundingClientRect(); // force style + layout inside the measurement
            work.push(performance.now() - t0);
            if (n % 50 === 0) domMax = Math.max(domMax, document.getElementsByTagName('*').length);
            if (++n < 600) requestAnimationFrame(frame); else done();
          };
          requestAnimationFrame(frame);
        });
        return { work: work.sort((a, b) => a - b), intervals: intervals.sort((a, b) => a - b), domMax };
      });
      domMax = Math.max(domMax, scroll.domMax);

      // Go to 30 random offsets spread over the file (each needs windows not yet cached).
      const gotos: number[] = [];
      for (let i = 0; i < 30; i++) {
        const offset = Math.floor(((i + Math.random()) / 30) * ctx.size);
        gotos.push(await page.evaluate((target) => new Promise<number>((resolve) => {
          const ed = (window as unknown as { hexmapEditor: PageEditor }).hexmapEditor;
          const root = document.getElementById('hexmap-root')!;
          const t0 = performance.now();
          let settled = false;
          ed.onFrame(() => {
            const top = Number(root.dataset.topOffset);
            if (settled || root.dataset.loading !== 'false' || target < top || target >= top + 16 * 80) return;
            settled = true;
            requestAnimationFrame(() => resolve(performance.now() - t0));
          });
          ed.select(target, 1);
        }), offset));
      }
      gotos.sort((a, b) => a - b);
      domMax = Math.max(domMax, await page.evaluate(() => document.getElementsByTagName('*').length));

      const note = 'headless Chromium, test host bridge (Playwright binding)';
      return [
        { key: 'first_paint_ms', metric: 'webview first paint (p50 of 5)', value: percentile(firstPaints, 50), unit: 'ms', comparison: `target <= 150; after script start ${percentile(fromScript, 50).toFixed(0)} ms, after init ${percentile(fromInit, 50).toFixed(0)} ms`, note: 'from navigation start; ' + note },
        { key: 'scroll_frame_p95_ms', metric: 'scroll frame work p95 (600 frames)', value: percentile(scroll.work, 95), unit: 'ms', comparison: `target <= 16; rAF interval p95 ${percentile(scroll.intervals, 95).toFixed(1)} ms`, note: 'event -> rows rendered -> style+layout' },
        { key: 'goto_paint_ms', metric: 'go to offset -> painted (p50 of 30)', value: percentile(gotos, 50), unit: 'ms', comparison: `target <= 50; max ${gotos.at(-1)!.toFixed(1)} ms`, note },
        { key: 'dom_nodes_max', metric: 'DOM elements, max while scrolling', value: domMax, unit: 'nodes', comparison: `vs one span per byte: ${(16 * 40 * 2).toLocaleString('en-US')}+ for 40 rows`, note: `${(ctx.size / 2 ** 30).toFixed(1)} GiB file` },
      ];
    } finally {
      await ed.close();
    }
  } finally {
    await tb.close();
  }
}
