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
 *                        page + resource loading) and after its data (the page's own boot data, or
 *                        the host's 'init' for a page without it)
 *   webview_wheel_frame_p95_ms     5 s of real wheel input (CDP, 60 Hz, delta 200 px, not waiting
 *                                  for each event): p95 of the intervals between animation frames
 *                                  (the comparison: the same with every frame painted whole, in the same run)
 *   webview_main_cpu_per_frame_ms  the same 5 s traced: CPU time of the renderer's main thread
 *                                  (thread time, so a busy machine inflates it little) per frame drawn
 *   goto_paint_ms        jump to a random uncached offset -> its rows painted with data (p50)
 *   dom_nodes_max        the most elements the document held at any sample during all of this
 */
import { EditorTestBrowser, openEditor } from '../../test/webview/support/editorHarness';
import { percentile, type BenchContext, type BenchRow } from '../types';

/**
 * Wheel events at 60 Hz (delta 200 px) for `seconds`, sent through CDP without waiting for each, while a
 * requestAnimationFrame sampler in the page records frame intervals and a Chromium trace records the
 * renderer main thread's CPU time.
 */
async function wheelScroll(page: import('playwright-core').Page, seconds: number): Promise<{ intervals: number[]; cpuMs: number; frames: number; cpuPerFrame: number; domMax: number }> {
  await page.mouse.move(300, 300);
  await page.evaluate(() => {
    const w = window as unknown as { __bench: { intervals: number[]; stop: boolean } };
    w.__bench = { intervals: [], stop: false };
    let last = 0;
    const tick = (t: number): void => { if (last) w.__bench.intervals.push(t - last); last = t; if (!w.__bench.stop) requestAnimationFrame(tick); };
    requestAnimationFrame(tick);
  });
  const cdp = await page.context().newCDPSession(page);
  const events: { ph: string; name: string; pid: number; tid: number; tdur?: number; args?: { name?: string } }[] = [];
  cdp.on('Tracing.dataCollected', (e) => events.push(...(e.value as unknown as typeof events)));
  const complete = new Promise((r) => cdp.once('Tracing.tracingComplete', r));
  await cdp.send('Tracing.start', { categories: 'devtools.timeline,toplevel', transferMode: 'ReportEvents' });
  const start = Date.now();
  const sent: Promise<unknown>[] = [];
  for (let i = 0; i < seconds * 60; i++) {
    const wait = start + (i * 1000) / 60 - Date.now();
    if (wait > 0) await new Promise((r) => setTimeout(r, wait));
    sent.push(cdp.send('Input.dispatchMouseEvent', { type: 'mouseWheel', x: 300, y: 300, deltaX: 0, deltaY: 200 }).catch(() => undefined));
  }
  await Promise.all(sent);
  await cdp.send('Tracing.end');
  await complete;
  await cdp.detach();
  const sampled = await page.evaluate(() => {
    const b = (window as unknown as { __bench: { intervals: number[]; stop: boolean } }).__bench;
    b.stop = true;
    return { intervals: b.intervals.slice(1).sort((x, y) => x - y), domMax: document.getElementsByTagName('*').length };
  });
  // The renderer's main thread: top-level tasks' thread time, and its frames.
  const main = new Set(events.filter((e) => e.ph === 'M' && e.name === 'thread_name' && e.args?.name === 'CrRendererMain').map((e) => `${e.pid}:${e.tid}`));
  let cpu = 0;
  for (const e of events) {
    if (e.ph === 'X' && e.name === 'ThreadControllerImpl::RunTask' && e.tdur && main.has(`${e.pid}:${e.tid}`)) cpu += e.tdur / 1000;
  }
  const frames = sampled.intervals.length + 1;
  return { ...sampled, cpuMs: cpu, frames, cpuPerFrame: frames ? cpu / frames : NaN };
}

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
        const [mark, script, init, boot] = await ed.page.evaluate(() => ['hexmap-first-paint', 'hexmap-script-start', 'hexmap-init', 'hexmap-boot'].map((n) => performance.getEntriesByName(n)[0]?.startTime ?? NaN));
        if (!Number.isFinite(mark)) throw new Error('webview bench: no first-frame mark');
        firstPaints.push(mark);
        fromScript.push(mark - script);
        // The page's own first 'init' (boot) when it carries one, else the host's.
        fromInit.push(mark - (Number.isFinite(boot) ? boot : init));
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
      // Continuous wheel scrolling as a user does it, traced: first with every frame painted whole
      // (the floor of this run), then as shipped (unchanged rows moved, see webview/editor/rowReuse.ts).
      const setReuse = (on: boolean) => page.evaluate((v) => { (window as unknown as { hexmapEditor: { renderer: { reuseRows: boolean } } }).hexmapEditor.renderer.reuseRows = v; }, on);
      await setReuse(false);
      const whole = await wheelScroll(page, 5);
      await setReuse(true);
      await page.evaluate(() => (window as unknown as { hexmapEditor: PageEditor }).hexmapEditor.scrollToRow(0));
      const scroll = await wheelScroll(page, 5);
      domMax = Math.max(domMax, scroll.domMax, whole.domMax);

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
        { key: 'first_paint_ms', metric: 'webview first paint (p50 of 5)', value: percentile(firstPaints, 50), unit: 'ms', comparison: `target <= 150; after script start ${percentile(fromScript, 50).toFixed(0)} ms, after its data (boot or init) ${percentile(fromInit, 50).toFixed(0)} ms`, note: 'from navigation start; ' + note },
        { key: 'webview_wheel_frame_p95_ms', metric: 'wheel 60 Hz x 200 px: frame interval p95', value: percentile(scroll.intervals, 95), unit: 'ms', comparison: `target <= 20; p50 ${percentile(scroll.intervals, 50).toFixed(1)} ms, ${scroll.intervals.length} frames in 5 s; painting every frame whole: p95 ${percentile(whole.intervals, 95).toFixed(1)} ms`, note },
        { key: 'webview_main_cpu_per_frame_ms', metric: 'wheel: main-thread CPU per frame', value: Math.round(scroll.cpuPerFrame * 100) / 100, unit: 'ms', comparison: `thread time; ${scroll.frames} frames, ${scroll.cpuMs.toFixed(0)} ms CPU; painting every frame whole ${whole.cpuPerFrame.toFixed(2)} ms (${(scroll.cpuPerFrame / whole.cpuPerFrame).toFixed(2)}x)`, note: 'Chromium trace: every main-thread task (frames, input, messages)' },
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
