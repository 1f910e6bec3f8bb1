/**
 * The bookmarks of one document, and how they move when bytes are inserted,
 * deleted or replaced. Plain data and arithmetic: no VS Code, no storage, no
 * document (the caller feeds it the document's edits), so it is tested alone.
 *
 * A bookmark is a byte range of at least one byte. The rule for an edit is
 * the one a reader expects of marked bytes: a bookmark stays on the bytes it
 * marks. A replace of [o, o + d) by i bytes counts as a delete followed by an
 * insert at o:
 *   - bytes inserted before the bookmark (at or before its start) shift it;
 *     bytes inserted strictly inside it make it longer; at its end, nothing;
 *   - deleted bytes of the bookmark shrink it; when all of them are deleted
 *     the bookmark is removed;
 *   - an overwrite (d = i) moves no byte, so it leaves every bookmark alone.
 * Undo applies the step's inverse replaces; bookmarks whose shape the step
 * changed (shrunk, grown, removed) get back exactly the range they had before
 * it, which the inverse alone could not give (a removed one is gone for it).
 */
export interface Bookmark {
  /** Unique within the set; stable across edits and renames. */
  readonly id: number;
  start: number;
  length: number;
  name: string;
  color: string;
}

/** One replace: [offset, offset + deleteLength) became insertLength bytes. */
export interface Replace { offset: number; deleteLength: number; insertLength: number }

type Saved = Pick<Bookmark, 'id' | 'start' | 'length' | 'name' | 'color'>;

/** Steps whose changed bookmarks are remembered for undo; older ones are forgotten. */
const REMEMBERED_STEPS = 2000;

export class BookmarkSet {
  private items: Bookmark[] = [];
  private nextId = 1;
  /**
   * Per step and direction ('<id>' applied, '<id>~' undone): the bookmarks,
   * as they were just before, that it reached into. Taking the step back the
   * other way gives them back exactly (an undo brings back what the edit
   * removed; a redo what the undo removed).
   */
  private readonly before = new Map<string, Saved[]>();

  constructor(initial: readonly Omit<Bookmark, 'id'>[] = []) {
    for (const b of initial) this.add(b.start, b.length, b.name, b.color);
  }

  /** Every bookmark, sorted by start (then length). Copies: callers cannot move them behind the set's back. */
  all(): Bookmark[] {
    return this.items.map((b) => ({ ...b }));
  }

  get size(): number {
    return this.items.length;
  }

  get(id: number): Bookmark | undefined {
    const b = this.items.find((x) => x.id === id);
    return b && { ...b };
  }

  add(start: number, length: number, name: string, color: string): Bookmark {
    if (!Number.isSafeInteger(start) || start < 0) throw new RangeError(`bookmark start must be a non-negative integer, got ${start}`);
    if (!Number.isSafeInteger(length) || length < 1) throw new RangeError(`a bookmark marks at least one byte, got length ${length}`);
    const b: Bookmark = { id: this.nextId++, start, length, name, color };
    this.items.push(b);
    this.sort();
    return { ...b };
  }

  remove(id: number): boolean {
    const i = this.items.findIndex((b) => b.id === id);
    if (i < 0) return false;
    this.items.splice(i, 1);
    // A bookmark the user deleted stays deleted: undoing an edit does not bring it back.
    for (const list of this.before.values()) {
      const k = list.findIndex((b) => b.id === id);
      if (k >= 0) list.splice(k, 1);
    }
    return true;
  }

  rename(id: number, name: string): boolean {
    const b = this.items.find((x) => x.id === id);
    if (b) b.name = name;
    return b !== undefined;
  }

  recolor(id: number, color: string): boolean {
    const b = this.items.find((x) => x.id === id);
    if (b) b.color = color;
    return b !== undefined;
  }

  /**
   * Toggle at [start, start + length): removes the bookmark of exactly that
   * range, or (a single byte, the cursor) every bookmark containing it;
   * otherwise adds one. Returns what was added, or undefined when removed.
   */
  toggle(start: number, length: number, name: string, color: string): Bookmark | undefined {
    const exact = this.items.filter((b) => b.start === start && b.length === length);
    const hit = exact.length ? exact : length === 1 ? this.items.filter((b) => b.start <= start && start < b.start + b.length) : [];
    if (hit.length) {
      for (const b of hit) this.remove(b.id);
      return undefined;
    }
    return this.add(start, length, name, color);
  }

