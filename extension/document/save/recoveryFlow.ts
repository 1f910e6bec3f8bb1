/**
 * What happens when a file is opened and an interrupted save's journal is
 * found for it (through any path: journals are keyed by device + inode).
 * The policy is here; recoveryDialogs.ts asks the user. Silent in one case
 * only: an overwrite-only save that had written every byte and crashed
 * before its disarm was durable (the save engine does not sync the disarm,
 * see saveEngine.ts); the file already is the saved file, so it is synced
 * and the journal disarmed. Otherwise never silent:
 *
 *   - a journal that matches the file: Restore (exactly the old file) or
 *     Finish (exactly the new one), or decide later (the file opens
 *     read-only: a new save would replace the journal);
 *   - another program changed bytes the save touched since the crash: said
 *     so, then the same choice;
 *   - a journal that no longer describes the file (replaced, wrong size):
 *     kept, or moved aside on request;
 *   - a journal that fails its checksum: moved aside (never deleted) and
 *     reported.
 */
import { openByteSource } from '../../engine/openByteSource';
import { DamagedJournalError, findJournal, moveJournalAside } from './journal';
import { applyRecovery, examineJournal, type RecoveryChoice, type RecoveryFacts } from './recovery';

export interface RecoveryUi {
  /** Restore, finish, or decide later. */
  ask(path: string, startedAt: string, facts: RecoveryFacts): Promise<RecoveryChoice | 'later'>;
  /** The journal cannot be applied: move it aside, or keep it (and open read-only). */
  blocked(path: string, reason: string): Promise<'moveAside' | 'keep'>;
  info(message: string): void;
  error(message: string): void;
}

export const PENDING_REASON = 'an interrupted save is pending (reopen the file to restore or finish it)';

/** Returns a read-only reason when the document must not be edited yet. */
export async function recoverInterruptedSave(
  path: string, journalDir: string, ui: RecoveryUi, readOnlyReason: string | undefined, log: (m: string) => void,
): Promise<string | undefined> {
  let found;
  try {
    found = await findJournal(journalDir, path);
  } catch (e) {
    if (!(e instanceof DamagedJournalError)) throw e;
    const aside = await moveJournalAside(e.path);
    log(`damaged save journal ${e.path} moved to ${aside}: ${e.message}`);
    ui.error(
      `The journal of an interrupted save of ${path} is damaged (${e.message}). It was kept as ${aside}. ` +
        // A crash while the journal itself was written tears it too, and then the file was never
        // touched (a save writes the file only once its journal is durable); nothing on disk tells
        // that apart from a journal damaged later, so the user is told both.
        'If the save was interrupted while writing its journal, the file was not touched; otherwise the save may have changed part of it: check its content before saving again.',
    );
    return undefined;
  }
  if (!found) return undefined;
  try {
    const facts = await examineJournal(found, path);
    if (facts.blocker) {
      const pick = await ui.blocked(path, facts.blocker);
      if (pick !== 'moveAside') return PENDING_REASON;
      const aside = await moveJournalAside(found.path);
      ui.info(`The journal of the interrupted save was kept as ${aside}.`);
      return undefined;
    }
    if (facts.alreadyFinished && !readOnlyReason) {
      const source = await openByteSource(path, { writable: true, backend: 'auto' });
      try {
        await applyRecovery(source, found, 'finish');
        log(`save journal ${found.path}: the save of ${path} had completed; journal disarmed`);
        return undefined;
      } catch (e) {
        log(`completing the finished save of ${path} failed: ${(e as Error).message}; asking`);
      } finally {
        source.close();
      }
    }
    const pick = await ui.ask(path, found.header.createdAt, facts);
    if (pick === 'later') return PENDING_REASON;
    if (readOnlyReason) {
      ui.error(`Cannot recover ${path}: ${readOnlyReason}. The journal is kept at ${found.path}.`);
      return readOnlyReason;
    }
    const source = await openByteSource(path, { writable: true, backend: 'auto' });
    try {
      await applyRecovery(source, found, pick);
      ui.info(pick === 'restore' ? `Restored ${path} to its content before the interrupted save.` : `Finished the interrupted save of ${path}.`);
    } catch (e) {
      log(`recovery of ${path} failed: ${(e as Error).message}`);
      ui.error(`Recovery of ${path} failed: ${(e as Error).message}. The journal is kept.`);
      return 'recovery of an interrupted save failed';
    } finally {
      source.close();
    }
    return undefined;
  } finally {
    await found.close().catch(() => undefined);
  }
}
