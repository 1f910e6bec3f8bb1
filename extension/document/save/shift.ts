/**
 * The in-place shift: rewrites the file from the plan's shiftStart on, block
 * by block, so that a crash at any instant can be recovered to exactly the
 * old file (roll back) or exactly the new one (resume).
 *
 * Blocks are written in plan order: from the end backwards when the file
 * grows (a block's old bytes move up, into space already moved away from),
 * forwards when it shrinks. Before block j is written, the old bytes it
 * overwrites are appended to the journal, except those that an earlier block
 * already wrote to their new place (they are safe there, made durable by
 * that block's fdatasync). So an old byte is always somewhere known:
 *
 *   - at its old offset, while no block has overwritten it;
 *   - in the journal, saved by the block that overwrote it;
 *   - at its new offset, written by an earlier block.
 *
 * `readOld` follows exactly that rule. It serves the model while bytes move
 * (OldDiskReader), the blocks themselves (a block's sources), a roll back
 * (blocks restored in reverse order, each from blocks before it), and a
 * resume after a crash. For a pure shift by a distance of at least one block,
 * no block saves anything: the cost is one read and one write per byte.
 *
 * A block that is the old file moved by a few bytes (lightBlock.ts) saves
 * only the bytes at each page's edge and a checksum per page: its other old
 * bytes are at their old offset or at their new one in the same page, and
 * the checksums tell which after a crash. So an insert at the head of a
 * large file journals a few bytes per page instead of the file.
 */
import { CHUNK, type FileWriter } from '../../engine/fileWriter';
import type { JournalStep } from './journal';
import {
  lightBlocksAvailable, lightPayload, lightPayloadLength, MAX_LIGHT_DISTANCE, oldFromWritten, rebuildOld, slotAt, TornBlockError, UNIT, unitOf,
  type LightInfo,
} from './lightBlock';
import type { SaveFaults } from './saveFaults';
import { oldSources, slice, subtract, type Block, type PlacedPiece } from './savePlan';

export interface ShiftLayout {
  oldSize: number;
  newSize: number;
  shiftStart: number;
  placed: readonly PlacedPiece[];
  blocks: readonly Block[];
}

/** Where the shift journals its steps, and reads saved bytes back. */
export interface ShiftJournal {
  /** Append a durable step; resolves with the journal offset of its payload. */
  step(step: JournalStep, payload?: readonly Uint8Array[]): Promise<number>;
  read(at: number, length: number): Promise<Uint8Array>;
}

interface SavedRange {
  offset: number;
  length: number;
  /** Journal offset of the saved bytes. */
  at: number;
  /** The bytes, while their block is the one being written (saves a journal read). */
  bytes?: Uint8Array;
}

export class Shift {
  /** Blocks before this index are written and durable; this one may be partly written. -1: none touched. */
  private current = -1;
  /** Blocks up to this index are written and durable (a light block's pages all hold their new bytes). */
  private written = -1;
  private readonly saved = new Map<number, SavedRange[]>();
  private readonly light = new Map<number, LightInfo>();
  /** A light block's old bytes while it is in flux: read before it is written, or rebuilt after a crash. */
  private inFlight?: { index: number; old: Uint8Array };
  /** The new bytes of the light block being written, read together with its old ones. */
  private pendingNew?: { index: number; bytes: Uint8Array };
  /** The next light block's bytes, being read while this one is written and synced. */
  private prefetched?: { index: number; bytes: Promise<Uint8Array | undefined> };

  constructor(
    private readonly layout: ShiftLayout,
    private readonly file: FileWriter,
    private readonly journal: ShiftJournal,
    /** The bytes of a bytes piece: [skip, skip + length). */
    private readonly pieceBytes: (piece: PlacedPiece, skip: number, length: number) => Promise<Uint8Array>,
    private readonly faults: SaveFaults = {},
    /**
     * Reads file bytes off the libuv pool (the mapping's own worker), so the next light block is read
     * while this one's writes and syncs hold the pool: moving up, blocks go backwards through the file,
     * which the kernel's readahead never anticipates. Undefined: no read-ahead.
     */
    private readonly readAhead?: (offset: number, length: number) => Promise<Uint8Array>,
  ) {}

  get blocksStarted(): number {
    return this.current + 1;
  }

