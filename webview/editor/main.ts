/**
 * Entry of the editor webview (bundled to dist/webview/editor.js): says
 * 'ready', waits for the document's 'init', then wires the editor to its
 * inputs and widgets.
 */
import './editor.css';
import type { HostMessage } from '../../shared/protocol';
import { installClipboard } from './clipboard';
import { HexEditor } from './editor';
import { FindWidget } from './findWidget';
import { GotoWidget } from './gotoWidget';
import { installKeyboard } from './keyboard';
import { installMouse } from './mouse';
import { Scrollbar } from './scrollbar';
import { HostChannel } from './vscodeApi';

performance.mark('hexmap-script-start');
const channel = new HostChannel();
const root = document.getElementById('hexmap-root') ?? document.body;
let editor: HexEditor | undefined;
let find: FindWidget | undefined;
let gotoWidget: GotoWidget | undefined;

channel.onMessage((message: HostMessage) => {
  if (message.type === 'init') {
    performance.mark('hexmap-init');
    if (editor) { editor.handle({ type: 'changed', fileSize: message.info.fileSize, unsaved: message.info.unsaved, flash: false, readOnly: message.info.readOnly }); return; }
    editor = start(message);
    return;
  }
  if (!editor) return;
  if (message.type === 'action') {
    if (message.action === 'find') find?.open(message.argument);
    else if (message.action === 'goto') gotoWidget?.open(message.argument);
    else if (message.action === 'copy') copy?.();
    return;
  }
  editor.handle(message);
});

let copy: (() => void) | undefined;

function start(message: Extract<HostMessage, { type: 'init' }>): HexEditor {
  root.replaceChildren();
  const ed = new HexEditor(root, channel, message.info, message.window);
  ed.grid.id = 'hexmap-grid';
  new Scrollbar(ed, ed.viewport);
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
  return ed;
}

channel.post({ type: 'ready' });
