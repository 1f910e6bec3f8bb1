// Crash in the middle of a save: a child process (this same file, in child
// mode) saves through the real engine and stops dead at a chosen phase
// boundary (through the fault seam), or is killed at a random moment; the
// parent SIGKILLs it, then recovers. For overwrite saves and for shifts that
// grow and shrink the file by less and by more than one block, the file must
// end exactly old or exactly new, and nothing else may change. The journal is
// found through the path, a hard link and (where tests can make one) a symlink.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { linkSync, readFileSync, renameSync, statSync, symlinkSync, writeFileSync } from 'node:fs';
import { DamagedJournalError, findJournal, journalPathFor, moveJournalAside } from '../../extension/document/save/journal';
import { applyRecovery, examineJournal } from '../../extension/document/save/recovery';
import { recoverInterruptedSave, type RecoveryUi } from '../../extension/document/save/recoveryFlow';
import { saveSnapshot } from '../../extension/document/save/saveEngine';
import { openByteSource } from '../../extension/engine/openByteSource';
import { randomBytes, rng, TempDir } from '../support/documentFiles';
import { PieceModel } from '../support/pieceModel';
import { canSymlink } from '../support/portable';

const CHILD_ENV = 'HEXMAP_TEST_SAVE_CRASH_CHILD';
const SIZE = 200 * 1024;
const BLOCK = 16 * 1024;

type Scenario = 'overwrite' | 'grow-small' | 'grow-large' | 'shrink-small' | 'shrink-large';

interface ChildConfig {
  path: string;
  journalDir: string;
  scenario: Scenario;
  /** 'phase' or 'phase:index'; 'random' runs slowly until killed at a random moment. */
  pauseAt: string;
}

/** The edits of each scenario (deterministic, so parent and child agree). */
function applyScenario(model: PieceModel, scenario: Scenario): void {
  const next = rng(42);
  model.overwrite(10, randomBytes(next, 5)); // before the shift: an overwrite run
  if (scenario === 'overwrite') {
    for (const o of [5000, 70_000, 131_072, SIZE - 2]) model.overwrite(o, randomBytes(next, 2));
    model.overwrite(100_000, randomBytes(next, 9000));
    return;
  }
  const distance = scenario.endsWith('small') ? 100 : 40 * 1024; // smaller / larger than a block
  if (scenario.startsWith('grow')) model.replace(3000, 0, randomBytes(next, distance));
  else model.replace(3000, distance, new Uint8Array(0));
  model.overwrite(150_000, randomBytes(next, 30)); // after the shift start: moved with the rest
}

async function runChild(config: ChildConfig): Promise<void> {
  const source = await openByteSource(config.path);
  const model = new PieceModel(source);
  applyScenario(model, config.scenario);
  writeFileSync(`${config.path}.expected`, await model.content());
  const stop = async (point: string) => {
    if (config.pauseAt === 'random') {
      await new Promise((r) => setTimeout(r, 1)); // stretch the save so a random kill lands anywhere
      return;
    }
    if (point !== config.pauseAt) return;
    process.stdout.write('PAUSED\n');
    await new Promise(() => setInterval(() => undefined, 1000)); // wait for SIGKILL
  };
  process.stdout.write('STARTED\n');
  await saveSnapshot({
    source, model, snapshot: model.snapshot(), journalDir: config.journalDir, blockSize: BLOCK,
    faults: { at: async (phase, index) => { await stop(phase); if (index !== undefined) await stop(`${phase}:${index}`); } },
  });
  process.stdout.write('SAVED\n');
}

/** Run the child and kill it at its pause (or after `killAfterMs` when pausing at random). */
function crashChild(config: ChildConfig, killAfterMs?: number): Promise<'killed' | 'saved'> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [__filename], { env: { ...process.env, [CHILD_ENV]: JSON.stringify(config) }, stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    let err = '';
    child.stdout.on('data', (d) => {
      out += d;
      if (out.includes('PAUSED')) child.kill('SIGKILL');
      if (killAfterMs !== undefined && out.includes('STARTED')) setTimeout(() => child.kill('SIGKILL'), killAfterMs);
    });
    child.stderr.on('data', (d) => (err += d));
    child.on('exit', (code, signal) => {
      if (signal === 'SIGKILL') resolve('killed');
      else if (code === 0 && out.includes('SAVED')) resolve('saved');
      else reject(new Error(`child failed (code ${code}, signal ${signal}): ${out} ${err}`));
    });
  });
}