  /** Restore what a journal says: `logged` are the block steps found, in order. */
  adopt(logged: { index: number; saved: { offset: number; length: number; at: number }[]; light?: LightInfo }[]): void {
    for (const b of logged) {
      this.saved.set(b.index, b.saved.map((s) => ({ ...s })));
      if (b.light) this.light.set(b.index, { ...b.light });
      this.current = b.index;
    }
    // Every logged block but the last was written and synced before the next was logged.
    this.written = this.current - 1;
  }

  /** Write blocks from `from` to the end; `cancelled` is checked between blocks. */
  async run(from: number, cancelled: () => boolean, onProgress?: (moved: number) => void): Promise<void> {
    const { blocks } = this.layout;
    let moved = 0;
    for (let j = 0; j < from; j++) moved += blocks[j].end - blocks[j].start;
    for (let j = from; j < blocks.length; j++) {
      if (cancelled()) throw new ShiftCancelled();
      if (j > this.current) await this.logBlock(j);
      this.startReadAhead(j + 1);
      await this.faults.at?.('block-logged', j);
      await this.writeBlock(j);
      await this.file.sync();
      this.written = j;
      this.inFlight = undefined;
      this.pendingNew = undefined;
      for (const s of this.saved.get(j) ?? []) s.bytes = undefined;
      moved += blocks[j].end - blocks[j].start;
      onProgress?.(moved);
      await this.faults.at?.('block-written', j);
    }
  }

  /** Put every touched block back to its old bytes, last first; each restore is durable before the next. */
  async rollBack(): Promise<void> {
    const { blocks, oldSize } = this.layout;
    for (let k = this.current; k >= 0; k--) {
      this.current = k; // readOld: block k counts as overwritten, blocks before it as written
      this.written = k - 1;
      if (this.inFlight?.index !== k) this.inFlight = undefined;
      const end = Math.min(blocks[k].end, oldSize);
      // Chunks end on page boundaries, as when writing (a light block's pages must stay whole).
      for (let at = blocks[k].start, n = 0; at < end; at += n) {
        n = Math.min(end, Math.floor((at + CHUNK) / UNIT) * UNIT) - at;
        await this.faults.at?.('rollback-write', k);
        const old = await this.readOld(at, n);
        try {
          await this.file.write(at, old);
        } catch (e) {
          // A write that failed (ENOSPC in a hole) may never have changed these bytes: then they are back already.
          const now = await this.file.read(at, n).catch(() => undefined);
          if (!now || Buffer.compare(now, old) !== 0) throw e;
        }
      }
      await this.file.sync();
    }
    this.current = -1;
    this.written = -1;
    this.inFlight = undefined;
  }

  /** The old file's bytes [offset, offset + length), wherever they are now. */
  async readOld(offset: number, length: number): Promise<Uint8Array> {
    const out = new Uint8Array(length);
    const end = offset + length;
    // Parts inside blocks that have been (or are being) written.
    const covered: [number, number, number][] = [];
    for (let k = 0; k <= this.current; k++) {
      const b = this.layout.blocks[k];
      const s = Math.max(offset, b.start);
      const e = Math.min(end, b.end);
      if (e > s) covered.push([s, e, k]);
    }
    covered.sort((a, b) => a[0] - b[0]);
    let at = offset;
    for (const [s, e, k] of covered) {
      if (s > at) await this.file.read(at, s - at, out.subarray(at - offset));
      await this.readOverwritten(s, e, k, out, offset);
      at = e;
    }
    if (at < end) await this.file.read(at, end - at, out.subarray(at - offset));
    return out;
  }

  /** Old bytes [s, e) that block k overwrote: from the journal, or from their new place in an earlier block. */
  private async readOverwritten(s: number, e: number, k: number, out: Uint8Array, base: number): Promise<void> {
    const light = this.light.get(k);
    if (light) return this.readLight(k, light, s, e, out, base);
    let at = s;
    const savedHere = (this.saved.get(k) ?? []).filter((r) => r.offset < e && r.offset + r.length > s);
    for (const r of savedHere) {
      const rs = Math.max(s, r.offset);
      const re = Math.min(e, r.offset + r.length);
      if (rs > at) await this.readMoved(at, rs, k, out, base);
      const bytes = r.bytes ? r.bytes.subarray(rs - r.offset, re - r.offset) : await this.journal.read(r.at + (rs - r.offset), re - rs);
      out.set(bytes, rs - base);
      at = re;
    }
    if (at < e) await this.readMoved(at, e, k, out, base);
  }

