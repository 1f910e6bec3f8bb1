/**
 * The grid's layout in headless Chromium over a real session and file: each
 * cell format's text for known bytes (and the address and header that
 * follow it), hit-testing by real clicks at 1, 7, 16 and 64 bytes per row
 * and at two fit-to-width widths, the group gaps in pixels (header and
 * canvas agreeing), a multi-byte character across row edges, the settings
 * applied live with the cursor kept in view, and typing in a decimal view.
 */
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { editorSuite } from './support/editorSuite';
import type { Page } from 'playwright-core';
import type { LayoutSettings } from '../../shared/protocol';
import { cellBox, clickCell, editorState, openEditor, pagePixels, readRows, screenshot, shownRows, waitForIdle, type Box, type EditorUnderTest, type ShownRow } from './support/editorHarness';
import type { Pixels } from './support/png';
import { bytesOf, TestFiles } from './support/testFiles';
import { seededRandom } from '../support/seededRandom';

const env = editorSuite();

const layout = (l: Partial<LayoutSettings>): LayoutSettings => ({ bytesPerRow: 16, groupSize: 8, cellFormat: 'hex', ...l });

/** Bytes 0..255 in order, then some text. */
function ramp(): Uint8Array {
  const bytes = new Uint8Array(4096);
  for (let i = 0; i < bytes.length; i++) bytes[i] = i & 0xff;
  return bytes;
}

/** Waits until the painted rows satisfy `ok` (the webview re-lays asynchronously after a 'settings' message). */
async function until(page: Page, ok: (rows: ShownRow[]) => boolean, what: string): Promise<ShownRow[]> {
  for (const deadline = Date.now() + 5000; ;) {
    const rows = await shownRows(page);
    if (rows.length && ok(rows)) { await waitForIdle(page); return shownRows(page); }
    if (Date.now() > deadline) assert.fail(`timed out waiting for ${what}`);
    await page.waitForTimeout(20);
  }
}

async function relayTo(ed: EditorUnderTest, l: LayoutSettings, ok: (rows: ShownRow[]) => boolean): Promise<ShownRow[]> {
  ed.session.setLayout(l);
  return until(ed.page, ok, JSON.stringify(l));
}

function headerLabels(page: Page): Promise<{ text: string; x: number; width: number }[]> {
  return page.evaluate(() => [...document.querySelectorAll<HTMLElement>('.header .hex .hc')].map((e) => {
    const r = e.getBoundingClientRect();
    return { text: e.textContent ?? '', x: r.x, width: r.width };
  }));
}

/** Pixels in `box` that differ from the colour at `bgAt` (the canvas really drew something there). */
function ink(pixels: Pixels, box: Box, bg: number[]): number {
  let n = 0;
  for (let y = Math.ceil(box.y + 2); y < box.y + box.height - 2; y++) {
    for (let x = Math.ceil(box.x); x < box.x + box.width; x++) {
      const p = pixels.rgb(x, y);
      if (Math.abs(p[0] - bg[0]) + Math.abs(p[1] - bg[1]) + Math.abs(p[2] - bg[2]) > 24) n++;
    }
  }
  return n;
}

const ch = (page: Page): Promise<number> => page.evaluate(() => parseFloat(getComputedStyle(document.getElementById('hexmap-root')!).getPropertyValue('--ch')));

