/**
 * The two ways a save can put bytes into a file, behind one interface:
 *
 *   'mapped'  stores through the shared mapping (ByteSource.write), made
 *             durable with msync + fsync (ByteSource.flush);
 *   'pwrite'  positional writes on a file handle into the same page cache,
 *             made durable with fdatasync.
 *
 * Both leave the mapping showing the new bytes at once (it maps the same page
 * cache on Linux and Windows), so the rest of Hexmap never knows which one
 * ran. Which is faster depends on the kernel: on Linux a store through a
 * shared mapping dirties a whole large folio, so write-back of 10,000
 * scattered one-byte edits writes far more than the edits (9 s measured
 * against 0.6 s for pwrite + fdatasync). The bench measures both
 * (save10k_mapped_ms, save10k_pwrite_ms); `defaultWritePath` follows it.
 *
 * macOS: fsync does not reach the platter; libuv's fsync/fdatasync issue
 * F_FULLFSYNC there, so the 'pwrite' path is durable on macOS as well.
 *
 * Every call runs on the libuv pool (one request at a time), never on the
 * event loop, and each call moves at most CHUNK bytes. The writer holds a
 * plain descriptor, not a FileHandle: it is closed synchronously (the save
 * has made every byte durable by then, so the close has nothing to wait
 * for), which spares a one-byte save a round trip through the pool. Each
 * round trip costs about as much as the byte's own write.
 */
import * as fs from 'node:fs';
import { changeSize, HexmapError, MAX_READ, type ByteSource } from './byteSource';

/**
 * Pool calls on a plain descriptor. Each looks its fs function up when
 * called, not when this module loads, so a test can count the syncs.
 */
const settle = <T>(resolve: (v: T) => void, reject: (e: unknown) => void) => (e: NodeJS.ErrnoException | null, v?: T) => (e ? reject(e) : resolve(v as T));
export const fdIo = {
  open: (path: string, flags: number, mode?: number) => new Promise<number>((res, rej) => fs.open(path, flags, mode, settle(res, rej))),
  read: (fd: number, into: Uint8Array, at: number, length: number, position: number) =>
    new Promise<number>((res, rej) => fs.read(fd, into, at, length, position, settle(res, rej))),
  write: (fd: number, bytes: Uint8Array, at: number, length: number, position: number) =>
    new Promise<number>((res, rej) => fs.write(fd, bytes, at, length, position, settle(res, rej))),
  datasync: (fd: number) => new Promise<void>((res, rej) => fs.fdatasync(fd, settle(res, rej))),
  truncate: (fd: number, size: number) => new Promise<void>((res, rej) => fs.ftruncate(fd, size, settle(res, rej))),
  close: (fd: number) => new Promise<void>((res, rej) => fs.close(fd, settle(res, rej))),
};
const { readSync, writeSync, closeSync, constants } = fs;

export type WritePathKind = 'mapped' | 'pwrite';

/** Largest single read or write (keeps each step short and bounded in memory). */
export const CHUNK = 4 << 20;

export interface FileWriter {
  readonly kind: WritePathKind;
  /** Bytes of the file now (as this writer last set or saw it). */
  readonly size: number;
  /** The opened file as it was when opened (fstat of the descriptor: the file the writes go to). */
  readonly opened: { size: number; mtimeMs: number; dev: number; ino: number };
  /** Into `into` (from its start) when given and large enough, else into a new array; returns the bytes read. */
  read(offset: number, length: number, into?: Uint8Array): Promise<Uint8Array>;
  write(offset: number, bytes: Uint8Array): Promise<void>;
  /** Make every write so far durable. */
  sync(): Promise<void>;
  /**
   * Synchronous positional read and write, for batches of tiny runs that the
   * caller issues in short time slices (a page-cache copy each; a libuv round
   * trip per byte would cost more than the write). Undefined: use the async calls.
   */
  readonly small?: {
    /** Into `into` (from its start) when given, else into a new array; returns the bytes read. */
    read(offset: number, length: number, into?: Uint8Array): Uint8Array;
    write(offset: number, bytes: Uint8Array): void;
  };
  /** Extend (zeros) or truncate the file; the mapping is refreshed afterwards. */
  setSize(size: number): Promise<void>;
  close(): Promise<void>;
}

/** The write path measured fastest on this platform (see the bench's save10k_* keys). */
export function defaultWritePath(platform: NodeJS.Platform = process.platform): WritePathKind {
  // pwrite + fdatasync wins on Linux (the folio effect above) and costs the same
  // elsewhere; the mapping path stays available for measurement and as a fallback.
  void platform;
  return 'pwrite';
}

