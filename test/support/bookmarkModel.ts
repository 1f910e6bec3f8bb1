/**
 * The naive model the bookmark tests check against: the document as an array of byte identities. An overwrite
 * keeps identities (the bytes change value, not place); inserted bytes get new
 * ones. A bookmark is a set of identities; after each change its range is the
 * span from its first to its last identity still present, and every byte
 * inside that span joins it. Undo puts the removed identities back.
 */
export class NaiveDocument {
  ids: number[];
  private fresh = 1_000_000;
  marks = new Map<number, Set<number>>();
  private readonly undo: number[][] = [];
  private readonly redo: number[][] = [];

  constructor(size: number) { this.ids = Array.from({ length: size }, (_, i) => i); }

  /** Replaces in document order (offsets before the batch). */
  apply(batch: { offset: number; deleteLength: number; insertLength: number }[]): void {
    this.undo.push(this.ids.slice());
    this.redo.length = 0;
    for (const e of [...batch].sort((a, b) => b.offset - a.offset)) {
      if (e.deleteLength === e.insertLength) continue;
      const added = Array.from({ length: e.insertLength }, () => this.fresh++);
      this.ids.splice(e.offset, e.deleteLength, ...added);
    }
    this.settle();
  }

  /** The history is gone (saved, reverted or reopened): `ids` is the whole document now. */
  resetHistory(ids: number[] = this.ids): void { this.ids = ids.slice(); this.undo.length = 0; this.redo.length = 0; this.settle(); }

  back(): void { this.redo.push(this.ids); this.ids = this.undo.pop()!; this.settle(); }
  forward(): void { this.undo.push(this.ids); this.ids = this.redo.pop()!; this.settle(); }

  mark(key: number, start: number, length: number): void { this.marks.set(key, new Set(this.ids.slice(start, start + length))); }

  /** The bookmark's range in `ids` (the document by default), keeping only the members `keep` holds. */
  rangeOf(key: number, ids: readonly number[] = this.ids, keep?: Set<number>): [number, number] | undefined {
    const set = this.marks.get(key)!;
    let first = -1;
    let last = -1;
    ids.forEach((id, i) => { if (set.has(id) && (!keep || keep.has(id))) { if (first < 0) first = i; last = i; } });
    return first < 0 ? undefined : [first, last - first + 1];
  }

  private settle(): void {
    for (const set of this.marks.values()) {
      let first = -1;
      let last = -1;
      this.ids.forEach((id, i) => { if (set.has(id)) { if (first < 0) first = i; last = i; } });
      for (let i = first; first >= 0 && i <= last; i++) set.add(this.ids[i]);
    }
  }
}
