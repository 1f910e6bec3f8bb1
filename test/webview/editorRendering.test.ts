/**
 * The editor webview in real headless Chromium over a real session, model
 * and file: virtual rendering, the 64 GiB scroll model, UTF-8 layout across
 * row and window edges, invalid bytes exactly as TextDecoder decodes them.
 */
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Page } from 'playwright-core';
import { cellBox, domNodeCount, editorState, openEditor, pagePixels, readRows, repoRoot, screenshot, waitForIdle, type Box, type RowView } from './support/editorHarness';
import { editorSuite } from './support/editorSuite';
import type { Pixels } from './support/png';
import { bytesOf } from './support/testFiles';

const GiB = 1024 ** 3;
const WINDOW = 64 * 1024;
const env = editorSuite();

/** Scrolls the view so `row` is the top row, through the editor's own scroll API. */
async function scrollToRow(page: Page, row: number): Promise<void> {
  await page.evaluate((r) => (window as unknown as { hexmapEditor: { scrollToRow(r: number): void } }).hexmapEditor.scrollToRow(r), row);
  await waitForIdle(page);
}

async function thumbBox(page: Page): Promise<{ x: number; y: number; width: number; height: number }> {
  const box = await page.locator('.scrollbar .thumb').boundingBox();
  assert.ok(box, 'the scrollbar thumb is visible');
  return box;
}

/** Drags the scrollbar thumb so its top lands at `y` (page px). */
async function dragThumbTo(page: Page, y: number, steps = 5): Promise<void> {
  const box = await thumbBox(page);
  await page.mouse.move(box.x + box.width / 2, box.y + 3);
  await page.mouse.down();
  await page.mouse.move(box.x + box.width / 2, y + 3, { steps });
  await page.mouse.up();
  await waitForIdle(page);
}

/** Pixels in `box` (inset by `inset` px) that differ from `bg`: the ink drawn there. */
function ink(pixels: Pixels, box: Box, bg: number[], inset = 2): number {
  let n = 0;
  for (let y = Math.ceil(box.y + inset); y < box.y + box.height - inset; y++) {
    for (let x = Math.ceil(box.x + inset); x < box.x + box.width - inset; x++) {
      const p = pixels.rgb(x, y);
      if (Math.abs(p[0] - bg[0]) + Math.abs(p[1] - bg[1]) + Math.abs(p[2] - bg[2]) > 24) n++;
    }
  }
  return n;
}

