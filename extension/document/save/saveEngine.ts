/**
 * One save of one snapshot, in place. Never a rename: the inode, the
 * permissions, the ownership and the hard links stay. Each step is durable
 * before the next:
 *
 *   1. check: the file is the version the document last saw (identity, size);
 *      plan the writes; check free space;
 *   2. the old bytes of the small runs are read once (for the journal, the
 *      checks and the model), and the model keeps copies of the old bytes it
 *      still needs (preserveBeforeSave);
 *   3. the journal (old and new bytes of every overwrite run, the shift's new
 *      pieces), streamed and fdatasynced once;
 *   4. the overwrite runs, sorted and coalesced, each checked first against
 *      the journaled old bytes (a change by another program is a conflict);
 *   5. the shift, when the size or layout changed (shift.ts): extend first,
 *      move block by block with a durable progress mark, truncate last;
 *   6. one flush; then the written bytes and the identity are checked again;
 *   7. disarm the journal; tell the model where every old byte now is.
 *
 * Syncs of an overwrite-only save of small runs: two, the fewest durability allows.
 *   - the journal record, armed, checksummed, in one write and one fdatasync
 *     (journal.ts, writeMain): a crash that tears it leaves a record that fails
 *     its checksum, and the file is not touched before that fdatasync returns.
 *     The journal file is reused per identity, so its directory is fsynced
 *     only when it is first created. (A record larger than the journal's
 *     staging buffer is armed by a second write and fdatasync.)
 *   - the file's fdatasync, before the recheck: the save is durable here.
 *   - no sync for the disarm: a crash that loses it leaves an armed journal over
 *     a file holding every new byte, which recovery finishes silently.
 * A size-changing save adds one sync per shift block (its progress mark) and
 * keeps the synced disarm.
 *
 * A failure or a Cancel before 7 rolls every written byte back from the
 * journal and leaves the edits unsaved. Copies, writes and hashing run in
 * chunks on the libuv pool, so the event loop is never held for long.
 */
import { promises as fsp } from 'node:fs';
import { dirname } from 'node:path';
import { HexmapError, MAX_READ, type ByteSource } from '../../engine/byteSource';
import { CHUNK, openFileWriter, type FileWriter, type WritePathKind } from '../../engine/fileWriter';
import type { DiskRemap, KnownOldBytes, Snapshot, SnapshotSource } from '../snapshot';
import { describeDifference, sameFile, sameVersion, statIdentity, type FileIdentity } from './fileIdentity';
import { JournalWriter, type JournalPiece } from './journal';
import type { SaveFaults } from './saveFaults';
import { planSave, remapOf, SHIFT_BLOCK, type OverwriteRun, type SavePlan } from './savePlan';
import { Shift, ShiftCancelled } from './shift';

/** The model, and (when it has one) the call that tells it a save it prepared for will not complete. */
export type SaveModel = SnapshotSource & { saveAbandoned?(snapshot: Snapshot): void };

export interface SaveRequest {
  source: ByteSource;
  model: SaveModel;
  snapshot: Snapshot;
  journalDir: string;
  /** The file version the document last agreed with; another one on disk is a conflict. */
  expected?: FileIdentity;
  writePath?: WritePathKind;
  blockSize?: number;
  faults?: SaveFaults;
  signal?: AbortSignal;
  /** Bytes written so far out of the total (for a progress notification). */
  onProgress?(done: number, total: number): void;
}

export interface SaveOutcome {
  identity: FileIdentity;
  remap: DiskRemap;
  plan: SavePlan;
  warning?: string;
}

