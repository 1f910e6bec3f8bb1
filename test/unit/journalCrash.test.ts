// Crash in the middle of a save: a child process (this same file, in child
// mode) saves through the real save path and pauses at a chosen point
// (through the save's fault seam); the parent SIGKILLs it there, then runs
// recovery. The file must equal exactly the old or exactly the new content.
// Also: the journal format round-trips and rejects torn or corrupted records.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { existsSync, readFileSync, readdirSync, writeFileSync } from 'node:fs';
import { HexDocumentModel } from '../../extension/document/hexDocumentModel';
import { saveInPlace } from '../../extension/document/save/saveInPlace';
import {
  armJournal, DamagedJournalError, decodeJournal, disarmJournal, encodeJournal, findJournal, journalPathFor, removeIdleJournal,
} from '../../extension/document/save/journal';
import { applyJournal, journalProblem } from '../../extension/document/save/recovery';
import { statIdentity } from '../../extension/document/save/fileIdentity';
import { openByteSource } from '../../extension/engine/openByteSource';
import { docBackends, randomBytes, rng, TempDir } from '../support/documentFiles';

const CHILD_ENV = 'HEXMAP_TEST_SAVE_CRASH_CHILD';
const SIZE = 256 * 1024;
/** Edits: scattered runs, one spanning page boundaries, one at the very end. */
const EDITS: [number, number][] = [[0, 3], [4090, 20], [70_000, 5000], [131_072, 1], [200_000, 300], [SIZE - 2, 2]];

interface ChildConfig {
  path: string;
  journalDir: string;
  backend: 'file' | 'mapped';
  /** Where to stop: 'afterJournal', 'afterWrite:<i>', 'beforeJournalDisarm'. */
  pauseAt: string;
}

function editedContent(initial: Uint8Array): { bytes: Uint8Array; edits: [number, Uint8Array][] } {
  const next = rng(99);
  const bytes = Uint8Array.from(initial);
  const edits = EDITS.map(([o, n]): [number, Uint8Array] => [o, randomBytes(next, n)]);
  for (const [o, b] of edits) bytes.set(b, o);
  return { bytes, edits };
}

/** Child mode: edit, save, and stop dead at `pauseAt` (printing PAUSED) until killed. */
async function runChild(config: ChildConfig): Promise<void> {
  const source = await openByteSource(config.path, { backend: config.backend });
  const model = new HexDocumentModel(source);
  const initial = readFileSync(config.path);
  for (const [o, b] of editedContent(initial).edits) model.edit(o, b, 'Edit');
  const pause = async (point: string) => {
    if (point !== config.pauseAt) return;
    process.stdout.write('PAUSED\n');
    await new Promise(() => setInterval(() => undefined, 1000)); // wait for SIGKILL
  };
  const { runs } = model.beginSave();
  await saveInPlace(source, runs, {
    journalDir: config.journalDir,
    faults: {
      afterJournal: () => pause('afterJournal'),
      afterWrite: (i) => pause(`afterWrite:${i}`),
      beforeJournalDisarm: () => pause('beforeJournalDisarm'),
    },
  });
  process.stdout.write('SAVED\n');
}

function crashChild(config: ChildConfig): Promise<string> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [__filename], {
      env: { ...process.env, [CHILD_ENV]: JSON.stringify(config) },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let out = '';
    let err = '';
    child.stdout.on('data', (d) => {
      out += d;
      if (out.includes('PAUSED')) child.kill('SIGKILL');
    });
    child.stderr.on('data', (d) => (err += d));
    child.on('exit', (code, signal) => {
      if (signal === 'SIGKILL' && out.includes('PAUSED')) resolve(out);
      else reject(new Error(`child did not pause (code ${code}, signal ${signal}): ${out} ${err}`));
    });
  });
}

