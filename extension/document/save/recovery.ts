/**
 * Recovery of an interrupted save from its journal: put the file back
 * exactly as it was ('restore'), or finish the save exactly ('finish').
 * Neither is chosen silently (recoveryDialogs.ts asks). Both are idempotent,
 * so a crash during a recovery is recovered by running it again.
 *
 * Before anything is written, the file's current bytes are compared with
 * the journal: every byte of every overwrite run must be its old or its new
 * value. Anything else means another program changed the file since the
 * crash, and the user is told so before deciding.
 */
import { promises as fsp } from 'node:fs';
import { HexmapError, type ByteSource } from '../../engine/byteSource';
import { CHUNK, openFileWriter, type FileWriter } from '../../engine/fileWriter';
import { sameFile, statIdentity } from './fileIdentity';
import { disarmJournalFile, JournalWriter, type FoundJournal, type JournalStep } from './journal';
import type { SaveFaults } from './saveFaults';
import type { PlacedPiece } from './savePlan';
import { Shift, type ShiftLayout } from './shift';

export type RecoveryChoice = 'restore' | 'finish';

export interface RecoveryFacts {
  /** A reason the journal does not describe this file any more (replaced, wrong size): nothing may be applied. */
  blocker?: string;
  /** Another program changed bytes the save touched since the crash: ask before applying anything. */
  thirdPartyChange?: string;
  canRestore: boolean;
  canFinish: boolean;
  /**
   * The save had already written everything (an overwrite-only save whose
   * file holds every new byte): only its disarm was not durable yet. Finishing
   * is then a no-op for the content, so there is nothing to ask.
   */
  alreadyFinished: boolean;
  /** Bytes of overwrite runs and bytes the shift moves, for the message. */
  changedBytes: number;
  movedBytes: number;
}

export async function examineJournal(found: FoundJournal, filePath: string): Promise<RecoveryFacts> {
  const h = found.header;
  const changedBytes = h.runs.reduce((n, r) => n + r.length, 0);
  const movedBytes = h.blocks.reduce((n, b) => n + b.end - b.start, 0);
  const none = { canRestore: false, canFinish: false, alreadyFinished: false, changedBytes, movedBytes };
  let now;
  try {
    now = await statIdentity(filePath);
  } catch (e) {
    return { ...none, blocker: `the file cannot be read (${(e as Error).message})` };
  }
  if (!sameFile(h.identity, now)) return { ...none, blocker: 'the file was replaced by a different file since the interrupted save' };
  const truncated = h.newSize < h.oldSize && now.size === h.newSize;
  const sizes = new Set([h.oldSize, h.newSize]);
  if (!sizes.has(now.size)) return { ...none, blocker: `the file is ${now.size} bytes now; the interrupted save went from ${h.oldSize} to ${h.newSize} bytes` };
  const hasShift = h.blocks.length > 0 || h.newSize !== h.oldSize;
  const moved = found.steps.some((s) => s.step.type === 'moved');
  if (truncated && !moved) return { ...none, blocker: 'the file was cut short by another program since the interrupted save' };

  // Every byte of every run must be its old or its new value.
  const handle = await fsp.open(filePath, 'r');
  let thirdPartyChange: string | undefined;
  let allNew = true;
  try {
    let rel = 0;
    for (const run of h.runs) {
      for (let o = 0; o < run.length && !thirdPartyChange; o += CHUNK) {
        const n = Math.min(CHUNK, run.length - o);
        const cur = new Uint8Array(n);
        await handle.read(cur, 0, n, run.offset + o);
        const oldBytes = await found.read(found.payloadAt + rel + o, n);
        const newBytes = await found.read(found.payloadAt + rel + run.length + o, n);
        for (let i = 0; i < n; i++) {
          if (cur[i] !== newBytes[i]) allNew = false;
          if (cur[i] !== oldBytes[i] && cur[i] !== newBytes[i]) {
            thirdPartyChange = `the byte at offset ${run.offset + o + i} is neither its value before nor after the interrupted save: another program changed the file since`;
            break;
          }
        }
      }
      rel += 2 * run.length;
    }
  } finally {
    await handle.close();
  }
  const alreadyFinished = !hasShift && !thirdPartyChange && allNew;
  return { thirdPartyChange, canRestore: !(hasShift && truncated), canFinish: true, alreadyFinished, changedBytes, movedBytes };
}