export async function saveSnapshot(req: SaveRequest): Promise<SaveOutcome> {
  const { source, snapshot } = req;
  const name = source.path;
  const at = req.faults?.at ?? (() => undefined);
  if (!source.writable) throw new HexmapError(`Cannot save ${name}: the file is open read-only.`, 'ERR_HEXMAP_READ_ONLY', name);
  cancelPoint(req.signal);

  // 1. The file must be the version the document knows. A save that writes nothing only looks;
  // any other opens the file first and takes the identity from the open descriptor: that is
  // the file the writes will reach (the path is looked at again after them).
  const plan = planSave(snapshot, req.blockSize ?? SHIFT_BLOCK);
  if (plan.runs.length === 0 && plan.blocks.length === 0 && plan.newSize === plan.oldSize) {
    const current = await statIdentity(name).catch((e) => {
      throw failure(`Cannot save ${name}: ${errorText(e)}`, e, name);
    });
    checkVersion(req, current, snapshot);
    const remap = remapOf(plan);
    req.model.savedAs(snapshot, remap);
    return { identity: current, remap, plan };
  }
  const file = await openFileWriter(source, req.writePath).catch((e) => {
    throw e instanceof HexmapError && e.code.startsWith('ERR_HEXMAP_') ? e : failure(`Cannot save ${name}: ${errorText(e)}`, e, name);
  });
  let prepared = false;
  try {
    const before: FileIdentity = { path: name, ...file.opened };
    checkVersion(req, before, snapshot);
    await checkFreeSpace(name, req.journalDir, plan);
    await at('checked');

    // 2. The old bytes of the small runs are read once, here: the journal, the
    // conflict check and the model's preservation all use these copies.
    cancelPoint(req.signal);
    const small = await gatherSmallRuns(plan, file);
    // 3. The model keeps what it still needs of the bytes about to go.
    cancelPoint(req.signal);
    await req.model.preserveBeforeSave(snapshot, knownOldBytes(plan, small, file));
    prepared = true;
    await at('preserved');
    cancelPoint(req.signal);
    return await writeSnapshot(req, plan, before, file, small);
  } catch (e) {
    // The model prepared for this save (preserved bytes, maybe steered revert to it): it will not complete.
    if (prepared) req.model.saveAbandoned?.(snapshot);
    throw e;
  } finally {
    await file.close().catch(() => undefined);
  }
}

/** The file on disk must be the version the document last agreed with, at the size its snapshot was made from. */
function checkVersion(req: SaveRequest, current: FileIdentity, snapshot: Snapshot): void {
  const name = req.source.path;
  if (req.expected && !sameVersion(req.expected, current)) {
    throw new HexmapError(`Not saved: ${name} changed on disk since Hexmap loaded it (${describeDifference(req.expected, current)}).`, 'ERR_HEXMAP_CONFLICT', name);
  }
  if (current.size !== snapshot.diskSize) {
    throw new HexmapError(`Not saved: ${name} is ${current.size} bytes on disk, but the document was made from ${snapshot.diskSize} bytes. Another program changed it.`, 'ERR_HEXMAP_CONFLICT', name);
  }
}

async function writeSnapshot(req: SaveRequest, plan: SavePlan, before: FileIdentity, file: FileWriter, small: SmallRuns): Promise<SaveOutcome> {
  const { source } = req;
  const name = source.path;
  const at = req.faults?.at ?? (() => undefined);
  let journal: JournalWriter | undefined;
  try {
    // 3. The journal.
    const realPath = await realPathOf(name, before);
    const layout = journalLayout(plan);
    let stillOld: Promise<number | undefined> = Promise.resolve(undefined);
    try {
      await at('journal');
      journal = await JournalWriter.open(req.journalDir, before);
      await journal.writeMain(
        { identity: before, realPath, createdAt: new Date().toISOString(), oldSize: plan.oldSize, newSize: plan.newSize, shiftStart: plan.shiftStart, blockSize: req.blockSize ?? SHIFT_BLOCK, runs: layout.runs, pieces: layout.pieces, blocks: plan.blocks },
        layout.payloadLength, journalPayload(plan, file, small),
      );
      const committing = journal.commit();
      // While the journal's fdatasync runs on the pool, this thread checks that the small runs
      // still hold the old bytes just journaled (page-cache reads): off the save's critical path.
      stillOld = firstSmallRunNotHolding(plan, small, small.old, file);
      stillOld.catch(() => undefined); // awaited (and reported) once the journal is durable
      await committing;
    } catch (e) {
      await journal?.close();
      throw failure(`Not saved: could not write the save journal to ${req.journalDir} (${errorText(e)}). The file was not touched; your edits are still unsaved.`, e, name);
    }
    for (let i = 0; i < layout.oldAt.length; i++) {
      layout.oldAt[i] += journal.payloadAt;
      layout.newAt[i] += journal.payloadAt;
    }
    return await writeAndFinish(req, plan, file, journal, layout, small, before, stillOld);
  } finally {
    await journal?.close();
  }
}

