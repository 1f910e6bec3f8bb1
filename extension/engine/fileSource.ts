/**
 * The fallback ByteSource: plain positional reads and writes on a file
 * descriptor. Same semantics as the mapped backend (same validation module,
 * same errors, same scan answers): it serves every platform the native addon
 * cannot load on, and the engine tests run one suite against both.
 */
import * as fs from 'node:fs';
import { promisify } from 'node:util';
import {
  ByteSource, Direction, FindOptions, FindResult, HexmapError, ScanOptions, Utf8Stats, Utf8StatsOptions,
} from './byteSource';
import { jsFind, jsFindUnit, jsUtf8Stats } from './jsScans';
import {
  assertOpen, assertWritable, checkDirection, checkInteger, checkRead, checkScanOptions, checkWrite, flushRange,
  osError, planFind, planStats, truncatedError,
} from './validate';

const readAsync = promisify(fs.read);
const writeAsync = promisify(fs.write);
const fsyncAsync = promisify(fs.fsync);
const fstatAsync = promisify(fs.fstat);

/** Errors that mean "you may read but not write" when opening for writing. */
const READ_ONLY_ERRORS = new Set(['EACCES', 'EPERM', 'EROFS', 'ETXTBSY']);

export interface OpenOptions {
  /** Ask for write access (default true); silently read-only when the file is not writable. */
  writable?: boolean;
}

/** Opens `path` read-write when asked and allowed, else read-only; refuses directories and non-regular files. */
export async function openFileDescriptor(path: string, wantWrite: boolean): Promise<{ fd: number; writable: boolean; size: number }> {
  if (typeof path !== 'string' || path.length === 0) throw new TypeError('path must be a non-empty string');
  let fd: number;
  let writable = wantWrite;
  try {
    fd = await promisify(fs.open)(path, wantWrite ? 'r+' : 'r');
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code ?? '';
    if (!wantWrite || !READ_ONLY_ERRORS.has(code)) throw osError(e, path, 'open');
    writable = false;
    try { fd = await promisify(fs.open)(path, 'r'); } catch (e2) { throw osError(e2, path, 'open'); }
  }
  try {
    const st = await fstatAsync(fd);
    if (st.isDirectory()) throw new HexmapError(`Hexmap: cannot open ${path}: EISDIR (it is a directory)`, 'EISDIR', path);
    if (!st.isFile()) throw new HexmapError(`Hexmap: cannot open ${path}: not a regular file`, 'ERR_HEXMAP_NOT_A_FILE', path);
    return { fd, writable, size: st.size };
  } catch (e) {
    fs.closeSync(fd);
    throw osError(e, path, 'open');
  }
}

export class FileSource implements ByteSource {
  readonly kind = 'file' as const;
  private closedFlag = false;
  /** Operations in flight: the descriptor is closed only when they are done, so it is never reused under them. */
  private inFlight = 0;
  private closePending = false;

  private constructor(readonly path: string, private readonly fd: number, readonly writable: boolean, private currentSize: number) {}

  static async open(path: string, options: OpenOptions = {}): Promise<FileSource> {
    const { fd, writable, size } = await openFileDescriptor(path, options.writable ?? true);
    return new FileSource(path, fd, writable, size);
  }

  get size(): number { return this.currentSize; }
  get closed(): boolean { return this.closedFlag; }

  private async track<T>(work: () => Promise<T>): Promise<T> {
    this.inFlight++;
    try { return await work(); } finally {
      this.inFlight--;
      if (this.inFlight === 0 && this.closePending) this.releaseDescriptor();
    }
  }

  /** Reads exactly [offset, offset+length): a short read means the file shrank behind our back. */
  private readExact = (offset: number, length: number): Promise<Uint8Array> => this.track(async () => {
    assertOpen(this.closedFlag, this.path);
    const out = Buffer.allocUnsafe(length);
    let got = 0;
    while (got < length) {
      let n: number;
      try { n = (await readAsync(this.fd, out, got, length - got, offset + got)).bytesRead; } catch (e) { throw osError(e, this.path, 'read'); }
      if (n === 0) throw truncatedError(this.path, ` (read ${offset + got} is past the end)`);
      got += n;
    }
    return new Uint8Array(out.buffer, out.byteOffset, length);
  });

  async read(offset: number, length: number): Promise<Uint8Array> {
    assertOpen(this.closedFlag, this.path);
    checkRead(offset, length, this.currentSize);
    if (length === 0) return new Uint8Array(0);
    return this.readExact(offset, length);
  }

  async write(offset: number, bytes: Uint8Array): Promise<void> {
    assertOpen(this.closedFlag, this.path);
    const b = checkWrite(offset, bytes, this.currentSize);
    assertWritable(this.writable, this.path);
    if (b.length === 0) return;
    await this.track(async () => {
      // A positional write past a shrunken end would silently grow the file; the mapping would fault instead.
      const st = await fstatAsync(this.fd).catch((e) => { throw osError(e, this.path, 'stat'); });
      if (offset + b.length > st.size) throw truncatedError(this.path, ` (write at ${offset} is past the end ${st.size})`);
      let put = 0;
      while (put < b.length) {
        try { put += (await writeAsync(this.fd, b, put, b.length - put, offset + put)).bytesWritten; } catch (e) { throw osError(e, this.path, 'write'); }
      }
    });
  }

  async flush(offset?: number, length?: number): Promise<void> {
    assertOpen(this.closedFlag, this.path);
    flushRange(offset, length, this.currentSize);
    assertWritable(this.writable, this.path);
    // Positional writes go straight to the page cache; one fsync makes every range durable.
    await this.track(() => fsyncAsync(this.fd).catch((e) => { throw osError(e, this.path, 'flush'); }));
  }

  async refresh(): Promise<number> {
    assertOpen(this.closedFlag, this.path);
    const st = await this.track(() => fstatAsync(this.fd).catch((e) => { throw osError(e, this.path, 'stat'); }));
    this.currentSize = st.size;
    return st.size;
  }

  async find(pattern: Uint8Array, options: FindOptions): Promise<FindResult> {
    assertOpen(this.closedFlag, this.path);
    const plan = planFind(pattern, options, this.currentSize);
    return jsFind(this.readExact, plan, options, this.path);
  }

  async utf8Stats(options?: Utf8StatsOptions): Promise<Utf8Stats> {
    assertOpen(this.closedFlag, this.path);
    const plan = planStats(options, this.currentSize);
    return jsUtf8Stats(this.readExact, plan, options ?? {}, this.path);
  }

  async findInvalid(from: number, direction: Direction, options?: ScanOptions): Promise<number> {
    return this.findUnit(from, direction, 'invalid', options);
  }

  async findNonAscii(from: number, direction: Direction, options?: ScanOptions): Promise<number> {
    return this.findUnit(from, direction, 'nonAscii', options);
  }

  private findUnit(from: number, direction: Direction, kind: 'invalid' | 'nonAscii', options?: ScanOptions): Promise<number> {
    assertOpen(this.closedFlag, this.path);
    checkInteger('from', from, 0, this.currentSize);
    const d = checkDirection(direction);
    checkScanOptions(options);
    return jsFindUnit(this.readExact, this.currentSize, from, d === 'backward', kind, options ?? {}, this.path);
  }

  close(): void {
    if (this.closedFlag) return;
    this.closedFlag = true;
    if (this.inFlight === 0) this.releaseDescriptor(); else this.closePending = true;
  }

  private releaseDescriptor(): void {
    this.closePending = false;
    try { fs.closeSync(this.fd); } catch { /* already gone: nothing left to release */ }
  }
}
