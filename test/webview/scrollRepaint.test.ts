/**
 * Frames that reuse the previous frame's pixels (webview/editor/rowReuse.ts:
 * unchanged rows are moved, only new or changed rows are painted) must be
 * what a whole repaint draws. Random scrolls (whole rows and fractions,
 * both directions, big jumps), cursor moves, selections, focus changes and
 * hovers over mixed UTF-8 / binary bytes, at devicePixelRatio 1 and 2; after
 * every few steps the canvas is read, painted again whole, and compared
 * (antialiasing under a clip may move a channel by a few units; a misplaced or stale row differs by far more).
 */
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import type { Page } from 'playwright-core';
import { seededRandom } from '../support/seededRandom';
import { openEditor } from './support/editorHarness';
import { editorSuite } from './support/editorSuite';

const env = editorSuite();

/** Mixed content: ASCII lines, 2-4 byte characters, random binary (invalid sequences), NULs. */
function mixedBytes(size: number, seed: number): Uint8Array {
  const rnd = seededRandom(seed);
  const enc = new TextEncoder();
  const parts: Uint8Array[] = [];
  let n = 0;
  while (n < size) {
    const kind = Math.floor(rnd() * 4);
    const p = kind === 0 ? enc.encode('Hello, world! line of text\r\n') : kind === 1 ? enc.encode('héllo wörld 中文字 🐍 ')
      : kind === 2 ? Uint8Array.from({ length: 40 }, () => Math.floor(rnd() * 256)) : new Uint8Array(12);
    parts.push(p);
    n += p.length;
  }
  const out = new Uint8Array(size);
  let o = 0;
  for (const p of parts) { out.set(p.subarray(0, Math.min(p.length, size - o)), o); o += p.length; if (o >= size) break; }
  return out;
}

interface Step { kind: 'wheel' | 'cursor' | 'hover' | 'select' | 'jump' | 'focus'; a: number; b: number }

/** Runs `steps` (each followed by a frame), then compares the canvas with a whole repaint of the same frame. */
function runAndCompare(page: Page, steps: Step[]): Promise<{ differing: number; reused: number }> {
  return page.evaluate((list) => {
    type Ed = {
      wheel(d: number, m: number): void; moveCursor(o: number, e: boolean): void; select(o: number, l: number): void; scrollToRow(r: number): void;
      renderNow(): void; hover: number; fileSize: number; topOffset: number; bytesPerRow: number;
      renderer: { repaintAll(): void; reusedRows: number; rowCount: number };
    };
    const ed = (window as unknown as { hexmapEditor: Ed }).hexmapEditor;
    const canvas = document.querySelector('canvas.grid-canvas') as HTMLCanvasElement;
    const ctx = canvas.getContext('2d')!;
    let reused = 0;
    for (const s of list) {
      const onScreen = ed.topOffset + Math.floor(s.a * ed.renderer.rowCount * ed.bytesPerRow * 0.8);
      if (s.kind === 'wheel') ed.wheel(s.b, 0);
      else if (s.kind === 'cursor') ed.moveCursor(Math.min(ed.fileSize - 1, onScreen), false);
      else if (s.kind === 'hover') ed.hover = Math.min(ed.fileSize - 1, onScreen);
      else if (s.kind === 'select') ed.select(Math.min(ed.fileSize - 1, onScreen), 1 + Math.floor(s.b) % 40);
      else if (s.kind === 'focus') {
        const grid = document.querySelector<HTMLElement>('.grid')!;
        if (document.activeElement === grid) grid.blur(); else grid.focus();
      } else ed.scrollToRow(Math.floor(s.a * ed.fileSize / ed.bytesPerRow));
      ed.renderNow();
      reused += ed.renderer.reusedRows;
    }
    const drawn = ctx.getImageData(0, 0, canvas.width, canvas.height).data;
    ed.renderer.repaintAll();
    ed.renderNow();
    const whole = ctx.getImageData(0, 0, canvas.width, canvas.height).data;
    // A row painted inside a clip is antialiased a little differently at its edges (a channel off by up to ~10):
    // only more than that counts; a misplaced or stale row differs by far more.
    let differing = 0;
    for (let i = 0; i < drawn.length; i += 4) {
      if (Math.abs(drawn[i] - whole[i]) > 32 || Math.abs(drawn[i + 1] - whole[i + 1]) > 32 || Math.abs(drawn[i + 2] - whole[i + 2]) > 32) differing++;
    }
    return { differing, reused };
  }, steps);
}

describe('frames that reuse rows', () => {
  for (const dpr of [1, 2]) {
    it(`paint what a whole repaint paints (devicePixelRatio ${dpr})`, async () => {
      const file = env.files.write(`mixed-${dpr}.bin`, mixedBytes(3 << 20, 7 + dpr));
      const ed = await openEditor(env.browser, file, { viewport: { width: 900, height: 500 } });
      try {
        if (dpr !== 1) {
          const cdp = await ed.page.context().newCDPSession(ed.page);
          await cdp.send('Emulation.setDeviceMetricsOverride', { width: 900, height: 500, deviceScaleFactor: dpr, mobile: false });
          await ed.page.waitForFunction((d) => window.devicePixelRatio === d, dpr);
        }
        const rnd = seededRandom(100 + dpr);
        const kinds: Step['kind'][] = ['wheel', 'wheel', 'wheel', 'wheel', 'cursor', 'hover', 'select', 'jump', 'focus'];
        let reusedTotal = 0;
        for (let round = 0; round < 40; round++) {
          const steps: Step[] = Array.from({ length: 1 + Math.floor(rnd() * 5) }, () => {
            const kind = kinds[Math.floor(rnd() * kinds.length)];
            // Wheel deltas in px: notches of 200, small trackpad steps, upwards too.
            const b = kind === 'wheel' ? [200, 200, -200, 37, -13, 2.5, 120][Math.floor(rnd() * 7)] : Math.floor(rnd() * 1000);
            return { kind, a: rnd(), b };
          });
          // Rows arrive from the host between steps: let them land, as they do between real frames.
          const r = await runAndCompare(ed.page, steps);
          reusedTotal += r.reused;
          assert.equal(r.differing, 0, `round ${round} (${JSON.stringify(steps)}): ${r.differing} pixels differ from a whole repaint`);
          await ed.page.evaluate(() => new Promise((ok) => setTimeout(ok, 5)));
        }
        assert.ok(reusedTotal > 100, `rows were really reused (${reusedTotal})`);
        assert.deepEqual(ed.pageErrors, []);
      } finally {
        await ed.close();
      }
    });
  }
});
