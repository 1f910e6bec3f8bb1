// The document's life beyond editing: hot-exit backup and restore (refused
// when the file changed), read-only detection (permission bits as root, a
// read-only file system), and changes made by another process (clean: reload
// with the changed bytes to flash; grown: remapped; truncated: no crash;
// dirty: edits kept and a save refuses to overwrite silently).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { appendFileSync, chmodSync, mkdirSync, openSync, closeSync, readFileSync, truncateSync, utimesSync, writeSync, writeFileSync } from 'node:fs';
import { HexDocumentModel } from '../../extension/document/hexDocumentModel';
import type { DocumentChange } from '../../extension/document/documentModel';
import { backupProblem, decodeBackup, encodeBackup } from '../../extension/document/save/backup';
import { statIdentity } from '../../extension/document/save/fileIdentity';
import { saveInPlace } from '../../extension/document/save/saveInPlace';
import { fileReadOnlyReason } from '../../extension/document/readOnlyCheck';
import { HexmapError } from '../../extension/engine/byteSource';
import { docBackends, randomBytes, rng, TempDir } from '../support/documentFiles';

/** Another process's write: a separate descriptor, a positional write. */
function writeOutside(path: string, offset: number, bytes: Uint8Array): void {
  const fd = openSync(path, 'r+');
  writeSync(fd, bytes, 0, bytes.length, offset);
  closeSync(fd);
}

for (const backend of docBackends()) {
  test(`[${backend.name}] hot-exit backup holds only the edits and restores them byte for byte`, async () => {
    const dir = new TempDir();
    try {
      const initial = randomBytes(rng(1), 1 << 20);
      const path = dir.file('h.bin', initial);
      const model = new HexDocumentModel(await backend.open(path));
      model.edit(5, Uint8Array.of(1, 2, 3), 'Edit');
      model.edit(700_000, new Uint8Array(100).fill(7), 'Edit');
      model.edit((1 << 20) - 1, Uint8Array.of(9), 'Edit');
      const expected = await model.read(0, 1 << 20);
      const bytes = encodeBackup({ identity: await statIdentity(path), runs: model.editedRuns() });
      assert.ok(bytes.length < 1024, `backup is ${bytes.length} bytes for a 1 MiB file: edits only`);
      model.dispose();

      // "VS Code reopens": a fresh model, the backup decoded and checked against the file.
      const reopened = new HexDocumentModel(await backend.open(path));
      const backup = decodeBackup(bytes);
      assert.equal(backupProblem(backup, await statIdentity(path)), undefined);
      reopened.restoreEdits(backup.runs);
      assert.equal(reopened.isDirty, true);
      assert.deepEqual(await reopened.read(0, 1 << 20), expected);
      assert.deepEqual(readFileSync(path), Buffer.from(initial), 'restoring does not write');
      reopened.dispose();

      // The file changed since the backup: refused, with the reason.
      writeOutside(path, 0, Uint8Array.of(0xff));
      utimesSync(path, new Date(), new Date(Date.now() + 10_000));
      assert.match(backupProblem(backup, await statIdentity(path))!, /changed since the backup.*modified at/);
      assert.throws(() => decodeBackup(bytes.subarray(0, bytes.length - 1)), /incomplete|checksum/);
    } finally {
      dir.cleanup();
    }
  });

  test(`[${backend.name}] outside change on a clean document: reload, changed bytes reported for the flash`, async () => {
    const dir = new TempDir();
    try {
      const path = dir.file('x.bin', new Uint8Array(4096));
      const model = new HexDocumentModel(await backend.open(path));
      await model.readWindow(0, 4096); // what the views looked at
      const seen: DocumentChange[] = [];
      model.onDidChange((c) => seen.push(c));
      writeOutside(path, 100, Uint8Array.of(1, 2, 3));
      writeOutside(path, 4000, Uint8Array.of(4));
      const { flash } = await model.reloadFromDisk();
      assert.deepEqual(flash, [{ offset: 100, length: 3 }, { offset: 4000, length: 1 }]);
      assert.deepEqual(seen.map((c) => c.reason), ['external', 'external']);
      assert.equal(seen[0].ranges, undefined, 'views drop every cached window');
      assert.deepEqual(seen[1].ranges, flash, 'then the changed bytes, for the flash');
      assert.deepEqual([...(await model.read(100, 3))], [1, 2, 3]);

      // Grown: remapped, the new tail readable and flashed.
      appendFileSync(path, Uint8Array.of(0xaa, 0xbb));
      const grown = await model.reloadFromDisk();
      assert.equal(model.size, 4098);
      assert.deepEqual(grown.flash.at(-1), { offset: 4096, length: 2 });
      assert.deepEqual([...(await model.read(4096, 2))], [0xaa, 0xbb]);

      // Truncated: smaller size, reads within it work, reads past it are clean errors.
      truncateSync(path, 1000);
      const shrunk = await model.reloadFromDisk();
      assert.deepEqual([shrunk.oldSize, shrunk.newSize], [4098, 1000]);
      assert.equal((await model.readWindow(990, 100)).bytes.length, 10);
      await assert.rejects(model.read(999, 10), RangeError);
      model.dispose();
    } finally {
      dir.cleanup();
    }
  });

  test(`[${backend.name}] truncated behind our back (before any watcher event): a window read adopts the new size, no crash`, async () => {
    const dir = new TempDir();
    try {
      const path = dir.file('t.bin', randomBytes(rng(2), 64 * 1024));
      const model = new HexDocumentModel(await backend.open(path));
      const seen: DocumentChange[] = [];
      model.onDidChange((c) => seen.push(c));
      truncateSync(path, 10_000);
      const w = await model.readWindow(8192, 16384);
      assert.equal(model.size, 10_000);
      assert.equal(w.bytes.length, 10_000 - 8192);
      assert.equal(seen[0].reason, 'external');
      assert.equal(seen[0].ranges, undefined);
      await assert.rejects(model.readWindow(20_000, 10), /past the end of the file \(10000 bytes\)/);
      model.dispose();
    } finally {
      dir.cleanup();
    }
  });

  test(`[${backend.name}] outside change on a dirty document: edits kept, save refuses to overwrite silently`, async () => {
    const dir = new TempDir();
    try {
      const path = dir.file('c.bin', new Uint8Array(256));
      const model = new HexDocumentModel(await backend.open(path));
      const loaded = await statIdentity(path);
      model.edit(10, Uint8Array.of(0xee), 'Edit');
      writeOutside(path, 200, Uint8Array.of(0x55));
      utimesSync(path, new Date(), new Date(Date.now() + 10_000));
      await model.reloadFromDisk();
      assert.equal(model.isDirty, true, 'the unsaved edit survives the reload');
      assert.equal((await model.read(10, 1))[0], 0xee);
      assert.equal((await model.read(200, 1))[0], 0x55, 'the outside change is visible');
      const { runs } = model.beginSave();
      await assert.rejects(saveInPlace(model.source, runs, { journalDir: dir.join('j'), expected: loaded }),
        (e: unknown) => e instanceof HexmapError && e.code === 'ERR_HEXMAP_CONFLICT');
      assert.equal(readFileSync(path)[10], 0, 'nothing written');
      // The user chose "overwrite": only the changed byte is written, the outside change stays.
      const result = await saveInPlace(model.source, runs, { journalDir: dir.join('j') });
      model.completeSave(result.runs, 1);
      const disk = readFileSync(path);
      assert.deepEqual([disk[10], disk[200]], [0xee, 0x55]);
      model.dispose();
    } finally {
      dir.cleanup();
    }
  });
}