async function writeAndFinish(
  req: SaveRequest, plan: SavePlan, file: FileWriter, journal: JournalWriter, layout: JournalLayout, small: SmallRuns, before: FileIdentity,
  stillOld: Promise<number | undefined>,
): Promise<SaveOutcome> {
  const name = req.source.path;
  const at = req.faults?.at ?? (() => undefined);
  const total = plan.runs.reduce((n, r) => n + r.length, 0) + plan.moveBytes;
  let done = 0;
  let runsTouched = 0;
  let shift: Shift | undefined;
  let moving = false;
  const shrinking = plan.newSize < plan.oldSize;
  let stillNew: Promise<number | undefined> | undefined;
  const scratch = new Scratch();
  const remap = remapOf(plan);
  let prepared: { commit(): void } | undefined;
  try {
    await at('journal-armed');
    // 4. Overwrite runs, each checked against the old bytes the journal holds
    // (the small ones were, while the journal was being synced).
    const changedAt = await stillOld;
    if (changedAt !== undefined) throw changedDuringSave(name, changedAt);
    cancelPoint(req.signal);
    const written = (i: number): void | Promise<void> => {
      done += plan.runs[i].length;
      req.onProgress?.(done, total);
      return req.faults?.at?.('run-written', i);
    };
    const writeLarge = async (i: number): Promise<void> => {
      const run = plan.runs[i];
      if (!(await sameAsJournal(file, journal, run.offset, layout.oldAt[i], run.length, scratch))) throw changedDuringSave(name, run.offset);
      runsTouched = i + 1;
      for (let o = 0; o < run.length; o += CHUNK) {
        const n = Math.min(CHUNK, run.length - o);
        await file.write(run.offset + o, await journal.readBack(layout.newAt[i] + o, n, scratch.a));
      }
      await written(i);
    };
    await sliced(plan.runs.length, (i) => {
      const newBytes = small.new[i];
      if (!newBytes || !file.small) return writeLarge(i);
      // Small run: a synchronous page-cache write, no promise per run (sliced: see `sliced`).
      runsTouched = i + 1;
      file.small.write(plan.runs[i].offset, newBytes);
      return written(i);
    });

    // 5. The shift.
    if (plan.blocks.length > 0 || plan.newSize !== plan.oldSize) {
      shift = new Shift(plan, file, {
        step: (step, payload) => journal.step(step, payload),
        read: (o, n) => journal.readBack(o, n),
      }, async (piece, skip, length) => piece.bytes!.subarray(skip, skip + length), req.faults, readAheadOf(req.source));
      if (plan.newSize > plan.oldSize) {
        await file.setSize(plan.newSize);
        await at('extended');
      }
      const reader = shift;
      req.model.beginMove({ read: (o, n) => reader.readOld(o, n) });
      moving = true;
      await shift.run(0, () => req.signal?.aborted === true, (moved) => req.onProgress?.(done + moved, total));
      // Only a shrink needs this mark: it tells a recovery that a file of the new size was cut
      // by this save, not by another program. After a grow, a recovery simply redoes the last block.
      if (shrinking) await journal.step({ type: 'moved' });
      await at('moved');
      if (shrinking) {
        await file.setSize(plan.newSize);
        await at('truncated');
      }
    }

    // 6. Durable (the last block's fdatasync already covers every write of a grow), then checked again.
    if (!(plan.blocks.length > 0 && !shrinking)) {
      const syncing = file.sync();
      // The small runs are read back while the fdatasync runs (see stillOld above); the identity,
      // the size and the large runs are checked once it is done.
      stillNew = firstSmallRunNotHolding(plan, small, small.new, file);
      stillNew.catch(() => undefined);
      // While the disk works, the model computes its rebase too (committed once the save is checked).
      try {
        prepared = req.model.prepareSavedAs?.(req.snapshot, remap);
      } catch {
        prepared = undefined; // savedAs below reports it
      }
      await syncing;
    }
    await at('flushed');
  } catch (e) {
    const error = await rollBack(req, plan, file, journal, layout, shift, runsTouched, e);
    if (moving) req.model.endMove();
    throw error;
  }
  // Until savedAs the model's disk pieces name old offsets, so it keeps reading them through
  // the shift (the old bytes wherever they are now); savedAs ends the move as it rebases.
  try {
    // The mapped source re-stats on the addon's own thread, while the recheck's stat uses the pool.
    const refreshing = req.source.kind === 'mapped' ? req.source.refresh().catch(() => undefined) : undefined;
    const { conflict, identity } = await recheck(req, plan, file, journal, layout, small, before, stillNew);
    await at('rechecked');

    // 7. Complete. An overwrite-only save's disarm needs no fdatasync: if the
    // machine dies before the disarm is on disk, the journal is found armed on
    // the next open while the file (durable since step 6) holds every new byte;
    // recovery sees exactly that (RecoveryFacts.alreadyFinished) and finishes
    // silently, a no-op for the content. A size-changing save keeps the synced
    // disarm: telling a finished shift from an interrupted one is not that simple.
    let warning: string | undefined;
    try {
      await journal.disarm({ durable: plan.blocks.length > 0 || plan.newSize !== plan.oldSize });
      await at('disarmed');
    } catch (e) {
      warning = `Saved ${name}, but the save journal ${journal.path} could not be closed (${errorText(e)}); Hexmap will ask about it when the file is opened again.`;
    }
    await (refreshing ?? req.source.refresh().catch(() => undefined));
    if (conflict || !identity) throw new HexmapError(`${conflict} Your edits were written, but the file also holds the other program's changes; Hexmap keeps your edits unsaved until you decide.`, 'ERR_HEXMAP_CHANGED_DURING_SAVE', name);
    if (prepared) prepared.commit();
    else req.model.savedAs(req.snapshot, remap);
    return { identity, remap, plan, warning };
  } finally {
    if (moving) req.model.endMove();
  }
}

