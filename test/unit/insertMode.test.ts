/**
 * Insert/overwrite mode across editor sessions: one mode for every editor,
 * taken from the setting at start, set by any webview's Insert key and
 * pushed to the others; and the host's 'scrollTo' for a comparison's
 * scroll lock, which the session records as the position.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { HexDocumentModel } from '../../extension/document/hexDocumentModel';
import { EditorSession } from '../../extension/editor/editorSession';
import { InsertModeState } from '../../extension/editor/insertMode';
import type { HostMessage } from '../../shared/protocol';
import { MemoryByteSource } from '../support/memoryByteSource';

const tick = () => new Promise((r) => setTimeout(r, 10));

function open(mode: InsertModeState): { session: EditorSession; sent: HostMessage[] } {
  const model = new HexDocumentModel(new MemoryByteSource(new Uint8Array(1000)));
  const sent: HostMessage[] = [];
  const session = new EditorSession(model, (m) => void sent.push(m), { fileName: 'x.bin', bytesPerRow: 16, insertMode: mode, log: () => undefined });
  return { session, sent };
}

test('insert mode: from the setting in init, set by one webview, pushed to every other', async () => {
  const mode = new InsertModeState(true);
  const one = open(mode);
  const two = open(mode);
  one.session.handle({ type: 'ready' });
  await tick();
  const init = one.sent.find((m) => m.type === 'init');
  assert.equal(init?.type === 'init' && init.info.insertMode, true, 'init carries the mode');
  one.session.handle({ type: 'insertMode', insert: false });
  assert.equal(mode.insert, false);
  assert.deepEqual(two.sent.filter((m) => m.type === 'insertMode'), [{ type: 'insertMode', insert: false }], 'the other editor follows');
  // A malformed message changes nothing.
  one.session.handle({ type: 'insertMode', insert: 'yes' });
  assert.equal(mode.insert, false);
  assert.equal(one.session.rejected, 1);
  // After dispose a session hears nothing more.
  two.session.dispose();
  mode.toggle();
  assert.equal(two.sent.filter((m) => m.type === 'insertMode').length, 1);
  assert.deepEqual(one.sent.filter((m) => m.type === 'insertMode').at(-1), { type: 'insertMode', insert: true });
});

test("scrollTo: sent once the webview has its document, and taken as the session's position", async () => {
  const { session, sent } = open(new InsertModeState());
  session.scrollTo(320);
  assert.equal(sent.filter((m) => m.type === 'scrollTo').length, 0, 'nothing before init');
  session.handle({ type: 'ready' });
  await tick();
  session.scrollTo(640);
  assert.deepEqual(sent.filter((m) => m.type === 'scrollTo'), [{ type: 'scrollTo', topOffset: 640 }]);
  assert.equal(session.topOffset, 640);
});
