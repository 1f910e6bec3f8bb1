/**
 * Owner: INSPECT. Serves the inspector / report webview bundles from dist/
 * to headless Debian Chromium with a stand-in for acquireVsCodeApi that
 * records what the page posts, under the same strict CSP the extension uses.
 */
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { BrowserContext, Page } from 'playwright-core';

export const repoRoot = join(__dirname, '../../..');
const ORIGIN = 'http://hexmap.test';

export interface ViewPage {
  page: Page;
  /** Messages the page sent with postMessage, in order. */
  posted: () => Promise<unknown[]>;
  /** Sends a message to the page as the host would. */
  send: (message: unknown) => Promise<void>;
  close: () => Promise<void>;
}

export async function openView(bundle: 'inspector' | 'report', initialState?: unknown): Promise<ViewPage> {
  const dist = join(repoRoot, 'dist/webview');
  if (!existsSync(join(dist, `${bundle}.js`))) throw new Error(`dist/webview/${bundle}.js missing: run node esbuild.config.mjs first`);
  const { chromium } = await import('playwright-core');
  const userDir = mkdtempSync(join(tmpdir(), 'hexmap-inspect-chromium-'));
  const context: BrowserContext = await chromium.launchPersistentContext(userDir, {
    executablePath: '/usr/bin/chromium', headless: true, viewport: { width: 360, height: 900 },
    args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking',
      '--disable-component-update', '--disable-sync'],
  });
  const page = context.pages()[0] ?? await context.newPage();
  const errors: string[] = [];
  page.on('pageerror', (e) => errors.push(String(e)));
  page.on('console', (m) => { if (m.type() === 'error') errors.push(m.text()); });
  await page.route(`${ORIGIN}/**`, async (route) => {
    const path = new URL(route.request().url()).pathname;
    if (path === '/') {
      const nonce = 'testnonce';
      const csp = `default-src 'none'; script-src 'nonce-${nonce}'; style-src ${ORIGIN}; font-src ${ORIGIN}`;
      return route.fulfill({
        contentType: 'text/html',
        body: `<!DOCTYPE html><html lang="en"><head><meta charset="UTF-8"><meta http-equiv="Content-Security-Policy" content="${csp}">
<link rel="stylesheet" href="${ORIGIN}/codicons/codicon.css"><link rel="stylesheet" href="${ORIGIN}/${bundle}.css"></head>
<body class="vscode-dark"><main id="root"></main><script nonce="${nonce}" src="${ORIGIN}/${bundle}.js"></script></body></html>`,
      });
    }
    const file = join(dist, path);
    if (!existsSync(file)) return route.fulfill({ status: 404, body: '' });
    const type = path.endsWith('.js') ? 'text/javascript' : path.endsWith('.css') ? 'text/css' : 'application/octet-stream';
    return route.fulfill({ contentType: type, body: readFileSync(file) });
  });
  // A stand-in for VS Code's webview API and theme variables (the real ones come from the workbench).
  await page.addInitScript((state) => {
    const w = window as unknown as { __posted: unknown[]; __state: unknown; acquireVsCodeApi: () => unknown };
    w.__posted = [];
    w.__state = state;
    w.acquireVsCodeApi = () => ({
      postMessage: (m: unknown) => w.__posted.push(JSON.parse(JSON.stringify(m))),
      getState: () => w.__state,
      setState: (s: unknown) => { w.__state = s; },
    });
    document.addEventListener('DOMContentLoaded', () => {
      const s = document.documentElement.style;
      for (const [k, v] of Object.entries({
        '--vscode-font-family': 'sans-serif', '--vscode-font-size': '13px', '--vscode-editor-font-family': 'monospace',
        '--vscode-foreground': '#cccccc', '--vscode-descriptionForeground': '#9d9d9d', '--vscode-errorForeground': '#f48771',
        '--vscode-textLink-foreground': '#3794ff', '--vscode-button-secondaryBackground': '#3a3d41', '--vscode-button-secondaryForeground': '#ffffff',
      })) s.setProperty(k, v);
      document.body.style.background = '#1e1e1e';
    });
  }, initialState);
  await page.goto(`${ORIGIN}/`);
  return {
    page,
    posted: () => page.evaluate(() => (window as unknown as { __posted: unknown[] }).__posted),
    send: (message) => page.evaluate((m) => { window.postMessage(m, '*'); }, message),
    close: async () => {
      await context.close();
      rmSync(userDir, { recursive: true, force: true });
      if (errors.length) throw new Error(`page errors: ${errors.join('\n')}`);
    },
  };
}

/** Where screenshots go (git-ignored build output; never committed). */
export function artifactPath(name: string): string {
  const dir = join(repoRoot, 'out/test-artifacts/inspect');
  mkdirSync(dir, { recursive: true });
  return join(dir, name);
}
