/**
 * The bookmarks of one open document: a BookmarkSet kept in step with the
 * document's changes and written to the store. Plain Node (no `vscode`), so
 * it is tested with the real document model.
 *
 * Coordinates. The set holds live positions (the document as the user sees
 * it, unsaved edits included); the store holds positions in the file on
 * disk. The two are translated through the document's pieces, which say
 * where every surviving disk byte now lies:
 *   - saving: each bookmark's bytes are looked up in the pieces; a bookmark
 *     lying wholly in unsaved inserted bytes has no disk position yet, so it
 *     is kept in memory only until the document is saved;
 *   - opening: the stored disk positions are mapped onto the pieces, so after
 *     a hot-exit restore of inserts and deletes they land on the same bytes;
 *   - revert: the document is the disk again, and so are the bookmarks;
 *   - another program changed the size: the bookmarks are kept, clamped.
 * The disk view is recomputed after every change (cheap: a lookup per
 * bookmark) and written, when it changed, after a short quiet period.
 */
import type { DocumentChange, DocumentModel, DocumentSegment, Disposable } from '../document/documentModel';
import { BOOKMARK_COLORS, type BookmarkColor, type BookmarkRange } from '../../shared/protocol';
import { BookmarkSet, type Bookmark } from './bookmarkSet';
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
  private disk: StoredBookmark[] = [];
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
    this.set = new BookmarkSet(model.isDirty ? diskToLive(onDisk, model) : onDisk);
    this.set.clampTo(model.size);
    this.disk = this.toDisk();
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
    const record = { fileSize: this.model.diskSize, bookmarks: this.disk };
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
    if (c.edit) moved = this.set.applyEdit(c.edit.replaces, c.edit.stepId, c.edit.undone);
    else if (c.reason === 'revert') this.set.replaceAll(clamp(this.disk, this.model.size));
    else if (c.reason === 'external') this.set.clampTo(this.model.size);
    else if (c.reason === 'save') moved = false; // nothing moved on screen; on disk everything may have
    else return;
    // Even when no bookmark moved, the edit may have moved where its bytes are on disk.
    this.changed(moved);
  }

  private changed(moved = true): void {
    this.disk = this.toDisk();
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
    const out: StoredBookmark[] = [];
    const clean = !this.model.isDirty;
    for (const b of this.set.all()) {
      const color = b.color as BookmarkColor;
      if (clean) { out.push({ start: b.start, length: b.length, name: b.name, color }); continue; }
      const disk = this.model.segments(b.start, b.length).filter((s): s is DocumentSegment & { diskOffset: number } => s.diskOffset !== undefined);
      if (disk.length === 0) continue;
      const first = disk[0];
      const last = disk[disk.length - 1];
      const end = last.diskOffset + last.length;
      const start = first.diskOffset;
      out.push({ start, length: end > start ? end - start : first.length, name: b.name, color });
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
 * Disk positions onto the live document: a disk byte still present is where
 * its piece put it; a deleted one maps to the next surviving disk byte.
 */
function diskToLive(bookmarks: readonly StoredBookmark[], model: BookmarkedModel): StoredBookmark[] {
  const pieces = model.segments(0, model.size)
    .filter((s): s is DocumentSegment & { diskOffset: number } => s.diskOffset !== undefined)
    .sort((a, b) => a.diskOffset - b.diskOffset);
  const live = (d: number): number => {
    let lo = 0;
    let hi = pieces.length;
    while (lo < hi) { const mid = (lo + hi) >>> 1; if (pieces[mid].diskOffset + pieces[mid].length <= d) lo = mid + 1; else hi = mid; }
    if (lo === pieces.length) return Math.max(0, model.size - 1);
    const p = pieces[lo];
    return p.start + Math.max(0, d - p.diskOffset);
  };
  return bookmarks.map((b) => {
    const start = live(b.start);
    const end = live(b.start + b.length - 1) + 1;
    return { ...b, start, length: Math.max(1, end - start) };
  });
}
