/**
 * extension/editor/editorSession.ts in plain Node over a real
 * HexDocumentModel and file: validation of untrusted webview messages,
 * request/response, edits, change forwarding, streaming find and cancel.
 * The last test sends malformed messages from inside the real webview page.
 */
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { EditorSession, firstScreenOf } from '../../extension/editor/editorSession';
import { HexDocumentModel } from '../../extension/document/hexDocumentModel';
import { openByteSource } from '../../extension/engine/openByteSource';
import type { HostMessage } from '../../shared/protocol';
import { editorState, EditorTestBrowser, openEditor, readRows, waitForIdle } from './support/editorHarness';
import { bytesOf, TestFiles } from './support/testFiles';

let files: TestFiles;
before(() => { files = new TestFiles(); });
after(() => files.cleanup());

async function sessionOn(bytes: Uint8Array | { sparse: number }, opts: { userReadOnly?: boolean } = {}) {
  const path = bytes instanceof Uint8Array ? files.write(`s-${Math.random().toString(36).slice(2)}.bin`, bytes)
    : files.sparse(`s-${Math.random().toString(36).slice(2)}.bin`, bytes.sparse);
  const source = await openByteSource(path);
  const model = new HexDocumentModel(source, opts);
  const posted: HostMessage[] = [];
  const logs: string[] = [];
  const session = new EditorSession(model, (m) => { posted.push(m); }, { fileName: 'x.bin', bytesPerRow: 16, log: (s) => logs.push(s) });
  const notices: { level: string; message: string }[] = [];
  session.onNotify((n) => notices.push(n));
  const response = async (id: number): Promise<Extract<HostMessage, { type: 'response' }>> => {
    for (let i = 0; i < 500; i++) {
      const r = posted.find((m) => m.type === 'response' && m.id === id);
      if (r) return r as Extract<HostMessage, { type: 'response' }>;
      await new Promise((ok) => setTimeout(ok, 10));
    }
    throw new Error(`no response to request ${id}`);
  };
  return { session, model, posted, logs, notices, response, close: () => { session.dispose(); model.dispose(); source.close(); } };
}

