/**
 * Save by overwriting only the changed runs, through the ByteSource (the
 * mapping), then one flush (msync + fsync). Cost: O(changed bytes). Never a
 * rename: the inode, permissions, ownership and hard links stay.
 *
 * Order of operations, each step durable before the next:
 *   1. read the bytes about to be overwritten;
 *   2. write the journal (old + new bytes + the file's identity), fsync it and its directory;
 *   3. write the runs;
 *   4. flush the span that was written;
 *   5. disarm the journal.
 * A crash anywhere leaves either the untouched file (before 3) or a journal
 * from which the old content can be restored or the save finished (3-5).
 * A failure in 3-4 rolls the written runs back from the journal's old bytes.
 */
import { HexmapError, MAX_READ, type ByteSource } from '../../engine/byteSource';
import type { OverlayRun } from '../editOverlay';
import type { SavedRun } from '../hexDocumentModel';
import { describeDifference, sameVersion, statIdentity, type FileIdentity } from './fileIdentity';
import { armJournal, disarmJournal, type JournalRun } from './journal';
import type { SaveFaults } from './saveFaults';

export interface SaveInPlaceOptions {
  /** Where the journal goes (the extension's global storage). */
  journalDir: string;
  /** The file version the document last saw; a different one on disk means someone else changed it. */
  expected?: FileIdentity;
  faults?: SaveFaults;
}

export interface SaveInPlaceResult {
  runs: SavedRun[];
  /** The file's identity after the save (the next save's `expected`). */
  identity: FileIdentity;
  /** Set when the save succeeded but the journal could not be deleted (the user should know). */
  warning?: string;
}

export async function saveInPlace(source: ByteSource, runs: readonly OverlayRun[], options: SaveInPlaceOptions): Promise<SaveInPlaceResult> {
  const name = source.path;
  const faults = options.faults ?? {};
  if (!source.writable) throw new HexmapError(`Cannot save ${name}: the file is open read-only.`, 'ERR_HEXMAP_READ_ONLY', name);
  const before = await statIdentity(name).catch((e) => {
    throw failure(`Cannot save ${name}: ${errorText(e)}`, e, name);
  });
  if (options.expected && !sameVersion(options.expected, before)) {
    throw new HexmapError(
      `Not saved: ${name} changed on disk since it was loaded (${describeDifference(options.expected, before)}).`,
      'ERR_HEXMAP_CONFLICT', name,
    );
  }
  if (runs.length === 0) return { runs: [], identity: before };
  const size = await source.refresh();
  for (const run of runs) {
    if (run.offset + run.bytes.length > size) {
      throw new HexmapError(
        `Not saved: ${name} is now ${size} bytes, shorter than the edit at offset ${run.offset}. The file was truncated by another program.`,
        'ERR_HEXMAP_TRUNCATED', name,
      );
    }
  }

  // 1. The bytes about to be overwritten.
  const journalRuns: JournalRun[] = [];
  for (const run of runs) journalRuns.push({ offset: run.offset, old: await readRange(source, run.offset, run.bytes.length), bytes: run.bytes });

  // 2. The journal, durable before the file is touched.
  let journalPath: string;
  try {
    await faults.beforeJournal?.();
    journalPath = await armJournal(options.journalDir, { identity: before, createdAt: new Date().toISOString(), runs: journalRuns });
  } catch (e) {
    throw failure(
      `Not saved: could not write the save journal to ${options.journalDir} (${errorText(e)}). The file was not touched; your edits are still unsaved.`,
      e, name,
    );
  }
  await faults.afterJournal?.();

  // 3 + 4. The runs, then one flush over the span they cover.
  let touched = 0; // runs 0..touched-1 may have been (partly) written
  try {
    for (let i = 0; i < journalRuns.length; i++) {
      const run = journalRuns[i];
      await faults.beforeWrite?.(i, run.offset, run.bytes.length);
      touched = i + 1;
      await writeRange(source, run.offset, run.bytes);
      await faults.afterWrite?.(i);
    }
    await faults.beforeFlush?.();
    const start = journalRuns[0].offset;
    const last = journalRuns[journalRuns.length - 1];
    await source.flush(start, last.offset + last.bytes.length - start);
  } catch (e) {
    throw await rollBack(source, journalRuns, touched, journalPath, e, faults);
  }

  // 5. The save is durable: the journal has done its job.
  let warning: string | undefined;
  try {
    await faults.beforeJournalDisarm?.();
    await disarmJournal(journalPath);
  } catch (e) {
    warning = `Saved ${name}, but the save journal ${journalPath} could not be closed (${errorText(e)}); Hexmap will ask about it when the file is opened again.`;
  }
  const after = await statIdentity(name);
  return { runs: journalRuns.map((r) => ({ offset: r.offset, bytes: r.bytes, old: r.old })), identity: after, warning };
}

/**
 * Put back the old bytes of the runs that may have been written, flush, and
 * drop the journal. Returns the error to throw: it says whether the file is
 * intact or must be recovered from the journal.
 */
async function rollBack(
  source: ByteSource, runs: JournalRun[], touched: number, journalPath: string, cause: unknown, faults: SaveFaults,
): Promise<HexmapError> {
  const name = source.path;
  if (touched === 0) {
    await disarmJournal(journalPath).catch(() => undefined);
    return failure(`Not saved: ${errorText(cause)}. The file was not changed; your edits are still unsaved.`, cause, name);
  }
  try {
    for (let i = touched - 1; i >= 0; i--) {
      await faults.beforeRollbackWrite?.(i);
      await restoreRun(source, runs[i]);
    }
    await source.flush();
    await disarmJournal(journalPath);
  } catch (rollbackError) {
    return failure(
      `Saving ${name} failed (${errorText(cause)}) and the original bytes could not be written back (${errorText(rollbackError)}). ` +
        `The journal ${journalPath} keeps them: reopen the file in Hexmap to restore it. Your edits are still unsaved.`,
      cause, name,
    );
  }
  return failure(`Not saved: ${errorText(cause)}. The file was restored to its previous content; your edits are still unsaved.`, cause, name);
}

/**
 * Write a run's old bytes back. When the write fails but the bytes on disk
 * already are the old ones (e.g. a write into a sparse hole that failed with
 * ENOSPC never changed anything), that counts as restored.
 */
async function restoreRun(source: ByteSource, run: JournalRun): Promise<void> {
  try {
    await writeRange(source, run.offset, run.old);
  } catch (e) {
    const now = await readRange(source, run.offset, run.old.length).catch(() => undefined);
    if (!now || !equalBytes(now, run.old)) throw e;
  }
}

export async function readRange(source: ByteSource, offset: number, length: number): Promise<Uint8Array> {
  if (length <= MAX_READ) return source.read(offset, length);
  const out = new Uint8Array(length);
  for (let at = 0; at < length; at += MAX_READ) out.set(await source.read(offset + at, Math.min(MAX_READ, length - at)), at);
  return out;
}

export async function writeRange(source: ByteSource, offset: number, bytes: Uint8Array): Promise<void> {
  for (let at = 0; at < bytes.length; at += MAX_READ) {
    await source.write(offset + at, bytes.subarray(at, Math.min(bytes.length, at + MAX_READ)));
  }
}

function equalBytes(a: Uint8Array, b: Uint8Array): boolean {
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return false;
  return true;
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
