/**
 * Hot-exit backup: the document's content as pieces (ranges of the file on
 * disk and the unsaved bytes) plus the file's identity, never a copy of the
 * file: backing up a dirty 20 GB file writes a few hundred bytes.
 *
 * On restore the identity should still match (same inode, size and mtime).
 * When it does not (another program wrote the file, or only touched it), the
 * edits are never dropped silently: the user picks Keep my edits (laid over
 * the file as it is now), Compare, or Discard (recoveryDialogs.ts).
 */
import type { OverlayRun } from '../editOverlay';
import type { Piece } from '../snapshot';
import { describeDifference, sameVersion, type FileIdentity } from './fileIdentity';
import { decodeRecord, encodeRecord } from './recordFile';
import { overlaySnapshot } from './saveInPlace';
import { isOverwriteOnly } from './savePlan';
import type { BatchEdit } from '../documentModel';

const MAGIC = 'HEXMAPB1';

type HeaderPiece = { kind: 'disk'; offset: number; length: number } | { kind: 'bytes'; length: number };

interface BackupHeaderV1 {
  version: 1;
  identity: FileIdentity;
  runs: { offset: number; length: number }[];
}

interface BackupHeaderV2 {
  version: 2;
  identity: FileIdentity;
  size: number;
  pieces: HeaderPiece[];
}

export interface Backup {
  identity: FileIdentity;
  /** The document's content over the disk as it was at `identity`. */
  pieces: Piece[];
  /** The same edits as overwritten runs (every bytes piece at its own disk offset). */
  runs: OverlayRun[];
}

export type BackupChoice = 'keep' | 'discard';

export function encodeBackup(backup: { identity: FileIdentity; runs?: readonly OverlayRun[]; pieces?: readonly Piece[] }): Uint8Array {
  const pieces = backup.pieces ?? overlaySnapshot(backup.identity.size, backup.runs ?? []).pieces;
  const size = pieces.reduce((n, p) => n + (p.kind === 'disk' ? p.length : p.bytes.length), 0);
  const header: BackupHeaderV2 = {
    version: 2, identity: backup.identity, size,
    pieces: pieces.map((p) => (p.kind === 'disk' ? { kind: 'disk', offset: p.offset, length: p.length } : { kind: 'bytes', length: p.bytes.length })),
  };
  return encodeRecord(MAGIC, header, pieces.flatMap((p) => (p.kind === 'bytes' ? [p.bytes] : [])));
}

export function decodeBackup(bytes: Uint8Array): Backup {
  const { header, payload } = decodeRecord<BackupHeaderV1 | BackupHeaderV2>(MAGIC, bytes);
  let at = 0;
  const take = (n: number) => {
    const out = new Uint8Array(payload.subarray(at, at + n));
    at += n;
    return out;
  };
  let pieces: Piece[];
  if (header.version === 1) {
    const runs = header.runs.map((r) => ({ offset: r.offset, bytes: take(r.length) }));
    pieces = overlaySnapshot(header.identity.size, runs).pieces as Piece[];
  } else if (header.version === 2) {
    pieces = header.pieces.map((p): Piece => (p.kind === 'disk' ? { kind: 'disk', offset: p.offset, length: p.length } : { kind: 'bytes', bytes: take(p.length) }));
  } else {
    throw new Error(`unknown backup version ${(header as { version: unknown }).version}`);
  }
  if (at !== payload.length) throw new Error('backup payload does not match its pieces');
  return { identity: header.identity, pieces, runs: runsOf(pieces) };
}

/** The bytes pieces as runs at their offsets in the content. */
function runsOf(pieces: readonly Piece[]): OverlayRun[] {
  const runs: OverlayRun[] = [];
  let at = 0;
  for (const p of pieces) {
    if (p.kind === 'bytes') runs.push({ offset: at, bytes: p.bytes });
    at += p.kind === 'disk' ? p.length : p.bytes.length;
  }
  return runs;
}

