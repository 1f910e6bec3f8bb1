/**
 * Entry of the editor webview (bundled to dist/webview/editor.js): says
 * 'ready', waits for the document's 'init', then wires the editor to its
 * inputs and widgets.
 */
import './editor.css';
import type { HostMessage } from '../../shared/protocol';
import { installClipboard } from './clipboard';
import { buildScaffold, HexEditor, type Scaffold } from './editor';
import { FindWidget } from './findWidget';
import { GotoWidget } from './gotoWidget';
import { installKeyboard } from './keyboard';
import { installMouse } from './mouse';
import { OverviewRuler } from './overviewRuler';
import { Scrollbar } from './scrollbar';
import { HostChannel } from './vscodeApi';

performance.mark('hexmap-script-start');
// For the bench's breakdown of an open: VS Code shows the webview at this page's `load`.
window.addEventListener('load', () => performance.mark('hexmap-load'), { once: true });
// 'ready' goes out as soon as the listener is in place (below): the host's
// 'init' (with the first window of bytes) is the one round trip before the first frame.
const channel = new HostChannel();
const root = document.getElementById('hexmap-root') ?? document.body;
let editor: HexEditor | undefined;
let find: FindWidget | undefined;
let gotoWidget: GotoWidget | undefined;
/**
 * A reveal or action that arrived before 'init' (the host may post one the
 * moment the editor opens): kept, latest reveal only, and applied once the
 * editor exists. 'changed' and 'settings' before 'init' need no keeping:
 * 'init' carries the current state (after it, they are kept in order).
 */
let early: HostMessage[] = [];

let stylesheet: Promise<void> | undefined; // see stylesheetLoaded
/** The init being started (waiting for the stylesheet); a newer one replaces it. */
let starting: Extract<HostMessage, { type: 'init' }> | undefined;

/** True from a start on the page's own data (#hexmap-boot) until the host's first 'init' arrives. */
let booted = false;

channel.onMessage((message: HostMessage) => {
  if (message.type === 'init') {
    performance.mark('hexmap-init');
    // The host's steps (Date.now()), next to this page's marks: the bench's breakdown of an open.
    const w = window as unknown as { hexmapHostTimes?: Record<string, number> };
    w.hexmapHostTimes = { ...w.hexmapHostTimes, ...message.hostTimes };
    if (editor) {
      // After a boot, the host's 'init' brings what changed since the page was written: nothing is
      // invalidated, the newer window replaces the page's. Otherwise (a second 'init'), all is re-read.
      const info = message.info;
      editor.handle({ type: 'changed', fileSize: info.fileSize, unsaved: info.unsaved, flash: false, readOnly: info.readOnly, readOnlyReason: info.readOnlyReason, ranges: booted ? [] : undefined });
      if (booted && message.window) { editor.cache.seed(message.window); editor.requestFrame(); }
      booted = false;
      return;
    }
    const waiting = starting !== undefined;
    starting = message;
    if (waiting) return;
    // Row height and rows that fit are measured from the stylesheet: never before it applies.
    void stylesheetLoaded().then(() => {
      const init = starting!;
      starting = undefined;
      editor = start(init);
      const held = early;
      early = [];
      for (const m of held) dispatch(editor, m);
    });
    return;
  }
  if (!editor) {
    if (message.type === 'reveal') early = [...early.filter((m) => m.type !== 'reveal'), message];
    else if (message.type === 'action' || starting) early.push(message); // after 'init', changes count too
    return;
  }
  dispatch(editor, message);
});
channel.post({ type: 'ready' });

/**
 * Starts at once from the 'init' the host wrote into the page, when there is
 * one (see extension/editor/webviewHtml.ts): no message has to cross first.
 */
function bootFromPage(): void {
  const data = document.getElementById('hexmap-boot')?.textContent;
  // Rows are measured from the stylesheet: only when it already applies (it is inline in VS Code).
  const style = document.getElementById('hexmap-css') as HTMLStyleElement | HTMLLinkElement | null;
  if (!data || (style && !style.sheet)) return;
  let init: Extract<HostMessage, { type: 'init' }>;
  try {
    init = JSON.parse(data, (_k, v: unknown) => (v && typeof v === 'object' && typeof (v as { $b64?: unknown }).$b64 === 'string' ? fromBase64((v as { $b64: string }).$b64) : v));
  } catch {
    return; // the host's 'init' will start the editor
  }
  performance.mark('hexmap-boot');
  booted = true;
  // The first frame follows at once: no warm-up paint before it (see buildScaffold).
  scaffold = buildScaffold(root, init.info.bytesPerRow, false);
  editor = start(init);
}