/**
 * After the writes: the same file, the new size, and every run holds exactly
 * what was written. `smallChecked`: the small runs' check, when it already
 * ran (during the file's fdatasync). The identity it stats is the saved
 * file's (every write and sync of the save is done; the disarm touches only
 * the journal), so the document takes it as the version it now agrees with.
 */
async function recheck(
  req: SaveRequest, plan: SavePlan, file: FileWriter, journal: JournalWriter, layout: JournalLayout, small: SmallRuns, before: FileIdentity,
  smallChecked: Promise<number | undefined> | undefined,
): Promise<{ conflict?: string; identity?: FileIdentity }> {
  const name = req.source.path;
  const now = await statIdentity(name).catch(() => undefined);
  if (!now || !sameFile(before, now)) return { conflict: `${name} was replaced or removed by another program during the save.` };
  if (now.size !== plan.newSize) return { conflict: `${name} changed size during the save (now ${now.size} bytes, expected ${plan.newSize}).` };
  let changedAt = await (smallChecked ?? firstSmallRunNotHolding(plan, small, small.new, file));
  const scratch = new Scratch();
  for (let i = 0; i < plan.runs.length && changedAt === undefined; i++) {
    const run = plan.runs[i];
    if (small.new[i] && file.small) continue;
    if (!(await sameAsJournal(file, journal, run.offset, layout.newAt[i], run.length, scratch))) changedAt = run.offset;
  }
  return changedAt === undefined ? { identity: now } : { conflict: `Another program wrote to ${name} at offset ${changedAt} during the save.` };
}

/**
 * The offset of the first small run whose current bytes are not `expected[i]`
 * (undefined: every one holds them). Synchronous page-cache reads on this
 * thread, in short slices; it uses no pool thread, so it can run while an
 * fdatasync does.
 */
async function firstSmallRunNotHolding(plan: SavePlan, small: SmallRuns, expected: (Uint8Array | undefined)[], file: FileWriter): Promise<number | undefined> {
  if (!file.small) return undefined;
  let changedAt: number | undefined;
  const current = nearbyReads(plan, small, file);
  await sliced(plan.runs.length, (i) => {
    const bytes = expected[i];
    if (changedAt !== undefined || !bytes || !small.new[i]) return;
    if (Buffer.compare(current(i), bytes) !== 0) changedAt = plan.runs[i].offset;
  });
  return changedAt;
}

