/**
 * Recovery of an interrupted save from its journal. Both directions are
 * offered to the user (never chosen silently): put back the bytes from before
 * the save, or finish writing the saved bytes. Either is idempotent, so a
 * crash during recovery is recovered by running it again.
 */
import { HexmapError, type ByteSource } from '../../engine/byteSource';
import { sameFile, statIdentity } from './fileIdentity';
import { deleteJournal, type Journal } from './journal';
import { writeRange } from './saveInPlace';

export type RecoveryChoice = 'restore' | 'finish';

/** Why a journal cannot be applied to the file now, or undefined when it can. */
export async function journalProblem(journal: Journal, filePath: string): Promise<string | undefined> {
  let now;
  try {
    now = await statIdentity(filePath);
  } catch (e) {
    return `the file cannot be read (${(e as Error).message})`;
  }
  if (!sameFile(journal.identity, now)) return 'the file was replaced by a different file since the interrupted save';
  const end = journal.runs.reduce((m, r) => Math.max(m, r.offset + r.bytes.length), 0);
  if (now.size < end) return `the file is now ${now.size} bytes, shorter than the interrupted save's last run (ends at ${end})`;
  return undefined;
}

/** Write the journal's old ('restore') or new ('finish') bytes, flush, delete the journal. */
export async function applyJournal(source: ByteSource, journal: Journal, journalPath: string, choice: RecoveryChoice): Promise<void> {
  if (!source.writable) {
    throw new HexmapError(`Cannot recover ${source.path}: the file is open read-only.`, 'ERR_HEXMAP_READ_ONLY', source.path);
  }
  const problem = await journalProblem(journal, source.path);
  if (problem) throw new HexmapError(`Cannot recover ${source.path}: ${problem}.`, 'ERR_HEXMAP_JOURNAL_MISMATCH', source.path);
  await source.refresh();
  for (const run of journal.runs) await writeRange(source, run.offset, choice === 'restore' ? run.old : run.bytes);
  await source.flush();
  await deleteJournal(journalPath);
}
