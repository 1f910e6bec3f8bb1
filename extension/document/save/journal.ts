/**
 * The save journal: what a recovery needs to put the file back exactly as it
 * was, or to finish the save exactly, after a crash at any instant.
 *
 * One journal file per file identity (device + inode), so opening the file
 * through a symlink, a hard link or another spelling finds it; it also
 * records the real path, for messages. It is reused from save to save (the
 * save controller runs one save at a time per identity): arming rewrites it
 * in place, disarming overwrites its magic. WHY reuse: on ext4 every new
 * directory entry forces a file-system journal commit (~10 ms).
 *
 * Layout: one main record (recordFile.ts: header, payload, SHA-256), written
 * as a stream and fdatasynced once (see writeMain for how it is armed),
 * followed by step records appended while a
 * shift runs (one per block: the old bytes that block overwrites and that
 * nothing else keeps, and it is the durable progress mark). Every step record
 * carries the save's id and its sequence number, so leftovers of an older,
 * longer journal in the same file are never mistaken for this save's steps.
 *
 * Main payload: for every overwrite run, its old bytes then its new bytes;
 * then the content of every bytes piece of the shift, in order.
 */
import { createHash, randomUUID, type Hash } from 'node:crypto';
import { closeSync, constants, openSync, promises as fsp, writeSync } from 'node:fs';
import { fdIo } from '../../engine/fileWriter';
import { dirname, join } from 'node:path';
import { fsyncDirectory } from './durableFs';
import type { FileIdentity } from './fileIdentity';
import { RecordError, recordMagic } from './recordFile';

const ARMED = 'HEXMAPJ2';
const DISARMED = 'HEXMAPJ0';
const STEP = 'HEXMAPS2';
const SUFFIX = '.hexmap-journal';
/** Pieces up to this size are gathered before they are written... */
const STAGE_PIECE = 64 << 10;
/** ...into a buffer of at most this size (smaller when the record is). */
const STAGE_MAX = 4 << 20;
/** Bytes SHA-256 hashes in one go: long enough to be cheap, short enough not to hold the event loop. */
const HASH_SLICE = 1 << 20;
const PREFIX = 20;
const HASH = 32;
/**
 * Writes up to this size go straight into the page cache from this thread
 * (a copy of microseconds: a one-byte save's record is a few hundred bytes);
 * larger ones run on the pool, so a write the kernel throttles while it
 * flushes other dirty pages cannot hold the event loop long. WHY: a pool
 * round trip costs about what a one-byte save's own write costs, and a
 * one-byte save would otherwise pay several.
 */
const SYNC_WRITE = 64 << 10;


export interface JournalRunHeader { offset: number; length: number }
export type JournalPiece = { kind: 'disk'; offset: number; length: number } | { kind: 'bytes'; length: number };

export interface JournalHeader {
  version: 2;
  saveId: string;
  identity: FileIdentity;
  realPath: string;
  createdAt: string;
  oldSize: number;
  newSize: number;
  shiftStart: number;
  blockSize: number;
  /** Overwrite runs (before the shift, or all of an overwrite-only save). */
  runs: JournalRunHeader[];
  /** The new content from shiftStart on, as pieces (empty without a shift). */
  pieces: JournalPiece[];
  /** Shift blocks in write order. */
  blocks: { start: number; end: number }[];
}

export type JournalStep =
  /**
   * Block `index` is about to be written; `saved` are the old bytes it overwrites that nothing else keeps.
   * `light`: the block moves the old file by `delta`, and its payload holds page checksums and edges (lightBlock.ts).
   */
  | { type: 'block'; index: number; saved: { offset: number; length: number; at: number }[]; light?: { delta: number; at: number } }
  | { type: 'extended' }
  | { type: 'moved' }
  | { type: 'truncated' };

/** An armed journal that cannot be decoded: torn while being armed, or damaged. */
export class DamagedJournalError extends Error {
  constructor(readonly path: string, reason: string) {
    super(reason);
  }
}

