/**
 * The save journal: before a save touches the file, the original bytes of
 * every run about to be overwritten (and the new bytes, so an interrupted
 * save can also be finished) are written, with the file's identity, to the
 * extension's storage and made durable. After the file is flushed the journal
 * is disarmed. A journal found armed when the file is opened means a save was
 * interrupted.
 *
 * One journal file per edited file (named by a hash of its path), reused from
 * save to save: arming rewrites it in place and fdatasyncs it, disarming
 * overwrites its magic and fdatasyncs again. WHY not create, rename and
 * delete a file per save: on ext4 every new directory entry forces a
 * file-system journal commit, which made a one-byte save cost ~10 ms here;
 * rewriting an existing file costs a fraction of a millisecond. The directory
 * is fsynced once, when the journal file is first created.
 */
import { createHash } from 'node:crypto';
import { constants, promises as fsp } from 'node:fs';
import { dirname, join } from 'node:path';
import { fsyncDirectory, unlinkDurably } from './durableFs';
import type { FileIdentity } from './fileIdentity';
import { decodeRecord, encodeRecord, recordMagic } from './recordFile';

const ARMED = 'HEXMAPJ1';
const DISARMED = 'HEXMAPJ0';
const SUFFIX = '.hexmap-journal';

export interface JournalRun {
  offset: number;
  /** Bytes on disk before the save. */
  old: Uint8Array;
  /** Bytes the save writes. */
  bytes: Uint8Array;
}

export interface Journal {
  /** The file as it was just before the save started. */
  identity: FileIdentity;
  createdAt: string;
  runs: JournalRun[];
}

interface JournalHeader {
  version: 1;
  identity: FileIdentity;
  createdAt: string;
  runs: { offset: number; length: number }[];
}

/** A journal that is armed but cannot be decoded: torn while being armed, or damaged. */
export class DamagedJournalError extends Error {
  constructor(readonly path: string, reason: string) {
    super(reason);
  }
}

export function journalPathFor(journalDir: string, filePath: string): string {
  const hash = createHash('sha256').update(filePath).digest('hex').slice(0, 32);
  return join(journalDir, `${hash}${SUFFIX}`);
}

export function encodeJournal(journal: Journal): Uint8Array {
  const header: JournalHeader = {
    version: 1,
    identity: journal.identity,
    createdAt: journal.createdAt,
    runs: journal.runs.map((r) => ({ offset: r.offset, length: r.bytes.length })),
  };
  return encodeRecord(ARMED, header, [...journal.runs.map((r) => r.old), ...journal.runs.map((r) => r.bytes)]);
}

export function decodeJournal(bytes: Uint8Array): Journal {
  const { header, payload } = decodeRecord<JournalHeader>(ARMED, bytes);
  if (header.version !== 1) throw new Error(`unknown journal version ${header.version}`);
  const total = header.runs.reduce((n, r) => n + r.length, 0);
  if (payload.length !== 2 * total) throw new Error('journal payload does not match its runs');
  let oldAt = 0;
  let newAt = total;
  const runs = header.runs.map((r) => {
    const run = { offset: r.offset, old: new Uint8Array(payload.subarray(oldAt, oldAt + r.length)), bytes: new Uint8Array(payload.subarray(newAt, newAt + r.length)) };
    oldAt += r.length;
    newAt += r.length;
    return run;
  });
  return { identity: header.identity, createdAt: header.createdAt, runs };
}

/** Write the journal and make it durable before the file is touched; returns its path. */
export async function armJournal(journalDir: string, journal: Journal): Promise<string> {
  const path = journalPathFor(journalDir, journal.identity.path);
  const bytes = encodeJournal(journal);
  let created = false;
  let handle: fsp.FileHandle;
  try {
    handle = await fsp.open(path, constants.O_RDWR);
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code !== 'ENOENT') throw e;
    await fsp.mkdir(journalDir, { recursive: true });
    handle = await fsp.open(path, constants.O_RDWR | constants.O_CREAT | constants.O_EXCL, 0o600);
    created = true;
  }
  try {
    let done = 0;
    while (done < bytes.length) done += (await handle.write(bytes, done, bytes.length - done, done)).bytesWritten;
    await handle.datasync();
  } catch (e) {
    await handle.close().catch(() => undefined);
    // A journal that could not be completed is useless and the file is untouched: drop it.
    if (created) await fsp.unlink(path).catch(() => undefined);
    else await disarmJournal(path).catch(() => undefined);
    throw e;
  }
  await handle.close();
  if (created) await fsyncDirectory(dirname(path));
  return path;
}

/** The save is durable (or rolled back): mark the journal as done. */
export async function disarmJournal(path: string): Promise<void> {
  const handle = await fsp.open(path, constants.O_RDWR);
  try {
    await handle.write(new TextEncoder().encode(DISARMED), 0, 8, 0);
    await handle.datasync();
  } finally {
    await handle.close();
  }
}

/**
 * The armed journal left for `filePath`, if any (an interrupted save).
 * Throws DamagedJournalError when one is armed but cannot be decoded.
 */
export async function findJournal(journalDir: string, filePath: string): Promise<{ path: string; journal: Journal } | undefined> {
  const path = journalPathFor(journalDir, filePath);
  let bytes: Uint8Array;
  try {
    bytes = await fsp.readFile(path);
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw e;
  }
  if (bytes.length === 0 || recordMagic(bytes) === DISARMED) return undefined;
  try {
    return { path, journal: decodeJournal(bytes) };
  } catch (e) {
    throw new DamagedJournalError(path, (e as Error).message);
  }
}

/** Remove the journal file (after recovery, or when a damaged one is discarded). */
export async function deleteJournal(path: string): Promise<void> {
  await unlinkDurably(path);
}

/** Remove a disarmed journal when its document closes (housekeeping; an armed one stays). */
export async function removeIdleJournal(journalDir: string, filePath: string): Promise<void> {
  const path = journalPathFor(journalDir, filePath);
  try {
    const handle = await fsp.open(path, 'r');
    const magic = new Uint8Array(8);
    await handle.read(magic, 0, 8, 0).finally(() => handle.close());
    if (recordMagic(magic) === DISARMED) await fsp.unlink(path);
  } catch {
    // Missing or unreadable: nothing to tidy.
  }
}
