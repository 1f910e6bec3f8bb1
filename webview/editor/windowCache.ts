/**
 * Bytes of the document, held in the webview as fixed, aligned windows
 * (64 KiB) fetched from the host on demand. A bounded LRU keeps memory flat
 * whatever the file size; requests for a window already in flight are shared;
 * the window after (or before) the visible one is prefetched in the
 * direction of travel so continuous scrolling rarely waits.
 *
 * A window invalidated by an edit is not dropped: it is marked stale and
 * refetched, and keeps serving its last known bytes meanwhile, so the view
 * never blanks. A generation counter per window makes a response that was
 * already in flight when the change happened count as stale too.
 */
import { EDITOR_WINDOW_SIZE, type ByteRange, type ReadResult } from '../../shared/protocol';

export const WINDOW_SIZE = EDITOR_WINDOW_SIZE;

interface CachedWindow {
  offset: number;
  bytes: Uint8Array;
  before: Uint8Array;
  after: Uint8Array;
  /** Generation of the data; older than `generation.get(index)` means stale. */
  dataGeneration: number;
  lastUsed: number;
}

/** Bytes of a span, and which of them are known (null: all known). */
export interface AssembledBytes {
  offset: number;
  bytes: Uint8Array;
  known: Uint8Array | null;
}

export type WindowFetcher = (offset: number, length: number) => Promise<ReadResult>;

export class WindowCache {
  private readonly windows = new Map<number, CachedWindow>();
  private readonly inFlight = new Map<number, number>(); // index -> generation requested
  private readonly generation = new Map<number, number>();
  private clock = 0;
  private globalGeneration = 0;
  /** Reads issued to the host (tests and the bench look at it). */
  requests = 0;
  /**
   * Local edits the host may not have applied yet when it served a read that
   * is still in flight: re-applied to such responses, so a fast typist's
   * bytes never flicker back to old values. `seq` orders them against reads.
   */
  private pendingPatches: { seq: number; offset: number; bytes: Uint8Array }[] = [];
  private editSeq = 0;
  private readonly readSeqs = new Map<number, number>(); // read number -> editSeq when it was sent
  /**
   * Bytes of the first screen (with their context) for a window not here
   * yet: assemble() shows them meanwhile. Dropped as soon as the window
   * arrives, or anything (an edit, a change on disk) could make them stale.
   */
  private firstScreen: { index: number; offset: number; bytes: Uint8Array } | undefined;

  constructor(
    private readonly fetcher: WindowFetcher,
    private readonly onLoaded: () => void,
    private fileSize: number,
    private readonly capacity = 64,
  ) {}

  get size(): number { return this.fileSize; }
  get cachedWindows(): number { return this.windows.size; }

  setFileSize(size: number): void {
    if (size !== this.fileSize) {
      this.fileSize = size;
      this.invalidate(undefined);
    }
  }

  /**
   * Makes sure the windows covering [start, end) (plus 3 context bytes each
   * side) are present or coming, and prefetches one window ahead in
   * `direction`. Returns true when every needed window has data (maybe stale).
   */
  ensure(start: number, end: number, direction: -1 | 0 | 1): boolean {
    if (this.fileSize === 0) return true;
    const first = Math.floor(Math.max(0, start - 3) / WINDOW_SIZE);
    const last = Math.floor(Math.max(0, Math.min(this.fileSize, end + 3) - 1) / WINDOW_SIZE);
    let all = true;
    for (let i = first; i <= last; i++) {
      const w = this.windows.get(i);
      if (w) w.lastUsed = ++this.clock; else all = false;
      this.load(i);
    }
    if (direction > 0) this.load(last + 1);
    else if (direction < 0) this.load(first - 1);
    return all;
  }

  /**
   * Adopts a window the host sent unasked (with 'init'). A part of one (the
   * first screen the page carries, see firstScreenOf in editorSession.ts) is
   * shown until its window is here, never in place of it.
   */
  seed(r: ReadResult): void {
    const index = Math.floor(r.offset / WINDOW_SIZE);
    if (r.offset % WINDOW_SIZE !== 0 || r.bytes.length !== Math.min(WINDOW_SIZE, this.fileSize - r.offset)) {
      if (r.offset + r.bytes.length <= Math.min(this.fileSize, (index + 1) * WINDOW_SIZE) && !this.windows.has(index)) {
        const bytes = new Uint8Array(r.before.length + r.bytes.length + r.after.length);
        bytes.set(r.before, 0);
        bytes.set(r.bytes, r.before.length);
        bytes.set(r.after, r.before.length + r.bytes.length);
        this.firstScreen = { index, offset: r.offset - r.before.length, bytes };
      }
      return;
    }
    if (this.firstScreen?.index === index) this.firstScreen = undefined;
    this.windows.set(index, {
      offset: r.offset, bytes: r.bytes, before: r.before, after: r.after, dataGeneration: this.currentGeneration(index), lastUsed: ++this.clock,
    });
  }

