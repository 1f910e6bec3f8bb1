// E2E: a user changes a file's size in a real VS Code (code-server, in headless Chromium). Insert mode
// (the Insert key; the status bar says INS), hex digits inserted in the hex pane, a character inserted in
// the text pane, Delete of a whole character, two pastes of hex text and Ctrl+Z of the second, Ctrl+S —
// then the file on disk is read by this process (fs.readFileSync), not through Hexmap, and must hold
// exactly the bytes the test computed from its own copy.
import assert from 'node:assert/strict';
import { readFileSync, statSync } from 'node:fs';
import { after, before, describe, it } from 'node:test';
import type { FrameLocator, Page } from 'playwright-core';
import { cellAt, clickCell, hex2, readView, waitForView } from './support/hexmapView';
import { focusPane as focusPaneOf, openHexmapSession, typeChar as typeCharOn, type HexmapSession } from './support/hexmapSession';
import { artifactsDir } from './support/repoPaths';
import { runFromPalette, screenshot, tab } from './support/workbench';

const FILE_NAME = 'insert-me.bin';
const ORIGINAL = Buffer.from('Hello, world! 0123456789 abcdefghijklmnopqrstuvwxyz ABCDEFGHIJKLMNOPQRSTUVWXYZ\n');

const shots = artifactsDir('e2e-editing');
let session: HexmapSession;
let page: Page;
let frame: FrameLocator;
let path = '';

const typeChar = (ch: string): Promise<void> => typeCharOn(page, ch);
const focusPane = (pane: 'hex' | 'text'): Promise<void> => focusPaneOf(page, frame, pane);

/** The first bytes the editor shows, as hex strings. */
const shownHex = async (n: number): Promise<string[]> => (await readView(frame)).cells.slice(0, n).map((c) => c.hex);
const hexOf = (b: Buffer): string[] => Array.from(b, hex2);

async function waitShows(expected: Buffer, what: string): Promise<void> {
  try {
    await waitForView(frame, what, (v) => v.cells.length >= expected.length + 1
      && expected.every((b, i) => v.cells[i].hex === hex2(b)) && v.cells[expected.length].hex === '');
  } catch (e) {
    await screenshot(page, shots, `failed-${what.replace(/\W+/g, '-')}`);
    throw new Error(`${(e as Error).message}\n  shows    ${(await shownHex(expected.length + 1)).join(' ')}\n  expected ${hexOf(expected).join(' ')}`);
  }
}

/** Puts `text` on the system clipboard and pastes it into the editor with Ctrl+V, as a user does. */
async function pasteText(text: string): Promise<void> {
  await page.evaluate((t) => navigator.clipboard.writeText(t), text);
  await frame.locator('.hexmap .grid').focus();
  await page.keyboard.press('Control+V');
}

const statusItem = (text: string) => page.locator('.statusbar-item', { hasText: new RegExp(`^\\s*${text}\\s*$`) });

