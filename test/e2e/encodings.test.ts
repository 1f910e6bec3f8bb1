// E2E: a user picks the text encoding from the status bar in a real VS Code (code-server, in headless
// Chromium). A file with a UTF-16LE byte order mark opens as UTF-16LE (the status bar says
// "UTF-16LE (BOM)" and the text pane pairs the emoji's surrogates); a click on that item opens the quick
// pick, choosing "Windows 1252" redraws the text pane byte by byte and the status bar follows.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { FrameLocator, Page } from 'playwright-core';
import { cellAt, waitForView } from './support/hexmapView';
import { openHexmapSession, type HexmapSession } from './support/hexmapSession';
import { artifactsDir } from './support/repoPaths';
import { screenshot } from './support/workbench';

const FILE_NAME = 'bom16.bin';
const CONTENT = Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from('Hi 😀 there', 'utf16le')]);

const shots = artifactsDir('e2e-encodings');
let session: HexmapSession;
let page: Page;
let frame: FrameLocator;

const statusItem = (text: string) => page.locator('.statusbar-item', { hasText: new RegExp(`^\\s*${text.replace(/[()]/g, '\\$&')}\\s*$`) });

describe('Hexmap in VS Code: the text encoding from the status bar', { timeout: 5 * 60_000 }, () => {
  before(async () => {
    session = await openHexmapSession({ fileName: FILE_NAME, content: CONTENT, shots });
    ({ page, frame } = session);
  });

  after(async () => {
    await session?.close();
  });

  it('a UTF-16LE BOM opens the file as UTF-16LE, said in the status bar; the emoji is one character', async () => {
    await statusItem('UTF-16LE (BOM)').waitFor({ state: 'visible', timeout: 20_000 });
    const view = await waitForView(frame, 'UTF-16 text', (v) => cellAt(v, 2)?.glyph === 'H');
    assert.equal(cellAt(view, 8)?.glyph, '😀', 'the surrogate pair is drawn once, at its first byte');
    assert.equal(cellAt(view, 10)?.glyph, '', 'its low surrogate draws nothing');
    await screenshot(page, shots, '01-utf16-bom');
  });

  it('the status bar item opens the picker; Windows 1252 redraws the text pane byte by byte', async () => {
    await statusItem('UTF-16LE (BOM)').click();
    const input = page.locator('.quick-input-widget input');
    await input.waitFor({ state: 'visible', timeout: 10_000 });
    await input.fill('Windows 1252');
    await page.locator('.quick-input-list .monaco-list-row', { hasText: 'Windows 1252' }).first().waitFor({ state: 'visible' });
    await page.keyboard.press('Enter');
    await statusItem('Windows 1252').waitFor({ state: 'visible', timeout: 10_000 });
    const view = await waitForView(frame, 'windows-1252 text', (v) => cellAt(v, 0)?.glyph === 'ÿ');
    assert.equal(cellAt(view, 1)?.glyph, 'þ');
    assert.equal(cellAt(view, 2)?.glyph, 'H');
    assert.equal(cellAt(view, 3)?.glyph, '⋄', 'the high byte of "H" is a NUL of its own now');
    await screenshot(page, shots, '02-windows-1252');
  });
});
