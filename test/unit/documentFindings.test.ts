// One test per finding about the edit model: what typing inside a large
// paste retains, Replace All as one step and one change, Find All of more
// than 100,000 matches through the session, and 100k+ pieces staying fast.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import { HexDocumentModel } from '../../extension/document/hexDocumentModel';
import type { DocumentChange } from '../../extension/document/documentModel';
import { EditorSession, FIND_MATCHES_BATCH } from '../../extension/editor/editorSession';
import type { HostMessage } from '../../shared/protocol';
import { docBackends, randomBytes, rng, TempDir } from '../support/documentFiles';

const MiB = 1 << 20;

setFlagsFromString('--expose-gc');
const gc = runInNewContext('gc') as () => void;

function arrayBufferBytes(): number {
  gc();
  gc();
  return process.memoryUsage().arrayBuffers;
}

for (const backend of docBackends()) {
  test(`[${backend.name}] 100 bytes typed inside an 8 MiB paste retain the paste once, not once per byte`, async () => {
    const dir = new TempDir();
    try {
      const model = new HexDocumentModel(await backend.open(dir.file('m.bin', new Uint8Array(16 * MiB))));
      const next = rng(5);
      let paste: Uint8Array | undefined = randomBytes(next, 8 * MiB);
      model.edit(4 * MiB, paste, 'Paste');
      paste = undefined;
      const before = arrayBufferBytes();
      const expected = await model.read(4 * MiB, 8 * MiB);
      for (let i = 0; i < 100; i++) {
        // Half typed one after another, half scattered over the paste.
        const at = i < 50 ? 5 * MiB + i : 4 * MiB + Math.floor(next() * 8 * MiB);
        const b = Uint8Array.of(i);
        model.edit(at, b, 'Type');
        expected[at - 4 * MiB] = i;
      }
      const grown = arrayBufferBytes() - before - expected.length;
      assert.deepEqual(await model.read(4 * MiB, 8 * MiB), expected);
      // The model's own accounting: the paste once, one shared arena block, bookkeeping.
      const retained = model.retainedBytes();
      assert.ok(retained < 8 * MiB + 256 * 1024, `retained ${retained} bytes`);
      // The heap agrees: 100 edits cost well under one more copy of the paste.
      assert.ok(grown < 2 * MiB, `array buffers grew by ${grown} bytes for 100 typed bytes`);
      // Undo all typing: the paste is back, byte for byte.
      for (let i = 0; i < 100; i++) assert.ok(model.undo());
      assert.equal(model.historyLength, 101);
      model.dispose();
    } finally {
      dir.cleanup();
    }
  });

  test(`[${backend.name}] dropping history frees a large paste that only small views still used`, async () => {
    const dir = new TempDir();
    try {
      const model = new HexDocumentModel(await backend.open(dir.file('d.bin', new Uint8Array(64))));
      model.replace(10, 0, new Uint8Array(4 * MiB).fill(7), 'Paste');
      // Delete all of it but 3 bytes, then drop the history that still holds the rest.
      model.replace(11, 4 * MiB - 3, new Uint8Array(0), 'Delete');
      assert.ok(model.retainedBytes() >= 4 * MiB, 'history still holds the deleted bytes');
      await model.revert(); // cuts the history back to the (clean) start
      model.replace(0, 0, Uint8Array.of(1), 'Type');
      assert.ok(model.undo());
      model.replace(10, 0, new Uint8Array(4 * MiB).fill(7), 'Paste');
      model.replace(11, 4 * MiB - 3, new Uint8Array(0), 'Delete');
      assert.ok(model.undo() && model.undo());
      model.replace(0, 0, Uint8Array.of(2), 'Type'); // drops both undone steps: the paste is dead
      assert.ok(model.retainedBytes() < 64 * 1024, `retained ${model.retainedBytes()} bytes after the paste died`);
      model.dispose();
    } finally {
      dir.cleanup();
    }
  });

  test(`[${backend.name}] Replace All of 20,000 matches is one undo step and one change`, async () => {
    const dir = new TempDir();
    try {
      const unit = new TextEncoder().encode('xx-needle-yy');
      const data = new Uint8Array(unit.length * 20_000);
      for (let i = 0; i < 20_000; i++) data.set(unit, i * unit.length);
      const model = new HexDocumentModel(await backend.open(dir.file('r.bin', data)));
      const changes: DocumentChange[] = [];
      model.onDidChange((c) => changes.push(c));
      const messages: HostMessage[] = [];
      const session = new EditorSession(model, (m) => { messages.push(m); }, { fileName: 'r.bin', bytesPerRow: 16 });
      const replacement = new TextEncoder().encode('pin');
      const edits = Array.from({ length: 20_000 }, (_, i) => ({ offset: i * unit.length + 3, deleteLength: 6, bytes: replacement }));
      session.handle({ type: 'editBatch', edits, label: 'Replace All' });
      assert.equal(session.rejected, 0);
      assert.equal(model.historyLength, 1, 'one undo step');
      assert.equal(changes.length, 1, 'one change event');
      const changed = messages.filter((m) => m.type === 'changed');
      assert.equal(changed.length, 1, 'one changed message to the webview');
      const msg = changed[0] as Extract<HostMessage, { type: 'changed' }>;
      assert.equal(msg.fileSize, data.length - 3 * 20_000);
      assert.deepEqual(msg.ranges, [{ offset: 3, length: data.length - 3 }], 'size changed: one range from the first edit to the old end');
      const text = new TextDecoder().decode(await model.read(0, model.size));
      assert.equal(text, 'xx-pin-yy'.repeat(20_000));
      assert.ok(model.undo());
      assert.deepEqual(await model.read(0, model.size), data);
      assert.equal(model.isDirty, false);
      assert.ok(model.redo());
      assert.equal(new TextDecoder().decode(await model.read(0, model.size)), text);
      // Same-length replacements keep the size: ranges are the coalesced edits.
      changes.length = 0;
      model.editBatch([{ offset: 0, deleteLength: 2, bytes: Uint8Array.of(65, 66) }, { offset: 2, deleteLength: 1, bytes: Uint8Array.of(67) }, { offset: 20, deleteLength: 1, bytes: Uint8Array.of(68) }], 'Replace All');
      assert.deepEqual(changes[0].ranges, [{ offset: 0, length: 3 }, { offset: 20, length: 1 }]);
      session.dispose();
      model.dispose();
    } finally {
      dir.cleanup();
    }
  });

  test(`[${backend.name}] Find All of 300,000 matches streams in bounded batches through the session`, async () => {
    const dir = new TempDir();
    try {
      const model = new HexDocumentModel(await backend.open(dir.file('f.bin', new Uint8Array(300_000).fill(0x61))));
      model.replace(1000, 0, Uint8Array.of(0x61, 0x61), 'Insert'); // an edit in the middle: 300,002 matches
      const messages: HostMessage[] = [];
      const session = new EditorSession(model, (m) => { messages.push(m); }, { fileName: 'f.bin', bytesPerRow: 16 });
      session.handle({ type: 'request', id: 1, request: { kind: 'find', pattern: Uint8Array.of(0x61), ignoreCase: false, from: 0, backward: false, maxMatches: 1_000_000 } });
      const deadline = Date.now() + 30_000;
      while (!messages.some((m) => m.type === 'response') && Date.now() < deadline) await new Promise((r) => setTimeout(r, 5));
      const response = messages.find((m) => m.type === 'response') as Extract<HostMessage, { type: 'response' }>;
      assert.ok(response && response.ok, `response: ${JSON.stringify(response && !response.ok ? response.error : '')}`);
      const result = (response as Extract<HostMessage, { type: 'response'; ok: true }>).result as { matches: number[]; complete: boolean };
      assert.equal(result.matches.length, 300_002);
      assert.equal(result.complete, true);
      const streamed = messages.filter((m) => m.type === 'findMatches') as Extract<HostMessage, { type: 'findMatches' }>[];
      assert.ok(streamed.every((m) => m.matches.length <= FIND_MATCHES_BATCH));
      assert.equal(streamed.reduce((n, m) => n + m.matches.length, 0), 300_002);
      session.dispose();
      model.dispose();
    } finally {
      dir.cleanup();
    }
  });
}