export function journalPathFor(journalDir: string, identity: { dev: number; ino: number }): string {
  return join(journalDir, `${identity.dev}-${identity.ino}${SUFFIX}`);
}

/**
 * Writes one save's journal: the main record once, then steps. The journal
 * lives in the extension's own storage, a local directory: it is opened,
 * closed, disarmed and (for small records) written synchronously, and only
 * its fdatasyncs and large writes go to the pool.
 */
export class JournalWriter {
  private at = 0;
  private seq = 0;
  private stage = new Uint8Array(0);
  private staged = 0;
  /** Journal offset of the main record's payload (after writeMain). */
  payloadAt = 0;
  private closed = false;
  private constructor(readonly path: string, private readonly fd: number, readonly saveId: string, private readonly created: boolean) {}

  static async open(journalDir: string, identity: FileIdentity): Promise<JournalWriter> {
    const path = journalPathFor(journalDir, identity);
    let created = false;
    let fd: number;
    try {
      fd = openSync(path, constants.O_RDWR);
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code !== 'ENOENT') throw e;
      await fsp.mkdir(journalDir, { recursive: true });
      fd = openSync(path, constants.O_RDWR | constants.O_CREAT, 0o600);
      created = true;
    }
    return new JournalWriter(path, fd, randomUUID(), created);
  }

  /**
   * Stream the main record: header, then the payload chunks in order (their
   * total length must be `payloadLength`), hashing as it goes. Memory: one
   * chunk at a time. Not durable until `commit` resolves; the caller may do
   * work of its own on the JS thread while the commit's fdatasync runs.
   *
   * Arming. A record that fits the staging buffer (every save of small runs)
   * goes down armed, in one write, with one fdatasync: a crash that tears it
   * leaves an armed record whose checksum fails, which findJournal reports
   * (and the file was never touched: the save writes it only after this
   * fdatasync). A longer record takes several writes, and a process killed
   * between them would leave an armed, incomplete record behind on a healthy
   * disk; it is written disarmed, fdatasynced, then armed by an 8-byte write
   * and a second fdatasync, which costs nothing next to its megabytes.
   */
  async writeMain(header: Omit<JournalHeader, 'saveId' | 'version'>, payloadLength: number, chunks: AsyncIterable<Uint8Array>): Promise<void> {
    const full: JournalHeader = { version: 2, saveId: this.saveId, ...header };
    const headerBytes = new TextEncoder().encode(JSON.stringify(full));
    const total = PREFIX + headerBytes.length + payloadLength + HASH;
    const oneWrite = total <= STAGE_MAX;
    this.reserveStage(total);
    this.stageWhole = oneWrite;
    const prefix = new Uint8Array(PREFIX);
    prefix.set(new TextEncoder().encode(oneWrite ? ARMED : DISARMED), 0);
    const view = new DataView(prefix.buffer);
    view.setUint32(8, headerBytes.length, true);
    view.setFloat64(12, payloadLength, true);
    const hash = createHash('sha256');
    hash.update(new TextEncoder().encode(ARMED)).update(prefix.subarray(8));
    await this.put(prefix);
    hash.update(headerBytes);
    await this.put(headerBytes);
    this.payloadAt = this.at;
    let written = 0;
    for await (const chunk of chunks) {
      await hashSliced(hash, chunk);
      await this.put(chunk);
      written += chunk.length;
    }
    if (written !== payloadLength) throw new Error(`journal payload is ${written} bytes, expected ${payloadLength}`);
    await this.put(hash.digest());
    await this.flushStage();
    this.stageWhole = false;
    this.armWithSecondWrite = !oneWrite;
  }

  private armWithSecondWrite = false;
  /** While writing a main record that fits the stage: stage every piece of it. */
  private stageWhole = false;

  /** Makes the main record durable and armed: the file may be touched once this resolves. */
  async commit(): Promise<void> {
    await fdIo.datasync(this.fd);
    if (this.created) await fsyncDirectory(dirname(this.path));
    if (!this.armWithSecondWrite) return;
    // Armed only now, with one 8-byte write: the record below it is already durable.
    writeSync(this.fd, MAGIC_ARMED, 0, 8, 0);
    await fdIo.datasync(this.fd);
  }

  /** Append a step and make it durable (the shift's progress mark); resolves with the offset of its payload. */
  async step(step: JournalStep, payload: readonly Uint8Array[] = []): Promise<number> {
    const headerBytes = new TextEncoder().encode(JSON.stringify({ saveId: this.saveId, seq: this.seq++, ...step }));
    const payloadLength = payload.reduce((n, p) => n + p.length, 0);
    const prefix = new Uint8Array(PREFIX);
    prefix.set(new TextEncoder().encode(STEP), 0);
    const view = new DataView(prefix.buffer);
    view.setUint32(8, headerBytes.length, true);
    view.setFloat64(12, payloadLength, true);
    this.reserveStage(PREFIX + headerBytes.length + payloadLength + HASH);
    const hash = createHash('sha256').update(prefix).update(headerBytes);
    await this.put(prefix);
    await this.put(headerBytes);
    const payloadAt = this.at;
    for (const p of payload) {
      await hashSliced(hash, p);
      await this.put(p);
    }
    await this.put(hash.digest());
    await this.flushStage();
    await fdIo.datasync(this.fd);
    return payloadAt;
  }

  /** Continue an interrupted save's journal (a recovery resuming its shift). */
  static async resume(found: FoundJournal): Promise<JournalWriter> {
    const writer = new JournalWriter(found.path, openSync(found.path, constants.O_RDWR), found.header.saveId, false);
    writer.payloadAt = found.payloadAt;
    writer.at = found.end;
    writer.seq = found.steps.length;
    return writer;
  }

  /** Where the next step's payload will start (for reading saved bytes back while the save runs). */
  get offset(): number {
    return this.at;
  }

  /** Into `into` (from its start) when given and large enough, else into a new array. */
  async readBack(at: number, length: number, into?: Uint8Array): Promise<Uint8Array> {
    await this.flushStage();
    const out = into && into.length >= length ? into.subarray(0, length) : new Uint8Array(length);
    for (let done = 0; done < length;) {
      const bytesRead = await fdIo.read(this.fd, out, done, length - done, at + done);
      if (bytesRead === 0) throw new Error('journal shorter than expected');
      done += bytesRead;
    }
    return out;
  }

  /**
   * The save is durable or rolled back: the journal is no longer armed.
   * `durable: false` skips the fdatasync, for a caller whose crash before the
   * disarm reaches the disk is recovered silently (see saveEngine.ts).
   */
  async disarm(options: { durable?: boolean } = {}): Promise<void> {
    // Eight bytes into a page the arming just wrote: a page-cache copy, no pool round trip.
    writeSync(this.fd, MAGIC_DISARMED, 0, 8, 0);
    if (options.durable !== false) await fdIo.datasync(this.fd);
  }

  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    try {
      closeSync(this.fd);
    } catch {
      // Already unusable: nothing more to release.
    }
  }

  /**
   * Append at the end. Small pieces (the runs of 10,000 one-byte edits) are
   * gathered into one staging buffer and written together: one write of
   * 4 MiB instead of 20,000 tiny ones.
   */
  private async put(bytes: Uint8Array): Promise<void> {
    // A record that fits the stage is staged whole: one write (see writeMain). Larger
    // records write their large pieces directly, without a copy on this thread.
    if (bytes.length <= STAGE_PIECE || (this.stageWhole && this.staged + bytes.length <= this.stage.length)) {
      if (this.staged + bytes.length > this.stage.length) await this.flushStage();
      this.stage.set(bytes, this.staged);
      this.staged += bytes.length;
      this.at += bytes.length;
      return;
    }
    await this.flushStage();
    await this.writeAt(bytes, this.at);
    this.at += bytes.length;
  }

  /** A staging buffer for a record of `total` bytes (a one-byte save must not zero 4 MiB). */
  private reserveStage(total: number): void {
    const want = Math.min(STAGE_MAX, total);
    if (this.stage.length >= want) return;
    this.stage = new Uint8Array(Math.max(want, this.staged));
  }

  private async flushStage(): Promise<void> {
    if (this.staged === 0) return;
    const n = this.staged;
    this.staged = 0;
    await this.writeAt(this.stage.subarray(0, n), this.at - n);
  }

  private async writeAt(bytes: Uint8Array, at: number): Promise<void> {
    if (bytes.length <= SYNC_WRITE) {
      for (let done = 0; done < bytes.length;) done += writeSync(this.fd, bytes, done, bytes.length - done, at + done);
      return;
    }
    for (let done = 0; done < bytes.length;) done += await fdIo.write(this.fd, bytes, done, bytes.length - done, at + done);
  }
}

