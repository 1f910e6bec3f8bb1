// Save As: the copy holds the edited bytes, keeps the mode bits, reports
// progress to the full size; the original file is left alone. A document
// with inserted or deleted bytes is streamed into the new file.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { chmodSync, existsSync, readFileSync, statSync } from 'node:fs';
import { HexDocumentModel } from '../../extension/document/hexDocumentModel';
import { saveCopyAs, saveSnapshotAs } from '../../extension/document/save/saveAs';
import { docBackends, randomBytes, rng, TempDir } from '../support/documentFiles';
import { modeAfterChmod } from '../support/portable';

test('Save As copies the file, applies the edits, keeps mode bits and reports progress', async () => {
  const dir = new TempDir();
  try {
    const size = 3 * 1024 * 1024 + 17;
    const initial = randomBytes(rng(11), size);
    const path = dir.file('orig.bin', initial);
    chmodSync(path, 0o751);
    const model = new HexDocumentModel(await docBackends()[0].open(path));
    model.edit(0, Uint8Array.of(1, 2), 'Edit');
    model.edit(size - 1, Uint8Array.of(3), 'Edit');
    model.edit(2_000_000, new Uint8Array(5000).fill(4), 'Edit');
    const expected = await model.read(0, size);
    const progress: [number, number][] = [];
    await saveCopyAs(path, dir.join('copy.bin'), model.editedRuns(), { onProgress: (d, t) => progress.push([d, t]), progressIntervalMs: 1 });
    assert.deepEqual(readFileSync(dir.join('copy.bin')), Buffer.from(expected));
    // Compared with the original rather than 0o751: Windows keeps only a read-only attribute.
    assert.equal(statSync(dir.join('copy.bin')).mode & 0o7777, statSync(path).mode & 0o7777);
    assert.deepEqual(progress.at(-1), [size, size]);
    assert.deepEqual(readFileSync(path), Buffer.from(initial), 'the original is untouched');
    await assert.rejects(saveCopyAs(path, path, []), /different target/);
    model.dispose();
  } finally {
    dir.cleanup();
  }
});

test('Save As of a size-changed document streams the new content; the original is untouched; Cancel leaves no partial file', async () => {
  const dir = new TempDir();
  try {
    const size = 5 * 1024 * 1024 + 3;
    const initial = randomBytes(rng(12), size);
    const path = dir.file('orig.bin', initial);
    const model = new HexDocumentModel(await docBackends()[0].open(path));
    model.replace(10, 0, new Uint8Array(1000).fill(7), 'Insert');
    model.replace(4_000_000, 123_456, new Uint8Array(0), 'Delete');
    model.edit(0, Uint8Array.of(9), 'Edit');
    const expected = await model.read(0, model.size);
    const progress: number[] = [];
    await saveSnapshotAs(model.snapshot(), (o, n) => model.source.read(o, n), dir.join('new.bin'), { mode: 0o640, onProgress: (d) => progress.push(d) });
    assert.deepEqual(readFileSync(dir.join('new.bin')), Buffer.from(expected));
    assert.equal(statSync(dir.join('new.bin')).mode & 0o7777, modeAfterChmod(0o640));
    assert.equal(progress.at(-1), model.size);
    assert.deepEqual(readFileSync(path), Buffer.from(initial));
    const abort = new AbortController();
    abort.abort();
    await assert.rejects(saveSnapshotAs(model.snapshot(), (o, n) => model.source.read(o, n), dir.join('cancelled.bin'), { signal: abort.signal }), /cancelled/);
    assert.equal(existsSync(dir.join('cancelled.bin')), false);
    model.dispose();
  } finally {
    dir.cleanup();
  }
});