const PHASES: Record<Scenario, string[]> = {
  overwrite: ['checked', 'preserved', 'journal', 'journal-armed', 'run-written:0', 'run-written:3', 'flushed', 'rechecked', 'disarmed'],
  'grow-small': ['journal-armed', 'run-written:0', 'extended', 'block-logged:0', 'block-chunk:0', 'block-written:0', 'block-logged:5', 'block-chunk:12', 'moved', 'flushed', 'rechecked', 'disarmed'],
  'grow-large': ['journal-armed', 'extended', 'block-logged:0', 'block-chunk:0', 'block-written:3', 'block-chunk:14', 'moved', 'flushed'],
  'shrink-small': ['journal-armed', 'block-logged:0', 'block-chunk:0', 'block-written:2', 'block-chunk:11', 'moved', 'truncated', 'flushed', 'rechecked'],
  'shrink-large': ['journal-armed', 'block-logged:0', 'block-chunk:1', 'block-written:4', 'block-chunk:8', 'moved', 'truncated', 'flushed'],
};

/** After a kill: recover (if a journal is armed) and check the file is exactly old or exactly new. */
async function recoverAndCheck(dir: TempDir, path: string, initial: Uint8Array, choice: 'restore' | 'finish' | 'either', journalDir: string, ino: number): Promise<'old' | 'new'> {
  const expected = new Uint8Array(readFileSync(`${path}.expected`));
  const found = await findJournal(journalDir, path);
  const same = (a: Uint8Array, b: Uint8Array) => a.length === b.length && Buffer.compare(a, b) === 0;
  if (found) {
    // Found from every spelling of the file.
    const link = dir.join(`hard-${Math.random().toString(36).slice(2)}.bin`);
    const sym = dir.join(`sym-${Math.random().toString(36).slice(2)}.bin`);
    linkSync(path, link);
    if (canSymlink) symlinkSync(path, sym);
    for (const other of [link, ...(canSymlink ? [sym] : []), `${dir.path}/./${path.slice(dir.path.length + 1)}`]) {
      const again = await findJournal(journalDir, other);
      assert.equal(again?.path, found.path, `journal found through ${other}`);
      await again?.close();
    }
    const facts = await examineJournal(found, path);
    assert.equal(facts.blocker, undefined);
    assert.equal(facts.thirdPartyChange, undefined);
    const pick = choice === 'either' ? (facts.canRestore ? 'restore' : 'finish') : choice === 'restore' && !facts.canRestore ? 'finish' : choice;
    const source = await openByteSource(path);
    await applyRecovery(source, found, pick);
    source.close();
    await found.close();
    assert.equal(await findJournal(journalDir, path), undefined, 'recovery disarms the journal');
  }
  const disk = new Uint8Array(readFileSync(path));
  assert.equal(statSync(path).ino, ino, 'same inode throughout');
  if (same(disk, initial)) return 'old';
  if (same(disk, expected)) return 'new';
  assert.fail(`the file is neither exactly old nor exactly new (${disk.length} bytes; old ${initial.length}, new ${expected.length})`);
}

