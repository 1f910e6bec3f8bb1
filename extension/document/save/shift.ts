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
 */
import { CHUNK, type FileWriter } from '../../engine/fileWriter';
import type { JournalStep } from './journal';
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
  private readonly saved = new Map<number, SavedRange[]>();

  constructor(
    private readonly layout: ShiftLayout,
    private readonly file: FileWriter,
    private readonly journal: ShiftJournal,
    /** The bytes of a bytes piece: [skip, skip + length). */
    private readonly pieceBytes: (piece: PlacedPiece, skip: number, length: number) => Promise<Uint8Array>,
    private readonly faults: SaveFaults = {},
  ) {}

  get blocksStarted(): number {
    return this.current + 1;
  }

  /** Restore what a journal says: `logged` are the block steps found, in order. */
  adopt(logged: { index: number; saved: { offset: number; length: number; at: number }[] }[]): void {
    for (const b of logged) {
      this.saved.set(b.index, b.saved.map((s) => ({ ...s })));
      this.current = b.index;
    }
  }

  /** Write blocks from `from` to the end; `cancelled` is checked between blocks. */
  async run(from: number, cancelled: () => boolean, onProgress?: (moved: number) => void): Promise<void> {
    const { blocks } = this.layout;
    let moved = 0;
    for (let j = 0; j < from; j++) moved += blocks[j].end - blocks[j].start;
    for (let j = from; j < blocks.length; j++) {
      if (cancelled()) throw new ShiftCancelled();
      if (j > this.current) await this.logBlock(j);
      await this.faults.at?.('block-logged', j);
      await this.writeBlock(j);
      await this.file.sync();
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
      const end = Math.min(blocks[k].end, oldSize);
      for (let at = blocks[k].start; at < end; at += CHUNK) {
        const n = Math.min(CHUNK, end - at);
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
      if (s > at) out.set(await this.file.read(at, s - at), at - offset);
      await this.readOverwritten(s, e, k, out, offset);
      at = e;
    }
    if (at < end) out.set(await this.file.read(at, end - at), at - offset);
    return out;
  }

  /** Old bytes [s, e) that block k overwrote: from the journal, or from their new place in an earlier block. */
  private async readOverwritten(s: number, e: number, k: number, out: Uint8Array, base: number): Promise<void> {
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
