// Hot-exit backups hold pieces (disk ranges + unsaved bytes) and the
// identity: a few bytes for a huge file; inserts and deletes round-trip and
// are restored as one batch edit; a file changed underneath (even a touch)
// is reported, and the edits are never dropped by the policy.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { utimesSync } from 'node:fs';
import { HexDocumentModel } from '../../extension/document/hexDocumentModel';
import { backupEdits, backupIsOverwriteOnly, backupProblem, decodeBackup, describeBackupEdits, encodeBackup } from '../../extension/document/save/backup';
import { statIdentity } from '../../extension/document/save/fileIdentity';
import { docBackends, randomBytes, rng, TempDir } from '../support/documentFiles';

test('a backup of inserts, deletes and overwrites restores byte for byte as one batch over a fresh model', async () => {
  const dir = new TempDir();
  try {
    const initial = randomBytes(rng(1), 1 << 20);
    const path = dir.file('b.bin', initial);
    const model = new HexDocumentModel(await docBackends()[0].open(path));
    model.replace(5, 0, Uint8Array.of(1, 2, 3), 'Insert');
    model.replace(700_000, 5000, new Uint8Array(0), 'Delete');
    model.edit(900_000, Uint8Array.of(9, 9), 'Edit');
    model.replace(model.size - 1, 1, new Uint8Array(0), 'Delete');
    const expected = await model.read(0, model.size);
    const bytes = encodeBackup({ identity: await statIdentity(path), pieces: model.snapshot().pieces });
    assert.ok(bytes.length < 1024, `backup is ${bytes.length} bytes for a 1 MiB file`);
    model.dispose();

    const backup = decodeBackup(bytes);
    assert.equal(backupIsOverwriteOnly(backup), false);
    assert.equal(backupProblem(backup, await statIdentity(path)), undefined);
    const reopened = new HexDocumentModel(await docBackends()[0].open(path));
    reopened.editBatch(await backupEdits(backup, (o, n) => reopened.source.read(o, n)), 'Restore');
    assert.deepEqual(await reopened.read(0, reopened.size), expected);
    assert.equal(reopened.isDirty, true);
    reopened.dispose();
  } finally {
    dir.cleanup();
  }
});

test('a touch is a change underneath: reported (never silently applied or dropped); Compare lists the edits beside the disk', async () => {
  const dir = new TempDir();
  try {
    const path = dir.file('t.bin', new Uint8Array(100));
    const model = new HexDocumentModel(await docBackends()[0].open(path));
    model.edit(10, Uint8Array.of(0xee), 'Edit');
    const backup = decodeBackup(encodeBackup({ identity: await statIdentity(path), pieces: model.snapshot().pieces }));
    const later = new Date(Date.now() + 5000);
    utimesSync(path, later, later);
    assert.match(backupProblem(backup, await statIdentity(path)) ?? '', /modified at/);
    assert.equal(backupIsOverwriteOnly(backup), true);
    assert.deepEqual(backup.runs.map((r) => [r.offset, [...r.bytes]]), [[10, [0xee]]]);
    const text = await describeBackupEdits(backup, (o, n) => model.source.read(o, n));
    assert.match(text, /offset 10 \(1 bytes\)\n {2}your edit: ee\n {2}disk now: {2}00/);
    model.dispose();
  } finally {
    dir.cleanup();
  }
});
