/**
 * The bookmarks of one open document: a BookmarkSet kept in step with the
 * document's changes and written to the store. Plain Node (no `vscode`), so
 * it is tested with the real document model.
 *
 * Coordinates. The set holds live positions (the document as the user sees
 * it, unsaved edits included); the store holds positions in the file on
 * disk. Between the two lie the edits made since the document was last the
 * same as the file: they are kept here as a list of steps (each step's
 * replaces), and a live position is taken back to disk through their
 * inverses, the same rule that moves bookmarks forward. So:
 *   - unsaved edits: a bookmark is stored on those of its bytes that are on
 *     disk; one lying wholly in unsaved inserted bytes has no place on disk
 *     yet and is kept in memory only until the document is saved;
 *   - opening a document that is already edited (a hot-exit restore): its
 *     pieces say how it differs from the file, which becomes the first step;
 *   - a save empties the list; a revert puts every bookmark where it is on disk;
 *   - another program changed the size: the bookmarks are kept, clamped.
 * The stored record is written after a short quiet period, when it changed.
 */
import type { DocumentChange, DocumentModel, Disposable } from '../document/documentModel';
import { BOOKMARK_COLORS, type BookmarkColor, type BookmarkRange } from '../../shared/protocol';
import { BookmarkSet, inverse, mapThrough, type Bookmark, type Replace } from './bookmarkSet';
import type { BookmarkStore, StoredBookmark } from './bookmarkStore';

/** The document-level part of the model this needs (HexDocumentModel has it). */
export interface BookmarkedModel extends Pick<DocumentModel, 'size' | 'isDirty' | 'segments' | 'onDidChange'> {
  readonly diskSize: number;
}

/** Writes wait this long after the last change (typing moves bookmarks on every key). */
const PERSIST_DELAY_MS = 300;

export class DocumentBookmarks implements Disposable {
  readonly set: BookmarkSet;
  /** Set when the stored record was for a file of another size (another program changed it). */
  readonly clampedFrom: number | undefined;
  /**
   * The edits since the document last equalled the file, oldest first. An
   * undo of the last one takes it off rather than adding its inverse: a
   * bookmark at the edge of a delete would not come back through the pair.
   */
  private sinceSaved: { stepId?: number; undone: boolean; replaces: Replace[] }[] = [];
  private written = '';
  private timer: ReturnType<typeof setTimeout> | undefined;
  private readonly listeners = new Set<() => void>();
  private readonly subscription: Disposable;
  private disposed = false;

  constructor(readonly uri: string, private readonly model: BookmarkedModel, private readonly store: BookmarkStore) {
    const stored = store.load(uri);
    const diskSize = model.diskSize;
    this.clampedFrom = stored && stored.fileSize !== diskSize ? stored.fileSize : undefined;
    const onDisk = stored ? clamp(stored.bookmarks, diskSize) : [];
    this.set = new BookmarkSet(onDisk);
    if (model.isDirty) {
      this.sinceSaved = [{ undone: false, replaces: stepFromDisk(model) }];
      this.set.applyEdit(this.sinceSaved[0].replaces);
    }
    this.set.clampTo(model.size);
    this.written = JSON.stringify({ fileSize: diskSize, bookmarks: stored?.bookmarks ?? [] });
    if (this.clampedFrom !== undefined) this.persistSoon();
    this.subscription = model.onDidChange((c) => this.follow(c));
  }

  /** The bookmarks changed (moved, added, renamed, removed). */
  onDidChange(listener: () => void): Disposable {
    this.listeners.add(listener);
    return { dispose: () => this.listeners.delete(listener) };
  }

  /** What the webview draws. */
  ranges(): BookmarkRange[] {
    return this.set.all().map((b) => ({ start: b.start, length: b.length, name: b.name, color: b.color as BookmarkColor }));
  }

  /**
   * Toggle at [start, start + length) (the selection, or the cursor's byte).
   * A new bookmark has no name of its own (the view names it by where it is
   * now, so the name stays true as edits move it) and takes the next colour.
   */
  toggle(start: number, length: number): Bookmark | undefined {
    const size = this.model.size;
    if (size === 0) return undefined;
    const s = Math.min(start, size - 1);
    const n = Math.max(1, Math.min(length, size - s));
    const color = BOOKMARK_COLORS[this.set.size % BOOKMARK_COLORS.length];
    const added = this.set.toggle(s, n, '', color);
    this.changed();
    return added;
  }