export async function openFileWriter(source: ByteSource, kind: WritePathKind = defaultWritePath()): Promise<FileWriter> {
  if (!source.writable) throw new HexmapError(`Cannot write ${source.path}: the file is open read-only.`, 'ERR_HEXMAP_READ_ONLY', source.path);
  // O_NONBLOCK: should the path have become a FIFO since the document opened it, the open returns
  // at once instead of holding a pool thread until a reader comes (regular files ignore the flag).
  const fd = await fdIo.open(source.path, constants.O_RDWR | (constants.O_NONBLOCK ?? 0));
  let st;
  try {
    // fstat of a descriptor just opened: answered from the inode in memory, so no pool round trip.
    st = fs.fstatSync(fd);
    if (!st.isFile()) throw new HexmapError(`Cannot write ${source.path}: it is no longer a regular file.`, 'ERR_HEXMAP_SPECIAL_FILE', source.path);
  } catch (e) {
    await fdIo.close(fd).catch(() => undefined);
    throw e;
  }
  const opened = { size: st.size, mtimeMs: st.mtimeMs, dev: st.dev, ino: st.ino };
  return kind === 'mapped' && source.kind === 'mapped' ? new MappedWriter(source, fd, opened) : new PwriteWriter(source, fd, opened);
}

class PwriteWriter implements FileWriter {
  readonly kind: WritePathKind = 'pwrite';
  readonly small: FileWriter['small'];
  size: number;
  private closed = false;
  constructor(protected readonly source: ByteSource, protected readonly fd: number, readonly opened: FileWriter['opened']) {
    this.size = opened.size;
    this.small = {
      read: (offset, length, into) => {
        checkRange(offset, length, this.size, source.path);
        const out = into && into.length >= length ? into.subarray(0, length) : new Uint8Array(length);
        for (let at = 0; at < length;) {
          const n = readSync(fd, out, at, length - at, offset + at);
          if (n === 0) throw new HexmapError(`${source.path} is shorter than expected (read at ${offset + at})`, 'ERR_HEXMAP_TRUNCATED', source.path);
          at += n;
        }
        return out;
      },
      write: (offset, bytes) => {
        for (let at = 0; at < bytes.length;) at += writeSync(fd, bytes, at, bytes.length - at, offset + at);
        this.size = Math.max(this.size, offset + bytes.length);
      },
    };
  }

  async read(offset: number, length: number, into?: Uint8Array): Promise<Uint8Array> {
    checkRange(offset, length, this.size, this.source.path);
    const out = into && into.length >= length ? into.subarray(0, length) : new Uint8Array(length);
    for (let at = 0; at < length;) {
      const bytesRead = await fdIo.read(this.fd, out, at, Math.min(CHUNK, length - at), offset + at);
      if (bytesRead === 0) throw new HexmapError(`${this.source.path} is shorter than expected (read at ${offset + at})`, 'ERR_HEXMAP_TRUNCATED', this.source.path);
      at += bytesRead;
    }
    return out;
  }

  async write(offset: number, bytes: Uint8Array): Promise<void> {
    for (let at = 0; at < bytes.length;) {
      const bytesWritten = await fdIo.write(this.fd, bytes, at, Math.min(CHUNK, bytes.length - at), offset + at);
      at += bytesWritten;
    }
    this.size = Math.max(this.size, offset + bytes.length);
  }

  async sync(): Promise<void> {
    await fdIo.datasync(this.fd);
  }

  async setSize(size: number): Promise<void> {
    if (this.source.closed) await fdIo.truncate(this.fd, size);
    else await changeSize(this.source, () => fdIo.truncate(this.fd, size));
    this.size = size;
  }

  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    closeSync(this.fd);
  }
}

/** Stores through the mapping; size changes still go through the handle (a mapping cannot resize a file). */
class MappedWriter extends PwriteWriter {
  override readonly kind: WritePathKind = 'mapped';
  override readonly small = undefined;

  override async read(offset: number, length: number, into?: Uint8Array): Promise<Uint8Array> {
    checkRange(offset, length, this.size, this.source.path);
    const out = into && into.length >= length ? into.subarray(0, length) : new Uint8Array(length);
    for (let at = 0; at < length; at += MAX_READ) out.set(await this.source.read(offset + at, Math.min(MAX_READ, length - at)), at);
    return out;
  }

  override async write(offset: number, bytes: Uint8Array): Promise<void> {
    if (offset + bytes.length > this.source.size) return super.write(offset, bytes);
    for (let at = 0; at < bytes.length; at += CHUNK) await this.source.write(offset + at, bytes.subarray(at, Math.min(bytes.length, at + CHUNK)));
  }

  override async sync(): Promise<void> {
    await this.source.flush(); // msync MS_SYNC + fsync
  }
}

function checkRange(offset: number, length: number, size: number, path: string): void {
  if (offset < 0 || length < 0 || offset + length > size) {
    throw new HexmapError(`${path}: range [${offset}, ${offset + length}) is outside the file (${size} bytes)`, 'ERR_HEXMAP_TRUNCATED', path);
  }
}
