/**
 * The "Hexmap Bookmarks" view in the Explorer: files with bookmarks, each
 * with its bookmarks in offset order (open files show live positions,
 * unsaved edits included). A click jumps to the bookmark; the context menu
 * renames, recolours or deletes it (package.json's view/item/context).
 */
import * as vscode from 'vscode';
import type { BookmarkColor } from '../../shared/protocol';
import type { BookmarkFeature, BookmarkRef } from './bookmarkFeature';

export type BookmarkNode =
  | { kind: 'file'; uri: string }
  | ({ kind: 'bookmark'; start: number; length: number; name: string; color: BookmarkColor } & BookmarkRef);

export const REVEAL_COMMAND = 'hexmap.revealBookmark';

export class BookmarkTree implements vscode.TreeDataProvider<BookmarkNode> {
  private readonly emitter = new vscode.EventEmitter<BookmarkNode | undefined>();
  readonly onDidChangeTreeData = this.emitter.event;

  constructor(private readonly feature: BookmarkFeature) {
    feature.onDidChange(() => this.emitter.fire(undefined));
  }

  getChildren(node?: BookmarkNode): BookmarkNode[] {
    if (!node) return this.feature.files().map((uri) => ({ kind: 'file', uri }));
    if (node.kind === 'bookmark') return [];
    return this.feature.bookmarksOf(node.uri).map((b) => ({ kind: 'bookmark', ...b }));
  }

  getTreeItem(node: BookmarkNode): vscode.TreeItem {
    if (node.kind === 'file') {
      const uri = vscode.Uri.parse(node.uri);
      const item = new vscode.TreeItem(uri, vscode.TreeItemCollapsibleState.Expanded);
      item.contextValue = 'hexmapBookmarkFile';
      item.description = vscode.workspace.asRelativePath(uri.with({ path: uri.path.replace(/\/[^/]*$/, '') || '/' }));
      return item;
    }
    // Unnamed bookmarks are named by their offset, which follows them as edits move them.
    const size = node.length > 1 ? `${node.length} bytes` : '';
    const item = new vscode.TreeItem(node.name || offsetText(node.start), vscode.TreeItemCollapsibleState.None);
    item.description = node.name ? [offsetText(node.start), size].filter(Boolean).join(' · ') : size;
    item.tooltip = `${node.name ? node.name + '\n' : ''}${offsetText(node.start)}–${offsetText(node.start + node.length - 1)} (${node.length} byte${node.length === 1 ? '' : 's'}), ${node.color}`;
    item.iconPath = new vscode.ThemeIcon('bookmark', new vscode.ThemeColor(`charts.${node.color}`));
    item.contextValue = 'hexmapBookmark';
    item.command = { command: REVEAL_COMMAND, title: 'Go to Bookmark', arguments: [node.uri, node.start, node.length] };
    return item;
  }

  dispose(): void {
    this.emitter.dispose();
  }
}

function offsetText(n: number): string {
  return '0x' + n.toString(16).toUpperCase();
}
