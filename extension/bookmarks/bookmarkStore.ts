/**
 * Where bookmarks are kept between sessions: the workspace's state (VS Code's
 * workspaceState, or any store with the same two methods), one record per
 * file, keyed by the file's URI. Bookmarks belong to a workspace, like the
 * files listed in its Explorer.
 *
 * A record holds the bookmarks in the coordinates of the file as it is on
 * disk (after the last save), with the file's size then. So a window closed
 * with unsaved inserts that are then discarded finds its bookmarks on the
 * right bytes, and a hot-exit restore maps them onto the restored edits
 * (documentBookmarks.ts). When the file's size changed outside Hexmap, the
 * bookmarks are kept and clamped into the new size: a bookmark marks a place
 * someone cared about, and a moved place is easier to fix than a lost one.
 */
import { BOOKMARK_COLORS, type BookmarkColor } from '../../shared/protocol';

/** The part of vscode.Memento the store uses (so it runs in plain Node). */
export interface KeyValueStore {
  get<T>(key: string): T | undefined;
  update(key: string, value: unknown): PromiseLike<void>;
}

export interface StoredBookmark { start: number; length: number; name: string; color: BookmarkColor }
export interface StoredFile { fileSize: number; bookmarks: StoredBookmark[] }

const KEY = 'hexmap.bookmarks';
/** Bookmarks kept per file: a bound on what one record can cost to load and store. */
export const MAX_BOOKMARKS_PER_FILE = 10_000;

export class BookmarkStore {
  private readonly listeners = new Set<() => void>();

  constructor(private readonly state: KeyValueStore) {}

  /** The record of one file, validated (a damaged entry is dropped, never thrown). */
  load(uri: string): StoredFile | undefined {
    const raw = this.all()[uri];
    return raw === undefined ? undefined : validFile(raw);
  }

  /** Every file with bookmarks, by URI. */
  files(): Map<string, StoredFile> {
    const out = new Map<string, StoredFile>();
    for (const [uri, raw] of Object.entries(this.all())) {
      const file = validFile(raw);
      if (file && file.bookmarks.length) out.set(uri, file);
    }
    return out;
  }

  /** Replaces the record of `uri`; no bookmarks removes it. */
  async save(uri: string, file: StoredFile): Promise<void> {
    const all = { ...this.all() };
    if (file.bookmarks.length === 0) delete all[uri];
    else all[uri] = { fileSize: file.fileSize, bookmarks: file.bookmarks.slice(0, MAX_BOOKMARKS_PER_FILE) };
    await this.state.update(KEY, all);
    for (const l of [...this.listeners]) l();
  }

  /** A record was written (the tree view lists the files). */
  onDidChange(listener: () => void): { dispose(): void } {
    this.listeners.add(listener);
    return { dispose: () => this.listeners.delete(listener) };
  }

  private all(): Record<string, unknown> {
    const v = this.state.get<unknown>(KEY);
    return typeof v === 'object' && v !== null && !Array.isArray(v) ? (v as Record<string, unknown>) : {};
  }
}

function validFile(raw: unknown): StoredFile | undefined {
  if (typeof raw !== 'object' || raw === null) return undefined;
  const r = raw as Record<string, unknown>;
  if (!isCount(r.fileSize) || !Array.isArray(r.bookmarks)) return undefined;
  const bookmarks: StoredBookmark[] = [];
  for (const b of r.bookmarks.slice(0, MAX_BOOKMARKS_PER_FILE) as unknown[]) {
    if (typeof b !== 'object' || b === null) continue;
    const x = b as Record<string, unknown>;
    if (!isCount(x.start) || !isCount(x.length) || (x.length as number) < 1) continue;
    const color = BOOKMARK_COLORS.includes(x.color as BookmarkColor) ? (x.color as BookmarkColor) : BOOKMARK_COLORS[0];
    bookmarks.push({ start: x.start as number, length: x.length as number, name: typeof x.name === 'string' ? x.name.slice(0, 200) : '', color });
  }
  return { fileSize: r.fileSize as number, bookmarks };
}

function isCount(v: unknown): v is number {
  return typeof v === 'number' && Number.isSafeInteger(v) && v >= 0;
}
