/**
 * The fallback ByteSource: plain positional reads and writes on a file
 * descriptor. Same semantics as the mapped backend (same validation module,
 * same errors, same scan answers): it serves every platform the native addon
 * cannot load on, and files that cannot be mapped; the engine tests run one
 * suite against both. Where the addon is loaded, it counts the UTF-8
 * statistics of the chunks read here (chunkStats.ts).
 */
import * as fs from 'node:fs';
import { promisify } from 'node:util';
import {
  ByteSource, Direction, FindOptions, FindResult, ScanOptions, UnitScanOptions, Utf8Stats, Utf8StatsOptions,
} from './byteSource';
import { utf8StatsOverReads } from './chunkStats';
import { jsFind, jsFindUnit } from './jsScans';
import { directoryError, probePath, specialFileError } from './pathProbe';
import { fileScanLane } from './scanLane';
import { SharedScans } from './sharedScans';
import {
  assertOpen, assertWritable, checkRead, checkWrite, flushRange,
  osError, planFind, planStats, planUnitScan, truncatedError,
} from './validate';

const readAsync = promisify(fs.read);
const writeAsync = promisify(fs.write);
const fsyncAsync = promisify(fs.fsync);
const fstatAsync = promisify(fs.fstat);
const openAsync = promisify(fs.open) as (path: string, flags: number) => Promise<number>;

/** Errors that mean "you may read but not write" when opening for writing. */
const READ_ONLY_ERRORS = new Set(['EACCES', 'EPERM', 'EROFS', 'ETXTBSY']);

export interface OpenOptions {
  /** Ask for write access (default true); silently read-only when the file is not writable. */
  writable?: boolean;
  /** Why this file is served by plain reads although the addon loaded (ByteSource.notice). */
  notice?: string;
}

/**
 * Opens `path` read-write when asked and allowed, else read-only. What the path is (pathProbe.ts) is
 * settled first, so a FIFO or a device is refused before anything could wait on it; the open itself
 * is non-blocking and the descriptor is checked again, in case the path changed in between.
 */
export async function openFileDescriptor(path: string, wantWrite: boolean): Promise<{ fd: number; writable: boolean; size: number; device: boolean }> {
  const probe = await probePath(path);
  const device = probe.kind === 'block-device';
  let writable = wantWrite && !device;
  const flags = (w: boolean): number => (w ? fs.constants.O_RDWR : fs.constants.O_RDONLY) | (fs.constants.O_NONBLOCK ?? 0);
  let fd: number;
  try {
    fd = await openAsync(path, flags(writable));
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code ?? '';
    if (!writable || !READ_ONLY_ERRORS.has(code)) throw osError(e, path, 'open');
    writable = false;
    try { fd = await openAsync(path, flags(false)); } catch (e2) { throw osError(e2, path, 'open'); }
  }
  try {
    const st = await fstatAsync(fd);
    if (st.isDirectory()) throw directoryError(path);
    if (st.isBlockDevice() && device) return { fd, writable, size: await deviceSize(fd), device };
    if (!st.isFile()) throw specialFileError(path, st.isFIFO() ? 'FIFO' : st.isSocket() ? 'socket' : st.isCharacterDevice() ? 'character device' : 'special file');
    return { fd, writable, size: st.size, device: false };
  } catch (e) {
    fs.closeSync(fd);
    throw osError(e, path, 'open');
  }
}

/**
 * A block device's size, which fstat reports as 0 and Node has no lseek(SEEK_END) for: the end is the
 * first offset a one-byte read finds nothing at, found by doubling then bisecting (~2 log2(size) reads).
 */