function changedDuringSave(name: string, offset: number): HexmapError {
  return new HexmapError(`Not saved: another program changed ${name} at offset ${offset} during the save.`, 'ERR_HEXMAP_CHANGED_DURING_SAVE', name);
}

/**
 * Put back every byte written, from the journal, then disarm it. Returns the
 * error to throw: it says whether the file is intact or must be recovered.
 */
async function rollBack(req: SaveRequest, plan: SavePlan, file: FileWriter, journal: JournalWriter, layout: JournalLayout, shift: Shift | undefined, runsTouched: number, cause: unknown): Promise<Error> {
  const name = req.source.path;
  const cancelled = cause instanceof ShiftCancelled || isCancel(cause);
  try {
    if (shift) await shift.rollBack();
    if (file.size !== plan.oldSize) await file.setSize(plan.oldSize);
    for (let i = runsTouched - 1; i >= 0; i--) {
      await req.faults?.at?.('rollback-write', i);
      const run = plan.runs[i];
      for (let o = 0; o < run.length; o += CHUNK) {
        const oldBytes = await journal.readBack(layout.oldAt[i] + o, Math.min(CHUNK, run.length - o));
        try {
          await file.write(run.offset + o, oldBytes);
        } catch (e) {
          // A write that failed (e.g. ENOSPC in a sparse hole) may never have changed these bytes: then they are restored.
          const now = await file.read(run.offset + o, oldBytes.length).catch(() => undefined);
          if (!now || Buffer.compare(now, oldBytes) !== 0) throw e;
        }
      }
    }
    await file.sync();
    await journal.disarm();
  } catch (rollbackError) {
    return failure(
      `Saving ${name} failed (${errorText(cause)}) and the original bytes could not be written back (${errorText(rollbackError)}). ` +
        `The journal ${journal.path} keeps them: reopen the file in Hexmap to restore it. Your edits are still unsaved.`,
      cause, name,
    );
  }
  if (cancelled) return new HexmapError(`Save of ${name} cancelled: the file was put back as it was; your edits are still unsaved.`, 'ERR_HEXMAP_CANCELLED', name);
  if (cause instanceof HexmapError && cause.code === 'ERR_HEXMAP_CHANGED_DURING_SAVE') return cause;
  return failure(`Not saved: ${errorText(cause)}. The file was put back as it was; your edits are still unsaved.`, cause, name);
}

interface JournalLayout {
  runs: { offset: number; length: number }[];
  pieces: JournalPiece[];
  payloadLength: number;
  /** Journal offsets (absolute, known once the header is written) of each run's old and new bytes. */
  oldAt: number[];
  newAt: number[];
}

function journalLayout(plan: SavePlan): JournalLayout {
  const runs = plan.runs.map((r) => ({ offset: r.offset, length: r.length }));
  const pieces: JournalPiece[] = plan.placed
    .filter((p) => p.at + p.length > plan.shiftStart)
    .map((p) => (p.disk !== undefined ? { kind: 'disk', offset: p.disk, length: p.length } : { kind: 'bytes', length: p.length }));
  let rel = 0;
  const oldAt: number[] = [];
  const newAt: number[] = [];
  for (const r of runs) {
    oldAt.push(rel);
    newAt.push(rel + r.length);
    rel += 2 * r.length;
  }
  for (const p of pieces) if (p.kind === 'bytes') rel += p.length;
  return { runs, pieces, payloadLength: rel, oldAt, newAt };
}

/**
 * Small runs keep their old and new bytes in memory (up to a budget), so the
 * checks and writes of 10,000 one-byte runs are plain page-cache copies, not
 * journal reads. Larger runs are read back from the journal, chunk by chunk.
 */
interface SmallRuns {
  old: (Uint8Array | undefined)[];
  new: (Uint8Array | undefined)[];
}

const SMALL_RUN = 64 << 10;
const SMALL_BUDGET = 64 << 20;
/** Longest synchronous stretch of small reads and writes before the event loop gets a turn. */
const SLICE_MS = 2;

/** Runs `step(i)` for i in [0, n), synchronously in slices of at most SLICE_MS, yielding between slices. */
async function sliced(n: number, step: (i: number) => void | Promise<void>): Promise<void> {
  let start = performance.now();
  for (let i = 0; i < n; i++) {
    const r = step(i);
    if (r) await r;
    if (performance.now() - start > SLICE_MS) {
      await new Promise((resolve) => setImmediate(resolve));
      start = performance.now();
    }
  }
}