  rename(id: number, name: string): void { if (this.set.rename(id, name)) this.changed(); }
  recolor(id: number, color: BookmarkColor): void { if (this.set.recolor(id, color)) this.changed(); }
  remove(id: number): void { if (this.set.remove(id)) this.changed(); }

  /** Writes now what is pending (on close). */
  async flush(): Promise<void> {
    clearTimeout(this.timer);
    this.timer = undefined;
    const record = { fileSize: this.model.diskSize, bookmarks: this.toDisk() };
    const text = JSON.stringify(record);
    if (text === this.written) return;
    this.written = text;
    await this.store.save(this.uri, record);
  }

  dispose(): void {
    if (this.disposed) return;
    this.disposed = true;
    this.subscription.dispose();
    void this.flush();
    this.listeners.clear();
  }

  private follow(c: DocumentChange): void {
    let moved = true;
    if (c.edit) {
      moved = this.set.applyEdit(c.edit.replaces, c.edit.stepId, c.edit.undone);
      const last = this.sinceSaved[this.sinceSaved.length - 1];
      if (last && last.stepId === c.edit.stepId && last.undone !== c.edit.undone) this.sinceSaved.pop();
      else if (c.edit.replaces.some((r) => r.deleteLength !== r.insertLength)) this.sinceSaved.push({ ...c.edit });
    } else if (c.reason === 'revert') {
      // The document is the file again: each bookmark goes where its bytes are on disk.
      this.set.replaceAll(clamp(this.toDisk(), this.model.size));
      this.sinceSaved = [];
    } else if (c.reason === 'external') this.set.clampTo(this.model.size);
    else if (c.reason === 'save') {
      // Nothing moved on screen; the file now holds the saved state. (Edits typed while a save
      // ran are not told apart from the saved ones: their bookmarks count as on disk already.)
      this.sinceSaved = [];
      moved = false;
    } else return;
    this.changed(moved);
  }

  private changed(moved = true): void {
    this.persistSoon();
    if (moved) for (const l of [...this.listeners]) l();
  }

  private persistSoon(): void {
    if (this.disposed) return;
    clearTimeout(this.timer);
    this.timer = setTimeout(() => void this.flush(), PERSIST_DELAY_MS);
  }

  /** Live bookmarks in disk coordinates; those wholly in unsaved bytes are left out. */
  private toDisk(): StoredBookmark[] {
    const back = [...this.sinceSaved].reverse().map((e) => inverse(e.replaces));
    const out: StoredBookmark[] = [];
    for (const b of this.set.all()) {
      const disk = mapThrough(b.start, b.length, back);
      if (disk) out.push({ start: disk.start, length: disk.length, name: b.name, color: b.color as BookmarkColor });
    }
    return out;
  }
}

function clamp(bookmarks: readonly StoredBookmark[], size: number): StoredBookmark[] {
  if (size === 0) return [];
  return bookmarks.map((b) => {
    const start = Math.min(b.start, size - 1);
    return { ...b, start, length: Math.max(1, Math.min(b.length, size - start)) };
  });
}

/**
 * How an edited document differs from its file, as one step of replaces
 * (in disk coordinates, the last first, as a document applies a batch):
 * file bytes left out were deleted, bytes held in memory were inserted or
 * written over file bytes, file bytes out of their order were moved (a
 * delete here, an insert there). Read from the document's pieces.
 */
export function stepFromDisk(model: Pick<BookmarkedModel, 'size' | 'diskSize' | 'segments'>): Replace[] {
  const ascending: Replace[] = [];
  let disk = 0; // the next file byte not yet accounted for
  let inserted = 0; // bytes in memory (or moved) since then
  const flush = (upTo: number): void => {
    if (upTo > disk || inserted > 0) ascending.push({ offset: disk, deleteLength: upTo - disk, insertLength: inserted });
    inserted = 0;
  };
  for (const seg of model.segments(0, model.size)) {
    if (seg.diskOffset === undefined || seg.diskOffset < disk) { inserted += seg.length; continue; }
    flush(seg.diskOffset);
    disk = seg.diskOffset + seg.length;
  }
  flush(Math.max(disk, model.diskSize));
  return ascending.reverse();
}
