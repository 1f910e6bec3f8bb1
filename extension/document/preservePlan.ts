/**
 * Which old disk bytes a save forces the model to copy into memory, and
 * which history it gives up to stay within its budget. The rule (see
 * hexDocumentModel): after the save the file IS the snapshot's content, so
 * an old disk byte survives exactly when a disk piece of the snapshot names
 * it; every other old byte that the live state or a step still refers to
 * must be preserved.
 */
import type { Piece } from './snapshot';
import { diskIntervals } from './diskRebase';
import { measure, subtract, unionOf, type Interval } from './intervals';

export interface PreservePlan {
  /** Old disk ranges to copy, coalesced. */
  need: Interval[];
  /** Steps [0, oldest) are dropped from the undo side... */
  oldest: number;
  /** ...and steps [newest, length) from the redo side. */
  newest: number;
  /** Bytes the dropped steps would have needed. */
  droppedBytes: number;
}

/**
 * The live state is always preserved whole. History is added nearest the
 * current state first (undo from the top down, then redo from the next one
 * up) while the bytes it adds beyond the live state stay within `budget`;
 * the first step that does not fit is dropped with everything farther.
 */
export function planPreserve(
  snapshotPieces: readonly Piece[], live: readonly Piece[], steps: readonly Piece[][][], applied: number, budget: number,
): PreservePlan {
  const kept = unionOf(diskIntervals(snapshotPieces));
  const needOf = (lists: readonly (readonly Piece[])[]): Interval[] => {
    const list: Interval[] = [];
    for (const ps of lists) diskIntervals(ps, list);
    return subtract(unionOf(list), kept);
  };
  // Usually nothing was edited since the snapshot: the live state is its pieces and needs nothing.
  const liveIsSnapshot = live.length === snapshotPieces.length && live.every((p, i) => p === snapshotPieces[i]);
  let need = liveIsSnapshot ? [] : needOf([live]);
  const liveBytes = measure(need);
  // Usually everything fits: one union, no walk.
  const history = needOf(steps.flat());
  const everything = need.length === 0 ? history : unionOf([...need, ...history]);
  if (measure(everything) - liveBytes <= budget) return { need: everything, oldest: 0, newest: steps.length, droppedBytes: 0 };
  let droppedBytes = 0;
  const tryAdd = (lists: Piece[][]): boolean => {
    const next = unionOf([...need, ...needOf(lists)]);
    if (measure(next) - liveBytes > budget) {
      droppedBytes += measure(next) - measure(need);
      return false;
    }
    need = next;
    return true;
  };
  let oldest = 0;
  for (let i = applied - 1; i >= 0; i--) {
    if (!tryAdd(steps[i])) { oldest = i + 1; break; }
  }
  let newest = steps.length;
  for (let i = applied; i < steps.length; i++) {
    if (!tryAdd(steps[i])) { newest = i; break; }
  }
  return { need, oldest, newest, droppedBytes };
}