test('100,000 scattered inserts stay exact (piece table lookups do not walk every piece)', async () => {
  const dir = new TempDir();
  try {
    const backend = docBackends()[0];
    const model = new HexDocumentModel(await backend.open(dir.file('p.bin', new Uint8Array(64 * 1024))));
    const next = rng(77);
    // The reference: where each inserted byte ends up, replayed on a plain array at the end.
    const inserts: [number, number][] = [];
    for (let i = 0; i < 100_000; i++) {
      const at = Math.floor(next() * (model.size + 1));
      model.replace(at, 0, Uint8Array.of(1 + (i % 250)), 'Insert');
      inserts.push([at, 1 + (i % 250)]);
    }
    assert.ok(model.pieceCount > 100_000, `${model.pieceCount} pieces`);
    const ref: number[] = new Array(64 * 1024).fill(0);
    for (const [at, b] of inserts) ref.splice(at, 0, b);
    assert.deepEqual([...await model.read(0, model.size)], ref);
    // Undo all of it, one step at a time: the file again.
    while (model.undo()) { /* undo everything */ }
    assert.deepEqual(await model.read(0, model.size), new Uint8Array(64 * 1024));
    assert.equal(model.pieceCount, 1);
    model.dispose();
  } finally {
    dir.cleanup();
  }
});