/** Apply the choice, flush, and disarm the journal. The caller closes `found` afterwards. */
export async function applyRecovery(source: ByteSource, found: FoundJournal, choice: RecoveryChoice, faults?: SaveFaults): Promise<void> {
  if (!source.writable) throw new HexmapError(`Cannot recover ${source.path}: the file is open read-only.`, 'ERR_HEXMAP_READ_ONLY', source.path);
  const facts = await examineJournal(found, source.path);
  if (facts.blocker) throw new HexmapError(`Cannot recover ${source.path}: ${facts.blocker}.`, 'ERR_HEXMAP_JOURNAL_MISMATCH', source.path);
  if (choice === 'restore' && !facts.canRestore) {
    throw new HexmapError(`Cannot restore ${source.path}: the interrupted save had already finished moving its bytes; it can only be finished.`, 'ERR_HEXMAP_JOURNAL_MISMATCH', source.path);
  }
  const h = found.header;
  await source.refresh().catch(() => undefined);
  const file = await openFileWriter(source, 'pwrite');
  try {
    const hasShift = h.blocks.length > 0 || h.newSize !== h.oldSize;
    if (choice === 'restore') {
      if (hasShift) {
        const { shift, journal } = await shiftFor(found, file, faults);
        await shift.rollBack().finally(() => journal.close());
        if (file.size !== h.oldSize) await file.setSize(h.oldSize);
      }
      await writeRuns(found, file, 'old');
    } else {
      await writeRuns(found, file, 'new');
      if (hasShift) await finishShift(found, file, faults);
    }
    await file.sync();
  } finally {
    await file.close();
  }
  await disarmJournalFile(found.path);
  await source.refresh().catch(() => undefined);
}

async function writeRuns(found: FoundJournal, file: FileWriter, which: 'old' | 'new'): Promise<void> {
  let rel = 0;
  for (const run of found.header.runs) {
    const base = found.payloadAt + rel + (which === 'new' ? run.length : 0);
    for (let o = 0; o < run.length; o += CHUNK) await file.write(run.offset + o, await found.read(base + o, Math.min(CHUNK, run.length - o)));
    rel += 2 * run.length;
  }
}

async function finishShift(found: FoundJournal, file: FileWriter, faults?: SaveFaults): Promise<void> {
  const h = found.header;
  if (found.steps.some((s) => s.step.type === 'moved')) {
    if (file.size !== h.newSize) await file.setSize(h.newSize);
    return;
  }
  if (h.newSize > h.oldSize && file.size !== h.newSize) await file.setSize(h.newSize);
  const { shift, journal, from } = await shiftFor(found, file, faults);
  try {
    await shift.run(from, () => false);
    await journal.step({ type: 'moved' });
  } finally {
    await journal.close();
  }
  if (h.newSize < h.oldSize) await file.setSize(h.newSize);
}

/** The interrupted shift, rebuilt from the journal: its layout, and the blocks it had logged. */
async function shiftFor(found: FoundJournal, file: FileWriter, faults?: SaveFaults): Promise<{ shift: Shift; journal: JournalWriter; from: number }> {
  const h = found.header;
  const placed: PlacedPiece[] = [];
  let at = h.shiftStart;
  let payload = found.payloadAt + h.runs.reduce((n, r) => n + 2 * r.length, 0);
  for (const p of h.pieces) {
    if (p.kind === 'disk') placed.push({ at, length: p.length, disk: p.offset });
    else {
      placed.push({ at, length: p.length, payloadAt: payload });
      payload += p.length;
    }
    at += p.length;
  }
  const layout: ShiftLayout = { oldSize: h.oldSize, newSize: h.newSize, shiftStart: h.shiftStart, placed, blocks: h.blocks };
  const journal = await JournalWriter.resume(found);
  const shift = new Shift(layout, file, { step: (s, pl) => journal.step(s, pl), read: (o, n) => found.read(o, n) },
    (piece, skip, length) => found.read(piece.payloadAt! + skip, length), faults);
  const logged = found.steps
    .map((s) => s.step)
    .filter((s): s is Extract<JournalStep, { type: 'block' }> => s.type === 'block');
  const stepPayloads = found.steps.filter((s) => s.step.type === 'block').map((s) => s.payloadAt);
  shift.adopt(logged.map((b, i) => ({
    index: b.index,
    saved: b.saved.map((r) => ({ ...r, at: r.at + stepPayloads[i] })),
    light: b.light && { delta: b.light.delta, at: b.light.at + stepPayloads[i] },
  })));
  const last = logged.length ? logged[logged.length - 1].index : 0;
  return { shift, journal, from: last };
}