  /** Old bytes [s, e) of light block k: from memory while it is in flux, else from its new place and its edge slots. */
  private async readLight(k: number, light: LightInfo, s: number, e: number, out: Uint8Array, base: number): Promise<void> {
    const b = this.layout.blocks[k];
    if (k > this.written && this.inFlight?.index !== k) {
      // In flux with nothing in memory: after a crash, or rolling back a written block. Its pages
      // are each old or new; rebuilt whole, once, before anything writes to it again.
      const current = await this.file.read(b.start, b.end - b.start);
      const payload = await this.journal.read(light.at, lightPayloadLength(b.start, b.end, light.delta));
      try {
        this.inFlight = { index: k, old: rebuildOld(b.start, b.end, light.delta, current, payload) };
      } catch (err) {
        if (err instanceof TornBlockError) throw new Error(`shift: block ${k} cannot be rebuilt: ${err.message}`);
        throw err;
      }
    }
    if (this.inFlight?.index === k) {
      out.set(this.inFlight.old.subarray(s - b.start, e - b.start), s - base);
      return;
    }
    // Written and durable: inner bytes at their new offset (in the block), edges from the journal.
    const first = unitOf(b.start, s);
    const last = unitOf(b.start, e - 1);
    const d = Math.abs(light.delta);
    const slots = await this.journal.read(light.at + slotAt(b.start, b.end, light.delta, first), (last - first + 1) * d);
    const lo = Math.max(b.start, s - light.delta);
    const hi = Math.min(b.end, e - light.delta);
    const moved = hi > lo ? await this.file.read(lo, hi - lo) : new Uint8Array(0);
    oldFromWritten(b.start, b.end, light.delta, s, e, moved, lo, slots, first, out, base);
  }

  /**
   * The distance block j's new content is moved by, when it is light: one disk piece moved by at
   * most MAX_LIGHT_DISTANCE, inside the old file, written with pwrite (page by page into the page
   * cache: a killed process leaves each page old or new, which a store through a mapping does not).
   */
  private lightDelta(j: number): number | undefined {
    if (!lightBlocksAvailable || this.file.kind !== 'pwrite') return undefined;
    const b = this.layout.blocks[j];
    if (b.end > this.layout.oldSize) return undefined;
    const parts = slice(this.layout.placed, b.start, b.end);
    if (parts.length !== 1 || parts[0].piece.disk === undefined) return undefined;
    const delta = parts[0].piece.disk + parts[0].skip - parts[0].at;
    return delta !== 0 && Math.abs(delta) <= MAX_LIGHT_DISTANCE ? delta : undefined;
  }

  private async logLightBlock(j: number, delta: number): Promise<void> {
    const b = this.layout.blocks[j];
    // The old bytes of the block and its sources, in one read (they overlap but for d bytes).
    const lo = Math.min(b.start, b.start + delta);
    const ahead = this.prefetched?.index === j ? await this.prefetched.bytes : undefined;
    this.prefetched = undefined;
    const both = ahead ?? (await this.readOld(lo, b.end - b.start + Math.abs(delta)));
    const old = both.subarray(b.start - lo, b.end - lo);
    const payload = await lightPayload(b.start, b.end, delta, old);
    const at = await this.journal.step({ type: 'block', index: j, saved: [], light: { delta, at: 0 } }, [payload]);
    this.light.set(j, { delta, at });
    this.saved.set(j, []);
    this.inFlight = { index: j, old };
    this.pendingNew = { index: j, bytes: both.subarray(b.start + delta - lo, b.end + delta - lo) };
    this.current = j;
  }

  /**
   * Starts reading light block j's old bytes and sources, when no block up to j - 1 touches them
   * (then they are plain file bytes, and stay so while block j - 1 is written).
   */
  private startReadAhead(j: number): void {
    this.prefetched = undefined;
    if (!this.readAhead || j >= this.layout.blocks.length) return;
    const delta = this.lightDelta(j);
    if (delta === undefined) return;
    const b = this.layout.blocks[j];
    const lo = Math.min(b.start, b.start + delta);
    const hi = lo + b.end - b.start + Math.abs(delta);
    for (let k = 0; k < j; k++) if (this.layout.blocks[k].start < hi && lo < this.layout.blocks[k].end) return;
    const bytes = this.readAhead(lo, hi - lo).catch(() => undefined); // a failed read-ahead is read again the usual way
    this.prefetched = { index: j, bytes };
  }