describe('editor webview: layout', () => {
  it('writes each byte in every cell format, with addresses and column labels in hex', async () => {
    const ed = await openEditor(env.browser, env.files.write('ramp.bin', ramp()), { beforeLoad: (s) => s.setLayout(layout({ bytesPerRow: 11 })) });
    try {
      const cellOf = (rows: ShownRow[], offset: number) => rows.flatMap((r) => r.cells).find((c) => c.offset === offset)?.hex;
      // Hand-written values: 0x00, 0x07, 0x41, 0xAB, 0xFF.
      const expected: Record<LayoutSettings['cellFormat'], string[]> = {
        hex: ['00', '07', '41', 'AB', 'FF'],
        hexLower: ['00', '07', '41', 'ab', 'ff'],
        decimal: ['000', '007', '065', '171', '255'],
        octal: ['000', '007', '101', '253', '377'],
        binary: ['00000000', '00000111', '01000001', '10101011', '11111111'],
      };
      const offsets = [0x00, 0x07, 0x41, 0xab, 0xff];
      for (const [format, texts] of Object.entries(expected) as [LayoutSettings['cellFormat'], string[]][]) {
        const seen = await relayTo(ed, layout({ bytesPerRow: 11, cellFormat: format }), (r) => cellOf(r, 0) === texts[0] && cellOf(r, 0xff) === texts[4]);
        assert.deepEqual(offsets.map((o) => cellOf(seen, o)), texts, `${format}: cell texts`);
        // 11 per row: row 15 starts at 0xA5; the address is hex (lower case with lower-case cells).
        const row15 = seen.find((r) => r.rowIndex === 15)!;
        assert.equal(row15.address, format === 'hexLower' ? '000000a5' : '000000A5', `${format}: address`);
        const labels = (await headerLabels(ed.page)).map((l) => l.text);
        assert.deepEqual(labels, ['00', '01', '02', '03', '04', '05', '06', '07', '08', '09', format === 'hexLower' ? '0a' : '0A'], `${format}: column labels`);
        // The accessible row (the cursor's, row 0) reads the same texts.
        const a11yRow = await ed.page.evaluate(() => [...document.querySelectorAll<HTMLElement>('.a11y-row [role=gridcell]')].slice(0, 11).map((e) => e.textContent));
        assert.equal(a11yRow[7], texts[1], `${format}: accessible row`);
        const label = await ed.page.evaluate(() => document.getElementById(document.getElementById('hexmap-grid')!.getAttribute('aria-activedescendant')!)?.getAttribute('aria-label'));
        assert.match(label ?? '', new RegExp(`^Offset 0x0, byte ${texts[0]},`), `${format}: the active cell's label reads the byte as shown`);
        // The canvas draws the whole text inside the cell: ink under its first and its last digit.
        const box = seen.flatMap((r) => r.cells).find((c) => c.offset === 0xab)!.hexBox;
        const pixels = await pagePixels(ed.page);
        const bg = pixels.rgb(box.x + 1, box.y + 1);
        const unit = await ch(ed.page);
        const first = ink(pixels, { ...box, x: box.x + 0.35 * unit, width: unit }, bg);
        const lastDigit = ink(pixels, { ...box, x: box.x + box.width - 1.35 * unit, width: unit }, bg);
        const gapAfter = ink(pixels, { ...box, x: box.x + box.width - 0.3 * unit, width: 0.3 * unit }, bg);
        assert.ok(first > 3 && lastDigit > 3, `${format}: digits drawn at both ends of the cell (${first}, ${lastDigit})`);
        assert.equal(gapAfter, 0, `${format}: nothing drawn in the cell's right padding`);
        await screenshot(ed.page, `layout-format-${format}`);
      }
    } finally {
      await ed.close();
    }
  });

  for (const bytesPerRow of [1, 7, 16, 64]) {
    it(`hit-tests the columns at ${bytesPerRow} byte(s) per row, in both panes, with group gaps in px`, async () => {
      const groupSize = bytesPerRow === 7 ? 2 : bytesPerRow === 64 ? 4 : 8;
      const ed = await openEditor(env.browser, env.files.write(`hit${bytesPerRow}.bin`, ramp()), {
        viewport: { width: 2600, height: 500 }, beforeLoad: (s) => s.setLayout(layout({ bytesPerRow, groupSize })),
      });
      try {
        const { page } = ed;
        const rows = await until(page, (r) => r[0].cells.length === bytesPerRow, `${bytesPerRow} per row`);
        const row = rows[2];
        const unit = await ch(page);
        const w = row.cells[0].hexBox.width;
        assert.ok(Math.abs(w - 2.7 * unit) < 0.01, 'a hex cell is 2.7ch wide');
        for (let c = 1; c < bytesPerRow; c++) {
          const step = row.cells[c].hexBox.x - row.cells[c - 1].hexBox.x;
          const gap = c % groupSize === 0 ? 0.9 * unit : 0;
          assert.ok(Math.abs(step - w - gap) < 0.01, `column ${c}: ${step} px after the previous one, expected ${w + gap}`);
        }
        // The header's labels sit over the drawn columns.
        const labels = await headerLabels(page);
        assert.equal(labels.length, bytesPerRow);
        for (let c = 0; c < bytesPerRow; c++) {
          assert.ok(Math.abs(labels[c].x - row.cells[c].hexBox.x) < 0.1, `label ${c} at ${labels[c].x}, cell at ${row.cells[c].hexBox.x}`);
        }
        // Real clicks at the centre and near both edges of cells at group edges, the middle and the ends,
        // and in the gap after a group (it belongs to the cell before).
        const columns = [...new Set([0, 1, groupSize - 1, groupSize, groupSize + 1, bytesPerRow >> 1, bytesPerRow - 2, bytesPerRow - 1])].filter((c) => c >= 0 && c < bytesPerRow);
        for (const pane of ['hex', 'text'] as const) {
          for (const c of columns) {
            const box = pane === 'hex' ? row.cells[c].hexBox : row.cells[c].textBox;
            for (const x of [box.x + 1, box.x + box.width / 2, box.x + box.width - 1]) {
              await page.mouse.click(x, box.y + box.height / 2);
              await page.waitForFunction(([o, p]) => { const d = document.getElementById('hexmap-root')!.dataset; return d.cursor === String(o) && d.pane === p; }, [row.cells[c].offset, pane] as const);
            }
          }
        }
        if (bytesPerRow > groupSize) {
          const last = row.cells[groupSize - 1].hexBox;
          await page.mouse.click(last.x + last.width + 0.45 * unit, last.y + last.height / 2);
          await page.waitForFunction((o) => document.getElementById('hexmap-root')!.dataset.cursor === String(o), row.cells[groupSize - 1].offset);
        }
        // Up and down move by a row.
        await clickCell(page, row.cells[0].offset, 'hex');
        await page.keyboard.press('ArrowDown');
        await page.waitForFunction((o) => document.getElementById('hexmap-root')!.dataset.cursor === String(o), row.cells[0].offset + bytesPerRow);
        await page.keyboard.press('ArrowUp');
        await page.keyboard.press('ArrowUp');
        await page.waitForFunction((o) => document.getElementById('hexmap-root')!.dataset.cursor === String(o), row.cells[0].offset - bytesPerRow);
      } finally {
        await ed.close();
      }
    });
  }

  it('groups of 1: every byte evenly spaced, no gap in the header', async () => {
    const ed = await openEditor(env.browser, env.files.write('g1.bin', ramp()), { beforeLoad: (s) => s.setLayout(layout({ bytesPerRow: 16, groupSize: 1 })) });
    try {
      const rows = await shownRows(ed.page);
      const steps = rows[0].cells.slice(1).map((c, i) => c.hexBox.x - rows[0].cells[i].hexBox.x);
      assert.ok(steps.every((s) => Math.abs(s - steps[0]) < 0.01), `even steps: ${steps.join(', ')}`);
      const labels = await headerLabels(ed.page);
      const labelSteps = labels.slice(1).map((l, i) => l.x - labels[i].x);
      assert.ok(labelSteps.every((s) => Math.abs(s - steps[0]) < 0.1), `the header's labels too: ${labelSteps.join(', ')}`);
    } finally {
      await ed.close();
    }
  });

  it('fits the width: whole groups, recomputed on resize, the cursor kept in view; binary cells too', async () => {
    const ed = await openEditor(env.browser, env.files.write('fit.bin', ramp()), { viewport: { width: 1100, height: 500 }, beforeLoad: (s) => s.setLayout(layout({ bytesPerRow: 'fit', groupSize: 4 })) });
    try {
      const { page } = ed;
      const scrollbar = 14;
      /** The columns end inside the viewport, and one more group would not. */
      const checkFit = async (width: number, groupSize: number): Promise<number> => {
        const rows = await shownRows(page);
        const cells = rows[0].cells;
        const n = cells.length;
        assert.equal(n % groupSize, 0, `${n} per row is whole groups of ${groupSize}`);
        const unit = await ch(page);
        const right = cells[n - 1].textBox.x + cells[n - 1].textBox.width + unit; // the canvas keeps 1ch after the text pane
        assert.ok(right + scrollbar <= width, `${n} per row ends at ${right} within ${width}`);
        if (n < 64) {
          const hexStep = cells[1].hexBox.x - cells[0].hexBox.x;
          const more = right + groupSize * (hexStep + cells[0].textBox.width) + 0.9 * unit;
          assert.ok(more + scrollbar > width, `${n + groupSize} per row would end at ${more}, past ${width}`);
        }
        return n;
      };
      const wide = await checkFit(1100, 4);
      await clickCell(page, 5 * wide + 3, 'hex');
      const cursor = (await editorState(page)).cursor;
      assert.equal(cursor, 5 * wide + 3, 'the click put the cursor on its byte');
      await page.setViewportSize({ width: 700, height: 500 });
      await until(page, (r) => r[0].cells.length < wide, 'fewer bytes per row after the resize');
      const narrow = await checkFit(700, 4);
      assert.ok(narrow < wide);
      assert.equal((await editorState(page)).cursor, cursor, 'the cursor stays on its byte');
      assert.ok(await cellBox(page, cursor, 'hex'), 'and on screen');
      await relayTo(ed, layout({ bytesPerRow: 'fit', groupSize: 2, cellFormat: 'binary' }), (r) => r[0].cells[0].hex.length === 8);
      await checkFit(700, 2);
      await screenshot(page, 'layout-fit-binary');
    } finally {
      await ed.close();
    }
  });

  it('draws a multi-byte character across row edges: 3 per row, and a 4-byte one over 4 rows at 1 per row', async () => {
    const ed = await openEditor(env.browser, env.files.write('mb.bin', bytesOf('ab\u20ac!\u{1F40D}.')), { beforeLoad: (s) => s.setLayout(layout({ bytesPerRow: 3 })) });
    try {
      // a b E2 | 82 AC ! | F0 9F 90 | 8D .
      let rows = await readRows(ed.page);
      assert.deepEqual(rows.map((r) => r.hex), [['61', '62', 'E2'], ['82', 'AC', '21'], ['F0', '9F', '90'], ['8D', '2E', '']]);
      assert.match(rows[0].hexClass[2], /u-s.*carry-on/);
      assert.match(rows[1].hexClass[0], /u-m.*carry/);
      assert.match(rows[1].hexClass[1], /u-e/);
      assert.doesNotMatch(rows[1].hexClass[1], /carry/, 'the euro ends inside the row');
      assert.equal(rows[0].glyph[2], '\u20ac', 'the euro sign is drawn once, at its first byte');
      assert.deepEqual([rows[1].glyph[0], rows[1].glyph[1]], ['', '']);
      assert.equal(rows[2].glyphClass[0], 'g w3', 'the snake spans the 3 cells of its first row');
      await relayTo(ed, layout({ bytesPerRow: 1 }), (r) => r[0].cells.length === 1);
      const one = await readRows(ed.page);
      const snake = one.slice(6, 10);
      assert.deepEqual(snake.map((r) => r.hex[0]), ['F0', '9F', '90', '8D']);
      assert.match(snake[0].hexClass[0], /u-s carry-on/);
      assert.match(snake[1].hexClass[0], /u-m carry carry-on/);
      assert.match(snake[2].hexClass[0], /u-m carry carry-on/);
      assert.match(snake[3].hexClass[0], /u-e carry(?!-on)/);
      assert.deepEqual(snake.map((r) => r.glyph[0]), ['\u{1F40D}', '', '', '']);
      assert.deepEqual(one.slice(0, 4).map((r) => r.address), ['00000000', '00000001', '00000002', '00000003']);
    } finally {
      await ed.close();
    }
  });

  it('applies a new layout live: the cursor keeps its byte and its screen row', async () => {
    const ed = await openEditor(env.browser, env.files.write('live.bin', ramp()));
    try {
      const { page } = ed;
      await clickCell(page, 16 * 6 + 9, 'hex'); // row 6 on screen
      const before = await cellBox(page, 16 * 6 + 9, 'hex');
      await relayTo(ed, layout({ bytesPerRow: 7, groupSize: 4, cellFormat: 'decimal' }), (r) => r[0].cells.length === 7 && r[0].cells[0].hex.length === 3);
      assert.equal((await editorState(page)).cursor, 16 * 6 + 9);
      const after = await cellBox(page, 16 * 6 + 9, 'hex');
      assert.ok(after, 'the cursor byte is on screen');
      assert.equal(after.y, before!.y, 'on the same screen row');
      // Scrolled far away, the cursor is brought back into view.
      await page.mouse.wheel(0, 3000);
      await page.waitForFunction(() => Number(document.getElementById('hexmap-root')!.dataset.topOffset) > 500);
      await relayTo(ed, layout({ bytesPerRow: 32 }), (r) => r[0].cells.length === 32);
      assert.ok(await cellBox(page, 16 * 6 + 9, 'hex'), 'the cursor byte was brought into view');
    } finally {
      await ed.close();
    }
  });

  it('random layout changes, resizes and cursor moves keep every painted cell, address and label consistent', async () => {
    // Bytes that differ from their neighbours and from 256 bytes on, so a cell shown at the wrong offset is caught.
    const bytes = Uint8Array.from({ length: 20_000 }, (_, i) => (i * 7 + (i >> 8)) & 0xff);
    const ed = await openEditor(env.browser, env.files.write('random.bin', bytes), { viewport: { width: 1200, height: 400 } });
    const r = seededRandom(0x1a7);
    const formats = ['hex', 'hexLower', 'decimal', 'octal', 'binary'] as const;
    const radix = { hex: 16, hexLower: 16, decimal: 10, octal: 8, binary: 2 };
    const digits = { hex: 2, hexLower: 2, decimal: 3, octal: 3, binary: 8 };
    let current = layout({});
    const log: string[] = [];
    try {
      const { page } = ed;
      await page.locator('.grid').focus();
      for (let step = 0; step < 30; step++) {
        const action = r();
        const cursorBefore = (await editorState(page)).cursor;
        if (action < 0.45) {
          current = layout({
            bytesPerRow: r() < 0.25 ? 'fit' : 1 + Math.floor(r() * 64),
            groupSize: ([1, 2, 4, 8] as const)[Math.floor(r() * 4)],
            cellFormat: formats[Math.floor(r() * formats.length)],
          });
          log.push(`layout ${JSON.stringify(current)}`);
          ed.session.setLayout(current);
          await until(page, (rows) => rows[0].cells[0].hex.length === digits[current.cellFormat]
            && (current.bytesPerRow === 'fit' || rows[0].cells.length === current.bytesPerRow), `step ${step}: ${log.at(-1)}`);
        } else if (action < 0.6) {
          const width = 500 + Math.floor(r() * 1100);
          log.push(`width ${width}`);
          await page.setViewportSize({ width, height: 400 });
        } else {
          const key = ['ArrowDown', 'ArrowRight', 'PageDown', 'ArrowUp', 'End'][Math.floor(r() * 5)];
          log.push(key);
          await page.keyboard.press(key);
        }
        await waitForIdle(page);
        const where = `step ${step} (${log.join(' | ')})`;
        const rows = await shownRows(page);
        const state = await editorState(page);
        const bpr = rows[0].cells.length;
        if (current.bytesPerRow !== 'fit') assert.equal(bpr, current.bytesPerRow, where);
        else if (bpr >= current.groupSize) assert.equal(bpr % current.groupSize, 0, `${where}: fit is whole groups`);
        if (action < 0.6) assert.equal(state.cursor, cursorBefore, `${where}: a layout change or resize leaves the cursor on its byte`);
        if (action < 0.45) assert.ok(rows.some((row) => row.cells.some((c) => c.offset === state.cursor)), `${where}: the cursor's byte is on screen`);
        assert.equal(state.topOffset % bpr, 0, `${where}: the top row starts at a multiple of ${bpr}`);
        for (const row of rows) {
          const address = (row.rowIndex * bpr).toString(16).padStart(8, '0');
          assert.equal(row.address, current.cellFormat === 'hexLower' ? address : address.toUpperCase(), where);
          row.cells.forEach((c, i) => {
            assert.equal(c.offset, row.rowIndex * bpr + i, where);
            if (c.offset >= bytes.length) return;
            const text = bytes[c.offset].toString(radix[current.cellFormat]).padStart(digits[current.cellFormat], '0');
            assert.equal(c.hex, current.cellFormat === 'hex' ? text.toUpperCase() : text, `${where}: cell ${c.offset}`);
          });
        }
        assert.equal((await headerLabels(page)).length, bpr, `${where}: one header label per column`);
      }
    } finally {
      await ed.close();
    }
  });

  it("types each format's digits left to right over the cell; past 255 the rest become 0 or the digit is refused", async () => {
    const ed = await openEditor(env.browser, env.files.write('type.bin', ramp()), { beforeLoad: (s) => s.setLayout(layout({ cellFormat: 'decimal' })) });
    try {
      const { page } = ed;
      const cellText = (rows: ShownRow[], offset: number) => rows.flatMap((x) => x.cells).find((c) => c.offset === offset)?.hex;
      await clickCell(page, 0x41, 'hex');
      for (const k of '127') await page.keyboard.press(k);
      await until(page, (r) => cellText(r, 0x41) === '127', 'the cell to show 127');
      await page.waitForFunction(() => document.getElementById('hexmap-root')!.dataset.cursor === String(0x42));
      assert.equal((await ed.model.readBytes(0x41, 1))[0], 127);
      // 0x42 = 066: a "3" in the hundreds would be 366: refused, nothing written, the cursor stays.
      await page.keyboard.press('3');
      await page.waitForSelector('.message-bar:not([hidden])');
      assert.match(await page.locator('.message-bar').innerText(), /decimal cell holds 000 to 255/);
      assert.equal((await ed.model.readBytes(0x42, 1))[0], 0x42);
      await page.keyboard.press('a'); // not a decimal digit: nothing happens
      // "2" over "066" would be 266: the digits after it become 0 (200), so any value can be typed over any other.
      await page.keyboard.press('2');
      await until(page, (r) => cellText(r, 0x42) === '200', 'the cell to show 200 after one digit');
      for (const k of '05') await page.keyboard.press(k);
      await page.waitForFunction(() => document.getElementById('hexmap-root')!.dataset.cursor === String(0x43));
      assert.equal((await ed.model.readBytes(0x42, 1))[0], 205);
      // Binary: eight bits; insert mode: the first digit inserts a byte, the next ones complete it.
      await relayTo(ed, layout({ cellFormat: 'binary' }), (r) => cellText(r, 0) === '00000000');
      await page.keyboard.press('Insert');
      await page.waitForFunction(() => document.getElementById('hexmap-root')!.dataset.mode === 'insert');
      for (const k of '10100101') await page.keyboard.press(k);
      await page.waitForFunction(() => document.getElementById('hexmap-root')!.dataset.cursor === String(0x44));
      assert.deepEqual([...await ed.model.readBytes(0x42, 3)], [205, 0xa5, 0x43], 'one byte inserted before 0x43');
      // Octal in overwrite mode: "3" "7" "7" is 255.
      await page.keyboard.press('Insert');
      await relayTo(ed, layout({ cellFormat: 'octal' }), (r) => cellText(r, 0) === '000');
      for (const k of '377') await page.keyboard.press(k);
      await page.waitForFunction(() => document.getElementById('hexmap-root')!.dataset.cursor === String(0x45));
      assert.deepEqual([...await ed.model.readBytes(0x43, 3)], [0xa5, 0xff, 0x44]);
    } finally {
      await ed.close();
    }
  });
});
