// E2E: the layout settings in a real VS Code (code-server, in headless Chromium). "Hexmap: Change Layout…"
// from the palette, as a user: Bytes per Row → Other… → 7, then Cell Format → Binary. Each choice is written
// to the user settings (read back from settings.json by this process) and the open editor re-lays at once,
// the cursor's byte still on screen; the status bar item shows the layout and opens the same quick pick.
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import type { FrameLocator, Page } from 'playwright-core';
import { cellAt, clickCell, hex2, waitForView } from './support/hexmapView';
import { openHexmapSession, type HexmapSession } from './support/hexmapSession';
import { artifactsDir } from './support/repoPaths';
import { runFromPalette, screenshot } from './support/workbench';

const FILE_NAME = 'layout.bin';
const shots = artifactsDir('e2e-layout');
let session: HexmapSession;
let page: Page;
let frame: FrameLocator;

/** Picks the quick pick row whose label is `label`. */
async function pick(label: string): Promise<void> {
  // As a keyboard user does: type the label into the quick pick's filter, wait until that row is the
  // active one, press Enter (a click can land while the list is still being laid out on a loaded machine).
  const input = page.locator('.quick-input-widget input');
  await input.waitFor({ state: 'visible', timeout: 10_000 });
  await input.fill(label);
  const active = page.locator('.quick-input-list .monaco-list-row.focused', { has: page.locator('.label-name', { hasText: label }) }).first();
  await active.waitFor({ state: 'visible', timeout: 10_000 });
  await page.keyboard.press('Enter');
}

function userSettings(): Record<string, unknown> {
  return JSON.parse(readFileSync(join(session.server.userDataDir, 'User', 'settings.json'), 'utf8')) as Record<string, unknown>;
}

describe('Hexmap in VS Code: the layout settings re-lay the open editor', { timeout: 5 * 60_000 }, () => {
  before(async () => {
    session = await openHexmapSession({ fileName: FILE_NAME, content: Buffer.from(Array.from({ length: 4096 }, (_, i) => i & 0xff)), shots });
    ({ page, frame } = session);
    await waitForView(frame, '16 per row', (v) => v.bytesPerRow === 16);
  });

  after(async () => {
    await session?.close();
  });

  it('"Hexmap: Change Layout…" sets 7 bytes per row, then binary cells, live, keeping the cursor in view', async () => {
    await clickCell(frame, 0x55, 'hex');
    await waitForView(frame, 'cursor on 0x55', (v) => v.cursor === 0x55);
    await runFromPalette(page, 'Hexmap: Change Layout…');
    await pick('Bytes per Row');
    await pick('Other…');
    const input = page.locator('.quick-input-widget input');
    await input.fill('7');
    await page.keyboard.press('Enter');
    let view = await waitForView(frame, '7 per row', (v) => v.bytesPerRow === 7);
    assert.equal(userSettings()['hexmap.bytesPerRow'], 7);
    assert.equal(view.cursor, 0x55);
    assert.ok(cellAt(view, 0x55), 'the cursor byte is on screen');
    assert.equal(view.topOffset % 7, 0, 'rows start at multiples of 7');
    assert.ok(view.cells.every((c) => c.hex === '' || c.hex === hex2(c.offset & 0xff)), 'each cell shows its byte (the file is 00 01 02 …)');

    await runFromPalette(page, 'Hexmap: Change Layout…');
    await pick('Cell Format');
    await pick('Binary (8 bits)');
    view = await waitForView(frame, 'binary cells', (v) => v.cells[0]?.hex.length === 8);
    assert.equal(userSettings()['hexmap.cellFormat'], 'binary');
    assert.equal(view.bytesPerRow, 7);
    assert.equal(cellAt(view, 0x55)?.hex, '01010101');
    // The status bar says so, and a click on it opens the same quick pick.
    const status = page.locator('.statusbar-item', { hasText: '7 · bin' });
    await status.waitFor({ state: 'visible', timeout: 10_000 });
    await screenshot(page, shots, 'layout-7-binary');
    await status.click();
    await page.locator('.quick-input-list .monaco-list-row', { hasText: 'Cell Format' }).waitFor({ state: 'visible', timeout: 10_000 });
    await page.keyboard.press('Escape');
  });
});
