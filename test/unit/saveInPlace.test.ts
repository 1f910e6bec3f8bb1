// Saving through the source: only changed runs written, the inode, mode and
// hard links kept, the journal gone afterwards; failures (injected ENOSPC /
// EIO / EACCES at each step, and a real full tmpfs where it can be mounted)
// leave the file exactly as it was and the edits unsaved.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { chmodSync, existsSync, linkSync, mkdirSync, readFileSync, readdirSync, statSync, truncateSync, writeFileSync } from 'node:fs';
import { HexDocumentModel } from '../../extension/document/hexDocumentModel';
import { saveInPlace } from '../../extension/document/save/saveInPlace';
import { injectedError, type SaveFaults } from '../../extension/document/save/saveFaults';
import { statIdentity } from '../../extension/document/save/fileIdentity';
import { findJournal } from '../../extension/document/save/journal';
import { applyRecovery } from '../../extension/document/save/recovery';
import { HexmapError } from '../../extension/engine/byteSource';
import { docBackends, randomBytes, rng, TempDir, type DocBackend } from '../support/documentFiles';

/** A model over a fresh file with `edits` applied; returns what the file and the document should hold. */
async function setup(backend: DocBackend, dir: TempDir, size: number, edits: [number, number[]][]) {
  const initial = randomBytes(rng(size), size);
  const path = dir.file('f.bin', initial);
  const model = new HexDocumentModel(await backend.open(path));
  const expected = Uint8Array.from(initial);
  for (const [offset, bytes] of edits) {
    model.edit(offset, Uint8Array.from(bytes), 'Edit');
    expected.set(bytes, offset);
  }
  return { path, model, initial, expected };
}

async function save(model: HexDocumentModel, journalDir: string, faults?: SaveFaults) {
  const { runs, at } = model.beginSave();
  const result = await saveInPlace(model.source, runs, { journalDir, faults });
  model.completeSave(result.runs, at);
  return result;
}

for (const backend of docBackends()) {
  test(`[${backend.name}] save writes the runs in place: same inode, mode and hard links; journal disarmed`, async () => {
    const dir = new TempDir();
    try {
      const { path, model, expected } = await setup(backend, dir, 10_000, [[0, [1]], [5000, [2, 3, 4]], [9999, [5]]]);
      chmodSync(path, 0o640);
      linkSync(path, dir.join('hardlink.bin'));
      const before = statSync(path);
      const result = await save(model, dir.join('journal'));
      const after = statSync(path);
      assert.equal(after.ino, before.ino);
      assert.equal(after.mode & 0o7777, 0o640);
      assert.equal(after.nlink, 2);
      assert.deepEqual(readFileSync(path), Buffer.from(expected));
      assert.deepEqual(readFileSync(dir.join('hardlink.bin')), Buffer.from(expected));
      assert.deepEqual(result.runs.map((r) => [r.offset, r.bytes.length]), [[0, 1], [5000, 3], [9999, 1]]);
      assert.equal(readdirSync(dir.join('journal')).length, 1, 'one journal file, named by identity');
      assert.equal(await findJournal(dir.join('journal'), path), undefined, 'journal disarmed');
      assert.equal(model.isDirty, false);
      assert.equal(result.identity.ino, before.ino);
      model.dispose();
    } finally {
      dir.cleanup();
    }
  });

  // Every step at which the save can fail, with the error the OS would give there.
  const failurePoints: [string, (e: Error) => SaveFaults, RegExp][] = [
    ['journal cannot be written (ENOSPC)', (e) => ({ at: (p) => { if (p === 'journal') throw e; } }), /could not write the save journal.*not touched/],
    ['first write fails (EACCES)', (e) => ({ at: (p) => { if (p === 'journal-armed') throw e; } }), /put back as it was/],
    ['a write fails after the first run landed (EIO)', (e) => ({ at: (p, i) => { if (p === 'run-written' && i === 0) throw e; } }), /put back as it was/],
    ['flush fails (EIO)', (e) => ({ at: (p) => { if (p === 'flushed') throw e; } }), /put back as it was/],
  ];
  for (const [what, faults, message] of failurePoints) {
    test(`[${backend.name}] save failure: ${what} -> clear error, file intact, edits still unsaved`, async () => {
      const dir = new TempDir();
      try {
        const { path, model, initial, expected } = await setup(backend, dir, 4096, [[10, [1, 2]], [1000, [3]], [2000, [4, 5, 6]], [4095, [7]]]);
        const code = /ENOSPC/.test(what) ? 'ENOSPC' : /EACCES/.test(what) ? 'EACCES' : 'EIO';
        await assert.rejects(save(model, dir.join('journal'), faults(injectedError(code, path))), (e: unknown) => {
          assert.ok(e instanceof HexmapError);
          assert.equal(e.code, code);
          assert.match(e.message, message);
          assert.match(e.message, /edits are still unsaved/);
          return true;
        });
        assert.deepEqual(readFileSync(path), Buffer.from(initial), 'file exactly as before');
        assert.equal(model.isDirty, true);
        assert.deepEqual(await model.read(0, 4096), expected, 'the document still shows the edits');
        assert.equal(await findJournal(dir.join('journal'), path), undefined, 'no journal left behind');
        // A later save succeeds.
        await save(model, dir.join('journal'));
        assert.deepEqual(readFileSync(path), Buffer.from(expected));
        model.dispose();
      } finally {
        dir.cleanup();
      }
    });
  }

  test(`[${backend.name}] save failure whose rollback also fails keeps the journal; recovery restores the old bytes`, async () => {
    const dir = new TempDir();
    try {
      const { path, model, initial } = await setup(backend, dir, 4096, [[0, [9, 9]], [3000, [8]]]);
      const faults: SaveFaults = {
        at: (p, i) => {
          if ((p === 'run-written' && i === 0) || p === 'rollback-write') throw injectedError('EIO', path);
        },
      };
      await assert.rejects(save(model, dir.join('journal'), faults), /could not be written back.*reopen the file in Hexmap to restore it/s);
      assert.equal(model.isDirty, true);
      const left = await findJournal(dir.join('journal'), path);
      assert.ok(left, 'the journal stays for recovery');
      assert.notDeepEqual(readFileSync(path), Buffer.from(initial), 'the failed save left written bytes');
      await applyRecovery(model.source, left, 'restore');
      await left.close();
      assert.deepEqual(readFileSync(path), Buffer.from(initial));
      assert.equal(await findJournal(dir.join('journal'), path), undefined, 'journal disarmed after recovery');
      model.dispose();
    } finally {
      dir.cleanup();
    }
  });

  test(`[${backend.name}] save refuses when the file changed on disk or was truncated`, async () => {
    const dir = new TempDir();
    try {
      const { path, model, initial } = await setup(backend, dir, 100, [[90, [1, 2, 3]]]);
      const identity = await statIdentity(path);
      const changed = Uint8Array.from(initial);
      changed[0] ^= 0xff;
      writeFileSync(path, changed);
      const later = new Date(Date.now() + 5000);
      (await import('node:fs')).utimesSync(path, later, later);
      const { runs } = model.beginSave();
      await assert.rejects(saveInPlace(model.source, runs, { journalDir: dir.join('j'), expected: identity }),
        (e: unknown) => e instanceof HexmapError && e.code === 'ERR_HEXMAP_CONFLICT' && /changed on disk/.test(e.message));
      truncateSync(path, 50);
      await assert.rejects(saveInPlace(model.source, runs, { journalDir: dir.join('j') }),
        (e: unknown) => e instanceof HexmapError && e.code === 'ERR_HEXMAP_TRUNCATED' && /now 50 bytes/.test(e.message));
      assert.equal(readFileSync(path).length, 50, 'nothing written past the new end');
      model.dispose();
    } finally {
      dir.cleanup();
    }
  });
}