describe('Hexmap in VS Code: insert, delete, paste, undo and save change the size on disk', { timeout: 6 * 60_000 }, () => {
  before(async () => {
    session = await openHexmapSession({ fileName: FILE_NAME, content: ORIGINAL, shots, clipboard: true });
    ({ page, frame, path } = session);
    await waitShows(ORIGINAL, 'the file as on disk');
  });

  after(async () => {
    await session?.close();
  });

  let expected = Buffer.from(ORIGINAL);
  const splice = (at: number, remove: number, insert: number[] | Buffer) =>
    Buffer.concat([expected.subarray(0, at), Buffer.from(insert), expected.subarray(at + remove)]);

  it('the Insert key switches to insert mode; the status bar says INS', async () => {
    await statusItem('OVR').waitFor({ state: 'visible', timeout: 20_000 });
    await focusPane('hex');
    await page.keyboard.press('Insert');
    await waitForView(frame, 'insert mode', (v) => v.mode === 'insert');
    await statusItem('INS').waitFor({ state: 'visible', timeout: 10_000 });
    // Still insert a moment later: the key toggled the mode once, not once in the webview and again in VS Code.
    await page.waitForTimeout(500);
    assert.equal((await readView(frame)).mode, 'insert');
    await screenshot(page, shots, '01-insert-mode');
  });

  it('hex digits insert a byte in the hex pane; a character is inserted whole in the text pane', async () => {
    await page.keyboard.press('4');
    await page.keyboard.press('1');
    expected = splice(0, 0, [0x41]);
    await waitShows(expected, 'typed 41 inserted at 0');
    await clickCell(frame, 3, 'text');
    await waitForView(frame, 'cursor on byte 3 in the text pane', (v) => v.cursor === 3 && v.pane === 'text');
    await typeChar('é');
    expected = splice(3, 0, [0xc3, 0xa9]);
    await waitShows(expected, 'é inserted at 3');
    assert.equal(cellAt(await readView(frame), 3)!.glyph, 'é');
    await tab(page, FILE_NAME).and(page.locator('.tab.dirty')).waitFor({ state: 'visible', timeout: 20_000 });
    assert.deepEqual(readFileSync(path), ORIGINAL, 'nothing reaches the disk before a save');
  });

  it('Delete removes the character at the cursor', async () => {
    await waitForView(frame, 'cursor after é', (v) => v.cursor === 5);
    await page.keyboard.press('Delete');
    expected = splice(5, 1, []);
    await waitShows(expected, 'l deleted at 5');
  });

  it('pastes hex text as bytes in the hex pane; Ctrl+Z takes back the last paste', async () => {
    await focusPane('hex');
    await pasteText('DE AD');
    expected = splice(5, 0, [0xde, 0xad]);
    await waitShows(expected, 'DE AD pasted at 5');
    await waitForView(frame, 'cursor after the paste', (v) => v.cursor === 7);
    const beforeSecond = expected;
    await pasteText('0xBE, 0xEF');
    expected = splice(7, 0, [0xbe, 0xef]);
    await waitShows(expected, 'BE EF pasted at 7');
    await page.waitForTimeout(300);
    await page.keyboard.press('Control+Z');
    expected = beforeSecond;
    await waitShows(expected, 'the second paste undone');
    await screenshot(page, shots, '02-edited');
  });

  it('Ctrl+S writes the new content: another reader sees exactly the edited bytes', async () => {
    await frame.locator('.hexmap .grid').focus();
    await page.keyboard.press('Control+S');
    await tab(page, FILE_NAME).and(page.locator('.tab:not(.dirty)')).waitFor({ state: 'visible', timeout: 30_000 });
    const disk = readFileSync(path);
    assert.equal(statSync(path).size, ORIGINAL.length + 1 + 2 - 1 + 2);
    assert.deepEqual(hexOf(disk), hexOf(expected));
    // The same content written out by hand: A, "He", é, DE AD, then the rest of "Hello…" from its "lo".
    assert.deepEqual(disk, Buffer.concat([Buffer.from('AHeé'), Buffer.from([0xde, 0xad]), ORIGINAL.subarray(3)]));
    await screenshot(page, shots, '03-saved');
  });
  it('"Hexmap: Toggle Insert Mode" from the palette switches back to overwrite; typing then keeps the size', async () => {
    await runFromPalette(page, 'Hexmap: Toggle Insert Mode');
    await waitForView(frame, 'overwrite mode', (v) => v.mode === 'overwrite');
    await statusItem('OVR').waitFor({ state: 'visible', timeout: 10_000 });
    await focusPane('hex');
    await frame.locator('.hexmap .grid').press('Control+Home');
    await waitForView(frame, 'cursor at 0', (v) => v.cursor === 0);
    await page.keyboard.press('7');
    await page.keyboard.press('a');
    expected = splice(0, 1, [0x7a]);
    await waitShows(expected, '7A written over byte 0');
    await page.keyboard.press('Control+S');
    await tab(page, FILE_NAME).and(page.locator('.tab:not(.dirty)')).waitFor({ state: 'visible', timeout: 30_000 });
    assert.deepEqual(hexOf(readFileSync(path)), hexOf(expected));
  });
});
