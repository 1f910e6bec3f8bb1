/**
 * The unsaved bytes of a document: a sparse set of changed runs laid over the
 * file on disk. Memory grows with the edits, never with the file: a 50 GB file
 * with one changed byte costs one run of one byte.
 *
 * Runs are kept sorted by offset, non-overlapping, and adjacent runs are
 * coalesced, so a window lookup is a binary search plus a short walk.
 *
 * Copy-on-write: a run's buffer is never modified after it is stored; `set`
 * builds a new buffer for the merged run. That makes the views returned by
 * `runs()` stable snapshots, which the save path relies on while it writes
 * asynchronously and the user keeps typing.
 */
import type { ByteRange } from '../../shared/protocol';

export interface OverlayRun {
  offset: number;
  bytes: Uint8Array;
}

export class EditOverlay {
  /** Start offsets, ascending; `buffers[i]` holds the bytes of run i. */
  private starts: number[] = [];
  private buffers: Uint8Array[] = [];
  private total = 0;

  /** Bytes currently overlaid (sum of run lengths). */
  get byteCount(): number {
    return this.total;
  }

  /** Number of separate runs. */
  get runCount(): number {
    return this.starts.length;
  }

  /** Overwrite [offset, offset+bytes.length) with `bytes` (copied). */
  set(offset: number, bytes: Uint8Array): void {
    checkOffset(offset);
    if (bytes.length === 0) return;
    const end = offset + bytes.length;
    // Runs that overlap or touch [offset, end) merge into one.
    const first = this.firstEndingAtOrAfter(offset);
    let last = first;
    while (last < this.starts.length && this.starts[last] <= end) last++;
    if (first === last) {
      this.insertRun(first, offset, bytes.slice());
      return;
    }
    const mergedStart = Math.min(offset, this.starts[first]);
    const lastEnd = this.starts[last - 1] + this.buffers[last - 1].length;
    const mergedEnd = Math.max(end, lastEnd);
    const merged = new Uint8Array(mergedEnd - mergedStart);
    let removed = 0;
    for (let i = first; i < last; i++) {
      merged.set(this.buffers[i], this.starts[i] - mergedStart);
      removed += this.buffers[i].length;
    }
    merged.set(bytes, offset - mergedStart);
    this.starts.splice(first, last - first, mergedStart);
    this.buffers.splice(first, last - first, merged);
    this.total += merged.length - removed;
  }

  /** Forget the overlaid bytes in [offset, offset+length): they show disk bytes again. */
  clearRange(offset: number, length: number): void {
    checkOffset(offset);
    if (length <= 0) return;
    const end = offset + length;
    let i = this.firstEndingAfter(offset);
    while (i < this.starts.length && this.starts[i] < end) {
      const start = this.starts[i];
      const buf = this.buffers[i];
      const runEnd = start + buf.length;
      const keepLeft = offset > start ? buf.subarray(0, offset - start) : undefined;
      const keepRight = end < runEnd ? buf.subarray(end - start) : undefined;
      const pieces: [number, Uint8Array][] = [];
      if (keepLeft) pieces.push([start, keepLeft]);
      if (keepRight) pieces.push([end, keepRight]);
      this.starts.splice(i, 1, ...pieces.map((p) => p[0]));
      this.buffers.splice(i, 1, ...pieces.map((p) => p[1]));
      this.total -= buf.length - (keepLeft?.length ?? 0) - (keepRight?.length ?? 0);
      i += pieces.length;
    }
  }

  /**
   * Runs intersecting [offset, offset+length), clipped to it, in order. The
   * buffers are read-only views (snapshots: see the class comment).
   */
  runs(offset = 0, length = Infinity): OverlayRun[] {
    checkOffset(offset);
    const out: OverlayRun[] = [];
    if (!(length > 0)) return out;
    const end = offset + length;
    for (let i = this.firstEndingAfter(offset); i < this.starts.length && this.starts[i] < end; i++) {
      const start = this.starts[i];
      const buf = this.buffers[i];
      const from = Math.max(start, offset);
      const to = Math.min(start + buf.length, end);
      out.push({ offset: from, bytes: from === start && to === start + buf.length ? buf : buf.subarray(from - start, to - start) });
    }
    return out;
  }

  /** The overlaid ranges intersecting [offset, offset+length), clipped. */
  ranges(offset = 0, length = Infinity): ByteRange[] {
    return this.runs(offset, length).map((r) => ({ offset: r.offset, length: r.bytes.length }));
  }

  /** Overwrite `target` (disk bytes of [offset, offset+target.length)) with the edited bytes. */
  applyTo(offset: number, target: Uint8Array): void {
    for (const run of this.runs(offset, target.length)) target.set(run.bytes, run.offset - offset);
  }

  /** True when no byte is overlaid. */
  get isEmpty(): boolean {
    return this.starts.length === 0;
  }

  /** Approximate heap bytes held (buffers plus per-run bookkeeping). */
  get memoryBytes(): number {
    return this.total + this.starts.length * 96;
  }

  clear(): void {
    this.starts = [];
    this.buffers = [];
    this.total = 0;
  }

  /** A deep copy (for snapshots in tests and save bookkeeping). */
  clone(): EditOverlay {
    const copy = new EditOverlay();
    copy.starts = this.starts.slice();
    copy.buffers = this.buffers.slice(); // buffers are immutable (copy-on-write)
    copy.total = this.total;
    return copy;
  }

  private insertRun(index: number, offset: number, bytes: Uint8Array): void {
    this.starts.splice(index, 0, offset);
    this.buffers.splice(index, 0, bytes);
    this.total += bytes.length;
  }

  /** Index of the first run whose end is > offset (the first that could intersect). */
  private firstEndingAfter(offset: number): number {
    return this.search((i) => this.starts[i] + this.buffers[i].length > offset);
  }

  /** Index of the first run whose end is >= offset (the first that could touch). */
  private firstEndingAtOrAfter(offset: number): number {
    return this.search((i) => this.starts[i] + this.buffers[i].length >= offset);
  }

  /** Smallest index for which `pred` holds (pred is monotone over the sorted runs). */
  private search(pred: (i: number) => boolean): number {
    let lo = 0;
    let hi = this.starts.length;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if (pred(mid)) hi = mid;
      else lo = mid + 1;
    }
    return lo;
  }
}

function checkOffset(offset: number): void {
  if (!Number.isSafeInteger(offset) || offset < 0) throw new RangeError(`offset must be a non-negative integer, got ${offset}`);
}