  /** Current (possibly stale) bytes of [start, end), clamped to the file. */
  assemble(start: number, end: number): AssembledBytes {
    start = Math.max(0, start);
    end = Math.min(this.fileSize, end);
    const length = Math.max(0, end - start);
    const bytes = new Uint8Array(length);
    let known: Uint8Array | null = null;
    let p = start;
    while (p < end) {
      const index = Math.floor(p / WINDOW_SIZE);
      const wStart = index * WINDOW_SIZE;
      const segEnd = Math.min(end, wStart + WINDOW_SIZE);
      const w = this.windows.get(index);
      if (w) {
        bytes.set(w.bytes.subarray(p - wStart, segEnd - wStart), p - start);
      } else {
        // Context bytes of a neighbour window can still fill the first/last 3.
        known ??= new Uint8Array(length).fill(1);
        const f = this.firstScreen?.index === index ? this.firstScreen : undefined;
        for (let q = p; q < segEnd; q++) {
          const v = f && q >= f.offset && q < f.offset + f.bytes.length ? f.bytes[q - f.offset] : this.contextByte(q, index);
          if (v === undefined) known[q - start] = 0; else bytes[q - start] = v;
        }
      }
      p = segEnd;
    }
    return { offset: start, bytes, known };
  }

  private contextByte(q: number, index: number): number | undefined {
    const next = this.windows.get(index + 1);
    if (next && next.offset - q <= next.before.length) return next.before[next.before.length - (next.offset - q)];
    const prev = this.windows.get(index - 1);
    const prevEnd = prev ? prev.offset + prev.bytes.length : 0;
    if (prev && q >= prevEnd && q - prevEnd < prev.after.length) return prev.after[q - prevEnd];
    return undefined;
  }

  /** Mark windows touching `ranges` (all when undefined) stale; they refetch on next ensure(). */
  invalidate(ranges: ByteRange[] | undefined): void {
    this.firstScreen = undefined;
    if (!ranges) {
      this.globalGeneration++;
      for (const index of this.windows.keys()) this.bump(index);
      return;
    }
    for (const r of ranges) {
      // 3 bytes of slack: a neighbour's context bytes may have changed.
      const first = Math.floor(Math.max(0, r.offset - 3) / WINDOW_SIZE);
      const last = Math.floor((r.offset + Math.max(1, r.length) + 3 - 1) / WINDOW_SIZE);
      for (let i = first; i <= last; i++) this.bump(i);
    }
  }

  /** Optimistic local write, so typing shows at once; the host's 'changed' follows. */
  patch(offset: number, data: Uint8Array): void {
    this.firstScreen = undefined;
    this.pendingPatches.push({ seq: ++this.editSeq, offset, bytes: data.slice() });
    this.write(offset, data);
  }

  private write(offset: number, data: Uint8Array): void {
    for (let k = 0; k < data.length; k++) {
      const p = offset + k;
      const index = Math.floor(p / WINDOW_SIZE);
      const w = this.windows.get(index);
      if (w) w.bytes[p - w.offset] = data[k];
      const prev = this.windows.get(index - 1);
      if (prev && p - (prev.offset + prev.bytes.length) < prev.after.length && p >= prev.offset + prev.bytes.length) {
        prev.after[p - (prev.offset + prev.bytes.length)] = data[k];
      }
      const next = this.windows.get(index + 1);
      if (next && next.offset - p <= next.before.length && p < next.offset) {
        next.before[next.before.length - (next.offset - p)] = data[k];
      }
    }
  }

  private bump(index: number): void {
    this.generation.set(index, this.currentGeneration(index) + 1);
  }

  private currentGeneration(index: number): number {
    return (this.generation.get(index) ?? 0) + this.globalGeneration;
  }

  private load(index: number): void {
    if (index < 0 || index * WINDOW_SIZE >= this.fileSize) return;
    const gen = this.currentGeneration(index);
    const w = this.windows.get(index);
    if (w && w.dataGeneration >= gen) return; // fresh
    if (this.inFlight.get(index) === gen) return; // already asked for this generation
    this.inFlight.set(index, gen);
    const offset = index * WINDOW_SIZE;
    const length = Math.min(WINDOW_SIZE, this.fileSize - offset);
    this.requests++;
    const seqAtRequest = this.editSeq;
    const readNumber = this.requests;
    this.readSeqs.set(readNumber, seqAtRequest);
    const settle = (): void => {
      if (this.inFlight.get(index) === gen) this.inFlight.delete(index);
      this.readSeqs.delete(readNumber);
      this.prunePatches();
    };
    this.fetcher(offset, length).then((r) => {
      const existing = this.windows.get(index);
      // A response older than data we already hold is useless; otherwise keep it
      // (even if stale: last known bytes beat a blank row) and refetch later.
      if (!(existing && existing.dataGeneration >= gen)) {
        this.windows.set(index, {
          offset, bytes: r.bytes, before: r.before, after: r.after, dataGeneration: gen, lastUsed: ++this.clock,
        });
        if (this.firstScreen?.index === index) this.firstScreen = undefined;
        // Edits sent after this read was asked for may be missing from it.
        for (const p of this.pendingPatches) if (p.seq > seqAtRequest) this.write(p.offset, p.bytes);
        this.evict();
        this.onLoaded();
      }
      settle();
    }, settle);
  }

  /** A patch is needed only while some read sent before it is still in flight. */
  private prunePatches(): void {
    let oldest = Infinity;
    for (const seq of this.readSeqs.values()) oldest = Math.min(oldest, seq);
    this.pendingPatches = this.pendingPatches.filter((p) => p.seq > oldest);
  }

  private evict(): void {
    while (this.windows.size > this.capacity) {
      let oldest = -1;
      let oldestUse = Infinity;
      for (const [index, w] of this.windows) if (w.lastUsed < oldestUse) { oldest = index; oldestUse = w.lastUsed; }
      this.windows.delete(oldest);
    }
  }
}