/**
 * Reads the old bytes of every small run (synchronous page-cache copies, in
 * short slices) and composes its new bytes. Runs are sorted by offset, so
 * the reads go forward through the file.
 */
async function gatherSmallRuns(plan: SavePlan, file: FileWriter): Promise<SmallRuns> {
  const small: SmallRuns = { old: [], new: [] };
  const io = file.small;
  if (!io) return small;
  let budget = SMALL_BUDGET;
  let newBytes = 0;
  for (let i = 0; i < plan.runs.length; i++) {
    const run = plan.runs[i];
    if (run.length > SMALL_RUN || budget < 2 * run.length) continue;
    budget -= 2 * run.length;
    newBytes += run.length;
    small.old[i] = EMPTY; // marks the run small; its bytes follow
  }
  // New bytes live only as long as the save: one allocation for all of them.
  const arena = new Uint8Array(newBytes);
  let used = 0;
  // Old bytes go into blocks of OLD_BLOCK: the model may keep them (preserved bytes), and a
  // kept run must not hold a whole read span alive; but 10,000 one-byte runs must not cost
  // 10,000 buffers either (each is a separate allocation the garbage collector tracks).
  let oldBlock = EMPTY;
  let oldUsed = 0;
  const current = nearbyReads(plan, small, file);
  await sliced(plan.runs.length, (i) => {
    const run = plan.runs[i];
    if (!small.old[i]) return;
    let old: Uint8Array;
    if (run.length > OLD_BLOCK / 4) old = current(i).slice();
    else {
      if (oldUsed + run.length > oldBlock.length) {
        oldBlock = new Uint8Array(OLD_BLOCK);
        oldUsed = 0;
      }
      old = oldBlock.subarray(oldUsed, (oldUsed += run.length));
      old.set(current(i));
    }
    const bytes = arena.subarray(used, (used += run.length));
    if (run.parts.some((p) => !p.bytes)) bytes.set(old);
    for (const p of run.parts) if (p.bytes) bytes.set(p.bytes, p.at - run.offset);
    small.old[i] = old;
    small.new[i] = bytes;
  });
  return small;
}

const EMPTY = new Uint8Array(0);
/** Old bytes of small runs are copied into blocks of this size. */
const OLD_BLOCK = 64 << 10;
/** Small runs closer than this share one read: copying the gap costs less than another system call. */
const NEARBY_GAP = 4 << 10;
/** Longest span one shared read covers. */
const NEARBY_SPAN = 1 << 20;

/**
 * The file's current bytes of small run i, for i visited in increasing
 * order: small runs near each other are read with one synchronous read of
 * the span that covers them (10,000 scattered one-byte runs in a small file
 * are fewer reads). Returns views of that span, valid until the next call
 * moves past it: every span is read into one reused buffer, so a pass over
 * many runs allocates nothing.
 */
function nearbyReads(plan: SavePlan, small: SmallRuns, file: FileWriter): (i: number) => Uint8Array {
  const runs = plan.runs;
  let first = -1;
  let last = -1;
  let span: Uint8Array = EMPTY;
  let spanStart = 0;
  let scratch: Uint8Array | undefined;
  return (i) => {
    if (i < first || i > last) {
      let end = runs[i].offset + runs[i].length;
      let j = i;
      while (j + 1 < runs.length && small.old[j + 1] && runs[j + 1].offset - end <= NEARBY_GAP && runs[j + 1].offset + runs[j + 1].length - runs[i].offset <= NEARBY_SPAN) {
        j++;
        end = runs[j].offset + runs[j].length;
      }
      first = i;
      last = j;
      spanStart = runs[i].offset;
      // Grown to the largest span seen: a one-byte save must not zero a whole megabyte.
      if (!scratch || scratch.length < end - spanStart) scratch = new Uint8Array(end - spanStart);
      span = file.small!.read(spanStart, end - spanStart, scratch);
    }
    const run = runs[i];
    return span.subarray(run.offset - spanStart, run.offset - spanStart + run.length);
  };
}

