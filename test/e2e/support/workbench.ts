// Acting on the VS Code workbench in the browser as a user does: load it, run a
// command from the palette, find the Hexmap webview's document (two nested iframes), survive VS Code's
// binary placeholder editor, take screenshots.
import { join } from 'node:path';
import type { Frame, FrameLocator, Page } from 'playwright-core';
import { extensionId } from './repoPaths';

/** Waits until the workbench is up: the activity bar and an (empty) editor area are on screen. */
export async function waitForWorkbench(page: Page, timeoutMs = 60_000): Promise<void> {
  await page.locator('.monaco-workbench .part.activitybar').waitFor({ state: 'visible', timeout: timeoutMs });
  await page.locator('.monaco-workbench .part.editor').waitFor({ state: 'visible', timeout: timeoutMs });
}

/**
 * The document inside Hexmap's webview. VS Code puts every webview in an outer iframe (class `webview`,
 * `ready` once loaded, src naming the extension) that hosts the extension's HTML in an inner `#active-frame`.
 * With several Hexmap editors open, only the visible one is returned.
 */
export function hexmapFrame(page: Page): FrameLocator {
  return page
    .locator(`iframe.webview.ready[src*="extensionId=${extensionId}"]`)
    .filter({ visible: true })
    .contentFrame()
    .frameLocator('#active-frame');
}

/**
 * The inner document of the visible webview of any extension (`publisher.name`), as a Playwright Frame
 * (for evaluate / waitForFunction inside it), or undefined while it does not exist yet.
 */
export async function webviewDocument(page: Page, id: string): Promise<Frame | undefined> {
  for (const outer of await page.locator(`iframe.webview.ready[src*="extensionId=${id}"]`).elementHandles()) {
    if (!(await outer.isVisible())) continue;
    const inner = await (await outer.contentFrame())?.$('#active-frame');
    const frame = await inner?.contentFrame();
    if (frame) return frame;
  }
  return undefined;
}

/** Runs a command by its palette title ("Hexmap: Go to Offset…"), exactly as a user would. */
export async function runFromPalette(page: Page, title: string): Promise<void> {
  await page.keyboard.press('Control+Shift+P');
  const input = page.locator('.quick-input-widget input');
  await input.waitFor({ state: 'visible' });
  await input.fill(`>${title}`);
  const row = page.locator('.quick-input-list .monaco-list-row', { hasText: title }).first();
  await row.waitFor({ state: 'visible' });
  await page.keyboard.press('Enter');
}

/** The tab of a file in the active editor group. */
export function tab(page: Page, fileName: string) {
  return page.locator('.tabs-container .tab', { hasText: fileName });
}

/** True when VS Code shows its "binary or unsupported encoding" placeholder instead of an editor. */
export async function placeholderShown(page: Page): Promise<boolean> {
  return page.locator('.part.editor .editor-placeholder-label-container').filter({ visible: true }).count().then((n) => n > 0);
}

/**
 * Waits until the active editor is Hexmap's webview with rendered content matching `ready` (a selector in
 * the webview document). If VS Code's binary placeholder shows up instead (it may win the race before the
 * extension registers its editor), close that tab and run `reopen` again, a few times at most.
 */
export async function waitForHexmapEditor(page: Page, reopen: () => Promise<void>, ready: string, timeoutMs = 60_000): Promise<FrameLocator> {
  const deadline = Date.now() + timeoutMs;
  const frame = hexmapFrame(page);
  for (let attempt = 0; ; attempt++) {
    // One attempt: up to 20 s for the editor to render, or until VS Code's placeholder shows instead.
    const attemptEnd = Math.min(deadline, Date.now() + 20_000);
    let placeholder = false;
    while (Date.now() < attemptEnd) {
      if (await frame.locator(ready).first().isVisible().catch(() => false)) return frame;
      if ((placeholder = await placeholderShown(page))) break;
      await page.waitForTimeout(250);
    }
    if (Date.now() >= deadline || attempt >= 3) {
      throw new Error(`Hexmap editor did not render '${ready}' within ${timeoutMs} ms (placeholder: ${await placeholderShown(page)})`);
    }
    // The placeholder won the race (close it), or the open never happened (a menu that swallowed the
    // click): dismiss whatever is open and open the file again.
    await page.keyboard.press('Escape');
    if (placeholder) await page.keyboard.press('Control+W');
    await page.waitForTimeout(500);
    await reopen();
  }
}

/** Full-page screenshot into the test's artifacts folder; returns its path. */
export async function screenshot(page: Page, dir: string, name: string): Promise<string> {
  const file = join(dir, `${name}.png`);
  await page.screenshot({ path: file });
  return file;
}

/**
 * Opens `fileName` with "Open in Hex Editor" from the explorer's context menu, as a user does. WHY the
 * retries: the workbench shows the explorer before extensions' menu contributions are registered, so a
 * menu opened too early lacks Hexmap's entry (closed and asked again); and VS Code's menu sometimes ignores
 * a click that comes right after it opened (the item is focused by then, so Enter runs it just as well).
 * Done when the file's tab is open; on giving up, a screenshot goes to `shotsDir`.
 */
export async function openFromExplorer(page: Page, fileName: string, shotsDir?: string): Promise<void> {
  const row = page.locator('.explorer-folders-view .monaco-list-row', { hasText: fileName }).first();
  await row.waitFor({ state: 'visible', timeout: 30_000 });
  const item = page.locator('.monaco-menu .action-item', { hasText: 'Open in Hex Editor' }).first();
  const deadline = Date.now() + 30_000;
  for (;;) {
    await row.click({ button: 'right' });
    if (await item.waitFor({ state: 'visible', timeout: 2000 }).then(() => true, () => false)) {
      await item.locator('.action-label').click();
      await page.waitForTimeout(300);
      if (await item.isVisible()) await page.keyboard.press('Enter');
      if (await tab(page, fileName).waitFor({ state: 'visible', timeout: 5000 }).then(() => true, () => false)) return;
    }
    await page.keyboard.press('Escape');
    if (Date.now() > deadline) {
      if (shotsDir) await screenshot(page, shotsDir, 'context-menu-failed');
      throw new Error(`the explorer context menu never opened ${fileName} with "Open in Hex Editor"`);
    }
    await page.waitForTimeout(500);
  }
}