/** Feeds `bytes` to `hash` in slices, giving the event loop a turn between them. */
async function hashSliced(hash: Hash, bytes: Uint8Array): Promise<void> {
  if (bytes.length <= HASH_SLICE) {
    hash.update(bytes);
    return;
  }
  for (let at = 0; at < bytes.length; at += HASH_SLICE) {
    if (at > 0) await new Promise((resolve) => setImmediate(resolve));
    hash.update(bytes.subarray(at, Math.min(bytes.length, at + HASH_SLICE)));
  }
}

const MAGIC_ARMED = new TextEncoder().encode(ARMED);
const MAGIC_DISARMED = new TextEncoder().encode(DISARMED);

/** An armed journal as found on disk; payload bytes are read on demand. */
export interface FoundJournal {
  path: string;
  header: JournalHeader;
  /** File offset of the main payload. */
  payloadAt: number;
  /** Steps of this save, in order, with the file offset of each step's payload. */
  steps: { step: JournalStep; payloadAt: number }[];
  /** Where the last valid record ends (the next step goes there). */
  end: number;
  read(at: number, length: number): Promise<Uint8Array>;
  close(): Promise<void>;
}

/**
 * The armed journal for the file with this identity, if any (an interrupted
 * save). Throws DamagedJournalError when one is armed but its main record
 * does not check out. The caller closes it.
 */
