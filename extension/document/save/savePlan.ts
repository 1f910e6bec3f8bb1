/**
 * What a save of a snapshot must do to the file, decided before anything is
 * touched. Pure: no I/O, unit-testable on plain pieces.
 *
 * The file is split at `shiftStart`, the first byte whose new content is not
 * at the same offset as before (the first size change). Before it, the only
 * differences are overwritten runs: they are written in place, sorted and
 * coalesced, and nothing else there is touched. From it on, the file is
 * rewritten block by block (the "shift"): the tail is moved backwards from
 * the end when the file grows, forwards when it shrinks, and the file is
 * extended first or truncated last. A snapshot of the same size with every
 * disk piece in place is an overwrite-only save: no shift at all.
 */
import type { DiskRemap, KeptRange, Piece, Snapshot } from '../snapshot';

/** Runs closer than this are written as one (the gap's current bytes are rewritten unchanged). */
export const COALESCE_GAP = 4096;
/** Default bytes per shift block: each block is journaled and made durable before the next. */
export const SHIFT_BLOCK = 64 << 20;

export interface OverwriteRun {
  offset: number;
  /** New bytes, or for a gap between coalesced runs undefined (the current disk bytes are kept). */
  parts: { at: number; bytes?: Uint8Array; length: number }[];
  length: number;
}

/**
 * A piece placed in the new content. `disk` is the old offset of a disk
 * piece; a bytes piece has `bytes` in memory (a live save) or `payloadAt`,
 * where its bytes lie in the journal (a recovery).
 */
export interface PlacedPiece {
  /** Offset of the piece in the new content. */
  at: number;
  length: number;
  disk?: number;
  bytes?: Uint8Array;
  payloadAt?: number;
}

export interface Block {
  /** Destination in the new file: [start, end). */
  start: number;
  end: number;
}

export interface SavePlan {
  oldSize: number;
  newSize: number;
  /** Overwrites before the shift (or everywhere, when there is no shift), sorted by offset. */
  runs: OverwriteRun[];
  /** First byte rewritten by the shift; equals newSize when there is none. */
  shiftStart: number;
  /** The new content as placed pieces (every piece, in order). */
  placed: PlacedPiece[];
  /** Shift blocks in the order they are written (backwards when growing). */
  blocks: Block[];
  /** Bytes of the file rewritten by the shift (what the cost warning quotes). */
  moveBytes: number;
}

export function placePieces(pieces: readonly Piece[]): PlacedPiece[] {
  const out: PlacedPiece[] = [];
  let at = 0;
  for (const piece of pieces) {
    if (piece.kind === 'disk') out.push({ at, length: piece.length, disk: piece.offset });
    else out.push({ at, length: piece.bytes.length, bytes: piece.bytes });
    at += out[out.length - 1].length;
  }
  return out;
}

export function planSave(snapshot: Snapshot, blockSize = SHIFT_BLOCK): SavePlan {
  const placed = placePieces(snapshot.pieces);
  const shiftStart = findShiftStart(placed, snapshot.size, snapshot.diskSize);
  const runs = coalesce(placed.filter((p) => p.disk === undefined && p.at < shiftStart), shiftStart);
  const blocks: Block[] = [];
  const grow = snapshot.size > snapshot.diskSize;
  if (grow) {
    for (let end = snapshot.size; end > shiftStart; end -= blockSize) blocks.push({ start: Math.max(shiftStart, end - blockSize), end });
  } else {
    for (let start = shiftStart; start < snapshot.size; start += blockSize) blocks.push({ start, end: Math.min(snapshot.size, start + blockSize) });
  }
  return { oldSize: snapshot.diskSize, newSize: snapshot.size, runs, shiftStart, placed, blocks, moveBytes: snapshot.size - shiftStart };
}

/**
 * The first offset from which the new content is not the old content at the
 * same offset (a disk piece out of place, or inserted bytes, or a change of
 * size). Bytes pieces followed by a disk piece in place are overwrites.
 */
function findShiftStart(placed: PlacedPiece[], size: number, diskSize: number): number {
  let candidate: number | undefined; // start of a run of bytes pieces not yet known to be overwrites
  for (const { at, length, disk } of placed) {
    if (disk === undefined) {
      if (candidate === undefined) candidate = at;
      if (at + length > diskSize) return candidate; // runs past the old end: a size change
      continue;
    }
    if (disk !== at) return candidate ?? at;
    candidate = undefined;
  }
  if (size !== diskSize) return candidate ?? Math.min(size, diskSize);
  return size;
}

/** Whether every disk piece is at its own offset and the size is the disk's: the edits are only overwrites. */
export function isOverwriteOnly(content: { pieces: readonly Piece[]; diskSize: number }): boolean {
  let at = 0;
  for (const p of content.pieces) {
    if (p.kind === 'disk' && p.offset !== at) return false;
    at += p.kind === 'disk' ? p.length : p.bytes.length;
  }
  return at === content.diskSize;
}