  private async writeLightBlock(j: number, light: LightInfo): Promise<void> {
    const b = this.layout.blocks[j];
    const bytes = this.pendingNew?.index === j ? this.pendingNew.bytes : await this.readOld(b.start + light.delta, b.end - b.start);
    // Chunks end on page boundaries: a page written by two writes could be left half old, half new.
    for (let at = b.start; at < b.end;) {
      const end = Math.min(b.end, Math.floor((at + CHUNK) / UNIT) * UNIT);
      await this.faults.at?.('block-chunk', j);
      await this.file.write(at, bytes.subarray(at - b.start, end - b.start));
      at = end;
    }
  }

  /** Old bytes [s, e) that an earlier block than k wrote to their new place. */
  private async readMoved(s: number, e: number, k: number, out: Uint8Array, base: number): Promise<void> {
    const [lo, hi] = this.writtenBefore(k);
    let need: [number, number][] = [[s, e]];
    for (const part of slice(this.layout.placed, lo, hi)) {
      if (part.piece.disk === undefined || need.length === 0) continue;
      const src = part.piece.disk + part.skip;
      const srcEnd = src + part.length;
      const next: [number, number][] = [];
      for (const [ns, ne] of need) {
        const is = Math.max(ns, src);
        const ie = Math.min(ne, srcEnd);
        if (ie <= is) {
          next.push([ns, ne]);
          continue;
        }
        out.set(await this.file.read(part.at + (is - src), ie - is), is - base);
        if (is > ns) next.push([ns, is]);
        if (ne > ie) next.push([ie, ne]);
      }
      need = next;
    }
    if (need.length) throw new Error(`shift: old bytes [${need[0][0]}, ${need[0][1]}) are nowhere (a bug in the save plan)`);
  }

  /** New-content range written by the blocks before block k. */
  private writtenBefore(k: number): [number, number] {
    const { blocks, newSize, shiftStart, newSize: n, oldSize } = this.layout;
    if (k === 0) return [0, 0];
    return newSize > oldSize ? [blocks[k].end, n] : [shiftStart, blocks[k].start];
  }

  private async logBlock(j: number): Promise<void> {
    const delta = this.lightDelta(j);
    if (delta !== undefined) return this.logLightBlock(j, delta);
    const b = this.layout.blocks[j];
    const end = Math.min(b.end, this.layout.oldSize);
    const ranges: SavedRange[] = [];
    const payload: Uint8Array[] = [];
    if (end > b.start) {
      const [lo, hi] = this.writtenBefore(j);
      let rel = 0;
      for (const [s, e] of subtract(b.start, end, oldSources(this.layout.placed, lo, hi))) {
        const bytes = await this.file.read(s, e - s);
        ranges.push({ offset: s, length: e - s, at: rel, bytes });
        payload.push(bytes);
        rel += e - s;
      }
    }
    const payloadAt = await this.journal.step({ type: 'block', index: j, saved: ranges.map(({ offset, length, at }) => ({ offset, length, at })) }, payload);
    for (const r of ranges) r.at += payloadAt;
    this.saved.set(j, ranges);
    this.current = j;
  }

  private async writeBlock(j: number): Promise<void> {
    const light = this.light.get(j);
    if (light) return this.writeLightBlock(j, light);
    const b = this.layout.blocks[j];
    for (let at = b.start; at < b.end; at += CHUNK) {
      const end = Math.min(b.end, at + CHUNK);
      const out = new Uint8Array(end - at);
      for (const part of slice(this.layout.placed, at, end)) {
        const bytes = part.piece.disk !== undefined
          ? await this.readOld(part.piece.disk + part.skip, part.length)
          : await this.pieceBytes(part.piece, part.skip, part.length);
        out.set(bytes, part.at - at);
      }
      await this.faults.at?.('block-chunk', j);
      await this.file.write(at, out);
    }
  }
}

export class ShiftCancelled extends Error {
  constructor() {
    super('the save was cancelled');
  }
}
