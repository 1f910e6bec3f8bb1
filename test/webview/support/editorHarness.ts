/**
 * Runs the real editor webview bundle (dist/webview/editor.js + .css) in
 * headless Chromium against a REAL EditorSession over a REAL
 * HexDocumentModel over a REAL ByteSource on a real file — only VS Code's
 * webview transport is replaced: acquireVsCodeApi().postMessage goes through
 * a Playwright binding into session.handle(), and the session's posts are
 * dispatched in the page as 'message' events, in order.
 *
 * Playwright moves values between Node and the page as JSON, so Uint8Array
 * is wrapped as base64 in this bridge only; the webview code itself posts
 * and receives Uint8Array exactly as in VS Code (structured clone).
 *
 * The page is served by a localhost HTTP server with the production HTML
 * (extension/editor/webviewHtml.ts), so its strict CSP is in force.
 */
import { createServer, type Server } from 'node:http';
import { mkdirSync, readFileSync } from 'node:fs';
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { extname, join, normalize, resolve } from 'node:path';
import { chromium, type BrowserContext, type Page } from 'playwright-core';
import { EditorSession, FIRST_SCREEN_BYTES } from '../../../extension/editor/editorSession';
import { editorHtmlFor, readEditorBundle } from '../../../extension/editor/webviewHtml';
import { HexDocumentModel } from '../../../extension/document/hexDocumentModel';
import { openByteSource } from '../../../extension/engine/openByteSource';
import type { HostMessage, WebviewMessage } from '../../../shared/protocol';
import { decodePng, type Pixels } from './png';
import { themes, type ThemeKind } from './themes';

export const repoRoot = resolve(__dirname, '../../..');
export const artifactsDir = join(repoRoot, 'test-artifacts', 'webview');

export const CHROMIUM_ARGS = [
  '--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run',
  '--disable-background-networking', '--disable-component-update', '--disable-sync',
];

const MIME: Record<string, string> = { '.js': 'text/javascript', '.css': 'text/css', '.ttf': 'font/ttf', '.map': 'application/json', '.html': 'text/html' };

/** One Chromium per test file (fresh user-data dir) and one static server for dist/webview. */
export class EditorTestBrowser {
  private constructor(private readonly server: Server, readonly origin: string, private readonly profile: string, private readonly context: BrowserContext) {}