  /** The first bookmark starting after `offset` (wrapping to the first), or undefined when there is none. */
  next(offset: number): Bookmark | undefined {
    const b = this.items.find((x) => x.start > offset) ?? this.items[0];
    return b && { ...b };
  }

  /** The last bookmark starting before `offset` (wrapping to the last). */
  previous(offset: number): Bookmark | undefined {
    let found: Bookmark | undefined;
    for (const b of this.items) if (b.start < offset) found = b;
    found ??= this.items[this.items.length - 1];
    return found && { ...found };
  }

  /**
   * Bytes were replaced. `replaces` are in the order they were applied, each
   * offset in the document as it was just before it. `stepId`/`undone`: the
   * document's step, so an undo can give changed bookmarks their old ranges.
   * Returns whether any bookmark moved, changed length, went or came back.
   */
  applyEdit(replaces: readonly Replace[], stepId?: number, undone = false): boolean {
    const moving = replaces.filter((r) => r.deleteLength !== r.insertLength);
    const changed: Saved[] = [];
    let moved = false;
    if (moving.length) {
      const batch = asBatch(moving);
      const survivors: Bookmark[] = [];
      for (const b of this.items) {
        const mapped = mapRange(b.start, b.start + b.length, batch);
        // Touched (not only shifted): its inverse need not give it back, so undo restores it from here.
        const reshaped = !mapped || mapped.touched;
        if (reshaped) changed.push({ ...b });
        if (!mapped || mapped.start !== b.start || mapped.end - mapped.start !== b.length) moved = true;
        if (mapped) { b.start = mapped.start; b.length = mapped.end - mapped.start; survivors.push(b); }
      }
      this.items = survivors;
    }
    if (stepId === undefined) { this.sort(); return moved; }
    const key = undone ? `${stepId}~` : `${stepId}`;
    const opposite = undone ? `${stepId}` : `${stepId}~`;
    const old = this.before.get(opposite);
    this.before.delete(opposite);
    this.before.delete(key);
    if (changed.length) {
      this.before.set(key, changed);
      if (this.before.size > REMEMBERED_STEPS) this.before.delete(this.before.keys().next().value as string);
    }
    for (const saved of old ?? []) {
      const live = this.items.find((b) => b.id === saved.id);
      if (live) { live.start = saved.start; live.length = saved.length; } else this.items.push({ ...saved });
      moved = true;
    }
    this.sort();
    return moved;
  }

  /**
   * The document changed in a way no edit describes (a reload after another
   * program changed the file): keep every bookmark, clamped into [0, size).
   * On an empty document nothing can be marked: the bookmarks are removed.
   */
  clampTo(size: number): void {
    this.before.clear();
    this.items = size === 0 ? [] : this.items.map((b) => {
      const start = Math.min(b.start, size - 1);
      return { ...b, start, length: Math.max(1, Math.min(b.length, size - start)) };
    });
    this.sort();
  }

  /** Replace every range at once (a revert: the caller knows where the bookmarks lie on disk). Names and colours stay. */
  replaceAll(ranges: readonly Omit<Bookmark, 'id'>[]): void {
    this.items = [];
    this.before.clear();
    for (const r of ranges) this.add(r.start, r.length, r.name, r.color);
  }

  private sort(): void {
    this.items.sort((a, b) => a.start - b.start || a.length - b.length || a.id - b.id);
  }
}

/**
 * The same rule outside a set: where [start, start + length) is after
 * `steps` (each a step's replaces in the order applied); undefined when all
 * of its bytes were deleted. The stored positions of bookmarks are computed
 * with it (through the inverse of the edits since the last save).
 */
export function mapThrough(start: number, length: number, steps: readonly (readonly Replace[])[]): { start: number; length: number } | undefined {
  let s = start;
  let e = start + length;
  for (const step of steps) {
    const moving = step.filter((r) => r.deleteLength !== r.insertLength);
    if (moving.length === 0) continue;
    const mapped = mapRange(s, e, asBatch(moving));
    if (!mapped) return undefined;
    s = mapped.start;
    e = mapped.end;
  }
  return { start: s, length: e - s };
}

