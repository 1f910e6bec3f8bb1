/**
 * A reveal (or action) the host issues right after the editor opens — before
 * the page has loaded, or after it loaded but before it has its 'init' — must
 * not be lost: the user who opens a file and at once runs "Go to Offset" or
 * "Go to Next Invalid Sequence" has to land there. Checked twice: in
 * headless Chromium over a real session/model/file (as a user would see it),
 * and on the session's own message order in plain Node.
 */
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { EditorSession } from '../../extension/editor/editorSession';
import { HexDocumentModel } from '../../extension/document/hexDocumentModel';
import { openByteSource } from '../../extension/engine/openByteSource';
import type { HostMessage } from '../../shared/protocol';
import { editorState, openEditor, readRows, waitForIdle } from './support/editorHarness';
import { editorSuite } from './support/editorSuite';
import { bytesOf } from './support/testFiles';

const env = editorSuite();

const MiB = 2 ** 20;
/** A 256 MiB sparse file with a marker far from the start (no window near it is ever sent with 'init' by default). */
function bigFile(name: string, marker: number): string {
  return env.files.sparse(name, 256 * MiB, [{ offset: marker, bytes: bytesOf('HEXMAP-MARK') }]);
}

describe('reveal before the webview has its document', () => {
  it('a reveal issued right after the session is created, before the page loads, moves the cursor there and shows the row', async () => {
    const target = 200 * MiB + 0x1235;
    const ed = await openEditor(env.browser, bigFile('early.bin', target), {
      beforeLoad: (session) => session.reveal(target, 11),
      noWait: true,
    });
    try {
      const { page } = ed;
      await page.waitForFunction((t) => document.getElementById('hexmap-root')?.dataset.cursor === String(t), target, { timeout: 10_000 });
      await waitForIdle(page);
      const state = await editorState(page);
      assert.equal(state.cursor, target, 'cursor on the revealed offset');
      assert.equal(state.anchor, target + 10, 'the whole range selected');
      const rowOffset = target - (target % 16);
      const rows = await readRows(page);
      const row = rows.find((r) => parseInt(r.address, 16) === rowOffset);
      assert.ok(row, `row ${rowOffset.toString(16)} is on screen (top ${state.topOffset.toString(16)})`);
      assert.equal(row.glyph.slice(5, 16).join(''), 'HEXMAP-MARK', 'and painted with its bytes');
      assert.ok(row.hexClass[5].includes('cur'), 'the cursor is drawn on it');
      // The reveal went out once, after 'init' (which already carried the target's window).
      const order = ed.toWebview.filter((m) => m.type === 'init' || m.type === 'reveal').map((m) => m.type);
      assert.deepEqual(order, ['init', 'reveal']);
      const init = ed.toWebview.find((m) => m.type === 'init') as Extract<HostMessage, { type: 'init' }>;
      assert.ok(init.window && init.window.offset <= target && target < init.window.offset + init.window.bytes.length, 'init carries the window at the target');
      assert.deepEqual(ed.pageErrors, []);
    } finally {
      await ed.close();
    }
  });

  it('a reveal and a go-to action that reach the page before its init are applied once init arrives', async () => {
    const target = 150 * MiB + 7;
    const ed = await openEditor(env.browser, bigFile('early2.bin', target), {
      // Straight into the page, bypassing the session's own holding: the page must keep them itself.
      onReady: (deliver) => {
        deliver({ type: 'reveal', offset: 0x10, length: 1 });
        deliver({ type: 'reveal', offset: target, length: 1 }); // the latest one wins
        deliver({ type: 'action', action: 'goto', argument: '+16' });
      },
      noWait: true,
    });
    try {
      const { page } = ed;
      await page.waitForFunction((t) => document.getElementById('hexmap-root')?.dataset.cursor === String(t), target, { timeout: 10_000 });
      await waitForIdle(page);
      assert.equal(await page.locator('.goto-widget').isVisible(), true, 'the go-to box opened');
      assert.equal(await page.locator('.goto-widget input').inputValue(), '+16');
      const rows = await readRows(page);
      assert.ok(rows.some((r) => parseInt(r.address, 16) === target - (target % 16)), 'the target row is on screen');
      await page.keyboard.press('Enter');
      await waitForIdle(page);
      assert.equal((await editorState(page)).cursor, target + 16, 'go-to counted from the revealed cursor');
      assert.deepEqual(ed.pageErrors, []);
    } finally {
      await ed.close();
    }
  });
});

describe('EditorSession holds reveals and actions until init', () => {
  it('posts nothing before ready; after ready: init, the latest reveal, then the latest of each action; live afterwards; again after a reload', async () => {
    const path = env.files.write('small.bin', bytesOf('0123456789abcdef'.repeat(64)));
    const source = await openByteSource(path);
    const model = new HexDocumentModel(source);
    const posted: HostMessage[] = [];
    const session = new EditorSession(model, (m) => { posted.push(m); }, { fileName: 'small.bin', bytesPerRow: 16, log: () => undefined });
    const settle = async (n: number): Promise<void> => {
      for (let i = 0; i < 200 && posted.length < n; i++) await new Promise((ok) => setTimeout(ok, 5));
    };
    const summary = (ms: HostMessage[]): string[] => ms.map((m) => m.type === 'reveal' ? `reveal ${m.offset}+${m.length}`
      : m.type === 'action' ? `action ${m.action} ${m.argument ?? ''}`.trim() : m.type);
    try {
      session.reveal(5, 1);
      session.action('goto', '0x10');
      session.reveal(700, 4);
      session.action('find');
      session.action('goto', '0x20');
      assert.deepEqual(posted, [], 'nothing posted before the webview is ready');
      session.handle({ type: 'ready' });
      await settle(4);
      assert.deepEqual(summary(posted), ['init', 'reveal 700+4', 'action find', 'action goto 0x20'], 'latest of each, in the order last asked');
      posted.length = 0;
      session.reveal(3, 1);
      assert.deepEqual(summary(posted), ['reveal 3+1'], 'after init a reveal goes out at once');
      // The webview reloads: reveals wait for its new init.
      posted.length = 0;
      session.handle({ type: 'ready' });
      session.reveal(9, 2);
      assert.deepEqual(summary(posted), [], 'held while the new init is being prepared');
      await settle(2);
      assert.deepEqual(summary(posted), ['init', 'reveal 9+2']);
    } finally {
      session.dispose();
      model.dispose();
      source.close();
    }
  });

  it('a reveal made from inside the post of init (a host that waits for init itself) is the one delivered, once, after init', async () => {
    const path = env.files.write('reentrant.bin', bytesOf('x'.repeat(4096)));
    const source = await openByteSource(path);
    const model = new HexDocumentModel(source);
    const posted: HostMessage[] = [];
    let session: EditorSession | undefined;
    session = new EditorSession(model, (m) => {
      posted.push(m);
      if (m.type === 'init') session!.reveal(2000, 1); // e.g. the provider flushing its own queue when it sees init
    }, { fileName: 'reentrant.bin', bytesPerRow: 16, log: () => undefined });
    try {
      session.reveal(10, 1); // older than the one made during init's post
      session.handle({ type: 'ready' });
      for (let i = 0; i < 200 && posted.length < 2; i++) await new Promise((ok) => setTimeout(ok, 5));
      await new Promise((ok) => setTimeout(ok, 20));
      assert.deepEqual(posted.map((m) => m.type === 'reveal' ? `reveal ${m.offset}` : m.type), ['init', 'reveal 2000']);
    } finally {
      session.dispose();
      model.dispose();
      source.close();
    }
  });
});