export async function findJournal(journalDir: string, file: string | { dev: number; ino: number }): Promise<FoundJournal | undefined> {
  let identity = typeof file === 'string' ? undefined : file;
  if (typeof file === 'string') {
    try {
      identity = await fsp.stat(file);
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
      throw e;
    }
  }
  const found = await openJournal(journalPathFor(journalDir, identity!));
  if (found || typeof file !== 'string') return found;
  // The file may have been replaced (a new inode) since the interrupted save: find its journal by real path.
  return findByRealPath(journalDir, await fsp.realpath(file).catch(() => file));
}

async function findByRealPath(journalDir: string, realPath: string): Promise<FoundJournal | undefined> {
  let names: string[];
  try {
    names = (await fsp.readdir(journalDir)).filter((n) => n.endsWith(SUFFIX));
  } catch {
    return undefined;
  }
  for (const name of names) {
    let found: FoundJournal | undefined;
    try {
      found = await openJournal(join(journalDir, name));
    } catch {
      continue; // a damaged journal of another file is reported when that file opens
    }
    if (found?.header.realPath === realPath) return found;
    await found?.close();
  }
  return undefined;
}

async function openJournal(path: string): Promise<FoundJournal | undefined> {
  let handle: fsp.FileHandle;
  try {
    handle = await fsp.open(path, 'r');
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw e;
  }
  try {
    const size = (await handle.stat()).size;
    const read = async (at: number, length: number) => {
      const out = new Uint8Array(length);
      for (let done = 0; done < length;) {
        const { bytesRead } = await handle.read(out, done, length - done, at + done);
        if (bytesRead === 0) throw new RecordError('journal is shorter than its record');
        done += bytesRead;
      }
      return out;
    };
    if (size < 8 || recordMagic(await read(0, 8)) !== ARMED) {
      await handle.close();
      return undefined;
    }
    let header: JournalHeader;
    let payloadAt: number;
    let end: number;
    try {
      ({ header, payloadAt, end } = await checkRecord(read, 0, size, ARMED));
    } catch (e) {
      throw new DamagedJournalError(path, (e as Error).message);
    }
    if (header.version !== 2) throw new DamagedJournalError(path, `unknown journal version ${String(header.version)}`);
    const steps: FoundJournal['steps'] = [];
    let at = end;
    for (let seq = 0; at + PREFIX + HASH <= size; seq++) {
      let rec;
      try {
        rec = await checkRecord(read, at, size, STEP);
      } catch {
        break; // a torn last step (its block was never written) or an older save's leftovers
      }
      const s = rec.header as unknown as JournalStep & { saveId: string; seq: number };
      if (s.saveId !== header.saveId || s.seq !== seq) break;
      steps.push({ step: s, payloadAt: rec.payloadAt });
      at = rec.end;
    }
    return { path, header, payloadAt, steps, end: at, read, close: () => handle.close() };
  } catch (e) {
    await handle.close().catch(() => undefined);
    throw e;
  }
}

