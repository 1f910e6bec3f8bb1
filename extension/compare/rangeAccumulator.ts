/**
 * Turns the differences the engine finds, in order, into coalesced ranges:
 * a run that continues where the previous one ended (same kind, same
 * alignment) grows that range instead of starting a new one, so a
 * difference split by a chunk edge is still one range. Finished ranges go
 * to the consumer in bounded batches; the first `maxKept` are kept for the
 * result. Counts (ranges and bytes) are exact whatever the cap.
 */
import type { DiffRange } from './types';

export interface AccumulatorTotals {
  changedBytes: number;
  onlyInA: number;
  onlyInB: number;
  rangeCount: number;
  shifts: number;
  first?: DiffRange;
  last?: DiffRange;
}

export class RangeAccumulator {
  readonly kept: DiffRange[] = [];
  private open: DiffRange | undefined;
  private batch: DiffRange[] = [];
  private finished = 0;
  private firstRange: DiffRange | undefined;
  private changed = 0;
  private onlyA = 0;
  private onlyB = 0;
  private shiftCount = 0;

  constructor(
    private readonly maxKept: number,
    private readonly batchSize: number,
    private readonly onBatch?: (ranges: DiffRange[]) => void,
  ) {}

  /** `length` differing bytes at A offset `offsetA`, B offset `offsetB`. */
  addChanged(offsetA: number, offsetB: number, length: number): void {
    if (length <= 0) return;
    this.changed += length;
    const o = this.open;
    if (o && o.kind === 'changed' && o.offsetA + o.lengthA === offsetA && o.offsetB + o.lengthB === offsetB) {
      o.lengthA += length;
      o.lengthB += length;
      return;
    }
    this.start({ kind: 'changed', offsetA, lengthA: length, offsetB, lengthB: length });
  }

  /** Bytes only B holds (`inserted`) or only A holds (`deleted`). `shift` is false for the tail of the longer side. */
  addOneSided(kind: 'inserted' | 'deleted', offsetA: number, offsetB: number, length: number, shift: boolean): void {
    if (length <= 0) return;
    if (kind === 'inserted') this.onlyB += length;
    else this.onlyA += length;
    if (shift) this.shiftCount++;
    this.start(kind === 'inserted'
      ? { kind, offsetA, lengthA: 0, offsetB, lengthB: length }
      : { kind, offsetA, lengthA: length, offsetB, lengthB: 0 });
    // A shift is found whole (it never grows): tell the consumer now, it changes how the rest reads.
    this.close();
    this.flush();
  }

  /** Sends the finished ranges gathered so far (the open one may still grow). */
  flush(): void {
    if (this.batch.length === 0) return;
    const out = this.batch;
    this.batch = [];
    this.onBatch?.(out);
  }

  /** Closes the open range and sends everything. */
  finish(): void {
    this.close();
    this.flush();
  }

  get totals(): AccumulatorTotals {
    return {
      changedBytes: this.changed, onlyInA: this.onlyA, onlyInB: this.onlyB,
      rangeCount: this.finished + (this.open ? 1 : 0), shifts: this.shiftCount,
      first: this.firstRange ?? (this.open ? { ...this.open } : undefined),
      last: this.open ? { ...this.open } : this.lastFinished,
    };
  }

  private lastFinished: DiffRange | undefined;

  private start(range: DiffRange): void {
    this.close();
    this.open = range;
  }

  private close(): void {
    const o = this.open;
    if (!o) return;
    this.open = undefined;
    this.finished++;
    this.firstRange ??= o;
    this.lastFinished = o;
    if (this.kept.length < this.maxKept) this.kept.push(o);
    this.batch.push(o);
    if (this.batch.length >= this.batchSize) this.flush();
  }
}
