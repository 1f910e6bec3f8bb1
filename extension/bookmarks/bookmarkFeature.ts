/**
 * Bookmarks in VS Code: one DocumentBookmarks per open Hexmap document,
 * created when its first editor opens, its bookmarks sent to every editor of
 * the document whenever they change, and written to the workspace's state.
 * Files that are not open are known from the store alone (the tree lists
 * them, and Rename / Change Colour / Delete edit their records).
 */
import * as vscode from 'vscode';
import type { EditorRegistry } from '../editor/editorRegistry';
import type { HexDocument } from '../document/hexDocument';
import type { BookmarkColor } from '../../shared/protocol';
import { BookmarkStore, type StoredBookmark } from './bookmarkStore';
import { DocumentBookmarks } from './documentBookmarks';

/** A bookmark as commands and the tree name it: by file, and by id (open files) or index (stored only). */
export interface BookmarkRef { uri: string; id?: number; index?: number }

export class BookmarkFeature implements vscode.Disposable {
  readonly store: BookmarkStore;
  private readonly open = new Map<string, { document: HexDocument; marks: DocumentBookmarks }>();
  private readonly changeEmitter = new vscode.EventEmitter<void>();
  /** Bookmarks of any file changed (live or stored). */
  readonly onDidChange = this.changeEmitter.event;
  private readonly subscriptions: vscode.Disposable[] = [];

  constructor(private readonly registry: EditorRegistry, state: vscode.Memento) {
    this.store = new BookmarkStore(state);
    this.subscriptions.push(
      registry.onDidAdd(({ document, session }) => {
        session.overlay({ type: 'bookmarks', ranges: this.attach(document).ranges() });
      }),
    );
    const storeListener = this.store.onDidChange(() => this.changeEmitter.fire());
    this.subscriptions.push({ dispose: () => storeListener.dispose() }, this.changeEmitter);
  }

  /** The bookmarks of an open document, by URI. */
  live(uri: string): DocumentBookmarks | undefined {
    return this.open.get(uri)?.marks;
  }

  /** URIs of every file with bookmarks: open ones first, then the stored ones. */
  files(): string[] {
    const uris = [...this.open.keys()].filter((u) => this.open.get(u)!.marks.set.size > 0);
    // An open file is listed by its live bookmarks only (its stored record may lag a moment behind).
    for (const u of this.store.files().keys()) if (!this.open.has(u)) uris.push(u);
    return uris;
  }

  /** The bookmarks of a file as the tree shows them: live when open, else as stored. */
  bookmarksOf(uri: string): (StoredBookmark & BookmarkRef)[] {
    const marks = this.live(uri);
    if (marks) return marks.set.all().map((b) => ({ uri, id: b.id, start: b.start, length: b.length, name: b.name, color: b.color as BookmarkColor }));
    return (this.store.load(uri)?.bookmarks ?? []).map((b, index) => ({ ...b, uri, index }));
  }

  async rename(ref: BookmarkRef, name: string): Promise<void> {
    if (ref.id !== undefined) this.live(ref.uri)?.rename(ref.id, name);
    else await this.editStored(ref, (b) => { b.name = name; });
  }

  async recolor(ref: BookmarkRef, color: BookmarkColor): Promise<void> {
    if (ref.id !== undefined) this.live(ref.uri)?.recolor(ref.id, color);
    else await this.editStored(ref, (b) => { b.color = color; });
  }

  async remove(ref: BookmarkRef): Promise<void> {
    if (ref.id !== undefined) this.live(ref.uri)?.remove(ref.id);
    else await this.editStored(ref, () => 'remove');
  }

  dispose(): void {
    for (const { marks } of this.open.values()) marks.dispose();
    this.open.clear();
    this.subscriptions.forEach((s) => s.dispose());
  }

  private attach(document: HexDocument): DocumentBookmarks {
    const uri = document.uri.toString();
    const known = this.open.get(uri);
    if (known?.document === document) return known.marks;
    known?.marks.dispose();
    const marks = new DocumentBookmarks(uri, document.model, this.store);
    this.open.set(uri, { document, marks });
    if (marks.clampedFrom !== undefined && marks.set.size > 0) {
      void vscode.window.showInformationMessage(
        `Hexmap: ${document.fileName} was ${marks.clampedFrom} bytes when its bookmarks were saved and is ${document.model.diskSize} bytes now (changed outside Hexmap). The bookmarks were kept; those past the end now mark its last bytes.`);
    }
    marks.onDidChange(() => {
      const message = { type: 'bookmarks' as const, ranges: marks.ranges() };
      for (const editor of this.registry.editors()) {
        if (editor.model === document.model) this.registry.sessionOf(editor)?.overlay(message);
      }
      this.changeEmitter.fire();
    });
    document.onDidDispose(() => {
      if (this.open.get(uri)?.marks !== marks) return;
      marks.dispose();
      this.open.delete(uri);
      this.changeEmitter.fire();
    });
    return marks;
  }

  private async editStored(ref: BookmarkRef, change: (b: StoredBookmark) => void | 'remove'): Promise<void> {
    const file = this.store.load(ref.uri);
    if (!file || ref.index === undefined || !file.bookmarks[ref.index]) return;
    const bookmarks = file.bookmarks.slice();
    if (change(bookmarks[ref.index]) === 'remove') bookmarks.splice(ref.index, 1);
    await this.store.save(ref.uri, { fileSize: file.fileSize, bookmarks });
  }
}
