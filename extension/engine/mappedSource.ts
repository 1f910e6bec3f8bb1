/**
 * The mapped ByteSource: a thin TypeScript shell over native/addon.cc's
 * MappedFile. Policy (argument checks, defaults, error shapes, AbortSignal)
 * lives here; C++ only maps, copies, and scans, bounds-checking again.
 */
import {
  ByteSource, Direction, FindOptions, FindResult, HexmapError, ScanOptions, Utf8Stats, Utf8StatsOptions,
} from './byteSource';
import { NativeAddon, NativeMappedFile, NativeScan } from './nativeAddon';
import {
  assertOpen, assertWritable, cancelledError, checkDirection, checkInteger, checkRead, checkScanOptions, checkWrite,
  flushRange, osError, planFind, planStats,
} from './validate';

const READ_ONLY_ERRORS = new Set(['EACCES', 'EPERM', 'EROFS', 'ETXTBSY']);

/** A native error (Error with .code) as the HexmapError the ByteSource contract promises. */
function fromNative(error: unknown, path: string, action: string): unknown {
  if (error instanceof HexmapError || error instanceof TypeError || error instanceof RangeError) return error;
  const code = (error as { code?: unknown })?.code;
  if (typeof code === 'string' && code.startsWith('ERR_HEXMAP_')) {
    return new HexmapError((error as Error).message, code, path);
  }
  return osError(error, path, action);
}

export class MappedSource implements ByteSource {
  readonly kind = 'mapped' as const;
  private closedFlag = false;
  private currentSize: number;

  private constructor(private readonly native: NativeMappedFile, readonly path: string) {
    this.currentSize = native.size;
  }

  static async open(addon: NativeAddon, path: string, options: { writable?: boolean } = {}): Promise<MappedSource> {
    if (typeof path !== 'string' || path.length === 0) throw new TypeError('path must be a non-empty string');
    const wantWrite = options.writable ?? true;
    try {
      return new MappedSource(new addon.MappedFile(path, wantWrite), path);
    } catch (e) {
      const code = (e as { code?: string }).code ?? '';
      if (!wantWrite || !READ_ONLY_ERRORS.has(code)) throw fromNative(e, path, 'open');
    }
    try {
      return new MappedSource(new addon.MappedFile(path, false), path);
    } catch (e) {
      throw fromNative(e, path, 'open');
    }
  }

  get size(): number { return this.currentSize; }
  get closed(): boolean { return this.closedFlag; }
  get writable(): boolean { return this.native.writable; }

  async read(offset: number, length: number): Promise<Uint8Array> {
    assertOpen(this.closedFlag, this.path);
    checkRead(offset, length, this.currentSize);
    let copy: Buffer;
    try { copy = this.native.read(offset, length); } catch (e) { throw fromNative(e, this.path, 'read'); }
    // A plain Uint8Array over the fresh copy, as the file backend returns (deepEqual-compatible across backends).
    return new Uint8Array(copy.buffer, copy.byteOffset, copy.length);
  }

  async write(offset: number, bytes: Uint8Array): Promise<void> {
    assertOpen(this.closedFlag, this.path);
    const b = checkWrite(offset, bytes, this.currentSize);
    assertWritable(this.writable, this.path);
    try { this.native.write(offset, b); } catch (e) { throw fromNative(e, this.path, 'write'); }
  }

  async flush(offset?: number, length?: number): Promise<void> {
    assertOpen(this.closedFlag, this.path);
    const [o, l] = flushRange(offset, length, this.currentSize);
    assertWritable(this.writable, this.path);
    try { await this.native.flush(o, l); } catch (e) { throw fromNative(e, this.path, 'flush'); }
  }

  async refresh(): Promise<number> {
    assertOpen(this.closedFlag, this.path);
    try { this.currentSize = this.native.refresh(); } catch (e) { throw fromNative(e, this.path, 'refresh'); }
    return this.currentSize;
  }

  async find(pattern: Uint8Array, options: FindOptions): Promise<FindResult> {
    assertOpen(this.closedFlag, this.path);
    const p = planFind(pattern, options, this.currentSize);
    return this.runScan(options, (progress) => this.native.find(p.pattern, p.mask, p.ignoreCase, p.backward, p.from,
      p.rangeStart, p.rangeEnd, p.maxMatches, progress));
  }

  async utf8Stats(options?: Utf8StatsOptions): Promise<Utf8Stats> {
    assertOpen(this.closedFlag, this.path);
    const p = planStats(options, this.currentSize);
    return this.runScan(options, (progress) => this.native.utf8Stats(p.offset, p.length, p.maxInvalidOffsets, progress));
  }

  async findInvalid(from: number, direction: Direction, options?: ScanOptions): Promise<number> {
    return this.findUnit(0, from, direction, options);
  }

  async findNonAscii(from: number, direction: Direction, options?: ScanOptions): Promise<number> {
    return this.findUnit(1, from, direction, options);
  }

  private findUnit(kind: 0 | 1, from: number, direction: Direction, options?: ScanOptions): Promise<number> {
    assertOpen(this.closedFlag, this.path);
    checkInteger('from', from, 0, this.currentSize);
    const backward = checkDirection(direction) === 'backward';
    checkScanOptions(options);
    return this.runScan(options, (progress) => this.native.findUnit(kind, from, backward, progress));
  }

  /** Starts a native scan on the libuv pool and maps the AbortSignal to its cancel flag. */
  private async runScan<T>(options: ScanOptions | undefined, start: (progress?: (done: number, total: number) => void) => NativeScan<T>): Promise<T> {
    const signal = options?.signal;
    if (signal?.aborted) throw cancelledError(this.path);
    let scan: NativeScan<T>;
    try { scan = start(options?.onProgress); } catch (e) { throw fromNative(e, this.path, 'scan'); }
    const onAbort = (): void => scan.cancel();
    signal?.addEventListener('abort', onAbort, { once: true });
    try {
      return await scan.promise;
    } catch (e) {
      throw fromNative(e, this.path, 'scan');
    } finally {
      signal?.removeEventListener('abort', onAbort);
    }
  }

  close(): void {
    if (this.closedFlag) return;
    this.closedFlag = true;
    // Unmapping waits in C++ for scans still holding the mapping; they stop at their next chunk.
    this.native.close();
  }
}
