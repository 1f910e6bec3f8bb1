/**
 * How the model's pieces follow the disk across a save (see hexDocumentModel
 * for when each runs).
 *
 * Before a save writes: old disk bytes that some piece still needs and that
 * the save will overwrite or remove are read into memory, and every disk
 * piece over them is split so those parts become bytes pieces
 * (`PreservedBytes.substitute`).
 *
 * After the save: every remaining disk piece is moved to where its bytes now
 * lie (`remapDiskPiece`, through DiskRemap.kept), and bytes pieces the save
 * wrote become disk pieces again, so their memory is freed.
 */
import type { KeptRange, Piece } from './snapshot';
import { firstEndingAfter, type Interval } from './intervals';
import { pieceLength } from './pieceTable';

/** The disk ranges `pieces` refer to (not coalesced). */
export function diskIntervals(pieces: readonly Piece[], out: Interval[] = []): Interval[] {
  for (const p of pieces) if (p.kind === 'disk' && p.length > 0) out.push({ start: p.offset, end: p.offset + p.length });
  return out;
}

/** Copies of old disk bytes, by old disk offset. */
export class PreservedBytes {
  /** Sorted, disjoint. */
  private readonly runs: { start: number; end: number; bytes: Uint8Array }[] = [];

  /** Copies usually arrive in offset order (a plan's sorted ranges): then this is an append, O(1). */
  add(start: number, bytes: Uint8Array): void {
    if (bytes.length === 0) return;
    const run = { start, end: start + bytes.length, bytes };
    const last = this.runs[this.runs.length - 1];
    if (!last || last.start <= start) {
      this.runs.push(run);
      return;
    }
    this.runs.splice(firstEndingAfter(this.runs, start), 0, run);
  }

  get isEmpty(): boolean {
    return this.runs.length === 0;
  }

  /**
   * `substitute` over a list, without a new array per piece: `pieces` itself
   * when nothing in it is over preserved bytes (most of a long history).
   */
  substituteAll(pieces: Piece[]): Piece[] {
    let out: Piece[] | undefined;
    for (let k = 0; k < pieces.length; k++) {
      const p = pieces[k];
      if (p.kind !== 'disk' || !this.overlaps(p.offset, p.offset + p.length)) {
        out?.push(p);
        continue;
      }
      out ??= pieces.slice(0, k);
      for (const q of this.substitute(p)) out.push(q);
    }
    return out ?? pieces;
  }

  private overlaps(start: number, end: number): boolean {
    const i = firstEndingAfter(this.runs, start);
    return i < this.runs.length && this.runs[i].start < end;
  }

  /** `p` with every part over preserved bytes turned into a bytes piece (views of the copies). */
  substitute(p: Piece): Piece[] {
    if (p.kind !== 'disk' || this.runs.length === 0) return [p];
    const end = p.offset + p.length;
    let i = firstEndingAfter(this.runs, p.offset);
    if (i >= this.runs.length || this.runs[i].start >= end) return [p];
    const out: Piece[] = [];
    let at = p.offset;
    for (; i < this.runs.length && this.runs[i].start < end; i++) {
      const r = this.runs[i];
      if (r.start > at) out.push({ kind: 'disk', offset: at, length: r.start - at });
      const from = Math.max(at, r.start);
      const to = Math.min(end, r.end);
      out.push({ kind: 'bytes', bytes: from === r.start && to === r.end ? r.bytes : r.bytes.subarray(from - r.start, to - r.start) });
      at = to;
    }
    if (at < end) out.push({ kind: 'disk', offset: at, length: end - at });
    return out;
  }
}

/**
 * Where a disk piece's bytes lie after a save, as disk pieces (appended to
 * `out` when given). Throws when
 * part of it was neither kept nor preserved: the model would otherwise show
 * bytes the disk no longer holds.
 */
export function remapDiskPiece(p: Piece & { kind: 'disk' }, kept: readonly KeptRange[], out: Piece[] = []): Piece[] {
  const end = p.offset + p.length;
  let at = p.offset;
  let i = firstKeptEndingAfter(kept, at);
  while (at < end) {
    const k = kept[i];
    if (!k || k.from > at) {
      throw new Error(`old disk bytes [${at}, ${Math.min(end, k ? k.from : end)}) are needed but the save neither kept nor preserved them`);
    }
    const to = Math.min(end, k.from + k.length);
    // A piece that did not move is itself (no new object for each of 10,000 unchanged gaps).
    out.push(k.to === k.from && at === p.offset && to === end ? p : { kind: 'disk', offset: k.to + (at - k.from), length: to - at });
    at = to;
    i++;
  }
  return out;
}

function firstKeptEndingAfter(kept: readonly KeptRange[], offset: number): number {
  let lo = 0;
  let hi = kept.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (kept[mid].from + kept[mid].length > offset) hi = mid;
    else lo = mid + 1;
  }
  return lo;
}

/** Sum of lengths (for a step's accounting). */
export function piecesLength(pieces: readonly Piece[]): number {
  let n = 0;
  for (const p of pieces) n += pieceLength(p);
  return n;
}