/** Sorted overwrite pieces, merged when closer than COALESCE_GAP. */
function coalesce(pieces: PlacedPiece[], limit: number): OverwriteRun[] {
  const runs: OverwriteRun[] = [];
  for (const { at, bytes } of pieces) {
    if (!bytes) continue;
    const last = runs[runs.length - 1];
    const lastEnd = last ? last.offset + last.length : -Infinity;
    if (last && at - lastEnd < COALESCE_GAP && at + bytes.length <= limit) {
      if (at > lastEnd) last.parts.push({ at: lastEnd, length: at - lastEnd });
      last.parts.push({ at, bytes, length: bytes.length });
      last.length = at + bytes.length - last.offset;
    } else {
      runs.push({ offset: at, parts: [{ at, bytes, length: bytes.length }], length: bytes.length });
    }
  }
  return runs;
}

/** The pieces (clipped) that make up new content [start, end). */
export function slice(placed: readonly PlacedPiece[], start: number, end: number): { at: number; length: number; piece: PlacedPiece; skip: number }[] {
  const out: { at: number; length: number; piece: PlacedPiece; skip: number }[] = [];
  let lo = 0;
  let hi = placed.length - 1;
  while (lo < hi) {
    const mid = (lo + hi + 1) >> 1;
    if (placed[mid].at <= start) lo = mid;
    else hi = mid - 1;
  }
  for (let i = lo; i < placed.length && placed[i].at < end; i++) {
    const piece = placed[i];
    const at = piece.at;
    const pieceEnd = at + piece.length;
    const s = Math.max(start, at);
    const e = Math.min(end, pieceEnd);
    if (e > s) out.push({ at: s, length: e - s, piece, skip: s - at });
  }
  return out;
}

/** Old-file ranges that new content [start, end) is made of, sorted and merged. */
export function oldSources(placed: readonly PlacedPiece[], start: number, end: number): Interval[] {
  const list: Interval[] = [];
  for (const s of slice(placed, start, end)) {
    if (s.piece.disk !== undefined) list.push([s.piece.disk + s.skip, s.piece.disk + s.skip + s.length]);
  }
  return mergeIntervals(list);
}

export type Interval = [number, number];

/** Whether `list` is already in ascending order of `key` (the runs of a plan are): then no sort is needed. */
function isSortedBy<T>(list: readonly T[], key: (item: T) => number): boolean {
  for (let i = 1; i < list.length; i++) if (key(list[i - 1]) > key(list[i])) return false;
  return true;
}

export function mergeIntervals(list: Interval[]): Interval[] {
  const sorted = isSortedBy(list, (i) => i[0]) ? list : [...list].sort((a, b) => a[0] - b[0]);
  const out: Interval[] = [];
  for (const [s, e] of sorted) {
    const last = out[out.length - 1];
    if (last && s <= last[1]) last[1] = Math.max(last[1], e);
    else if (e > s) out.push([s, e]);
  }
  return out;
}

/** Parts of [start, end) not covered by `cover` (sorted, merged). */
export function subtract(start: number, end: number, cover: readonly Interval[]): Interval[] {
  const out: Interval[] = [];
  let at = start;
  for (const [s, e] of cover) {
    if (e <= at) continue;
    if (s >= end) break;
    if (s > at) out.push([at, Math.min(s, end)]);
    at = Math.max(at, e);
    if (at >= end) break;
  }
  if (at < end) out.push([at, end]);
  return out;
}

/** Where every surviving old byte lies after the save (for DiskRemap). */
export function remapOf(plan: SavePlan): DiskRemap {
  const kept: KeptRange[] = [];
  // A loop, not flatMap/filter/map: a save of 10,000 runs calls this once and it showed in profiles.
  const written: Interval[] = [];
  for (const r of plan.runs) for (const p of r.parts) if (p.bytes) written.push([p.at, p.at + p.length]);
  const overwritten = mergeIntervals(written);
  for (const [s, e] of subtract(0, Math.min(plan.shiftStart, plan.oldSize), overwritten)) kept.push({ from: s, to: s, length: e - s });
  for (const { at, length, disk } of plan.placed) {
    if (disk === undefined || at + length <= plan.shiftStart) continue;
    const skip = Math.max(0, plan.shiftStart - at);
    kept.push({ from: disk + skip, to: at + skip, length: length - skip });
  }
  if (!isSortedBy(kept, (k) => k.from)) kept.sort((a, b) => a.from - b.from);
  // A byte the new content uses twice (a copy pasted) survives once in the remap: keep the first.
  const unique: KeptRange[] = [];
  for (const k of kept) {
    const last = unique[unique.length - 1];
    if (last && k.from < last.from + last.length) {
      const cut = last.from + last.length - k.from;
      if (cut < k.length) unique.push({ from: k.from + cut, to: k.to + cut, length: k.length - cut });
      continue;
    }
    if (last && last.from + last.length === k.from && last.to + last.length === k.to) {
      unique[unique.length - 1] = { from: last.from, to: last.to, length: last.length + k.length };
    } else unique.push(k);
  }
  return { kept: unique, newDiskSize: plan.newSize };
}