if (process.env[CHILD_ENV]) {
  runChild(JSON.parse(process.env[CHILD_ENV]!) as ChildConfig).catch((e) => {
    process.stderr.write(String(e?.stack ?? e));
    process.exit(3);
  });
} else {
  test('journal: encode/decode round trip; a torn or corrupted journal is rejected', () => {
    const journal = {
      identity: { path: '/x/y.bin', size: 10, mtimeMs: 123.5, dev: 1, ino: 2 },
      createdAt: '2026-01-01T00:00:00.000Z',
      runs: [{ offset: 1, old: Uint8Array.of(1, 2), bytes: Uint8Array.of(3, 4) }, { offset: 9, old: Uint8Array.of(5), bytes: Uint8Array.of(6) }],
    };
    const encoded = encodeJournal(journal);
    assert.deepEqual(decodeJournal(encoded), journal);
    assert.throws(() => decodeJournal(encoded.subarray(0, encoded.length - 5)), /incomplete \(torn write\)/);
    const flipped = encoded.slice();
    flipped[20] ^= 1;
    assert.throws(() => decodeJournal(flipped), /checksum mismatch/);
    assert.throws(() => decodeJournal(new Uint8Array(10)), /too short/);
    assert.notEqual(journalPathFor('/j', '/a/b'), journalPathFor('/j', '/a/c'));
  });

  test('journal file: re-armed in place over a longer record, disarmed, torn arm detected', async () => {
    const dir = new TempDir();
    try {
      const jdir = dir.join('j');
      const identity = { path: '/some/file.bin', size: 100, mtimeMs: 1, dev: 1, ino: 1 };
      const big = { identity, createdAt: 'a', runs: [{ offset: 0, old: new Uint8Array(5000), bytes: new Uint8Array(5000).fill(1) }] };
      const small = { identity, createdAt: 'b', runs: [{ offset: 7, old: Uint8Array.of(1), bytes: Uint8Array.of(2) }] };
      const path = await armJournal(jdir, big);
      assert.equal((await findJournal(jdir, identity.path))?.journal.createdAt, 'a');
      await disarmJournal(path);
      assert.equal(await findJournal(jdir, identity.path), undefined, 'a disarmed journal is not an interrupted save');
      assert.equal(await armJournal(jdir, small), path, 'the same file is reused');
      assert.deepEqual((await findJournal(jdir, identity.path))?.journal, small, 'a shorter record over a longer one decodes');
      // A crash while arming: only part of a new record reached the disk.
      const torn = encodeJournal(big).subarray(0, 3000);
      writeFileSync(path, torn);
      await assert.rejects(findJournal(jdir, identity.path), (e: unknown) => e instanceof DamagedJournalError && /incomplete|checksum/.test(e.message));
      await removeIdleJournal(jdir, identity.path);
      assert.ok(existsSync(path), 'an armed (even damaged) journal is never tidied away');
      await disarmJournal(path);
      await removeIdleJournal(jdir, identity.path);
      assert.equal(existsSync(path), false, 'a disarmed one is removed when the document closes');
    } finally {
      dir.cleanup();
    }
  });

  const pausePoints = ['afterJournal', 'afterWrite:0', 'afterWrite:2', `afterWrite:${EDITS.length - 1}`, 'beforeJournalDisarm'];
  for (const backend of docBackends()) {
    for (const pauseAt of pausePoints) {
      for (const choice of ['restore', 'finish'] as const) {
        test(`[${backend.name}] SIGKILL mid-save (${pauseAt}), recovery '${choice}' -> exactly the ${choice === 'restore' ? 'old' : 'new'} content`, async () => {
          const dir = new TempDir();
          try {
            const initial = randomBytes(rng(5), SIZE);
            const path = dir.file('crash.bin', initial);
            const edited = editedContent(initial).bytes;
            const journalDir = dir.join('journal');
            const ino = (await statIdentity(path)).ino;
            await crashChild({ path, journalDir, backend: backend.name, pauseAt });

            const disk = readFileSync(path);
            // The page cache survives a killed process: runs written before the kill are there.
            if (pauseAt === 'afterJournal') assert.deepEqual(disk, Buffer.from(initial));
            if (pauseAt === 'beforeJournalDisarm') assert.deepEqual(disk, Buffer.from(edited));

            const left = await findJournal(journalDir, path);
            assert.ok(left, 'an interrupted save leaves its journal');
            assert.equal(await journalProblem(left.journal, path), undefined);
            const source = await backend.open(path);
            await applyJournal(source, left.journal, left.path, choice);
            source.close();
            assert.deepEqual(readFileSync(path), Buffer.from(choice === 'restore' ? initial : edited));
            assert.equal(existsSync(left.path), false, 'recovery deletes the journal');
            assert.deepEqual(readdirSync(journalDir), []);
            assert.equal((await statIdentity(path)).ino, ino, 'same inode throughout');
          } finally {
            dir.cleanup();
          }
        });
      }
    }

    test(`[${backend.name}] a journal for a file replaced since is refused`, async () => {
      const dir = new TempDir();
      try {
        const initial = randomBytes(rng(6), SIZE);
        const path = dir.file('swap.bin', initial);
        await crashChild({ path, journalDir: dir.join('journal'), backend: backend.name, pauseAt: 'afterWrite:1' });
        const left = (await findJournal(dir.join('journal'), path))!;
        // Another program replaces the file (new inode) before Hexmap reopens it.
        const replacement = randomBytes(rng(7), SIZE);
        writeFileSync(dir.join('new.bin'), replacement);
        (await import('node:fs')).renameSync(dir.join('new.bin'), path);
        assert.match((await journalProblem(left.journal, path))!, /replaced by a different file/);
        const source = await backend.open(path);
        await assert.rejects(applyJournal(source, left.journal, left.path, 'restore'), /Cannot recover .*replaced/);
        source.close();
        assert.deepEqual(readFileSync(path), Buffer.from(replacement), 'nothing written');
      } finally {
        dir.cleanup();
      }
    });
  }
}