if (process.env[CHILD_ENV]) {
  runChild(JSON.parse(process.env[CHILD_ENV]!) as ChildConfig).catch((e) => {
    process.stderr.write(String(e?.stack ?? e));
    process.exit(3);
  });
} else {
  for (const scenario of Object.keys(PHASES) as Scenario[]) {
    test(`SIGKILL at every phase boundary of a save (${scenario}) -> recovered to exactly old or exactly new`, async () => {
      const dir = new TempDir();
      try {
        for (const pauseAt of PHASES[scenario]) {
          for (const choice of ['restore', 'finish'] as const) {
            const initial = randomBytes(rng(pauseAt.length * 7 + choice.length), SIZE);
            const path = dir.file(`${scenario}.bin`, initial);
            const journalDir = dir.join('journal');
            const ino = statSync(path).ino;
            const how = await crashChild({ path, journalDir, scenario, pauseAt });
            assert.equal(how, 'killed', `${pauseAt} is reached in ${scenario}`);
            const armed = !['checked', 'preserved', 'journal', 'disarmed'].includes(pauseAt);
            assert.equal(Boolean(await findJournal(journalDir, path).then(async (f) => { await f?.close(); return f; })), armed, `${pauseAt}: journal armed`);
            const end = await recoverAndCheck(dir, path, initial, choice, journalDir, ino);
            const pastTruncate = scenario.startsWith('shrink') && ['truncated', 'flushed', 'rechecked'].includes(pauseAt);
            const wanted = !armed ? (pauseAt === 'disarmed' ? 'new' : 'old') : choice === 'restore' && !pastTruncate ? 'old' : 'new';
            assert.equal(end, wanted, `${scenario} killed at ${pauseAt}, '${choice}'`);
          }
        }
      } finally {
        dir.cleanup();
      }
    });
  }

  test('SIGKILL at random moments of grow and shrink shifts -> always exactly old or exactly new after recovery', async () => {
    const dir = new TempDir();
    const next = rng(2026);
    const ends = { old: 0, new: 0 };
    try {
      for (let i = 0; i < 16; i++) {
        const scenario = (['grow-small', 'grow-large', 'shrink-small', 'shrink-large', 'overwrite'] as const)[i % 5];
        const initial = randomBytes(next, SIZE);
        const path = dir.file(`random-${i}.bin`, initial);
        const ino = statSync(path).ino;
        await crashChild({ path, journalDir: dir.join('journal'), scenario, pauseAt: 'random' }, Math.floor(next() * 120));
        ends[await recoverAndCheck(dir, path, initial, 'either', dir.join('journal'), ino)]++;
      }
    } finally {
      dir.cleanup();
    }
    assert.ok(ends.old + ends.new === 16);
  });

  test('a journal that fails its checksum is moved aside and kept, never deleted', async () => {
    const dir = new TempDir();
    try {
      const initial = randomBytes(rng(3), SIZE);
      const path = dir.file('damaged.bin', initial);
      await crashChild({ path, journalDir: dir.join('journal'), scenario: 'grow-small', pauseAt: 'block-written:1' });
      const jpath = journalPathFor(dir.join('journal'), statSync(path));
      const bytes = readFileSync(jpath);
      bytes[40] ^= 0xff; // inside the header
      writeFileSync(jpath, bytes);
      await assert.rejects(findJournal(dir.join('journal'), path), (e: unknown) => e instanceof DamagedJournalError && /checksum/.test((e as Error).message));
      const aside = await moveJournalAside(jpath);
      assert.deepEqual(readFileSync(aside), bytes, 'kept byte for byte');
      assert.equal(await findJournal(dir.join('journal'), path), undefined);
    } finally {
      dir.cleanup();
    }
  });

  test('a third-party change since the crash is found before anything is written', async () => {
    const dir = new TempDir();
    try {
      const initial = randomBytes(rng(4), SIZE);
      const path = dir.file('third.bin', initial);
      await crashChild({ path, journalDir: dir.join('journal'), scenario: 'overwrite', pauseAt: 'run-written:1' });
      // Another program writes a byte inside one of the save's runs.
      const fd = (await import('node:fs')).openSync(path, 'r+');
      (await import('node:fs')).writeSync(fd, Uint8Array.of(0xaa ^ initial[5001]), 0, 1, 5001);
      (await import('node:fs')).closeSync(fd);
      const found = (await findJournal(dir.join('journal'), path))!;
      const facts = await examineJournal(found, path);
      assert.match(facts.thirdPartyChange ?? '', /offset 5001 .*another program/);
      await found.close();
    } finally {
      dir.cleanup();
    }
  });

  test('a journal for a file replaced since is found by its real path and refused', async () => {
    const dir = new TempDir();
    try {
      const initial = randomBytes(rng(6), SIZE);
      const path = dir.file('swap.bin', initial);
      await crashChild({ path, journalDir: dir.join('journal'), scenario: 'overwrite', pauseAt: 'run-written:0' });
      const replacement = randomBytes(rng(7), SIZE);
      writeFileSync(dir.join('new.bin'), replacement);
      renameSync(dir.join('new.bin'), path);
      const found = await findJournal(dir.join('journal'), path);
      assert.ok(found, 'found through the real path although the inode changed');
      assert.match((await examineJournal(found, path)).blocker ?? '', /replaced by a different file/);
      const source = await openByteSource(path);
      await assert.rejects(applyRecovery(source, found, 'restore'), /Cannot recover .*replaced/);
      source.close();
      await found.close();
      assert.deepEqual(new Uint8Array(readFileSync(path)), replacement, 'nothing written');
    } finally {
      dir.cleanup();
    }
  });

  // The engine does not sync an overwrite save's disarm: a crash after the file is durable can
  // leave the journal armed over a file that already holds every new byte. That is recovered
  // without a question; a save cut short before all its bytes were written still asks.
  test('an armed journal over a file that holds every new byte is finished silently; a partial one is asked about', async () => {
    const dir = new TempDir();
    try {
      for (const pauseAt of ['flushed', 'rechecked', 'run-written:0']) {
        const initial = randomBytes(rng(pauseAt.length), SIZE);
        const path = dir.file(`silent-${pauseAt.replace(':', '')}.bin`, initial);
        const journalDir = dir.join('journal');
        assert.equal(await crashChild({ path, journalDir, scenario: 'overwrite', pauseAt }), 'killed');
        const asked: string[] = [];
        const ui: RecoveryUi = {
          ask: async () => { asked.push('ask'); return 'finish'; },
          blocked: async () => { asked.push('blocked'); return 'keep'; },
          info: () => undefined,
          error: (m) => asked.push(`error: ${m}`),
        };
        const reason = await recoverInterruptedSave(path, journalDir, ui, undefined, () => undefined);
        assert.equal(reason, undefined);
        assert.deepEqual(asked, pauseAt === 'run-written:0' ? ['ask'] : [], `${pauseAt}: questions asked`);
        assert.equal(await findJournal(journalDir, path), undefined, `${pauseAt}: journal disarmed`);
        assert.deepEqual(new Uint8Array(readFileSync(path)), new Uint8Array(readFileSync(`${path}.expected`)), `${pauseAt}: the new file`);
      }
    } finally {
      dir.cleanup();
    }
  });
}
