/**
 * The mapped ByteSource: a thin TypeScript shell over native/addon.cc's
 * MappedFile. Policy (argument checks, defaults, error shapes, AbortSignal,
 * sharing identical scans) lives here; C++ only maps, copies, and scans,
 * bounds-checking again.
 *
 * Nothing here waits on a disk on the JS thread: open, refresh, writes and
 * flushes run on the addon's worker threads, and a window read is copied
 * synchronously only when the addon says all its pages are in memory
 * (mincore); otherwise it is copied on the worker too. While any worker read
 * or write is in flight, reads queue behind it, so they never overtake a
 * write.
 */
import {
  ByteSource, Direction, FindOptions, FindResult, HexmapError, ScanOptions, TextScanOptions, TextScanResult, UnitScanOptions, Utf8Stats, Utf8StatsOptions,
} from './byteSource';
import { NativeAddon, NativeMappedFile, NativeScan } from './nativeAddon';
import { checkPath, nulInPathError, probePath, specialFileError } from './pathProbe';
import { SharedScans } from './sharedScans';
import {
  assertOpen, assertWritable, checkRead, checkWrite,
  flushRange, osError, planFind, planStats, planUnitScan,
} from './validate';

const READ_ONLY_ERRORS = new Set(['EACCES', 'EPERM', 'EROFS', 'ETXTBSY']);

/** The calls that map a file (POSIX, Windows): when one of them fails after the open, plain reads can serve the file. */
const MAPPING_CALLS = new Set(['mmap', 'CreateFileMapping', 'MapViewOfFile']);

/** The file could be opened but not mapped (no mmap on its file system, ENOMEM, vm.max_map_count...). */
export class MapFailedError extends HexmapError {
  constructor(path: string, readonly reason: string, cause: unknown) {
    super(`Hexmap: cannot memory-map ${path}: ${reason}`, 'ERR_HEXMAP_MMAP_FAILED', path);
    (this as { cause?: unknown }).cause = cause;
  }
}

/** A native error (Error with .code) as the HexmapError the ByteSource contract promises. */
function fromNative(error: unknown, path: string, action: string): unknown {
  if (error instanceof HexmapError || error instanceof TypeError || error instanceof RangeError) return error;
  const { code, kind, syscall } = (error ?? {}) as { code?: unknown; kind?: unknown; syscall?: unknown };
  if (code === 'ERR_HEXMAP_SPECIAL_FILE') return specialFileError(path, typeof kind === 'string' ? kind : 'special file');
  if (code === 'ERR_HEXMAP_NUL_IN_PATH') return nulInPathError(path);
  if (typeof syscall === 'string' && MAPPING_CALLS.has(syscall)) return new MapFailedError(path, String(code), error);
  if (typeof code === 'string' && code.startsWith('ERR_HEXMAP_')) {
    return new HexmapError((error as Error).message, code, path);
  }
  return osError(error, path, action);
}

/** What Windows answers a size change while a view still exists (ERROR_USER_MAPPED_FILE, as libuv names it). */
const STILL_MAPPED = new Set(['UNKNOWN', 'EPERM', 'EBUSY', 'EACCES']);
const UNMAP_WAIT_MS = 5000;

/**
 * Runs `change` once the let-go view is really gone: close() hands the view to
 * the addon's worker, and a scan still running holds it until its next step,
 * so for a moment Windows may still refuse. Retries then, for a bounded time.
 */
async function whenUnmapped(change: () => Promise<void>): Promise<void> {
  const deadline = Date.now() + UNMAP_WAIT_MS;
  for (let delay = 1; ; delay = Math.min(delay * 2, 50)) {
    try { return await change(); } catch (e) {
      if (!STILL_MAPPED.has((e as { code?: string }).code ?? '') || Date.now() > deadline) throw e;
    }
    await new Promise((resolve) => setTimeout(resolve, delay));
  }
}

export interface MappedOpenOptions {
  writable?: boolean;
  /** Test seam: make the mmap step fail (ENODEV) after the file opened, to exercise the fallback. */
  failMmap?: boolean;
}