/** Read and verify one record at `at`: header, payload offset, and where it ends. Hashes in chunks. */
async function checkRecord(read: (at: number, n: number) => Promise<Uint8Array>, at: number, fileSize: number, magic: string) {
  const prefix = await read(at, PREFIX);
  if (recordMagic(prefix) !== magic) throw new RecordError(`not a ${magic} record`);
  const view = new DataView(prefix.buffer, prefix.byteOffset, PREFIX);
  const headerLength = view.getUint32(8, true);
  const payloadLength = view.getFloat64(12, true);
  const bodyEnd = at + PREFIX + headerLength + payloadLength;
  if (!Number.isSafeInteger(payloadLength) || bodyEnd + HASH > fileSize) throw new RecordError('record is incomplete (torn write)');
  const headerBytes = await read(at + PREFIX, headerLength);
  const hash = createHash('sha256').update(prefix).update(headerBytes);
  for (let p = at + PREFIX + headerLength; p < bodyEnd; p += 4 << 20) hash.update(await read(p, Math.min(4 << 20, bodyEnd - p)));
  const stored = await read(bodyEnd, HASH);
  const digest = hash.digest();
  for (let i = 0; i < HASH; i++) if (digest[i] !== stored[i]) throw new RecordError('checksum mismatch (torn or corrupted record)');
  let header: JournalHeader;
  try {
    header = JSON.parse(new TextDecoder().decode(headerBytes)) as JournalHeader;
  } catch (e) {
    throw new RecordError(`unreadable header (${(e as Error).message})`);
  }
  return { header, payloadAt: at + PREFIX + headerLength, end: bodyEnd + HASH };
}

/** Disarm a found journal after recovery (kept as a file: the next save reuses it). */
export async function disarmJournalFile(path: string): Promise<void> {
  const handle = await fsp.open(path, constants.O_RDWR);
  try {
    await handle.write(new TextEncoder().encode(DISARMED), 0, 8, 0);
    await handle.datasync();
  } finally {
    await handle.close();
  }
}

/**
 * A damaged journal is never deleted: it is renamed aside (the user is told
 * where) so nothing it might still hold is lost, and the file opens normally.
 */
export async function moveJournalAside(path: string): Promise<string> {
  const aside = `${path}.damaged-${new Date().toISOString().replace(/[:.]/g, '-')}`;
  await fsp.rename(path, aside);
  await fsyncDirectory(dirname(path));
  return aside;
}

/** Remove a disarmed journal when its document closes (housekeeping; an armed one stays). */
export async function removeIdleJournal(journalDir: string, identity: { dev: number; ino: number }): Promise<void> {
  const path = journalPathFor(journalDir, identity);
  try {
    const handle = await fsp.open(path, 'r');
    const magic = new Uint8Array(8);
    await handle.read(magic, 0, 8, 0).finally(() => handle.close());
    if (recordMagic(magic) === DISARMED) await fsp.unlink(path);
  } catch {
    // Missing or unreadable: nothing to tidy.
  }
}