describe('editor webview: rendering', () => {
  it('paints address, grouped hex and text for a small mixed file', async () => {
    const file = env.files.write('mixed.bin', bytesOf('Hello, Hexmap!\n', [0, 1, 2, 0x7f], 'héllo wörld ', '中文字 ', '🐍', [0xff, 0xc0, 0xaf], ' e\u0301nd'));
    const ed = await openEditor(env.browser, file);
    try {
      const rows = await readRows(ed.page);
      assert.equal(rows[0].address, '00000000');
      assert.deepEqual(rows[0].hex.slice(0, 5), ['48', '65', '6C', '6C', '6F']);
      assert.equal(rows[0].glyph.slice(0, 5).join(''), 'Hello');
      assert.equal(rows[0].glyph[14], '\u21b5', 'LF is drawn as a dim symbol');
      assert.match(rows[0].glyphClass[14], /\bdim\b/);
      assert.match(rows[1].glyphClass[0], /\bdim\b/, 'a control character is dim');
      // 'é' = C3 A9 at 0x14: one glyph at the lead byte spanning two cells.
      assert.equal(rows[1].glyph[4], 'é');
      assert.equal(rows[1].glyph[5], '');
      assert.match(rows[1].glyphClass[4], /\bw2\b/);
      assert.match(rows[1].hexClass[4], /\bk-l\b.*\bu-s\b/);
      assert.match(rows[1].hexClass[5], /\bk-c\b.*\bu-e\b/);
      assert.deepEqual(ed.pageErrors, []);
      await screenshot(ed.page, 'rendering-mixed-dark');

      // The screen shows it (the canvas really drew the list): pixel checks of known cells.
      const page = ed.page;
      await page.locator('.grid').focus();
      await waitForIdle(page);
      const pixels = await pagePixels(page);
      const bgAt = (b: Box) => pixels.rgb(b.x + b.width / 2, b.y + 1); // a plain cell's top edge: background only
      const h = (await cellBox(page, 0x01, 'hex'))!; // 'e', a plain ASCII cell
      const bg = bgAt(h);
      assert.ok(ink(pixels, h, bg) > 10, 'the hex digits of a plain cell are drawn');
      assert.ok(ink(pixels, (await cellBox(page, 0x01, 'text'))!, bg) > 5, 'its glyph is drawn');
      const cur = (await cellBox(page, 0, 'hex'))!;
      assert.notDeepEqual(pixels.rgb(cur.x + cur.width / 2, cur.y + cur.height - 1), pixels.rgb(h.x + h.width / 2, h.y + h.height - 1), "the cursor cell's outline differs from a plain cell's edge");
      // 'é' (C3 A9 at 0x14): one pill behind both text cells, and the glyph drawn across their shared edge.
      const lead = (await cellBox(page, 0x14, 'text'))!;
      const cont = (await cellBox(page, 0x15, 'text'))!;
      const pillLead = pixels.rgb(lead.x + lead.width / 2, lead.y + 5);
      assert.notDeepEqual(pillLead, bg, 'the pill is drawn behind the lead cell');
      assert.deepEqual(pixels.rgb(cont.x + cont.width / 2, cont.y + 5), pillLead, '... and the same pill behind the continuation cell');
      const edge = { x: cont.x - 3, y: lead.y, width: 6, height: lead.height };
      assert.ok(ink(pixels, edge, pillLead, 0) > 3, 'the glyph straddles the two cells');
      assert.equal(ink(pixels, (await cellBox(page, 0x15, 'hex'))!, bg, 0) > 0, true, 'the continuation byte is drawn in the hex pane');
    } finally {
      await ed.close();
    }
  });

  it('reaches the very end of a 64 GiB sparse file by dragging the thumb, with exact addresses', async () => {
    const size = 64 * GiB;
    const file = env.files.sparse('huge.bin', size, [
      { offset: size - 16, bytes: bytesOf('Hexmap last row!') },
      { offset: 0, bytes: bytesOf('first row here.\n') },
    ]);
    const ed = await openEditor(env.browser, file);
    try {
      const { page } = ed;
      let rows = await readRows(page);
      assert.equal(rows[0].address, '000000000', '64 GiB needs 9 hex digits of address');
      assert.equal(rows[0].glyph.slice(0, 15).join(''), 'first row here.');

      const track = await page.locator('.scrollbar').boundingBox();
      assert.ok(track);
      await dragThumbTo(page, track.y + track.height + 200); // past the end: clamps to the last row
      rows = await readRows(page);
      const last = rows[rows.length - 1];
      assert.equal(last.address, (size - 16).toString(16).toUpperCase(), 'the last row is visible');
      assert.equal(last.glyph.join(''), 'Hexmap last row!');
      assert.deepEqual(last.hex.slice(0, 4), ['48', '65', '78', '6D']);
      const thumb = await thumbBox(page);
      assert.ok(Math.abs(thumb.y + thumb.height - (track.y + track.height)) <= 1, 'the thumb sits at the bottom of the track');
      await screenshot(page, 'rendering-64gib-end');

      // Halfway down the track is halfway through the file (to within a thumb's worth).
      await dragThumbTo(page, track.y + (track.height - thumb.height) / 2);
      const mid = (await editorState(page)).topOffset;
      assert.ok(Math.abs(mid - size / 2) < size / 100, `thumb at half -> offset ${mid} near ${size / 2}`);

      // Keyboard: Ctrl+End puts the cursor on the last byte, Ctrl+Home back on the first.
      await page.locator('.grid').focus();
      await page.keyboard.press('Control+End');
      await waitForIdle(page);
      assert.equal((await editorState(page)).cursor, size - 1);
      rows = await readRows(page);
      assert.equal(rows.at(-1)!.address, 'FFFFFFFF0');
      await page.keyboard.press('Control+Home');
      await waitForIdle(page);
      assert.deepEqual([(await editorState(page)).cursor, (await editorState(page)).topOffset], [0, 0]);
      assert.deepEqual(ed.pageErrors, []);
    } finally {
      await ed.close();
    }
  });

  it('keeps the DOM node count and the window cache bounded while scrolling anywhere', async () => {
    const size = 64 * GiB;
    const file = env.files.sparse('huge-scroll.bin', size, [{ offset: 12345, bytes: bytesOf('marker') }]);
    const ed = await openEditor(env.browser, file);
    try {
      const { page } = ed;
      const initial = await domNodeCount(page);
      const counts: number[] = [];
      await page.mouse.move(300, 300);
      for (let i = 0; i < 30; i++) await page.mouse.wheel(0, 180);
      await waitForIdle(page);
      assert.ok((await editorState(page)).topOffset > 0, 'the wheel scrolled');
      counts.push(await domNodeCount(page));
      await page.locator('.grid').focus();
      for (let i = 0; i < 15; i++) await page.keyboard.press('PageDown');
      await waitForIdle(page);
      counts.push(await domNodeCount(page));
      const track = (await page.locator('.scrollbar').boundingBox())!;
      // Jump to 40 different places: each needs new 64 KiB windows.
      for (let i = 0; i < 40; i++) await dragThumbTo(page, track.y + (((i * 17) % 40) / 40) * track.height, 2);
      counts.push(await domNodeCount(page));
      assert.deepEqual(counts, counts.map(() => initial), 'no DOM nodes added or removed by scrolling');
      const cached = await page.evaluate(() => (window as unknown as { hexmapEditor: { cache: { cachedWindows: number } } }).hexmapEditor.cache.cachedWindows);
      assert.ok(cached <= 64 && cached > 1, `LRU keeps at most 64 windows, has ${cached}`);
      // Fewer than 1,000 elements for the whole view of a 64 GiB file.
      assert.ok(initial < 2000, `DOM nodes: ${initial}`);
    } finally {
      await ed.close();
    }
  });

  it('draws a 4-byte emoji straddling a 64 KiB window edge and a row end once, spanning its bytes', async () => {
    const data = new Uint8Array(3 * WINDOW).fill(0x2e); // '.'
    const snake = [0xf0, 0x9f, 0x90, 0x8d]; // U+1F40D
    data.set(snake, WINDOW - 2); // bytes 0xFFFE, 0xFFFF | 0x10000, 0x10001
    data.set([0xe4, 0xb8, 0xad], 2 * WINDOW - 1); // '中' straddling the next window edge and a row end
    const file = env.files.write('straddle.bin', data);
    const ed = await openEditor(env.browser, file);
    try {
      const { page } = ed;
      const rowBefore = (WINDOW - 16) / 16;
      await scrollToRow(page, rowBefore - 2);
      let rows = await readRows(page);
      const i = rows.findIndex((r) => r.address === '0000FFF0');
      assert.ok(i >= 0);
      const [a, b] = [rows[i], rows[i + 1]];
      assert.equal(a.glyph[14], '🐍', 'drawn once, at the lead byte');
      assert.equal(a.glyph[15] + b.glyph[0] + b.glyph[1], '', 'continuation cells draw no glyph');
      assert.match(a.glyphClass[14], /\bw2\b/, 'the glyph spans the two cells left on its row');
      assert.match(a.hexClass[14], /\bk-l\b/);
      for (const cls of [a.hexClass[15], b.hexClass[0], b.hexClass[1]]) assert.match(cls, /\bk-c\b/);
      assert.match(a.hexClass[14], /\bu-s\b/);
      assert.match(a.hexClass[15], /\bu-m\b.*\bcarry-on\b/, 'bracket continues on the next row');
      assert.match(b.hexClass[0], /\bu-m\b.*\bcarry\b/, 'bracket continues from the previous row');
      assert.match(b.hexClass[1], /\bu-e\b/);
      assert.match(b.textClass[0], /\bu-m\b.*\bcarry\b/, 'the text pane spans the same cells');
      await screenshot(page, 'rendering-emoji-straddle');

      // With the lead byte above the view (and in another window), the
      // continuation bytes are still known as such thanks to the context bytes.
      await scrollToRow(page, WINDOW / 16);
      rows = await readRows(page);
      assert.equal(rows[0].address, '00010000');
      assert.match(rows[0].hexClass[0], /\bk-c\b.*\bcarry\b/);
      assert.match(rows[0].hexClass[1], /\bk-c\b/);
      assert.doesNotMatch(rows[0].hexClass[0] + rows[0].hexClass[1], /\bk-i\b/, 'never flagged invalid by a window edge');

      // The 3-byte CJK character at the second window edge, as the bottom row of the view.
      const edgeRow = (2 * WINDOW - 16) / 16;
      const st = await page.evaluate(() => (window as unknown as { hexmapEditor: { scroll: { fullRows: number } } }).hexmapEditor.scroll.fullRows);
      await scrollToRow(page, edgeRow - st + 1);
      rows = await readRows(page);
      const k = rows.findIndex((r) => r.address === '0001FFF0');
      assert.equal(k, st - 1, 'the straddling row is the last full row');
      assert.equal(rows[k].glyph[15], '中');
      assert.match(rows[k].hexClass[15], /\bk-l\b.*\bu-s\b.*\bcarry-on\b/);
      assert.deepEqual(ed.pageErrors, []);
    } finally {
      await ed.close();
    }
  });

  it('shows invalid sequences as U+FFFD exactly where TextDecoder puts them (Kuhn stress test)', async () => {
    const fixture = join(repoRoot, 'test/fixtures/UTF-8-test.txt');
    const bytes = new Uint8Array(readFileSync(fixture));
    const ed = await openEditor(env.browser, fixture);
    try {
      const { page } = ed;
      const fullRows = await page.evaluate(() => (window as unknown as { hexmapEditor: { scroll: { fullRows: number } } }).hexmapEditor.scroll.fullRows);
      const totalRows = Math.ceil(bytes.length / 16);
      // Unit starts, in file order, as drawn: glyph text and classes.
      const units: { offset: number; glyph: string; hexClass: string; glyphClass: string }[] = [];
      const seen = new Set<number>();
      for (let top = 0; top < totalRows; top += fullRows) {
        await scrollToRow(page, Math.min(top, totalRows - fullRows));
        const rows: RowView[] = await readRows(page);
        for (const r of rows) {
          const base = parseInt(r.address, 16);
          r.glyph.forEach((g, c) => {
            const offset = base + c;
            if (offset >= bytes.length || seen.has(offset)) return;
            seen.add(offset);
            if (/\bu-m\b|\bu-e\b/.test(r.hexClass[c])) return; // inside a unit
            units.push({ offset, glyph: g, hexClass: r.hexClass[c], glyphClass: r.glyphClass[c] });
          });
        }
      }
      assert.equal(seen.size, bytes.length, 'every byte was on screen once');
      units.sort((x, y) => x.offset - y.offset);
      const expected = [...new TextDecoder('utf-8').decode(bytes)];
      assert.equal(units.length, expected.length, 'one drawn character per decoded character');
      let replacements = 0;
      for (let n = 0; n < expected.length; n++) {
        const want = expected[n];
        const got = units[n];
        const cp = want.codePointAt(0)!;
        if (want === '\ufffd') {
          replacements++;
          assert.equal(got.glyph, '\ufffd', `U+FFFD at offset ${got.offset}`);
        } else if (/\bdim\b/.test(got.glyphClass)) {
          assert.ok(cp < 0x20 || (cp >= 0x7f && cp < 0xa0) || /[\p{Cf}\p{Co}\p{Zl}\p{Zp}]/u.test(want) || (cp & 0xfffe) === 0xfffe,
            `only non-printables are dim (offset ${got.offset}, U+${cp.toString(16)})`);
        } else {
          assert.equal(got.glyph.replace(/^\u25cc/, ''), want, `character at offset ${got.offset}`);
          assert.doesNotMatch(got.hexClass, /\bk-i\b/, `valid character at ${got.offset} is not flagged`);
        }
      }
      assert.ok(replacements > 100, 'the stress test has many invalid units');
      const flagged = units.filter((u) => /\bk-i\b/.test(u.hexClass)).length;
      // Every U+FFFD TextDecoder produced is a flagged invalid unit, except the
      // file's one genuine, valid U+FFFD (EF BF BD), which is not flagged.
      const validFffd = expected.filter((c, n) => c === '\ufffd' && !/\bk-i\b/.test(units[n].hexClass)).length;
      assert.equal(flagged + validFffd, replacements);
      assert.ok(validFffd <= 1);
      await screenshot(page, 'rendering-kuhn-last-page');
    } finally {
      await ed.close();
    }
  });

  it('is legible in light and high-contrast themes (screenshots) and follows bytesPerRow settings', async () => {
    const bytes = bytesOf('Light & contrast: ', 'ünïcödé ', '日本語 ', '🐍🎉', [0xc3, 0x28, 0xe2, 0x82], ' tab\there\r\n', [0, 0x1b, 0x7f, 0xc2, 0x85], 'e\u0301 ok');
    const file = env.files.write('themes.bin', bytesOf(bytes, bytes, bytes, bytes));
    for (const theme of ['light', 'high-contrast'] as const) {
      const ed = await openEditor(env.browser, file, { theme });
      try {
        await ed.page.locator('.grid').focus();
        await ed.page.keyboard.press('Shift+ArrowRight');
        await ed.page.keyboard.press('Shift+ArrowDown');
        await waitForIdle(ed.page);
        // An unselected ASCII cell: its digits are drawn in a colour that stands out from the background.
        const pixels = await pagePixels(ed.page);
        const plain = (await cellBox(ed.page, 0x30, 'hex'))!;
        const bg = pixels.rgb(plain.x + plain.width / 2, plain.y + 1);
        assert.ok(ink(pixels, plain, bg) > 10, `${theme}: the digits are visible against the background`);
        await screenshot(ed.page, `theme-${theme}`);
      } finally {
        await ed.close();
      }
    }
    const ed = await openEditor(env.browser, file, { bytesPerRow: 32 });
    try {
      let rows = await readRows(ed.page);
      assert.equal(rows[0].hex.length, 32);
      assert.equal(rows[1].address, '00000020');
      ed.session.setBytesPerRow(8);
      for (const deadline = Date.now() + 5000; (rows = await readRows(ed.page))[0].hex.length !== 8;) {
        if (Date.now() > deadline) assert.fail('the view did not switch to 8 bytes per row');
        await ed.page.waitForTimeout(20);
      }
      await waitForIdle(ed.page);
      rows = await readRows(ed.page);
      assert.equal(rows[1].address, '00000008');
    } finally {
      await ed.close();
    }
  });

  it('follows a theme switched at run time and stays crisp when devicePixelRatio changes', async () => {
    const file = env.files.write('dpr.bin', bytesOf('crisp text at any zoom '.repeat(40)));
    const ed = await openEditor(env.browser, file);
    try {
      const { page } = ed;
      const plain = (await cellBox(page, 0x20, 'hex'))!;
      const before = (await pagePixels(page)).rgb(plain.x + plain.width / 2, plain.y + 1);
      // VS Code switches themes by rewriting the variables on <html>: the canvas must repaint in the new colours.
      await page.evaluate(() => document.documentElement.style.setProperty('--vscode-editor-background', 'rgb(10, 80, 20)'));
      await waitForIdle(page);
      const after = (await pagePixels(page)).rgb(plain.x + plain.width / 2, plain.y + 1);
      assert.notDeepEqual(after, before, 'the background changed with the theme');
      // (The pane that has the cursor is tinted a little with the focus colour.)
      assert.ok(after.every((v, i) => Math.abs(v - [10, 80, 20][i]) <= 12), `the new background, ${after}`);
      // Zoom (or a HiDPI monitor): the backing store follows devicePixelRatio, so text is not scaled up blurry.
      const cdp = await page.context().newCDPSession(page);
      try {
        await cdp.send('Emulation.setDeviceMetricsOverride', { width: 1100, height: 640, deviceScaleFactor: 2, mobile: false });
        await page.waitForFunction(() => window.devicePixelRatio === 2);
        // (Headless Chromium fires no event for an emulated change; the next frame picks it up.)
        await page.evaluate(() => (window as unknown as { hexmapEditor: { requestFrame(): void } }).hexmapEditor.requestFrame());
        await waitForIdle(page);
        const size = await page.evaluate(() => { const c = document.querySelector<HTMLCanvasElement>('.grid canvas')!; return { backing: c.width, css: parseFloat(c.style.width) }; });
        assert.equal(size.backing, Math.round(size.css * 2), 'two device pixels per CSS pixel');
        assert.equal((await readRows(page))[0].glyph.slice(0, 5).join(''), 'crisp');
        await screenshot(page, 'rendering-dpr2');
      } finally {
        await cdp.send('Emulation.clearDeviceMetricsOverride').catch(() => undefined);
        await cdp.detach();
      }
      assert.deepEqual(ed.pageErrors, []);
    } finally {
      await ed.close();
    }
  });

  it('opens an empty file without errors and says it is empty', async () => {
    const ed = await openEditor(env.browser, env.files.write('empty.bin', new Uint8Array(0)));
    try {
      assert.deepEqual(await readRows(ed.page), []);
      assert.match(await ed.page.locator('.hexmap').innerText(), /empty/i);
      await ed.page.locator('.grid').focus();
      await ed.page.keyboard.press('ArrowRight');
      await ed.page.keyboard.press('A');
      assert.deepEqual(ed.fromWebview.filter((m) => m.type === 'edit'), []);
      assert.deepEqual(ed.pageErrors, []);
    } finally {
      await ed.close();
    }
  });
});