  static async launch(): Promise<EditorTestBrowser> {
    const dist = join(repoRoot, 'dist', 'webview');
    const pages = new Map<string, string>();
    const server = createServer((req, res) => {
      const url = new URL(req.url ?? '/', 'http://localhost');
      if (url.pathname === '/favicon.ico') { res.writeHead(204).end(); return; }
      const page = pages.get(url.pathname);
      if (page !== undefined) { res.writeHead(200, { 'content-type': 'text/html' }); res.end(page); return; }
      const file = normalize(join(dist, decodeURIComponent(url.pathname.replace(/^\/dist\/webview\//, ''))));
      if (!file.startsWith(dist)) { res.writeHead(403).end(); return; }
      try {
        const body = readFileSync(file);
        res.writeHead(200, { 'content-type': MIME[extname(file)] ?? 'application/octet-stream' });
        res.end(body);
      } catch {
        res.writeHead(404).end();
      }
    });
    await new Promise<void>((ok) => server.listen(0, '127.0.0.1', ok));
    const port = (server.address() as { port: number }).port;
    const origin = `http://127.0.0.1:${port}`;
    (server as Server & { pages?: Map<string, string> }).pages = pages;
    const profile = mkdtempSync(join(tmpdir(), 'hexmap-chromium-'));
    // A persistent context is what gives a fresh --user-data-dir of our own.
    const context = await chromium.launchPersistentContext(profile, {
      executablePath: '/usr/bin/chromium', args: CHROMIUM_ARGS, headless: true, viewport: { width: 1100, height: 640 },
    });
    return new EditorTestBrowser(server, origin, profile, context);
  }

  /** Serves `html` at a fresh path and returns its URL. */
  servePage(html: string): string {
    const path = `/page-${randomBytes(6).toString('hex')}.html`;
    (this.server as Server & { pages?: Map<string, string> }).pages!.set(path, html);
    return this.origin + path;
  }

  newPage(): Promise<Page> {
    return this.context.newPage();
  }

  async close(): Promise<void> {
    await this.context.close().catch(() => undefined);
    await new Promise<void>((ok) => this.server.close(() => ok()));
    rmSync(this.profile, { recursive: true, force: true });
  }
}

export interface OpenOptions {
  bytesPerRow?: number;
  theme?: ThemeKind;
  userReadOnly?: boolean;
  backend?: 'auto' | 'mapped' | 'file';
  viewport?: { width: number; height: number };
  findMaxMatches?: number;
  /** Runs right after the session exists, before the page has even started loading. */
  beforeLoad?: (session: EditorSession) => void;
  /**
   * Runs when the webview posts 'ready', before the session sees it: `deliver`
   * puts a host message into the page ahead of the session's 'init'.
   */
  onReady?: (deliver: (m: HostMessage) => void) => void;
  /** Do not wait for the first complete frame (the test waits for what it needs). */
  noWait?: boolean;
  /** Runs on the new page before it navigates (e.g. to delay a resource with page.route). */
  beforeGoto?: (page: Page) => Promise<void>;
  /**
   * 'production' (default): the page exactly as the provider writes it — script and stylesheet
   * inline, the first 'init' in the page. 'urls': script and stylesheet loaded from the test
   * server and no data in the page, so the first frame waits for 'ready' -> 'init' (and a
   * test can delay a resource).
   */
  page?: 'production' | 'urls';
}

/** A running editor: the page, the host-side session and model, and every message each way. */
export interface EditorUnderTest {
  page: Page;
  session: EditorSession;
  model: HexDocumentModel;
  /** Messages the webview posted, decoded (Uint8Array restored). */
  fromWebview: WebviewMessage[];
  /** Messages the session posted to the webview. */
  toWebview: HostMessage[];
  logs: string[];
  pageErrors: string[];
  close(): Promise<void>;
}

// ------------------------------------------------------------- the bridge

const BRIDGE_IN_PAGE = `(() => {
  const toB64 = (u8) => { let s = ''; for (let i = 0; i < u8.length; i += 0x8000) s += String.fromCharCode.apply(null, u8.subarray(i, i + 0x8000)); return btoa(s); };
  const fromB64 = (b) => { const s = atob(b); const u8 = new Uint8Array(s.length); for (let i = 0; i < s.length; i++) u8[i] = s.charCodeAt(i); return u8; };
  const encode = (v) => v instanceof Uint8Array ? { $u8: toB64(v) } : Array.isArray(v) ? v.map(encode)
    : v && typeof v === 'object' ? Object.fromEntries(Object.entries(v).map(([k, x]) => [k, encode(x)])) : v;
  const decode = (v) => v && typeof v === 'object' && !Array.isArray(v) && typeof v.$u8 === 'string' ? fromB64(v.$u8)
    : Array.isArray(v) ? v.map(decode) : v && typeof v === 'object' ? Object.fromEntries(Object.entries(v).map(([k, x]) => [k, decode(x)])) : v;
  let state;
  window.acquireVsCodeApi = () => ({
    postMessage: (m) => window.__hexmapToHost(encode(m)),
    getState: () => state,
    setState: (s) => { state = s; },
  });
  window.__hexmapDeliver = (m) => window.dispatchEvent(new MessageEvent('message', { data: decode(m) }));
})();`;

function encodeForPage(v: unknown): unknown {
  if (v instanceof Uint8Array) return { $u8: Buffer.from(v.buffer, v.byteOffset, v.byteLength).toString('base64') };
  if (Array.isArray(v)) return v.map(encodeForPage);
  if (v && typeof v === 'object') return Object.fromEntries(Object.entries(v).map(([k, x]) => [k, encodeForPage(x)]));
  return v;
}

export function decodeFromPage(v: unknown): unknown {
  if (v && typeof v === 'object' && !Array.isArray(v) && typeof (v as { $u8?: unknown }).$u8 === 'string') {
    return new Uint8Array(Buffer.from((v as { $u8: string }).$u8, 'base64'));
  }
  if (Array.isArray(v)) return v.map(decodeFromPage);
  if (v && typeof v === 'object') return Object.fromEntries(Object.entries(v).map(([k, x]) => [k, decodeFromPage(x)]));
  return v;
}

/** Opens `file` in a new page of `tb` and waits for the first painted frame. */
export async function openEditor(tb: EditorTestBrowser, file: string, opts: OpenOptions = {}): Promise<EditorUnderTest> {
  const source = await openByteSource(file, { backend: opts.backend ?? 'auto' });
  const model = new HexDocumentModel(source, { userReadOnly: opts.userReadOnly });
  const page = await tb.newPage();
  if (opts.viewport) await page.setViewportSize(opts.viewport);
  const fromWebview: WebviewMessage[] = [];
  const toWebview: HostMessage[] = [];
  const logs: string[] = [];
  const pageErrors: string[] = [];
  page.on('pageerror', (e) => pageErrors.push(String(e)));
  page.on('console', (m) => { if (m.type() === 'error') pageErrors.push(m.text()); });

  let delivery: Promise<unknown> = Promise.resolve();
  let closed = false;
  // Like VS Code before the page's script runs, a message posted before the
  // page has loaded is lost here (the page has no __hexmapDeliver yet).
  const deliver = (m: HostMessage): void => {
    const encoded = encodeForPage(m);
    // Chain deliveries so the page sees messages in the order they were posted.
    delivery = delivery.then(() => closed ? undefined : page.evaluate((x) => (window as unknown as { __hexmapDeliver(m: unknown): void }).__hexmapDeliver(x), encoded)).catch(() => undefined);
  };
  const session = new EditorSession(model, (m) => {
    toWebview.push(m);
    deliver(m);
  }, { fileName: file.split('/').pop()!, bytesPerRow: opts.bytesPerRow ?? 16, log: (s) => logs.push(s), findMaxMatches: opts.findMaxMatches });
  opts.beforeLoad?.(session);

  await page.exposeBinding('__hexmapToHost', (_source, raw: unknown) => {
    const decoded = decodeFromPage(raw);
    if (decoded && typeof decoded === 'object') fromWebview.push(decoded as WebviewMessage);
    if ((decoded as { type?: unknown } | null)?.type === 'ready') opts.onReady?.(deliver);
    session.handle(decoded);
  });
  const theme = themes[opts.theme ?? 'dark'];
  await page.addInitScript(BRIDGE_IN_PAGE);
  await page.addInitScript(({ vars, bodyClass }) => {
    // VS Code sets these on <html> and <body> before the webview's scripts run.
    const apply = (): boolean => {
      if (!document.documentElement || !document.body) return false;
      for (const [k, v] of Object.entries(vars)) document.documentElement.style.setProperty(k, v);
      document.body.classList.add(bodyClass);
      return true;
    };
    if (!apply()) {
      const observer = new MutationObserver(() => { if (apply()) observer.disconnect(); });
      observer.observe(document, { childList: true, subtree: true });
    }
  }, theme);

  const common = { cspSource: tb.origin, nonce: randomBytes(16).toString('base64'), codiconUri: `${tb.origin}/dist/webview/codicons/codicon.css` };
  const html = opts.page === 'urls'
    ? editorHtmlFor({ ...common, scriptUri: `${tb.origin}/dist/webview/editor.js`, styleUri: `${tb.origin}/dist/webview/editor.css` })
    : editorHtmlFor({ ...common, ...(await readEditorBundle(join(repoRoot, 'dist', 'webview'))), boot: await session.initMessage({}, FIRST_SCREEN_BYTES) });
  await opts.beforeGoto?.(page);
  await page.goto(tb.servePage(html));
  if (!opts.noWait) await waitForIdle(page);
  return {
    page, session, model, fromWebview, toWebview, logs, pageErrors,
    async close() {
      closed = true;
      session.dispose();
      await page.close().catch(() => undefined);
      model.dispose();
      source.close();
    },
  };
}

/** Waits until a frame has been drawn with every visible byte loaded. */
export async function waitForIdle(page: Page, timeout = 10_000): Promise<void> {
  await page.waitForFunction(() => {
    const root = document.getElementById('hexmap-root');
    return root?.dataset.loading === 'false' && root.dataset.topOffset !== undefined;
  }, undefined, { timeout });
  // One more animation frame so a pending render has landed.
  await page.evaluate(() => new Promise((r) => requestAnimationFrame(() => requestAnimationFrame(r))));
}

/** Presses the keys in order, then waits for the frame they lead to. */
export async function press(page: Page, ...keys: string[]): Promise<void> {
  for (const k of keys) await page.keyboard.press(k);
  await waitForIdle(page);
}

/** Waits until the model holds `expected` (the webview's messages are delivered in order, asynchronously). */
export async function modelBecomes(ed: EditorUnderTest, expected: Uint8Array): Promise<void> {
  const deadline = Date.now() + 5000;
  let got = await ed.model.read(0, ed.model.size);
  while (Buffer.compare(Buffer.from(got), Buffer.from(expected)) !== 0 && Date.now() < deadline) {
    await new Promise((r) => setTimeout(r, 20));
    got = await ed.model.read(0, ed.model.size);
  }
  if (Buffer.compare(Buffer.from(got), Buffer.from(expected)) !== 0) {
    throw new Error(`the model holds ${Buffer.from(got).toString('hex')}, expected ${Buffer.from(expected).toString('hex')}`);
  }
  await waitForIdle(ed.page);
}

export async function screenshot(page: Page, name: string): Promise<string> {
  mkdirSync(artifactsDir, { recursive: true });
  const path = join(artifactsDir, `${name}.png`);
  await page.screenshot({ path });
  return path;
}

// ------------------------------------------------------- what is painted

/**
 * The grid is painted on a canvas; the editor reports the draw list the
 * canvas was painted from (webview/editor/gridView.ts: shown()): every drawn
 * row with each cell's text, class names and on-screen box. Pixel checks
 * (editorRendering.test.ts) make sure the canvas really shows it.
 */
export interface ShownRow {
  rowIndex: number;
  address: string;
  top: number;
  cells: { offset: number; hex: string; hexClass: string; textClass: string; glyph: string; glyphClass: string; hexBox: Box; textBox: Box }[];
}
export interface Box { x: number; y: number; width: number; height: number }

export function shownRows(page: Page): Promise<ShownRow[]> {
  return page.evaluate(() => (window as unknown as { hexmapEditor: { renderer: { shown(): ShownRow[] } } }).hexmapEditor.renderer.shown());
}

export interface RowView {
  address: string;
  hex: string[];
  hexClass: string[];
  glyph: string[];
  glyphClass: string[];
  textClass: string[];
}

/** The visible rows as painted, top to bottom. */
export async function readRows(page: Page): Promise<RowView[]> {
  return (await shownRows(page)).map((r) => ({
    address: r.address,
    hex: r.cells.map((c) => c.hex), hexClass: r.cells.map((c) => c.hexClass),
    glyph: r.cells.map((c) => c.glyph), glyphClass: r.cells.map((c) => c.glyphClass), textClass: r.cells.map((c) => c.textClass),
  }));
}

/** File offsets of the painted cells that carry class `cls`, per pane. */
export async function markedOffsets(page: Page, cls: string): Promise<{ hex: number[]; text: number[] }> {
  const cells = (await shownRows(page)).flatMap((r) => r.cells);
  const has = (classes: string) => classes.split(' ').includes(cls);
  return { hex: cells.filter((c) => has(c.hexClass)).map((c) => c.offset), text: cells.filter((c) => has(c.textClass)).map((c) => c.offset) };
}

/** Where the cell of `offset` in `pane` is painted (page px), or undefined when not on screen. */
export async function cellBox(page: Page, offset: number, pane: 'hex' | 'text'): Promise<Box | undefined> {
  const cell = (await shownRows(page)).flatMap((r) => r.cells).find((c) => c.offset === offset);
  return cell ? (pane === 'hex' ? cell.hexBox : cell.textBox) : undefined;
}

/** Clicks the middle of a painted cell, as a user would. */
export async function clickCell(page: Page, offset: number, pane: 'hex' | 'text', modifiers: ('Shift' | 'Control')[] = []): Promise<void> {
  const box = await cellBox(page, offset, pane);
  if (!box) throw new Error(`cell 0x${offset.toString(16)} is not on screen`);
  for (const m of modifiers) await page.keyboard.down(m);
  await page.mouse.click(box.x + box.width / 2, box.y + box.height / 2);
  for (const m of modifiers) await page.keyboard.up(m);
  // The editor publishes its state (cursor, selection) when it draws, so let the frame the click asked for land.
  await page.evaluate(() => new Promise((r) => requestAnimationFrame(() => requestAnimationFrame(r))));
}

/** A screenshot of the page as pixels (what the compositor shows, canvas included). */
export async function pagePixels(page: Page): Promise<Pixels> {
  return decodePng(await page.screenshot({ scale: 'css' }));
}

export function editorState(page: Page): Promise<{ topOffset: number; cursor: number; anchor: number; pane: string }> {
  return page.evaluate(() => {
    const d = document.getElementById('hexmap-root')!.dataset;
    return { topOffset: Number(d.topOffset), cursor: Number(d.cursor), anchor: Number(d.anchor), pane: d.pane ?? '' };
  });
}

export function domNodeCount(page: Page): Promise<number> {
  return page.evaluate(() => document.getElementsByTagName('*').length);
}