export class MappedSource implements ByteSource {
  readonly kind = 'mapped' as const;
  private closedFlag = false;
  private currentSize: number;
  /** Worker reads and writes not yet settled: while any is, reads take the worker path too (in order). */
  private inFlight = 0;
  /** Bumped by every write and refresh: scans started before and after a change never share a run. */
  private generation = 0;
  private readonly scans: SharedScans;
  /** Set while the view is let go around a size change (Windows): every call waits for the new view. */
  private remapping: Promise<void> | undefined;

  private constructor(private readonly addon: NativeAddon, private native: NativeMappedFile, readonly path: string) {
    this.currentSize = native.size;
    this.scans = new SharedScans(path);
  }

  static async open(addon: NativeAddon, path: string, options: MappedOpenOptions = {}): Promise<MappedSource> {
    checkPath(path);
    const probe = await probePath(path);
    // Block devices open read-only: their bytes are a disk's, not a file's.
    const wantWrite = (options.writable ?? true) && probe.kind === 'file';
    const failMmap = options.failMmap === true;
    try {
      return new MappedSource(addon, await addon.openMapped(path, wantWrite, failMmap), path);
    } catch (e) {
      const code = (e as { code?: string }).code ?? '';
      if (!wantWrite || !READ_ONLY_ERRORS.has(code)) throw fromNative(e, path, 'open');
    }
    try {
      return new MappedSource(addon, await addon.openMapped(path, false, failMmap), path);
    } catch (e) {
      throw fromNative(e, path, 'open');
    }
  }

  get size(): number { return this.currentSize; }
  get closed(): boolean { return this.closedFlag; }
  get writable(): boolean { return this.native.writable; }

  async read(offset: number, length: number): Promise<Uint8Array> {
    assertOpen(this.closedFlag, this.path);
    if (this.remapping) await this.remapping;
    checkRead(offset, length, this.currentSize);
    let copy: Buffer | undefined;
    try {
      if (this.inFlight === 0) copy = this.native.readResident(offset, length);
      copy ??= await this.onWorker(() => this.native.read(offset, length));
    } catch (e) { throw fromNative(e, this.path, 'read'); }
    // A plain Uint8Array over the fresh copy, as the file backend returns (deepEqual-compatible across backends).
    return new Uint8Array(copy.buffer, copy.byteOffset, copy.length);
  }

  async write(offset: number, bytes: Uint8Array): Promise<void> {
    assertOpen(this.closedFlag, this.path);
    if (this.remapping) await this.remapping;
    const b = checkWrite(offset, bytes, this.currentSize);
    assertWritable(this.writable, this.path);
    this.generation++;
    try { await this.onWorker(() => this.native.write(offset, b)); } catch (e) { throw fromNative(e, this.path, 'write'); }
  }

  async flush(offset?: number, length?: number): Promise<void> {
    assertOpen(this.closedFlag, this.path);
    if (this.remapping) await this.remapping;
    const [o, l] = flushRange(offset, length, this.currentSize);
    assertWritable(this.writable, this.path);
    try { await this.native.flush(o, l); } catch (e) { throw fromNative(e, this.path, 'flush'); }
  }

  async refresh(): Promise<number> {
    assertOpen(this.closedFlag, this.path);
    if (this.remapping) await this.remapping;
    this.generation++;
    try { this.currentSize = await this.onWorker(() => this.native.refresh()); } catch (e) { throw fromNative(e, this.path, 'refresh'); }
    return this.currentSize;
  }

  /**
   * Windows refuses to change the size of a file while a view of it is mapped
   * (ERROR_USER_MAPPED_FILE), so there the view is let go, `change` runs, and
   * the file is mapped again, whether or not `change` succeeded: the source
   * stays usable. Calls made meanwhile wait for the new view. Elsewhere the
   * view stays and refresh() remaps to the new size.
   */
  async aroundSizeChange(change: () => Promise<void>): Promise<number> {
    assertOpen(this.closedFlag, this.path);
    assertWritable(this.writable, this.path);
    if (process.platform !== 'win32') {
      await change();
      return this.refresh();
    }
    while (this.remapping) await this.remapping;
    while (this.inFlight > 0) await new Promise((resolve) => setImmediate(resolve));
    this.generation++;
    let failure: unknown;
    const remap = (async () => {
      this.native.close(); // scans still running on the old view stop at their next step
      try { await whenUnmapped(change); } catch (e) { failure = e; }
      const next = await this.addon.openMapped(this.path, true, false).catch((e) => { throw fromNative(e, this.path, 'open'); });
      if (this.closedFlag) { next.close(); return; }
      this.native = next;
      this.currentSize = next.size;
    })();
    this.remapping = remap.catch(() => undefined);
    try { await remap; } finally { this.remapping = undefined; }
    if (failure !== undefined) throw failure;
    assertOpen(this.closedFlag, this.path);
    return this.currentSize;
  }

