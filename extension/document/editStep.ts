/**
 * An undoable edit: per replace, the pieces it removed and the pieces it
 * inserted (sharing their immutable bytes, never copies), and the ranges a
 * view must redraw when it is applied or undone.
 */
import type { ByteRange } from '../../shared/protocol';
import type { Piece } from './snapshot';
import { totalLength } from './pieceTable';

/** One replace inside a step, in the coordinates of the moment it was applied. */
export interface StepPart {
  readonly offset: number;
  removed: Piece[];
  inserted: Piece[];
}

/** One undoable edit (a single replace, or a whole batch). */
export interface EditStep {
  /** Unique within the model: VS Code's undo/redo entry for this step names it by id; also the id of the state it leads to. */
  readonly id: number;
  readonly label: string;
  /** Applied in order; undone in reverse order. */
  parts: StepPart[];
}

/** Every piece list a step holds (for accounting, preserving and rebasing). */
export function stepPieceLists(step: EditStep): Piece[][] {
  return step.parts.flatMap((p) => [p.removed, p.inserted]);
}

/**
 * The ranges a step's application (or undo) changed, in the coordinates
 * after it, coalesced. When any part changes length, every byte after the
 * first part moved: one range from there to the end of the larger document.
 */
export function changedRanges(parts: readonly StepPart[], before: number, after: number, direction: 'apply' | 'undo'): ByteRange[] {
  let first = Infinity;
  let shifts = false;
  const ranges: ByteRange[] = [];
  for (const part of parts) {
    const removed = totalLength(part.removed);
    const inserted = totalLength(part.inserted);
    first = Math.min(first, part.offset);
    if (removed !== inserted) shifts = true;
    ranges.push({ offset: part.offset, length: direction === 'apply' ? inserted : removed });
  }
  if (shifts || before !== after) return [{ offset: first, length: Math.max(before, after) - first }];
  ranges.sort((a, b) => a.offset - b.offset);
  const out: ByteRange[] = [];
  for (const r of ranges) {
    const last = out[out.length - 1];
    if (last && r.offset <= last.offset + last.length) last.length = Math.max(last.length, r.offset + r.length - last.offset);
    else if (r.length > 0) out.push({ ...r });
  }
  return out;
}

/**
 * The replaces a step's application (or undo) made, in the order they were
 * made: parts apply in list order and undo in reverse, each undo putting back
 * what its part removed.
 */
export function appliedReplaces(parts: readonly StepPart[], direction: 'apply' | 'undo'): { offset: number; deleteLength: number; insertLength: number }[] {
  const out = parts.map((part) => {
    const removed = totalLength(part.removed);
    const inserted = totalLength(part.inserted);
    return direction === 'apply'
      ? { offset: part.offset, deleteLength: removed, insertLength: inserted }
      : { offset: part.offset, deleteLength: inserted, insertLength: removed };
  });
  return direction === 'apply' ? out : out.reverse();
}