test('read-only detection: permission bits (even as root) and a writable file', async () => {
  const dir = new TempDir();
  try {
    const path = dir.file('r.bin', Uint8Array.of(1));
    assert.equal(await fileReadOnlyReason(path), undefined);
    chmodSync(path, 0o444);
    assert.match((await fileReadOnlyReason(path))!, /marked read-only \(mode 0444\)|no write permission/);
    chmodSync(path, 0o644);
  } finally {
    dir.cleanup();
  }
});

test('read-only detection: a read-only file system (tmpfs remounted ro), and nothing can be written', async (t) => {
  const dir = new TempDir();
  const point = dir.join('ro');
  mkdirSync(point);
  let mounted = false;
  try {
    try {
      execFileSync('mount', ['-t', 'tmpfs', '-o', 'size=1m', 'tmpfs', point], { stdio: 'ignore' });
      mounted = true;
    } catch {
      return t.skip('cannot mount a tmpfs here (needs root)');
    }
    writeFileSync(`${point}/f.bin`, Uint8Array.of(1, 2, 3));
    execFileSync('mount', ['-o', 'remount,ro', point], { stdio: 'ignore' });
    assert.match((await fileReadOnlyReason(`${point}/f.bin`))!, /read-only file system/);
    for (const backend of docBackends()) {
      const model = new HexDocumentModel(await backend.open(`${point}/f.bin`, false), { readOnlyReason: 'it is on a read-only file system' });
      assert.throws(() => model.edit(0, Uint8Array.of(9), 'Edit'), /Cannot edit f\.bin: it is on a read-only file system/);
      await assert.rejects(saveInPlace(model.source, [{ offset: 0, bytes: Uint8Array.of(9) }], { journalDir: dir.join('j') }), /read-only/);
      model.dispose();
    }
    assert.deepEqual([...readFileSync(`${point}/f.bin`)], [1, 2, 3]);
  } finally {
    if (mounted) execFileSync('umount', [point], { stdio: 'ignore' });
    dir.cleanup();
  }
});
