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

channel.onMessage((message: HostMessage) => {
  if (message.type === 'init') {
    performance.mark('hexmap-init');
    if (editor) { editor.handle({ type: 'changed', fileSize: message.info.fileSize, unsaved: message.info.unsaved, flash: false, readOnly: message.info.readOnly }); return; }
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
  // Icons only show in widgets opened later: load their sheet and font after the first paint.
  requestAnimationFrame(() => setTimeout(enableCodicons, 0));
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

function enableCodicons(): void {
  const link = document.getElementById('hexmap-codicons') as HTMLLinkElement | null;
  if (link) link.media = 'all';
}
