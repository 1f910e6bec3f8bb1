// One code-server + Chromium session with Hexmap under development and one file opened in it, as the
// feature e2e tests need it: a fresh workspace holding the file, a fresh profile, the workbench loaded and
// the file opened from the explorer ("Open in Hex Editor"), then the Hexmap webview's frame.
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { FrameLocator, Page } from 'playwright-core';
import { launchChromium, type Browser } from './chromium';
import { startCodeServer, type CodeServer } from './codeServer';
import { HEXMAP_READY, readView, waitForView } from './hexmapView';
import { extensionUnderTest } from './repoPaths';
import { openFromExplorer, waitForHexmapEditor, waitForWorkbench } from './workbench';
import { makeWorkspace, type TempWorkspace } from './workspace';

export interface SessionOptions {
  fileName: string;
  content: Uint8Array;
  /** Where screenshots and the code-server log go. */
  shots: string;
  /** Lets the page read and write the system clipboard (paste tests). */
  clipboard?: boolean;
}

export interface HexmapSession {
  workspace: TempWorkspace;
  server: CodeServer;
  browser: Browser;
  page: Page;
  /** The Hexmap webview's frame; `reopen` replaces it. */
  frame: FrameLocator;
  /** The file's path on disk. */
  path: string;
  /** Opens the file from the explorer again and waits for its Hexmap editor. */
  reopen(): Promise<FrameLocator>;
  close(): Promise<void>;
}

export async function openHexmapSession(opts: SessionOptions): Promise<HexmapSession> {
  const workspace = makeWorkspace();
  const path = workspace.path(opts.fileName);
  writeFileSync(path, opts.content);
  const server = await startCodeServer({ hexmapPatterns: ['*.bin'], smokeTestDriver: true, logFile: join(opts.shots, 'code-server.log') });
  const browser = await launchChromium();
  const page = browser.page;
  // A reload with unsaved edits asks "leave page?": accept it, as a user who meant to reload does.
  page.on('dialog', (d) => void d.accept().catch(() => undefined));
  const url = server.workbenchUrl(workspace.dir, [['extensionDevelopmentPath', server.remoteUri(extensionUnderTest)]]);
  if (opts.clipboard) await page.context().grantPermissions(['clipboard-read', 'clipboard-write'], { origin: new URL(url).origin });
  await page.goto(url);
  await waitForWorkbench(page);
  const open = (): Promise<void> => openFromExplorer(page, opts.fileName, opts.shots);
  const session: HexmapSession = {
    workspace, server, browser, page, path,
    frame: undefined as unknown as FrameLocator,
    async reopen() {
      await open();
      session.frame = await waitForHexmapEditor(page, open, HEXMAP_READY);
      return session.frame;
    },
    async close() {
      await browser.close();
      await server.stop();
      workspace.remove();
    },
  };
  await session.reopen();
  return session;
}

/**
 * Types a character as a keyboard with that key does: a real keydown (key = the character) through the
 * DevTools protocol. (Playwright's keyboard only knows US-layout keys, and insertText sends no keydown.)
 */
export async function typeChar(page: Page, ch: string): Promise<void> {
  const cdp = await page.context().newCDPSession(page);
  try {
    await cdp.send('Input.dispatchKeyEvent', { type: 'keyDown', key: ch, text: ch, unmodifiedText: ch });
    await cdp.send('Input.dispatchKeyEvent', { type: 'keyUp', key: ch });
  } finally {
    await cdp.detach();
  }
}

/** Focuses the grid and makes sure typing goes to `pane` (Tab switches panes). */
export async function focusPane(page: Page, frame: FrameLocator, pane: 'hex' | 'text'): Promise<void> {
  await frame.locator('.hexmap .grid').focus();
  if ((await readView(frame)).pane !== pane) await page.keyboard.press('Tab');
  await waitForView(frame, `${pane} pane`, (v) => v.pane === pane);
}