/** Mount a tmpfs of `size` at a fresh folder; undefined when this machine refuses (not root, no mount). */
function mountTmpfs(dir: TempDir, size: string): string | undefined {
  const point = dir.join('tmpfs');
  mkdirSync(point);
  try {
    execFileSync('mount', ['-t', 'tmpfs', '-o', `size=${size}`, 'tmpfs', point], { stdio: 'ignore' });
    return point;
  } catch {
    return undefined;
  }
}

function fillUp(dir: string): void {
  const chunk = Buffer.alloc(64 * 1024, 1);
  for (let i = 0; ; i++) {
    try {
      writeFileSync(`${dir}/filler-${i}`, chunk);
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code === 'ENOSPC') break;
      throw e;
    }
  }
  // Small pieces top off what the 64 KiB chunks left.
  for (let i = 0; ; i++) {
    try {
      writeFileSync(`${dir}/crumb-${i}`, Buffer.alloc(4096, 1));
    } catch {
      break;
    }
  }
}

const umount = (point: string) => execFileSync('umount', [point], { stdio: 'ignore' });

for (const backend of docBackends()) {
  test(`[${backend.name}] real disk full: journal folder on a full tmpfs -> ENOSPC, file untouched`, async (t) => {
    const dir = new TempDir();
    const point = mountTmpfs(dir, '256k');
    try {
      if (!point) return t.skip('cannot mount a tmpfs here (needs root); the injected ENOSPC tests cover this path');
      const { path, model, initial } = await setup(backend, dir, 300_000, [[1, [1]], [250_000, Array.from({ length: 50_000 }, () => 7)]]);
      fillUp(point);
      await assert.rejects(save(model, `${point}/journal`), (e: unknown) =>
        e instanceof HexmapError && e.code === 'ENOSPC' && /could not write the save journal|the save journal needs/.test(e.message));
      assert.deepEqual(readFileSync(path), Buffer.from(initial));
      assert.equal(model.isDirty, true);
      model.dispose();
    } finally {
      if (point) umount(point);
      dir.cleanup();
    }
  });
}

test('[file] real disk full: writes into holes of a sparse file on a full tmpfs -> ENOSPC, rolled back exactly', async (t) => {
  // Only the plain-write backend: through a mapping, a page that cannot be
  // allocated is a SIGBUS that the engine reports as its own error.
  const dir = new TempDir();
  const point = mountTmpfs(dir, '1m');
  try {
    if (!point) return t.skip('cannot mount a tmpfs here (needs root); the injected ENOSPC tests cover this path');
    const path = `${point}/sparse.bin`;
    const head = randomBytes(rng(3), 64 * 1024);
    writeFileSync(path, head);
    truncateSync(path, 4 * 1024 * 1024); // 4 MiB, only the first 64 KiB allocated
    fillUp(point);
    const model = new HexDocumentModel(await docBackends()[0].open(path));
    model.edit(100, Uint8Array.of(1, 2, 3), 'Edit'); // allocated page: this write lands
    model.edit(3 * 1024 * 1024, new Uint8Array(64 * 1024).fill(9), 'Edit'); // a hole: no room
    const before = readFileSync(path);
    try {
      await assert.rejects(save(model, dir.join('journal')), (e: unknown) =>
        e instanceof HexmapError && e.code === 'ENOSPC' && /put back as it was/.test(e.message));
      assert.deepEqual(readFileSync(path), before);
      assert.equal(model.isDirty, true);
      assert.equal(await findJournal(dir.join('journal'), path), undefined);
    } finally {
      model.dispose();
    }
  } finally {
    if (point) umount(point);
    dir.cleanup();
  }
});