/** The small runs' old bytes, looked up by offset (binary search over the sorted runs); the rest read through the writer. */
function knownOldBytes(plan: SavePlan, small: SmallRuns, file: FileWriter): KnownOldBytes {
  return {
    read: (offset, length, into) => file.read(offset, length, into),
    get(offset, length) {
      const runs = plan.runs;
      let lo = 0;
      let hi = runs.length;
      while (lo < hi) {
        const mid = (lo + hi) >>> 1;
        if (runs[mid].offset + runs[mid].length > offset) hi = mid;
        else lo = mid + 1;
      }
      const run = runs[lo];
      const old = small.old[lo];
      if (!run || !old || offset < run.offset || offset + length > run.offset + run.length) return undefined;
      if (offset === run.offset && length === run.length) return old;
      return old.subarray(offset - run.offset, offset - run.offset + length);
    },
  };
}

/** The journal payload as a stream: each run's old bytes (read from the file) and new bytes, then the shift's new bytes. */
async function* journalPayload(plan: SavePlan, file: FileWriter, small: SmallRuns): AsyncGenerator<Uint8Array> {
  const scratch = new Scratch();
  // Small runs' bytes (gathered already) are handed on together (one chunk per ~1 MiB, not two per run).
  let batch: Uint8Array[] = [];
  let batched = 0;
  const takeBatch = () => {
    const out = Buffer.concat(batch, batched);
    batch = [];
    batched = 0;
    return out;
  };
  for (let i = 0; i < plan.runs.length; i++) {
    const run = plan.runs[i];
    const old = small.old[i];
    const bytes = small.new[i];
    if (old && bytes) {
      batch.push(old, bytes);
      batched += 2 * run.length;
      if (batched >= 1 << 20) yield takeBatch();
      continue;
    }
    if (batched) yield takeBatch();
    // One buffer for every chunk: the journal hashes and writes (or stages) each chunk before it asks for the next.
    for (let o = 0; o < run.length; o += CHUNK) yield await file.read(run.offset + o, Math.min(CHUNK, run.length - o), scratch.a);
    for (let o = 0; o < run.length; o += CHUNK) yield await composeRun(run, o, Math.min(CHUNK, run.length - o), file, scratch.a);
  }
  if (batched) yield takeBatch();
  for (const p of plan.placed) {
    if (p.at + p.length <= plan.shiftStart || !p.bytes) continue;
    for (let o = 0; o < p.length; o += CHUNK) yield p.bytes.subarray(o, Math.min(p.length, o + CHUNK));
  }
}

/** New bytes of run [offset + o, offset + o + n): edits over the current bytes of the gaps between them. */
async function composeRun(run: OverwriteRun, o: number, n: number, file: FileWriter, into: Uint8Array): Promise<Uint8Array> {
  const start = run.offset + o;
  const end = start + n;
  const hasGap = run.parts.some((p) => !p.bytes && p.at < end && p.at + p.length > start);
  // Without a gap every byte is set below, so the reused buffer's old content never shows.
  const out = hasGap ? await file.read(start, n, into) : into.subarray(0, n);
  for (const p of run.parts) {
    if (!p.bytes || p.at >= end || p.at + p.length <= start) continue;
    const s = Math.max(start, p.at);
    const e = Math.min(end, p.at + p.length);
    out.set(p.bytes.subarray(s - p.at, e - p.at), s - start);
  }
  return out;
}

/**
 * Two chunk buffers reused across a pass over large runs: 256 MiB of runs read
 * through fresh 4 MiB arrays would leave the garbage collector hundreds of
 * large buffers to find (its full collections show in the event loop).
 */
class Scratch {
  private bufA?: Uint8Array;
  private bufB?: Uint8Array;
  get a(): Uint8Array {
    return (this.bufA ??= new Uint8Array(CHUNK));
  }
  get b(): Uint8Array {
    return (this.bufB ??= new Uint8Array(CHUNK));
  }
}