  private async onWorker<T>(start: () => Promise<T>): Promise<T> {
    this.inFlight++;
    try { return await start(); } finally { this.inFlight--; }
  }

  async find(pattern: Uint8Array, options: FindOptions): Promise<FindResult> {
    assertOpen(this.closedFlag, this.path);
    const p = planFind(pattern, options, this.currentSize);
    const key = `find:${p.backward}:${p.ignoreCase}:${p.from}:${p.rangeStart}:${p.rangeEnd}:${p.maxMatches}:${p.pattern.join(',')}:${p.mask.join(',')}`;
    return this.runScan(key, options, (progress) => this.native.find(p.pattern, p.mask, p.ignoreCase, p.backward, p.from,
      p.rangeStart, p.rangeEnd, p.maxMatches, progress));
  }

  async utf8Stats(options?: Utf8StatsOptions): Promise<Utf8Stats> {
    assertOpen(this.closedFlag, this.path);
    const p = planStats(options, this.currentSize);
    return this.runScan(`stats:${p.offset}:${p.length}:${p.maxInvalidOffsets}`, options, (progress) => this.native.utf8Stats(p.offset, p.length, p.maxInvalidOffsets, progress));
  }

  async textStats(options: TextScanOptions): Promise<TextScanResult> {
    assertOpen(this.closedFlag, this.path);
    const native = this.native;
    if (!native.textStats) throw new Error('this build of the native addon has no text scans');
    const p = planStats({ offset: options.offset, length: options.length, maxInvalidOffsets: options.maxInvalidOffsets }, this.currentSize);
    const kind = options.kind === 'single-byte' ? 0 : options.kind === 'utf-16le' ? 1 : 2;
    if (options.flagged !== undefined && (!(options.flagged instanceof Uint8Array) || options.flagged.length !== 256)) {
      throw new TypeError('textStats: flagged must be a Uint8Array of 256 entries');
    }
    const midUnit = options.midUnit === true;
    const stop = options.stopAtInvalid === true;
    const key = `text:${kind}:${p.offset}:${p.length}:${midUnit}:${p.maxInvalidOffsets}:${stop}:${options.flagged?.join(',') ?? ''}`;
    return this.runScan(key, options, (progress) => native.textStats!(kind, p.offset, p.length, midUnit, p.maxInvalidOffsets, stop, options.flagged, progress));
  }

  async findInvalid(from: number, direction: Direction, options?: UnitScanOptions): Promise<number> {
    return this.findUnit(0, from, direction, options);
  }

  async findNonAscii(from: number, direction: Direction, options?: UnitScanOptions): Promise<number> {
    return this.findUnit(1, from, direction, options);
  }

  private findUnit(kind: 0 | 1, from: number, direction: Direction, options?: UnitScanOptions): Promise<number> {
    assertOpen(this.closedFlag, this.path);
    const { low, high, backward } = planUnitScan(from, direction, options, this.currentSize);
    return this.runScan(`unit:${kind}:${low}:${high}:${backward}`, options, (progress) => this.native.findUnit(kind, low, high, backward, progress));
  }

  /** Starts a native scan on the addon's background thread, or joins an identical one already running. */
  private async runScan<T>(key: string, options: ScanOptions | undefined, start: (progress: (done: number, total: number) => void) => NativeScan<T>): Promise<T> {
    if (this.remapping) await this.remapping;
    try {
      return await this.scans.run(`${this.generation}:${key}`, options, (progress) => start(progress));
    } catch (e) {
      throw fromNative(e, this.path, 'scan');
    }
  }

  close(): void {
    if (this.closedFlag) return;
    this.closedFlag = true;
    // Unmapping waits in C++ for jobs still holding the mapping; scans stop at their next step.
    this.native.close();
  }
}