export async function deviceSize(fd: number): Promise<number> {
  const probe = Buffer.alloc(1);
  const hasByte = async (offset: number): Promise<boolean> => (await readAsync(fd, probe, 0, 1, offset)).bytesRead === 1;
  if (!(await hasByte(0))) return 0;
  let low = 0; // a byte exists here
  let high = 1; // doubled until no byte exists there
  while (await hasByte(high)) {
    low = high;
    high *= 2;
    if (high > Number.MAX_SAFE_INTEGER) return low + 1;
  }
  while (high - low > 1) {
    const mid = low + Math.floor((high - low) / 2);
    if (await hasByte(mid)) low = mid; else high = mid;
  }
  return high;
}

export class FileSource implements ByteSource {
  readonly kind = 'file' as const;
  notice?: string;
  private closedFlag = false;
  /** Operations in flight: the descriptor is closed only when they are done, so it is never reused under them. */
  private inFlight = 0;
  private closePending = false;
  /** Bumped by every write and refresh: scans started before and after a change never share a run. */
  private generation = 0;
  private readonly scans: SharedScans;

  private constructor(readonly path: string, private readonly fd: number, readonly writable: boolean, private currentSize: number,
    private readonly device: boolean) {
    this.scans = new SharedScans(path);
  }

  static async open(path: string, options: OpenOptions = {}): Promise<FileSource> {
    const { fd, writable, size, device } = await openFileDescriptor(path, options.writable ?? true);
    const source = new FileSource(path, fd, writable, size, device);
    if (options.notice) source.notice = options.notice;
    return source;
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

  /** Scans read their chunks through the shared lane (scanLane.ts); window reads do not wait for it. */
  private readForScan = (offset: number, length: number): Promise<Uint8Array> => fileScanLane.run(() => this.readExact(offset, length));

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
    this.generation++;
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
    this.generation++;
    const st = await this.track(() => fstatAsync(this.fd).catch((e) => { throw osError(e, this.path, 'stat'); }));
    this.currentSize = this.device ? await this.track(() => deviceSize(this.fd)) : st.size;
    return this.currentSize;
  }

  async find(pattern: Uint8Array, options: FindOptions): Promise<FindResult> {
    assertOpen(this.closedFlag, this.path);
    const p = planFind(pattern, options, this.currentSize);
    const key = `find:${p.backward}:${p.ignoreCase}:${p.from}:${p.rangeStart}:${p.rangeEnd}:${p.maxMatches}:${p.pattern.join(',')}:${p.mask.join(',')}`;
    return this.shared(key, options, (scan) => jsFind(this.readForScan, p, scan, this.path));
  }

  async utf8Stats(options?: Utf8StatsOptions): Promise<Utf8Stats> {
    assertOpen(this.closedFlag, this.path);
    const p = planStats(options, this.currentSize);
    return this.shared(`stats:${p.offset}:${p.length}:${p.maxInvalidOffsets}`, options, (scan) => utf8StatsOverReads(this.readForScan, p, scan, this.path));
  }

  async findInvalid(from: number, direction: Direction, options?: UnitScanOptions): Promise<number> {
    return this.findUnit(from, direction, 'invalid', options);
  }

  async findNonAscii(from: number, direction: Direction, options?: UnitScanOptions): Promise<number> {
    return this.findUnit(from, direction, 'nonAscii', options);
  }

  private findUnit(from: number, direction: Direction, kind: 'invalid' | 'nonAscii', options?: UnitScanOptions): Promise<number> {
    assertOpen(this.closedFlag, this.path);
    const plan = planUnitScan(from, direction, options, this.currentSize);
    const size = this.currentSize;
    return this.shared(`unit:${kind}:${plan.low}:${plan.high}:${plan.backward}`, options, (scan) => jsFindUnit(this.readForScan, size, plan, kind, scan, this.path));
  }

  /** Runs a scan over plain reads, or joins an identical one already running (sharedScans.ts). */
  private shared<T>(key: string, options: ScanOptions | undefined, start: (scan: ScanOptions) => Promise<T>): Promise<T> {
    return this.scans.run(`${this.generation}:${key}`, options, (onProgress) => {
      const controller = new AbortController();
      return { promise: start({ signal: controller.signal, onProgress }), cancel: () => controller.abort() };
    });
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