describe('EditorSession', () => {
  it('cuts the page\'s first window to the first screen, with the context bytes either side', async () => {
    const bytes = Uint8Array.from({ length: 3 * 65536 }, (_, i) => (i * 13) & 0xff);
    const s = await sessionOn(bytes);
    try {
      const whole = await s.session.initMessage();
      assert.equal(whole.window!.bytes.length, 65536, 'the host\'s init: the whole window');
      const first = await s.session.initMessage({}, 16384);
      assert.equal(first.window!.offset, 0);
      assert.deepEqual([...first.window!.bytes], [...bytes.subarray(0, 16384)]);
      assert.deepEqual([...first.window!.after], [...bytes.subarray(16384, 16387)]);
      const w = await s.model.readWindow(65536, 65536);
      const cut = firstScreenOf(w, 65536 + 60000, 16384); // kept inside the window
      assert.equal(cut.offset, 2 * 65536 - 16384);
      assert.deepEqual([...cut.before], [...bytes.subarray(cut.offset - 3, cut.offset)]);
      assert.deepEqual([...cut.bytes], [...bytes.subarray(cut.offset, cut.offset + 16384)]);
      assert.deepEqual([...cut.after], [...bytes.subarray(2 * 65536, 2 * 65536 + 3)]);
    } finally {
      s.close();
    }
  });

  it('ignores and logs every malformed message without throwing, then keeps serving', async () => {
    const s = await sessionOn(bytesOf('0123456789abcdef'));
    try {
      const hostile = new Proxy({}, { get() { throw new Error('getter bomb'); } });
      const malformed: unknown[] = [
        null, undefined, 42, 'read', [], {}, { type: 'nope' }, { type: 'request' },
        { type: 'request', id: -1, request: { kind: 'read', offset: 0, length: 1 } },
        { type: 'request', id: 1.5, request: { kind: 'read', offset: 0, length: 1 } },
        { type: 'request', id: 1, request: { kind: 'read', offset: 0, length: 2 ** 21 } }, // over the read cap
        { type: 'request', id: 1, request: { kind: 'read', offset: -5, length: 1 } },
        { type: 'request', id: 1, request: { kind: 'read', offset: 2 ** 60, length: 1 } },
        { type: 'request', id: 1, request: { kind: 'write', offset: 0, length: 1 } },
        { type: 'request', id: 1, request: { kind: 'find', pattern: new Uint8Array(0), ignoreCase: false, from: 0, backward: false, maxMatches: 1 } },
        { type: 'request', id: 1, request: { kind: 'find', pattern: Uint8Array.of(1, 2), mask: Uint8Array.of(1), ignoreCase: false, from: 0, backward: false, maxMatches: 1 } },
        { type: 'request', id: 1, request: { kind: 'find', pattern: [1, 2], ignoreCase: false, from: 0, backward: false, maxMatches: 1 } },
        { type: 'edit', offset: 0, bytes: [0x41], label: 'json array, not bytes' },
        { type: 'edit', offset: '0', bytes: Uint8Array.of(0x41), label: 'x' },
        { type: 'edit', offset: 0, bytes: Uint8Array.of(0x41), label: 42 },
        { type: 'edit', offset: 0, bytes: new Uint8Array(0), label: 'empty' },
        { type: 'selection', cursor: Number.NaN, anchor: 0, focusedPane: 'hex' },
        { type: 'selection', cursor: 0, anchor: 0, focusedPane: 'left' },
        { type: 'notify', level: 'fatal', message: 'x' },
        { type: 'cancel' },
        { type: 'viewport', topOffset: Infinity },
        hostile,
      ];
      for (const m of malformed) assert.doesNotThrow(() => s.session.handle(m));
      assert.equal(s.session.rejected, malformed.length, 'every one rejected');
      assert.equal(s.logs.length, malformed.length, 'every one logged');
      assert.match(s.logs.join('\n'), /length.*must be an integer in 0\.\.1048576/);
      assert.deepEqual(s.posted, [], 'nothing was answered or changed');
      assert.equal(s.model.isDirty, false);
      assert.deepEqual(s.notices, []);
      // Still working.
      s.session.handle({ type: 'request', id: 7, request: { kind: 'read', offset: 4, length: 4 } });
      const r = await s.response(7);
      assert.ok(r.ok);
      assert.deepEqual([...(r.result as { bytes: Uint8Array }).bytes], [...bytesOf('4567')]);
      assert.deepEqual([...(r.result as { before: Uint8Array }).before], [...bytesOf('123')]);
    } finally {
      s.close();
    }
  });

  it('answers init, rejects reads outside the file with an error response, forwards edits as changed', async () => {
    const s = await sessionOn(bytesOf('hello world'));
    try {
      s.session.handle({ type: 'ready' });
      for (let i = 0; i < 100 && !s.posted.some((m) => m.type === 'init'); i++) await new Promise((ok) => setTimeout(ok, 5));
      const init = s.posted.find((m) => m.type === 'init') as Extract<HostMessage, { type: 'init' }>;
      assert.equal(init.info.fileSize, 11);
      assert.equal(init.info.readOnly, false);
      assert.deepEqual(init.window?.bytes, bytesOf('hello world'), 'the first window comes with init');
      s.session.handle({ type: 'request', id: 1, request: { kind: 'read', offset: 8, length: 10 } });
      const bad = await s.response(1);
      assert.equal(bad.ok, false);
      assert.match((bad as { error: string }).error, /outside the file \(11 bytes\)/);
      s.session.handle({ type: 'edit', offset: 6, bytes: bytesOf('W'), label: 'Type text' });
      assert.deepEqual(await s.model.read(0, 11), bytesOf('hello World'));
      const changed = s.posted.find((m) => m.type === 'changed') as Extract<HostMessage, { type: 'changed' }>;
      assert.deepEqual(changed.ranges, [{ offset: 6, length: 1 }]);
      assert.deepEqual(changed.unsaved, [{ offset: 6, length: 1 }]);
      assert.equal(changed.flash, false);
      // An edit past the end is refused with a message, not a crash.
      s.session.handle({ type: 'edit', offset: 10, bytes: bytesOf('xyz'), label: 'x' });
      assert.equal(s.notices.length, 1);
      assert.equal(s.notices[0].level, 'error');
      s.session.handle({ type: 'selection', cursor: 3, anchor: 1, focusedPane: 'text' });
      assert.deepEqual(s.session.selection, { cursor: 3, anchor: 1, focusedPane: 'text' });
      s.session.handle({ type: 'request', id: 2, request: { kind: 'count', offset: 0, length: 11 } });
      const count = await s.response(2);
      assert.deepEqual(count.ok && count.result, { bytes: 11, chars: 11, lines: 1, invalid: 0 });
    } finally {
      s.close();
    }
  });

  it('tells the user when an edit hits a read-only document', async () => {
    const s = await sessionOn(bytesOf('abc'), { userReadOnly: true });
    try {
      s.session.handle({ type: 'edit', offset: 0, bytes: bytesOf('X'), label: 'Type text' });
      assert.equal(s.notices.length, 1);
      assert.equal(s.notices[0].level, 'warning');
      assert.match(s.notices[0].message, /read-only/);
      assert.deepEqual(await s.model.read(0, 3), bytesOf('abc'));
    } finally {
      s.close();
    }
  });

  it('streams find progress on a 64 GiB file and stops on cancel with a cancelled response', async () => {
    const s = await sessionOn({ sparse: 64 * 1024 ** 3 });
    try {
      s.session.handle({ type: 'request', id: 3, request: { kind: 'find', pattern: bytesOf('absent'), ignoreCase: false, from: 0, backward: false, maxMatches: 10 } });
      for (let i = 0; i < 500 && !s.posted.some((m) => m.type === 'findProgress'); i++) await new Promise((ok) => setTimeout(ok, 10));
      const progress = s.posted.find((m) => m.type === 'findProgress') as Extract<HostMessage, { type: 'findProgress' }>;
      assert.ok(progress, 'progress arrives while scanning');
      assert.equal(progress.total > 0, true);
      const t0 = Date.now();
      s.session.handle({ type: 'cancel', id: 3 });
      const r = await s.response(3);
      assert.ok(r.ok);
      assert.equal((r.result as { cancelled: boolean }).cancelled, true);
      assert.ok(Date.now() - t0 < 2000, 'cancel takes effect promptly');
    } finally {
      s.close();
    }
  });
});