/** Whether the backup is only overwrites (every disk piece at its own offset), so it can lie over any version of the file. */
export function backupIsOverwriteOnly(backup: Backup): boolean {
  return isOverwriteOnly({ pieces: backup.pieces, diskSize: backup.identity.size });
}

/**
 * The backup as one batch of replaces over the disk (offsets in disk
 * coordinates, as the batch expects): deleted disk ranges, inserted bytes.
 * Disk pieces out of order (moved bytes) are read now and inserted as bytes.
 */
export async function backupEdits(backup: Backup, readDisk: (offset: number, length: number) => Promise<Uint8Array>): Promise<BatchEdit[]> {
  const edits: BatchEdit[] = [];
  let disk = 0; // next disk byte not yet accounted for
  const insert = (bytes: Uint8Array) => {
    const last = edits[edits.length - 1];
    if (last && last.offset === disk) last.bytes = concat(last.bytes, bytes);
    else edits.push({ offset: disk, deleteLength: 0, bytes });
  };
  for (const p of backup.pieces) {
    if (p.kind === 'disk' && p.offset >= disk) {
      if (p.offset > disk) {
        const last = edits[edits.length - 1];
        if (last && last.offset + last.deleteLength === disk) last.deleteLength += p.offset - disk;
        else edits.push({ offset: disk, deleteLength: p.offset - disk, bytes: new Uint8Array(0) });
      }
      disk = p.offset + p.length;
    } else if (p.kind === 'disk') {
      const bytes = new Uint8Array(p.length);
      for (let o = 0; o < p.length; o += 16 << 20) bytes.set(await readDisk(p.offset + o, Math.min(16 << 20, p.length - o)), o);
      insert(bytes);
    } else insert(p.bytes);
  }
  if (disk < backup.identity.size) edits.push({ offset: disk, deleteLength: backup.identity.size - disk, bytes: new Uint8Array(0) });
  // A deletion followed by an insertion at the same place is one replace.
  const merged: BatchEdit[] = [];
  for (const e of edits) {
    const last = merged[merged.length - 1];
    if (last && last.offset + last.deleteLength === e.offset && last.bytes.length === 0 && e.deleteLength === 0) merged[merged.length - 1] = { offset: last.offset, deleteLength: last.deleteLength, bytes: e.bytes };
    else merged.push({ ...e });
  }
  return merged;
}

function concat(a: Uint8Array, b: Uint8Array): Uint8Array {
  const out = new Uint8Array(a.length + b.length);
  out.set(a, 0);
  out.set(b, a.length);
  return out;
}

/** Why the backup does not match the file as it is now, or undefined when it does. */
export function backupProblem(backup: Backup, now: FileIdentity): string | undefined {
  if (sameVersion(backup.identity, now)) return undefined;
  return `the file changed since the backup was made (${describeDifference(backup.identity, now)})`;
}

/** A text listing of the edits beside the bytes on disk now, for Compare. */
export function describeBackupEdits(backup: Backup, diskNow: (offset: number, length: number) => Promise<Uint8Array | undefined>): Promise<string> {
  const hex = (b: Uint8Array) => Array.from(b.subarray(0, 32), (x) => x.toString(16).padStart(2, '0')).join(' ') + (b.length > 32 ? ' …' : '');
  return (async () => {
    const lines = [`Unsaved edits in the backup (file then: ${backup.identity.size} bytes, modified ${new Date(backup.identity.mtimeMs).toISOString()})`, ''];
    for (const run of backup.runs.slice(0, 1000)) {
      const disk = await diskNow(run.offset, run.bytes.length);
      lines.push(`offset ${run.offset} (${run.bytes.length} bytes)`, `  your edit: ${hex(run.bytes)}`, `  disk now:  ${disk ? hex(disk) : '(past the end of the file now)'}`);
    }
    if (backup.runs.length > 1000) lines.push(`… and ${backup.runs.length - 1000} more runs`);
    return lines.join('\n');
  })();
}
