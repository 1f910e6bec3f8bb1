// Hexmap as a user meets it, in a real VS Code (code-server) driven through headless Chromium: a multi-GB
// file with mixed content (ASCII, 2/3/4-byte UTF-8, invalid bytes, binary) is opened from the explorer's
// context menu; the test reads hex cells and characters from inside the webview and checks them against
// the bytes on disk; goes to an offset near the end with Ctrl+G; types in the hex pane and in the text pane;
// saves with Ctrl+S and checks the file with a separate reader; undoes; checks hot-exit restore on reload.
// Screenshots go to test-artifacts/e2e-ui/.
import assert from 'node:assert/strict';
import { chmodSync, closeSync, existsSync, openSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync, writeSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import type { FrameLocator, Page } from 'playwright-core';
import { launchChromium, type Browser } from './support/chromium';
import { startCodeServer, type CodeServer } from './support/codeServer';
import { readDisk } from './support/diskBytes';
import { decodeBackup } from '../../extension/document/save/backup';
import { cellAt, clickCell, hex2, HEXMAP_READY, readView, waitForView, type ShownView } from './support/hexmapView';
import { focusPane as focusPaneOf, typeChar as typeCharOn } from './support/hexmapSession';
import { createMixedBigFile, mixedBlock, type MixedFile } from './support/mixedBigFile';
import { artifactsDir, extensionUnderTest } from './support/repoPaths';
import { runFromPalette, screenshot, tab, waitForHexmapEditor, waitForWorkbench, openFromExplorer as openFileFromExplorer } from './support/workbench';
import { makeWorkspace, type TempWorkspace } from './support/workspace';

const GiB = 1024 ** 3;
const FILE_NAME = 'mixed-3g.bin';
const FILE_SIZE = 3 * GiB + 12_345; // not a multiple of anything: the last row is partial
/** A string planted once, deep in the file, for Find. */
const NEEDLE = 'hexmap-e2e-needle-5c1b9';
const NEEDLE_AT = Math.floor(2.5 * GiB) + 777;

const shots = artifactsDir('e2e-ui');
let workspace: TempWorkspace;
let file: MixedFile;
let server: CodeServer;
let browser: Browser;
let page: Page;
let frame: FrameLocator;

const diskByte = (offset: number) => readDisk(file.path, offset, 1)[0];

/** Every file under `dir` (skipping logs) whose path matches `pattern`. */
function filesUnder(dir: string, pattern: RegExp): string[] {
  const out: string[] = [];
  const walk = (d: string) => {
    for (const name of readdirSync(d)) {
      const p = join(d, name);
      const st = statSync(p, { throwIfNoEntry: false });
      if (!st) continue;
      if (st.isDirectory()) { if (name !== 'logs' || d !== dir) walk(p); }
      else if (pattern.test(p)) out.push(p);
    }
  };
  walk(dir);
  return out;
}

/**
 * Hexmap hot-exit backups (VS Code names them in the extension's workspace storage) that hold `value`
 * as an unsaved byte at `offset`: decoded with Hexmap's own backup reader, so a backup of an older
 * state (before the edit, or only its first nibble) does not count.
 */
function backupsHolding(dir: string, offset: number, value: number): string[] {
  return filesUnder(dir, /[\\/]workspaceStorage[\\/][^\\/]+[\\/]hexmap\.hexmap[\\/][^\\/]+$/).filter((p) => {
    if (p.endsWith('.tmp')) return false;
    let runs;
    try { runs = decodeBackup(readFileSync(p)).runs; } catch { return false; }
    return runs.some((r) => offset >= r.offset && offset < r.offset + r.bytes.length && r.bytes[offset - r.offset] === value);
  });
}

/** The workbench's own hot-exit records (JSON meta naming the extension's backup id), when they live in the profile. */
function workbenchBackupsNaming(dir: string, backupFile: string): string[] {
  const name = backupFile.split(/[\\/]/).pop()!;
  return filesUnder(dir, /[\\/]Backups[\\/]/).filter((p) => {
    try { return readFileSync(p).subarray(0, 64 * 1024).toString('latin1').includes(name); } catch { return false; }
  });
}

/** Whether the web workbench's saved state (IndexedDB 'vscode-web-state-db-*', store ItemTable) mentions any of `names`. */
async function editorStateNames(page: Page, names: string[]): Promise<boolean> {
  return page.evaluate(async (names) => {
    const dbs = (await indexedDB.databases()).filter((d) => d.name?.startsWith('vscode-web-state-db-'));
    for (const info of dbs) {
      const values = await new Promise<unknown[]>((resolve) => {
        const open = indexedDB.open(info.name!);
        open.onerror = () => resolve([]);
        open.onsuccess = () => {
          const db = open.result;
          try {
            const req = db.transaction('ItemTable', 'readonly').objectStore('ItemTable').getAll();
            req.onsuccess = () => { db.close(); resolve(req.result); };
            req.onerror = () => { db.close(); resolve([]); };
          } catch { db.close(); resolve([]); }
        };
      });
      if (values.some((v) => typeof v === 'string' && names.some((n) => v.includes(n)))) return true;
    }
    return false;
  }, names);
}

/** Printable characters are drawn as themselves; controls and the like get symbols of their own. */
const printable = (ch: string) => /^[^\p{Cc}\p{Cf}\p{Z}]$/u.test(ch) || ch === ' ';

const typeChar = (ch: string): Promise<void> => typeCharOn(page, ch);
const focusPane = (pane: 'hex' | 'text'): Promise<void> => focusPaneOf(page, frame, pane);

const openFromExplorer = (): Promise<void> => openFileFromExplorer(page, FILE_NAME, shots);

async function goTo(offset: number): Promise<void> {
  await frame.locator('.hexmap .grid').focus();
  await page.keyboard.press('Control+G');
  // Hexmap's own box inside the webview, or VS Code's input box if the command took the key first.
  const widget = frame.locator('.goto-widget input');
  const quick = page.locator('.quick-input-widget input');
  await Promise.race([widget.waitFor({ state: 'visible' }), quick.waitFor({ state: 'visible' })]);
  const input = (await widget.isVisible()) ? widget : quick;
  await input.fill(`0x${offset.toString(16)}`);
  await input.press('Enter');
  await waitForView(frame, `cursor at ${offset}`, (v) => v.cursor === offset && !!cellAt(v, offset));
}

/** Polls until `probe` returns a non-empty list, and returns it. */
async function waitForSome<T>(probe: () => T[], what: string, timeoutMs: number): Promise<T[]> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const found = probe();
    if (found.length > 0) return found;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

async function waitFor(probe: () => boolean, what: string, timeoutMs = 20_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!probe()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

async function waitForValue(input: ReturnType<Page['locator']>, ok: (value: string) => boolean): Promise<void> {
  const deadline = Date.now() + 10_000;
  while (!ok(await input.inputValue())) {
    if (Date.now() > deadline) throw new Error(`input value stayed ${JSON.stringify(await input.inputValue())}`);
    await page.waitForTimeout(100);
  }
}

async function waitSaved(): Promise<void> {
  await tab(page, FILE_NAME).and(page.locator('.tab:not(.dirty)')).waitFor({ state: 'visible', timeout: 20_000 });
}
async function waitDirty(): Promise<void> {
  await tab(page, FILE_NAME).and(page.locator('.tab.dirty')).waitFor({ state: 'visible', timeout: 20_000 });
}

describe('Hexmap in VS Code, as a user', { timeout: 8 * 60_000 }, () => {
  before(async () => {
    workspace = makeWorkspace();
    file = await createMixedBigFile(workspace.path(FILE_NAME), FILE_SIZE);
    const fd = openSync(file.path, 'r+');
    writeSync(fd, Buffer.from(NEEDLE), 0, NEEDLE.length, NEEDLE_AT);
    closeSync(fd);
    // The smoke-test driver option is what lets a built workbench honour the extensionDevelopmentPath payload.
    server = await startCodeServer({ hexmapPatterns: ['*.bin'], smokeTestDriver: true, logFile: join(shots, 'code-server.log') });
    browser = await launchChromium();
    page = browser.page;
    // Reload with unsaved edits: accept the browser's "leave page?" question, if any.
    page.on('dialog', (d) => void d.accept().catch(() => undefined));
    await page.goto(server.workbenchUrl(workspace.dir, [['extensionDevelopmentPath', server.remoteUri(extensionUnderTest)]]));
    await waitForWorkbench(page);
  });

  after(async () => {
    await browser?.close();
    await server?.stop();
    workspace?.remove();
  });

  it('opens a 3 GiB file from the explorer context menu in Hexmap', async () => {
    await openFromExplorer();
    try {
      frame = await waitForHexmapEditor(page, openFromExplorer, HEXMAP_READY);
    } catch (e) {
      await screenshot(page, shots, '01-open-failed');
      throw e;
    }
    await tab(page, FILE_NAME).waitFor({ state: 'visible' });
    await screenshot(page, shots, '01-opened');
  });

  it('shows the bytes on disk as hex cells and the UTF-8 characters in the text pane', async () => {
    const view = await waitForView(frame, 'first rows', (v) => v.topOffset === 0 && v.cells.length >= 256);
    const disk = readDisk(file.path, 0, view.cells.length);
    assert.deepEqual(view.cells.map((c) => c.hex), Array.from(disk, hex2), 'hex cells = bytes on disk');

    // The text pane draws one glyph per character, at its first byte: the glyphs in order must be what
    // TextDecoder makes of the same bytes (one U+FFFD per maximal invalid subpart), and the hex cells of a
    // character are classed lead/continuation (valid) or invalid.
    const decoded = Array.from(new TextDecoder('utf-8').decode(disk));
    const glyphCells = view.cells.filter((c) => c.glyph !== '');
    const n = Math.min(decoded.length, glyphCells.length) - 2; // the screen's last character may be cut
    const seen = { multiByte: 0, invalid: 0, widths: new Set<number>() };
    for (let i = 0; i < n; i++) {
      const ch = decoded[i];
      const cell = glyphCells[i];
      // Combining marks are drawn on a placeholder base (U+25CC) so they never merge into a neighbour.
      if (/\p{M}/u.test(ch)) assert.ok(cell.glyph.includes(ch), `combining mark #${i} at offset ${cell.offset}`);
      else if (printable(ch)) assert.equal(cell.glyph, ch, `glyph #${i} at offset ${cell.offset}`);
      if (ch === '\uFFFD') {
        seen.invalid++;
        assert.match(cell.hexClass, /\bk-i\b/, `invalid class at ${cell.offset}`);
      } else if (ch.codePointAt(0)! >= 0x80) {
        seen.multiByte++;
        const width = glyphCells[i + 1].offset - cell.offset;
        seen.widths.add(width);
        assert.equal(width, new TextEncoder().encode(ch).length, `${ch} spans its UTF-8 bytes`);
        assert.match(cell.hexClass, /\bk-l\b/, `lead byte class at ${cell.offset}`);
        assert.match(cellAt(view, cell.offset + 1)!.hexClass, /\bk-c\b/, `continuation class at ${cell.offset + 1}`);
      }
    }
    assert.ok(seen.widths.has(2) && seen.widths.has(3) && seen.widths.has(4), 'the first screen holds 2-, 3- and 4-byte characters');
    assert.ok(seen.multiByte >= 5 && seen.invalid >= 3, `checked ${seen.multiByte} multi-byte and ${seen.invalid} invalid characters`);
    await screenshot(page, shots, '02-first-screen');
  });

  let target = 0;
  it('goes to an offset near the end with Ctrl+G', async () => {
    target = FILE_SIZE - 1000;
    await goTo(target);
    // Every frame drawn as loaded (data-loading=false) must show the disk's bytes at the addresses shown:
    // sample the view for a moment after the jump, and require each sample to match.
    let view = await readView(frame);
    for (let i = 0; i < 10; i++) {
      view = await readView(frame);
      const onScreen = view.cells.filter((c) => c.offset < FILE_SIZE && c.hex !== '··');
      const first = Math.min(...onScreen.map((c) => c.offset));
      const last = Math.max(...onScreen.map((c) => c.offset));
      const disk = readDisk(file.path, first, last - first + 1);
      const wrong = onScreen.filter((c) => c.hex !== hex2(disk[c.offset - first]));
      if (!view.loading && wrong.length) {
        const w = wrong[0];
        assert.fail(`sample ${i}: ${wrong.length} of ${onScreen.length} cells differ from disk; first at 0x${w.offset.toString(16)} shows ${w.hex}, disk has ${hex2(disk[w.offset - first])} (top 0x${view.topOffset.toString(16)}, rows ${[...new Set(view.cells.map((c) => c.offset - (c.offset % 16)))].map((o) => o.toString(16)).join(' ')})`);
      }
      await page.waitForTimeout(100);
    }
    assert.match(cellAt(view, target)!.hexClass, /\bcur\b/, 'the cursor is drawn at the target');
    await screenshot(page, shots, '03-goto-near-end');
  });

  const original: number[] = [];
  it('types hex digits in the hex pane and a character in the text pane', async () => {
    for (let i = 0; i < 4; i++) original.push(diskByte(target + i));
    // Hex pane: the cursor sits at `target` after Ctrl+G; "4" "1" overwrite the byte with 0x41.
    await focusPane('hex');
    await page.keyboard.press('4');
    await page.keyboard.press('1');
    let view = await waitForView(frame, 'typed 41', (v) => cellAt(v, target)?.hex === '41');
    assert.match(cellAt(view, target)!.hexClass, /\buns\b/, 'the edited byte is marked unsaved');
    await waitDirty();

    // Text pane: click the character cell two bytes on and type "é" (C3 A9).
    await clickCell(frame, target + 2, 'text');
    await waitForView(frame, 'cursor in the text pane', (v) => v.cursor === target + 2);
    await typeChar('é');
    view = await waitForView(frame, 'typed é', (v) => cellAt(v, target + 2)?.hex === 'C3' && cellAt(v, target + 3)?.hex === 'A9');
    assert.equal(cellAt(view, target + 2)!.glyph, 'é');
    // Nothing reaches the disk before a save.
    assert.deepEqual([diskByte(target), diskByte(target + 2), diskByte(target + 3)], [original[0], original[2], original[3]]);
    await screenshot(page, shots, '04-typed');
  });

  it('Ctrl+S writes exactly the edited bytes to disk', async () => {
    const sizeBefore = statSync(file.path).size;
    await page.keyboard.press('Control+S');
    await waitSaved();
    assert.deepEqual(Array.from(readDisk(file.path, target, 4)), [0x41, original[1], 0xc3, 0xa9]);
    assert.equal(statSync(file.path).size, sizeBefore, 'overwrite mode keeps the size');
    const view = await readView(frame);
    assert.doesNotMatch(cellAt(view, target)!.hexClass, /\buns\b/, 'saved bytes are no longer marked unsaved');
    await screenshot(page, shots, '05-saved');
  });

  it('Ctrl+Z undoes the edits one by one (and saving again restores the file)', async () => {
    await frame.locator('.hexmap .grid').focus();
    // Two undoable steps were made: the byte typed as "4" "1" (the digits of one cell are one step), then "é".
    const steps: [string, (v: ShownView) => boolean][] = [
      ['"é" undone', (v) => cellAt(v, target + 2)?.hex === hex2(original[2]) && cellAt(v, target + 3)?.hex === hex2(original[3])],
      ['the typed byte undone, both digits at once', (v) => cellAt(v, target)?.hex === hex2(original[0])],
    ];
    for (const [what, ok] of steps) {
      await page.keyboard.press('Control+Z');
      await waitForView(frame, what, ok);
      // VS Code ignores an undo pressed while the previous one is still on its way to the extension host.
      await page.waitForTimeout(300);
    }
    await waitDirty(); // the file on disk still holds the saved edits
    await page.keyboard.press('Control+S');
    await waitSaved();
    assert.deepEqual(Array.from(readDisk(file.path, target, 4)), original);
    await screenshot(page, shots, '06-undone');
  });

  it('keeps unsaved edits across a window reload (hot exit backup) and reverts them', async () => {
    const at = 100;
    const before0 = diskByte(at);
    await goTo(at);
    await focusPane('hex');
    const value = before0 === 0x7e ? '7d' : '7e';
    await page.keyboard.press(value[0]);
    await page.keyboard.press(value[1]);
    await waitForView(frame, 'typed', (v) => cellAt(v, at)?.hex === value.toUpperCase());
    await waitDirty();
    // VS Code backs dirty editors up a second or so after a change (Hexmap writes the backup, VS Code records
    // its id). Wait for a backup that holds the finished edit (both nibbles), so the reload restores it and not
    // an older state.
    const want = parseInt(value, 16);
    const holding = await waitForSome(() => backupsHolding(server.userDataDir, at, want), 'a Hexmap backup holding the edit', 30_000);
    // Then for VS Code's record of it: in the profile when the workbench keeps its backups on the server.
    // (A web workbench keeping them in the browser's IndexedDB gives no file to wait for: fall back to a
    // short settle time, reported below.)
    const records = await waitForSome(() => holding.flatMap((b) => workbenchBackupsNaming(server.userDataDir, b)), 'VS Code\'s record of that backup', 5_000)
      .catch(() => [] as string[]);
    if (records.length === 0) {
      console.log(`# no workbench backup record naming ${holding.join(', ')} found under ${server.userDataDir}; settling 1 s`);
      await page.waitForTimeout(1000);
    }
    // The reloaded window reopens its editors from the saved editor state, which carries the dirty flag and
    // the backup id as they were when the state was last written (the web workbench writes it to IndexedDB
    // about once a minute, or when the window loses focus): a state older than the backup reopens the
    // editor clean, or dirty without the backup. Wait until the saved state names this backup.
    const backupNames = holding.map((b) => b.split(/[\\/]/).pop()!);
    const stateDeadline = Date.now() + 90_000;
    while (!(await editorStateNames(page, backupNames))) {
      if (Date.now() > stateDeadline) throw new Error(`the workbench's saved editor state never named the backup ${backupNames.join(', ')}`);
      await page.waitForTimeout(500);
    }
    await screenshot(page, shots, '07a-before-reload');
    await page.reload();
    // When the restore fails, say why: what Hexmap told the user, what it logged about backups and the
    // restore (its output channel, kept in the profile's logs), whether the editor had to be reopened by
    // hand (an editor opened from the explorer is a new one, without VS Code's backup), what a save writes.
    let reopened = 0;
    const explain = async (e: unknown): Promise<never> => {
      await runFromPalette(page, 'Notifications: Show Notifications').catch(() => undefined);
      await page.waitForTimeout(500);
      const notices = await page.locator('.notification-list-item-message').allTextContents().catch(() => []);
      await screenshot(page, shots, '07c-restore-failed').catch(() => undefined);
      await page.keyboard.press('Escape');
      // Tell a webview showing stale bytes from a document that lost the edits: save, and look at the disk.
      await page.keyboard.press('Control+S');
      await waitSaved().catch(() => undefined);
      const hexmapLog = filesUnder(join(server.userDataDir, 'logs'), /Hexmap\.log$/)
        .map((p) => readFileSync(p, 'utf8').split('\n').filter((l) => /back|restor/i.test(l)).join('\n')).join('\n');
      throw new Error(`${(e as Error).message}; editor reopened from the explorer ${reopened} time(s); notifications: ${JSON.stringify(notices)}; ` +
        `after Ctrl+S the disk holds ${hex2(diskByte(at))} at ${at}; backups holding the edit before the reload: ${JSON.stringify(holding)}; ` +
        `VS Code records naming them: ${JSON.stringify(records)}; Hexmap log:\n${hexmapLog}`);
    };
    let view: ShownView;
    try {
      await waitForWorkbench(page);
      frame = await waitForHexmapEditor(page, async () => { reopened++; await openFromExplorer(); }, HEXMAP_READY);
      await waitDirty();
      await goTo(at);
      await screenshot(page, shots, '07b-after-reload');
      view = await waitForView(frame, 'restored edit', (v) => cellAt(v, at)?.hex === value.toUpperCase(), 15_000);
    } catch (e) {
      return explain(e);
    }
    assert.match(cellAt(view, at)!.hexClass, /\buns\b/);
    assert.equal(diskByte(at), before0, 'the backup did not write the file');
    await screenshot(page, shots, '07-restored-after-reload');
    await runFromPalette(page, 'File: Revert File');
    await waitSaved();
    await waitForView(frame, 'reverted', (v) => cellAt(v, at)?.hex === hex2(before0));
    assert.equal(diskByte(at), before0);
  });

  it('Ctrl+F finds text 2.5 GiB into the file, then hex bytes with a ?? wildcard', async () => {
    await goTo(0);
    await frame.locator('.hexmap .grid').focus();
    await page.keyboard.press('Control+F');
    const input = frame.locator('.find-widget input').first();
    await input.waitFor({ state: 'visible' });
    await input.fill(NEEDLE);
    await input.press('Enter');
    // The cursor lands on the match, and the match is highlighted (in both panes).
    let view = await waitForView(frame, `cursor on the needle at ${NEEDLE_AT}, highlighted`,
      (v) => v.cursor === NEEDLE_AT && /\bmat/.test(cellAt(v, NEEDLE_AT)?.hexClass ?? ''), 30_000);
    assert.match(cellAt(view, NEEDLE_AT + NEEDLE.length - 1)!.hexClass, /\bmat/, 'the whole match is highlighted');
    await screenshot(page, shots, '08a-find-text');

    // Hex mode with a wildcard: the next 4-byte character F0 9F xx 8D after the cursor, found on disk by a
    // plain scan here.
    const window = readDisk(file.path, NEEDLE_AT + 1, 8 << 20);
    let expected = -1;
    for (let i = 0; i + 3 < window.length; i++) {
      if (window[i] === 0xf0 && window[i + 1] === 0x9f && window[i + 3] === 0x8d) { expected = NEEDLE_AT + 1 + i; break; }
    }
    assert.ok(expected > 0, 'the generated content has such a character within 8 MiB');
    await frame.locator('.find-widget button[aria-label^="Search hex bytes"]').click();
    await input.fill('F0 9F ?? 8D');
    await input.press('Enter');
    view = await waitForView(frame, `cursor on F0 9F ?? 8D at ${expected}`, (v) => v.cursor === expected && !!cellAt(v, expected), 30_000);
    assert.deepEqual([0, 1, 3].map((k) => cellAt(view, expected + k)?.hex), ['F0', '9F', '8D']);
    await screenshot(page, shots, '08b-find-hex-wildcard');
    await input.press('Escape');
  });

  it('Hexmap: Go to Offset… from the command palette rejects bad input and goes to end-16', async () => {
    await runFromPalette(page, 'Hexmap: Go to Offset');
    const input = page.locator('.quick-input-widget input');
    await input.waitFor({ state: 'visible' });
    await input.fill('0xZZ');
    const message = page.locator('.quick-input-widget .quick-input-message');
    await message.filter({ hasText: /\S/ }).waitFor({ state: 'visible' });
    assert.ok((await message.textContent())!.trim().length > 0, 'an error explains the bad input');
    await screenshot(page, shots, '08c-goto-palette-error');
    await input.fill('end-16');
    await input.press('Enter');
    const view = await waitForView(frame, 'cursor at end-16', (v) => v.cursor === FILE_SIZE - 16 && !!cellAt(v, FILE_SIZE - 16));
    assert.equal(cellAt(view, FILE_SIZE - 16)!.hex, hex2(diskByte(FILE_SIZE - 16)));
  });

  it('Save As writes the edited copy to a new file and leaves the original alone', async () => {
    const src = workspace.path('small-source.bin');
    const dst = workspace.path('small-copy.bin');
    writeFileSync(src, mixedBlock(3, 10_000));
    chmodSync(src, 0o640);
    const original = readFileSync(src);
    const row = page.locator('.explorer-folders-view .monaco-list-row', { hasText: 'small-source.bin' }).first();
    const openSmall = async () => { await row.waitFor({ state: 'visible', timeout: 30_000 }); await row.dblclick(); };
    await openSmall();
    frame = await waitForHexmapEditor(page, openSmall, HEXMAP_READY);
    await tab(page, 'small-source.bin').waitFor({ state: 'visible' });
    await goTo(20);
    await focusPane('hex');
    await page.keyboard.press('a');
    await page.keyboard.press('b');
    await waitForView(frame, 'typed AB', (v) => cellAt(v, 20)?.hex === 'AB');
    await runFromPalette(page, 'File: Save As...');
    const input = page.locator('.quick-input-widget input');
    await input.waitFor({ state: 'visible' });
    // The dialog fills in the current path itself, a moment after it shows: wait for that, then replace it.
    await waitForValue(input, (v) => v.endsWith('small-source.bin'));
    await input.fill(dst);
    await waitForValue(input, (v) => v === dst);
    await screenshot(page, shots, '09a-save-as-dialog');
    await input.press('Enter');
    await page.waitForTimeout(1000);
    await screenshot(page, shots, '09b-save-as-entered');
    await tab(page, 'small-copy.bin').waitFor({ state: 'visible', timeout: 20_000 });
    await waitFor(() => existsSync(dst) && statSync(dst).size === original.length, 'the copy on disk');
    const copy = readFileSync(dst);
    const expected = Buffer.from(original);
    expected[20] = 0xab;
    assert.ok(copy.equals(expected), 'the copy = original with the edit');
    assert.ok(readFileSync(src).equals(original), 'the original is untouched');
    assert.equal(statSync(dst).mode & 0o777, 0o640, 'Save As keeps the mode bits');
    await screenshot(page, shots, '09-saved-as');
  });

  it('leaves no trace: the generated file is deleted', () => {
    rmSync(file.path, { force: true });
    assert.throws(() => statSync(file.path));
  });
});

