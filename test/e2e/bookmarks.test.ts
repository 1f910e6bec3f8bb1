// E2E: bookmarks as a user meets them in a real VS Code (code-server, headless Chromium). Ctrl+Alt+K on a
// byte toggles a bookmark (drawn in the webview, listed in the Hexmap Bookmarks view); a byte inserted
// before it and saved moves it; the window is reloaded and the bookmark is still on its byte.
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { after, before, describe, it } from 'node:test';
import type { FrameLocator, Page } from 'playwright-core';
import { cellAt, clickCell, HEXMAP_READY, readView, waitForView } from './support/hexmapView';
import { openHexmapSession, type HexmapSession } from './support/hexmapSession';
import { artifactsDir } from './support/repoPaths';
import { screenshot, tab, waitForHexmapEditor, waitForWorkbench, openFromExplorer as openFileFromExplorer } from './support/workbench';

const FILE_NAME = 'marked.bin';
const ORIGINAL = Buffer.from(Array.from({ length: 256 }, (_, i) => i));

const shots = artifactsDir('e2e-bookmarks');
let session: HexmapSession;
let page: Page;
let frame: FrameLocator;
let path = '';

const openFromExplorer = (): Promise<void> => openFileFromExplorer(page, FILE_NAME, shots);

const classesAt = async (offset: number): Promise<string[]> => (cellAt(await readView(frame), offset)?.hexClass ?? '').split(' ');
const bookmarkStartsAt = (offset: number) => waitForView(frame, `a bookmark starting at 0x${offset.toString(16)}`,
  (v) => v.cells.filter((c) => c.hexClass.split(' ').includes('bm-start')).map((c) => c.offset).join() === String(offset));

describe('Hexmap in VS Code: bookmarks', { timeout: 6 * 60_000 }, () => {
  before(async () => {
    session = await openHexmapSession({ fileName: FILE_NAME, content: ORIGINAL, shots });
    ({ page, frame, path } = session);
  });

  after(async () => {
    await session?.close();
  });

  it('Ctrl+Alt+K bookmarks the byte at the cursor: drawn in the editor, listed in the Hexmap Bookmarks view', async () => {
    await clickCell(frame, 0x20, 'hex');
    await waitForView(frame, 'cursor on 0x20', (v) => v.cursor === 0x20);
    await page.keyboard.press('Control+Alt+K');
    await bookmarkStartsAt(0x20);
    assert.ok((await classesAt(0x20)).includes('bm-blue'));
    const header = page.locator('.pane-header', { hasText: 'Hexmap Bookmarks' }).first();
    await header.waitFor({ state: 'visible', timeout: 10_000 });
    if ((await header.getAttribute('aria-expanded')) !== 'true') await header.click();
    const row = page.locator('.monaco-list-row', { hasText: '0x20' }).first();
    await row.waitFor({ state: 'visible', timeout: 10_000 });
    await screenshot(page, shots, '01-bookmarked');
    // A click on it from elsewhere in the file jumps back to it.
    await clickCell(frame, 0x40, 'hex');
    await waitForView(frame, 'cursor on 0x40', (v) => v.cursor === 0x40);
    await row.click();
    await waitForView(frame, 'cursor back on the bookmark', (v) => v.cursor === 0x20);
  });

  it('a byte inserted before it and saved moves it; after a window reload it is still on its byte', async () => {
    await clickCell(frame, 0, 'hex');
    await waitForView(frame, 'cursor on 0', (v) => v.cursor === 0);
    await page.keyboard.press('Insert');
    await waitForView(frame, 'insert mode', (v) => v.mode === 'insert');
    await page.keyboard.press('a');
    await page.keyboard.press('b');
    await bookmarkStartsAt(0x21);
    await page.keyboard.press('Insert');
    await waitForView(frame, 'overwrite mode', (v) => v.mode === 'overwrite');
    await page.keyboard.press('Control+S');
    await tab(page, FILE_NAME).and(page.locator('.tab:not(.dirty)')).waitFor({ state: 'visible', timeout: 30_000 });
    assert.deepEqual(readFileSync(path), Buffer.concat([Buffer.from([0xab]), ORIGINAL]));
    // The stored bookmarks are written a moment after a change; give that moment before the reload.
    await page.waitForTimeout(1500);
    await page.reload();
    await waitForWorkbench(page);
    frame = await waitForHexmapEditor(page, openFromExplorer, HEXMAP_READY);
    await bookmarkStartsAt(0x21);
    assert.equal(cellAt(await readView(frame), 0x21)?.hex, '20', 'the bookmark is on the byte it marked');
    await screenshot(page, shots, '02-after-reload');
  });
});