function fromBase64(b64: string): Uint8Array {
  // Native where the browser has it (a 64 KiB window: a loop of 65,536 steps otherwise).
  const native = (Uint8Array as unknown as { fromBase64?: (s: string) => Uint8Array }).fromBase64;
  if (native) return native.call(Uint8Array, b64);
  const s = atob(b64);
  const out = new Uint8Array(s.length);
  for (let i = 0; i < s.length; i++) out[i] = s.charCodeAt(i);
  return out;
}

/** The editor's DOM, built while 'init' is on its way (see buildScaffold). */
let scaffold: Scaffold | undefined;
void stylesheetLoaded().then(() => {
  if (!editor) scaffold = buildScaffold(root);
});

function dispatch(ed: HexEditor, message: HostMessage): void {
  if (message.type === 'action') {
    if (message.action === 'find') find?.open(message.argument);
    else if (message.action === 'goto') gotoWidget?.open(message.argument);
    else if (message.action === 'copy') copy?.();
    return;
  }
  ed.handle(message);
}

let copy: (() => void) | undefined;

function start(message: Extract<HostMessage, { type: 'init' }>): HexEditor {
  root.classList.remove('hexmap-loading');
  root.removeAttribute('aria-busy'); // screen readers skip a busy region
  const ed = new HexEditor(root, channel, message.info, message.window, scaffold);
  scaffold = undefined;
  ed.grid.id = 'hexmap-grid';
  new Scrollbar(ed, ed.viewport);
  new OverviewRuler(ed, ed.viewport);
  find = new FindWidget(ed, root);
  gotoWidget = new GotoWidget(ed, root);
  copy = installClipboard(ed).copy;
  installKeyboard(ed, { openFind: () => find!.open(), openGoto: () => gotoWidget!.open() });
  installMouse(ed);
  // VS Code focuses the webview's window, not an element in it: hand focus to
  // the grid so keys work at once (unless a widget input holds it).
  window.addEventListener('focus', () => {
    if (document.activeElement === document.body || document.activeElement === null) ed.grid.focus({ preventScroll: true });
  });
  root.addEventListener('pointerdown', (e) => {
    if (!(e.target as HTMLElement).closest('.widget, .message-bar')) ed.grid.focus({ preventScroll: true });
  });
  // Restore the scroll position when VS Code re-creates the webview.
  const saved = channel.getState<{ topOffset?: number; cursor?: number }>();
  if (saved?.cursor !== undefined && saved.cursor < ed.fileSize) {
    ed.sel.moveTo(saved.cursor, false, ed.fileSize);
    ed.scrollToRow(Math.floor((saved.topOffset ?? saved.cursor) / ed.bytesPerRow));
  }
  ed.grid.focus({ preventScroll: true });
  ed.renderNow();
  performance.mark('hexmap-first-frame');
  (window as unknown as { hexmapEditor: HexEditor }).hexmapEditor = ed;
  // Icons only show in widgets opened later: load their sheet and font once the page has loaded
  // and painted (VS Code shows the webview at `load`, which any stylesheet would hold back).
  afterLoad(() => requestAnimationFrame(() => setTimeout(enableCodicons, 0)));
  return ed;
}

/** Resolves once the editor's stylesheet (#hexmap-css) has loaded (or failed: draw anyway). One promise: an error fires once. */
function stylesheetLoaded(): Promise<void> {
  return (stylesheet ??= new Promise((resolve) => {
    const link = document.getElementById('hexmap-css') as HTMLLinkElement | null;
    if (!link || link.sheet) { resolve(); return; }
    link.addEventListener('load', () => resolve(), { once: true });
    link.addEventListener('error', () => resolve(), { once: true });
  }));
}

function afterLoad(run: () => void): void {
  if (document.readyState === 'complete') run();
  else window.addEventListener('load', () => run(), { once: true });
}

/** Adds the codicon stylesheet the page names in <meta name="hexmap-codicons"> (once). */
function enableCodicons(): void {
  const href = document.querySelector<HTMLMetaElement>('meta[name="hexmap-codicons"]')?.content;
  if (!href || document.getElementById('hexmap-codicons')) return;
  const link = document.createElement('link');
  link.rel = 'stylesheet';
  link.id = 'hexmap-codicons';
  link.href = href;
  document.head.append(link);
}

// Last: everything above is defined by now.
bootFromPage();