describe('EditorSession behind the real webview', () => {
  let tb: EditorTestBrowser;
  before(async () => { tb = await EditorTestBrowser.launch(); });
  after(async () => { await tb?.close(); });

  it('rejects malformed messages posted from the page and the editor keeps working', async () => {
    const data = new Uint8Array(300_000).map((_, i) => 0x41 + (i % 26));
    const ed = await openEditor(tb, files.write('page.bin', data));
    try {
      const { page } = ed;
      const before = ed.session.rejected;
      await page.evaluate(() => {
        const api = (window as unknown as { acquireVsCodeApi(): { postMessage(m: unknown): void } }).acquireVsCodeApi();
        api.postMessage({ type: 'request', id: 999, request: { kind: 'read', offset: 0, length: 1e9 } });
        api.postMessage({ type: 'edit', offset: -1, bytes: new Uint8Array([1]), label: 'x' });
        api.postMessage({ type: 'edit', offset: 0, bytes: 'AAAA', label: 'x' });
        api.postMessage('garbage');
        api.postMessage({ type: 'request', id: 1000, request: { kind: 'find', pattern: new Uint8Array(5000), ignoreCase: false, from: 0, backward: false, maxMatches: 1 } });
      });
      for (let i = 0; i < 100 && ed.session.rejected < before + 5; i++) await new Promise((ok) => setTimeout(ok, 10));
      assert.equal(ed.session.rejected, before + 5);
      assert.equal(ed.model.isDirty, false);
      assert.equal(ed.logs.length, 5);
      // The editor still loads new windows and edits.
      await page.locator('.grid').focus();
      await page.keyboard.press('Control+End');
      await waitForIdle(page);
      const rows = await readRows(page);
      assert.equal(parseInt(rows.at(-1)!.address, 16), Math.floor((data.length - 1) / 16) * 16);
      assert.equal((await editorState(page)).cursor, data.length - 1);
      assert.deepEqual(ed.pageErrors, []);
    } finally {
      await ed.close();
    }
  });

  it('follows the host: reveal, go-to and find actions, and reports selection and viewport back', async () => {
    const data = new Uint8Array(1_000_000).map((_, i) => 0x61 + (i % 26));
    const ed = await openEditor(tb, files.write('host.bin', data));
    try {
      const { page } = ed;
      ed.session.reveal(654_321, 4);
      await page.waitForFunction(() => document.getElementById('hexmap-root')!.dataset.cursor === '654321');
      await waitForIdle(page);
      const st = await editorState(page);
      assert.deepEqual([st.cursor, st.anchor], [654_321, 654_324]);
      const rows = await readRows(page);
      assert.ok(rows.some((r) => parseInt(r.address, 16) === 654_320), 'revealed offset is on screen');
      for (let i = 0; i < 50 && ed.session.topOffset === 0; i++) await new Promise((ok) => setTimeout(ok, 20));
      assert.equal(ed.session.topOffset, st.topOffset, "'viewport' reported the scroll position");
      assert.deepEqual([ed.session.selection.cursor, ed.session.selection.anchor], [654_321, 654_324], "'selection' reported");
      ed.session.action('goto', '0x10');
      await page.waitForSelector('.goto-widget:not([hidden])');
      assert.equal(await page.locator('.goto-widget input').inputValue(), '0x10');
      await page.keyboard.press('Enter');
      await page.waitForFunction(() => document.getElementById('hexmap-root')!.dataset.cursor === '16');
      ed.session.action('find', 'xyz');
      await page.waitForSelector('.find-widget:not([hidden])');
      await page.waitForFunction(() => /^[\d,]+\+?$/.test(document.querySelector('.match-count')!.textContent ?? ''));
      assert.equal(await page.locator('.match-count').textContent(), '10,000+', 'over the display cap');
      // Copy the selection as hex (hex pane) through the clipboard.
      await page.context().grantPermissions(['clipboard-read', 'clipboard-write'], { origin: tb.origin });
      await page.keyboard.press('Escape');
      await page.locator('.grid').focus();
      await page.keyboard.press('Control+Home');
      await page.keyboard.press('Shift+ArrowRight');
      await page.keyboard.press('Shift+ArrowRight');
      await page.keyboard.press('Control+c');
      await page.waitForSelector('.message-bar:not([hidden])');
      assert.equal(await page.evaluate(() => navigator.clipboard.readText()), '61 62 63');
      assert.deepEqual(ed.pageErrors, []);
    } finally {
      await ed.close();
    }
  });
});
