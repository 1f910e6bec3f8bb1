/**
 * Hot-exit backup: only the unsaved runs plus the file's identity, never a
 * copy of the file. On restore the identity must still match (same inode,
 * size and mtime): edits laid over a file that changed since would show
 * bytes the user never saw, so such a backup is refused with a message.
 */
import type { OverlayRun } from '../editOverlay';
import { describeDifference, sameVersion, type FileIdentity } from './fileIdentity';
import { decodeRecord, encodeRecord } from './recordFile';

const MAGIC = 'HEXMAPB1';

interface BackupHeader {
  version: 1;
  identity: FileIdentity;
  runs: { offset: number; length: number }[];
}

export interface Backup {
  identity: FileIdentity;
  runs: OverlayRun[];
}

export function encodeBackup(backup: Backup): Uint8Array {
  const header: BackupHeader = { version: 1, identity: backup.identity, runs: backup.runs.map((r) => ({ offset: r.offset, length: r.bytes.length })) };
  return encodeRecord(MAGIC, header, backup.runs.map((r) => r.bytes));
}

export function decodeBackup(bytes: Uint8Array): Backup {
  const { header, payload } = decodeRecord<BackupHeader>(MAGIC, bytes);
  if (header.version !== 1) throw new Error(`unknown backup version ${header.version}`);
  let at = 0;
  const runs = header.runs.map((r) => {
    const run = { offset: r.offset, bytes: new Uint8Array(payload.subarray(at, at + r.length)) };
    at += r.length;
    return run;
  });
  if (at !== payload.length) throw new Error('backup payload does not match its runs');
  return { identity: header.identity, runs };
}

/** Why the backup may not be applied to the file as it is now, or undefined when it may. */
export function backupProblem(backup: Backup, now: FileIdentity): string | undefined {
  if (sameVersion(backup.identity, now)) return undefined;
  return `the file changed since the backup was made (${describeDifference(backup.identity, now)})`;
}
