/**
 * The vocabulary of a comparison: what the engine reads, what it reports.
 * Plain Node (no `vscode`): the engine, its tests and the benchmark use it as is.
 *
 * Offsets are document coordinates (unsaved edits included) on each side.
 * "A" is the left / first document, "B" the right / second one.
 */

/** What the engine reads: HexDocumentModel satisfies it (bytes as the user sees them). */
export interface CompareReader {
  readonly size: number;
  /** A fresh copy of [offset, offset + length); length ≤ 16 MiB. */
  read(offset: number, length: number): Promise<Uint8Array>;
}

/**
 * One difference.
 * - 'changed': lengthA === lengthB bytes at aligned places differ (every byte of the range differs).
 * - 'inserted': B holds lengthB bytes that A lacks (lengthA = 0); offsetA is where they would go in A.
 * - 'deleted': A holds lengthA bytes that B lacks (lengthB = 0); offsetB is where they would go in B.
 * Bytes past the end of the shorter document are 'inserted' / 'deleted' at its end.
 */
export interface DiffRange {
  kind: 'changed' | 'inserted' | 'deleted';
  offsetA: number;
  lengthA: number;
  offsetB: number;
  lengthB: number;
}

export type CompareMode =
  /** After a run of differences, look for bytes inserted or deleted on one side and re-align. */
  | 'resync'
  /** Offset i of A against offset i of B, nothing else. */
  | 'bytes';

export interface CompareOptions {
  mode?: CompareMode;
  signal?: AbortSignal;
  /** Ranges kept in the result; beyond it the count stays exact and the UI shows "N+". Default 100,000. */
  maxRanges?: number;
  /** Finished ranges in order, in batches of at most `batchSize` (default 1024), as they are found. */
  onRanges?: (ranges: DiffRange[]) => void;
  /** Bytes done out of bytes to do (both sides together), at most every ~50 ms. */
  onProgress?: (done: number, total: number) => void;
}

export interface CompareSummary {
  sizeA: number;
  sizeB: number;
  mode: CompareMode;
  /** True when the whole of both documents was compared (false: cancelled). */
  complete: boolean;
  cancelled: boolean;
  /** No difference at all (only meaningful when complete). */
  identical: boolean;
  /** Bytes in 'changed' ranges (exact, never capped). */
  changedBytes: number;
  /** Bytes only A holds ('deleted') and only B holds ('inserted'); exact. */
  onlyInA: number;
  onlyInB: number;
  /** Every range found (exact, even past the cap). */
  rangeCount: number;
  /** The first `maxRanges` ranges, in order. */
  ranges: DiffRange[];
  /** True when rangeCount > ranges.length (show "N+"). */
  capped: boolean;
  first?: DiffRange;
  last?: DiffRange;
  /** Insertions and deletions found by resynchronisation (tail bytes of the longer side excluded). */
  shifts: number;
}

/** Bytes that differ in any way: changed, plus those only one side holds. */
export function differingBytes(s: CompareSummary): number {
  return s.changedBytes + s.onlyInA + s.onlyInB;
}