/** The replaces that take a step back: each one inverted, in reverse order. */
export function inverse(step: readonly Replace[]): Replace[] {
  return step.map((r) => ({ offset: r.offset, deleteLength: r.insertLength, insertLength: r.deleteLength })).reverse();
}

/** A replace in the coordinates of the document before the whole edit. */
interface BatchReplace { offset: number; end: number; insertLength: number }

/**
 * The same edit as a batch: non-overlapping replaces in ascending order, all
 * in the coordinates before the edit, with the running shift before each.
 * Documents apply a step's parts in descending order (each offset is then
 * already in the old coordinates) and undo them in ascending order (each
 * offset is after the lower ones were undone); both are accepted. Anything
 * else is applied one replace at a time.
 */
function asBatch(replaces: readonly Replace[]): { parts: BatchReplace[]; shiftBefore: number[] }[] {
  const descending = replaces.every((r, k) => k === 0 || r.offset + r.deleteLength <= replaces[k - 1].offset);
  const ascending = replaces.every((r, k) => k === 0 || r.offset >= replaces[k - 1].offset + replaces[k - 1].insertLength);
  if (!descending && !ascending) return replaces.map((r) => withShifts([{ offset: r.offset, end: r.offset + r.deleteLength, insertLength: r.insertLength }]));
  let parts: BatchReplace[];
  if (descending) parts = [...replaces].reverse().map((r) => ({ offset: r.offset, end: r.offset + r.deleteLength, insertLength: r.insertLength }));
  else {
    let delta = 0; // what the replaces below this one added to the document
    parts = replaces.map((r) => {
      const offset = r.offset - delta;
      delta += r.insertLength - r.deleteLength;
      return { offset, end: offset + r.deleteLength, insertLength: r.insertLength };
    });
  }
  return [withShifts(parts)];
}

function withShifts(parts: BatchReplace[]): { parts: BatchReplace[]; shiftBefore: number[] } {
  const shiftBefore = new Array<number>(parts.length + 1);
  shiftBefore[0] = 0;
  for (let k = 0; k < parts.length; k++) shiftBefore[k + 1] = shiftBefore[k] + parts[k].insertLength - (parts[k].end - parts[k].offset);
  return { parts, shiftBefore };
}

/**
 * [start, end) through each batch in turn; undefined when every byte of it
 * was deleted. `touched`: a replace reached into it (it was not only shifted).
 */
function mapRange(start: number, end: number, batches: { parts: BatchReplace[]; shiftBefore: number[] }[]): { start: number; end: number; touched: boolean } | undefined {
  let s = start;
  let e = end;
  let touched = false;
  for (const { parts, shiftBefore } of batches) {
    // Replaces entirely before the range (ending at or before its start) only shift it.
    let lo = 0;
    let hi = parts.length;
    while (lo < hi) { const mid = (lo + hi) >>> 1; if (parts[mid].end <= s) lo = mid + 1; else hi = mid; }
    let last = lo;
    while (last < parts.length && parts[last].offset < e) last++;
    // The ones that touch it, from the highest down: each leaves the lower offsets as they were.
    for (let k = last - 1; k >= lo; k--) {
      touched = true;
      const r = one(s, e, parts[k]);
      if (!r) return undefined;
      s = r.start;
      e = r.end;
    }
    s += shiftBefore[lo];
    e += shiftBefore[lo];
  }
  return { start: s, end: e, touched };
}

/** One replace that touches [s, e): the delete, then the insert at its offset. */
function one(s: number, e: number, r: BatchReplace): { start: number; end: number } | undefined {
  const left = Math.max(0, Math.min(e, r.offset) - s);
  const right = Math.max(0, e - Math.max(s, r.end));
  if (left + right === 0) return undefined;
  if (left > 0 && right > 0) return { start: s, end: s + left + r.insertLength + right };
  if (left > 0) return { start: s, end: s + left };
  const start = r.offset + r.insertLength;
  return { start, end: start + right };
}