/** Whether the file's [offset, offset + length) equals the journal's bytes at journalAt; one read at a time (one pool thread). */
async function sameAsJournal(file: FileWriter, journal: JournalWriter, offset: number, journalAt: number, length: number, scratch: Scratch): Promise<boolean> {
  for (let o = 0; o < length; o += CHUNK) {
    const n = Math.min(CHUNK, length - o);
    const a = await file.read(offset + o, n, scratch.a);
    const b = await journal.readBack(journalAt + o, n, scratch.b);
    if (Buffer.compare(a, b) !== 0) return false;
  }
  return true;
}

/**
 * The real path of the file (the journal records it, to find the journal of
 * a file that was replaced since). Remembered per path and inode: a save of
 * one byte would otherwise spend a system call on it every time.
 */
const realPaths = new Map<string, string>();
async function realPathOf(path: string, identity: FileIdentity): Promise<string> {
  const key = `${identity.dev}:${identity.ino}:${path}`;
  let real = realPaths.get(key);
  if (real === undefined) {
    real = await fsp.realpath(path).catch(() => path);
    if (realPaths.size > 256) realPaths.clear();
    realPaths.set(key, real);
  }
  return real;
}

/**
 * Reads for the shift's read-ahead, when the source reads on a thread of its own (the mapping's
 * worker): a file-backend read would take a second libuv pool thread.
 */
function readAheadOf(source: ByteSource): ((offset: number, length: number) => Promise<Uint8Array>) | undefined {
  if (source.kind !== 'mapped') return undefined;
  return async (offset, length) => {
    const out = new Uint8Array(length);
    for (let at = 0; at < length; at += MAX_READ) out.set(await source.read(offset + at, Math.min(MAX_READ, length - at)), at);
    return out;
  };
}

/** Journals smaller than this skip the free-space check. */
const JOURNAL_STATFS_BYTES = 16 << 20;

/** Refuse before touching anything when the file system cannot hold the result or the journal. */
async function checkFreeSpace(path: string, journalDir: string, plan: SavePlan): Promise<void> {
  const grow = Math.max(0, plan.newSize - plan.oldSize);
  const journalBytes = plan.runs.reduce((n, r) => n + 2 * r.length, 0) + plan.placed.reduce((n, p) => n + (p.bytes && p.at >= plan.shiftStart ? p.length : 0), 0);
  const free = async (dir: string) => {
    try {
      const st = await fsp.statfs(dir);
      return st.bavail * st.bsize;
    } catch {
      return Infinity; // unknown: the writes themselves will report ENOSPC and roll back
    }
  };
  // A save that does not grow the file needs no space on its disk (its statfs would cost a save of one byte a tenth of its time).
  const fileFree = grow > 0 ? await free(dirname(path)) : Infinity;
  if (fileFree < grow) {
    throw new HexmapError(`Not saved: the save needs ${grow} more bytes on the disk of ${path}, and only ${fileFree} are free. Free some space or use Save As to another disk.`, 'ENOSPC', path);
  }
  // A small journal is not worth a statfs either: a full disk fails its write, before the file is touched.
  if (journalBytes < JOURNAL_STATFS_BYTES) return;
  await fsp.mkdir(journalDir, { recursive: true }).catch(() => undefined);
  const journalFree = await free(journalDir);
  if (journalFree < journalBytes + (plan.blocks.length ? Math.min(plan.moveBytes, SHIFT_BLOCK) : 0)) {
    throw new HexmapError(`Not saved: the save journal needs about ${journalBytes} bytes in ${journalDir}, and only ${journalFree} are free.`, 'ENOSPC', path);
  }
}

function cancelPoint(signal: AbortSignal | undefined): void {
  if (signal?.aborted) throw new HexmapError('The save was cancelled before it changed the file; your edits are still unsaved.', 'ERR_HEXMAP_CANCELLED');
}

function isCancel(e: unknown): boolean {
  return e instanceof HexmapError && e.code === 'ERR_HEXMAP_CANCELLED';
}

function errorText(e: unknown): string {
  return e instanceof Error ? e.message : String(e);
}

/** A HexmapError with the cause's errno code (ENOSPC, EIO, ...) when it has one. */
function failure(message: string, cause: unknown, path: string): HexmapError {
  const code = (cause as { code?: unknown })?.code;
  const error = new HexmapError(message, typeof code === 'string' ? code : 'ERR_HEXMAP_SAVE_FAILED', path);
  (error as { cause?: unknown }).cause = cause;
  return error;
}
