/**
 * An in-memory ByteSource with deliberately naive scans, for
 * search/count tests that must also run where no engine backend is built.
 * The tests run the same cases on the real backends (FileSource, the mapped
 * addon) when they are present; this one only widens coverage (tiny chunk
 * edges, counted calls), it is never the only backend a result is checked on.
 */
import {
  HexmapError, MAX_READ, type ByteSource, type Direction, type FindOptions, type FindResult,
  type ScanOptions, type UnitScanOptions, type Utf8Stats, type Utf8StatsOptions,
} from '../../extension/engine/byteSource';
import { countUtf8, decodeUnit, emptyCounts, newUnit } from '../../shared/utf8';

export class MemoryByteSource implements ByteSource {
  readonly kind = 'file' as const;
  readonly writable = true;
  closed = false;
  /** Calls per method, so tests can see the native path was taken. */
  readonly calls = { read: 0, find: 0, utf8Stats: 0 };

  constructor(private data: Uint8Array, readonly path = 'memory') {}

  /** Replace the whole content (another writer, or a save, changed the "file"). */
  setContent(bytes: Uint8Array): void {
    this.data = bytes;
  }

  get size(): number { return this.data.length; }

  private check(offset: number, length: number): void {
    if (this.closed) throw new HexmapError('closed', 'ERR_HEXMAP_CLOSED');
    if (!Number.isSafeInteger(offset) || !Number.isSafeInteger(length) || offset < 0 || length < 0 || offset + length > this.size) {
      throw new RangeError(`range ${offset}+${length} outside 0..${this.size}`);
    }
  }

  private static cancelled(options?: ScanOptions): void {
    if (options?.signal?.aborted) throw new HexmapError('cancelled', 'ERR_HEXMAP_CANCELLED');
  }

  async read(offset: number, length: number): Promise<Uint8Array> {
    this.check(offset, length);
    if (length > MAX_READ) throw new RangeError('read too long');
    this.calls.read++;
    return this.data.slice(offset, offset + length);
  }

  async write(offset: number, bytes: Uint8Array): Promise<void> {
    this.check(offset, bytes.length);
    this.data.set(bytes, offset);
  }

  async flush(): Promise<void> {}
  async refresh(): Promise<number> { return this.size; }

  async find(pattern: Uint8Array, o: FindOptions): Promise<FindResult> {
    MemoryByteSource.cancelled(o);
    this.calls.find++;
    const rangeStart = o.rangeStart ?? 0;
    const rangeEnd = o.rangeEnd ?? this.size;
    const matches: number[] = [];
    const at = (i: number) => {
      for (let k = 0; k < pattern.length; k++) {
        const m = o.mask ? o.mask[k] : 0xff;
        let a = this.data[i + k] & m;
        let b = pattern[k] & m;
        if (o.ignoreCase && m === 0xff && /[A-Za-z]/.test(String.fromCharCode(b))) { a |= 0x20; b |= 0x20; }
        if (a !== b) return false;
      }
      return true;
    };
    const last = rangeEnd - pattern.length;
    if (!o.backward) {
      for (let i = Math.max(o.from, rangeStart); i <= last; i++) {
        if (at(i)) { matches.push(i); if (matches.length >= o.maxMatches) return { matches, complete: false }; }
      }
    } else {
      for (let i = Math.min(o.from - 1, last); i >= rangeStart; i--) {
        if (at(i)) { matches.push(i); if (matches.length >= o.maxMatches) return { matches, complete: false }; }
      }
    }
    return { matches, complete: true };
  }

  async utf8Stats(o: Utf8StatsOptions = {}): Promise<Utf8Stats> {
    MemoryByteSource.cancelled(o);
    this.calls.utf8Stats++;
    const offset = o.offset ?? 0;
    const length = o.length ?? this.size - offset;
    this.check(offset, length);
    const bytes = this.data.subarray(offset, offset + length);
    const counts = emptyCounts();
    const invalidOffsets: number[] = [];
    const max = o.maxInvalidOffsets ?? 100;
    countUtf8(bytes, counts, true, (i) => { if (invalidOffsets.length < max) invalidOffsets.push(offset + i); });
    const bom = length >= 3 && bytes[0] === 0xef && bytes[1] === 0xbb && bytes[2] === 0xbf;
    return { ...counts, invalidOffsets, bom };
  }

  async findInvalid(from: number, direction: Direction, options?: UnitScanOptions): Promise<number> {
    return this.findUnit(from, direction, options, (status, lead) => status !== 'valid' && lead >= 0);
  }

  async findNonAscii(from: number, direction: Direction, options?: UnitScanOptions): Promise<number> {
    return this.findUnit(from, direction, options, (_status, lead) => lead >= 0x80);
  }

  /** Walks the units of the whole file (from 0: the true unit boundaries), keeping those in the range. */
  private findUnit(from: number, direction: Direction, options: UnitScanOptions | undefined, wanted: (status: string, lead: number) => boolean): number {
    const start = options?.rangeStart ?? 0;
    const end = options?.rangeEnd ?? this.size;
    const unit = newUnit();
    let best = -1;
    for (let i = 0; i < this.size; i += unit.length) {
      decodeUnit(this.data, i, this.size, unit);
      if (!wanted(unit.status, this.data[i]) || i < start || i >= end) continue;
      if (direction === 'forward' && i >= from) return i;
      if (direction === 'backward') { if (i < from) best = i; else break; }
    }
    return best;
  }

  close(): void { this.closed = true; }
}
