/**
 * The bookmark commands: Toggle / Next / Previous at the active editor's
 * cursor, and Rename / Change Colour / Delete on a tree item (or, from the
 * command palette, on the bookmark under the cursor). The dialogs are here;
 * the rules are in BookmarkSet and DocumentBookmarks.
 */
import * as vscode from 'vscode';
import type { ActiveHexEditor, EditorRegistry } from '../editor/editorRegistry';
import { BOOKMARK_COLORS, type BookmarkColor } from '../../shared/protocol';
import { BookmarkFeature, type BookmarkRef } from './bookmarkFeature';
import { BookmarkTree, REVEAL_COMMAND, type BookmarkNode } from './bookmarkTree';

const VIEW_TYPE = 'hexmap.editor';

export function activateBookmarks(context: vscode.ExtensionContext, registry: EditorRegistry): BookmarkFeature {
  const feature = new BookmarkFeature(registry, context.workspaceState);
  const tree = new BookmarkTree(feature);
  const target = (node?: BookmarkNode): BookmarkRef | undefined => (node?.kind === 'bookmark' ? node : underCursor(feature, registry.active));
  context.subscriptions.push(
    feature,
    tree,
    vscode.window.createTreeView('hexmap.bookmarks', { treeDataProvider: tree, showCollapseAll: true }),
    vscode.commands.registerCommand('hexmap.toggleBookmark', () => {
      const editor = needEditor(registry.active, 'toggle a bookmark');
      const marks = editor && feature.live(editor.uri.toString());
      if (!editor || !marks) return;
      if (editor.model.size === 0) return void vscode.window.showInformationMessage('Hexmap: an empty file has no byte to bookmark.');
      const start = Math.min(editor.cursor, editor.anchor);
      marks.toggle(start, Math.abs(editor.cursor - editor.anchor) + 1);
    }),
    vscode.commands.registerCommand('hexmap.nextBookmark', () => jump(feature, registry.active, 'next')),
    vscode.commands.registerCommand('hexmap.previousBookmark', () => jump(feature, registry.active, 'previous')),
    vscode.commands.registerCommand('hexmap.renameBookmark', async (node?: BookmarkNode) => {
      const ref = target(node);
      if (!ref) return void vscode.window.showInformationMessage('Hexmap: choose a bookmark in the Hexmap Bookmarks view, or put the cursor on one.');
      const current = feature.bookmarksOf(ref.uri).find((b) => same(b, ref));
      const name = await vscode.window.showInputBox({ title: 'Hexmap: Rename Bookmark', value: current?.name ?? '', prompt: 'Name of the bookmark' });
      if (name !== undefined) await feature.rename(ref, name.slice(0, 200));
    }),
    vscode.commands.registerCommand('hexmap.changeBookmarkColor', async (node?: BookmarkNode) => {
      const ref = target(node);
      if (!ref) return void vscode.window.showInformationMessage('Hexmap: choose a bookmark in the Hexmap Bookmarks view, or put the cursor on one.');
      const pick = await vscode.window.showQuickPick(
        BOOKMARK_COLORS.map((color) => ({ label: color[0].toUpperCase() + color.slice(1), color, iconPath: new vscode.ThemeIcon('circle-filled', new vscode.ThemeColor(`charts.${color}`)) })),
        { title: 'Hexmap: Change Bookmark Colour' });
      if (pick) await feature.recolor(ref, pick.color as BookmarkColor);
    }),
    vscode.commands.registerCommand('hexmap.deleteBookmark', async (node?: BookmarkNode) => {
      const ref = target(node);
      if (ref) await feature.remove(ref);
    }),
    vscode.commands.registerCommand(REVEAL_COMMAND, (uri: string, start: number, length: number) => reveal(registry, uri, start, length)),
  );
  return feature;
}

function needEditor(editor: ActiveHexEditor | undefined, what: string): ActiveHexEditor | undefined {
  if (!editor) void vscode.window.showInformationMessage(`Hexmap: open a file in the hex editor to ${what}.`);
  return editor;
}

function jump(feature: BookmarkFeature, editor: ActiveHexEditor | undefined, way: 'next' | 'previous'): void {
  const active = needEditor(editor, `go to the ${way} bookmark`);
  const marks = active && feature.live(active.uri.toString());
  if (!active || !marks) return;
  const b = way === 'next' ? marks.set.next(active.cursor) : marks.set.previous(active.cursor);
  if (!b) return void vscode.window.showInformationMessage('Hexmap: this file has no bookmarks. Toggle one with "Hexmap: Toggle Bookmark".');
  active.reveal(b.start, b.length);
}

/** The bookmark that contains the active editor's cursor (the last one starting at or before it). */
function underCursor(feature: BookmarkFeature, editor: ActiveHexEditor | undefined): BookmarkRef | undefined {
  const uri = editor?.uri.toString();
  const marks = uri ? feature.live(uri) : undefined;
  if (!editor || !marks || !uri) return undefined;
  const hit = marks.set.all().filter((b) => b.start <= editor.cursor && editor.cursor < b.start + b.length).pop();
  return hit && { uri, id: hit.id };
}

function same(a: BookmarkRef, b: BookmarkRef): boolean {
  return a.uri === b.uri && a.id === b.id && a.index === b.index;
}

/** Shows the bookmark: in an open Hexmap editor of the file, else opens one. */
async function reveal(registry: EditorRegistry, uri: string, start: number, length: number): Promise<void> {
  const open = registry.editors().find((e) => e.uri.toString() === uri);
  if (!open) await vscode.commands.executeCommand('vscode.openWith', vscode.Uri.parse(uri), VIEW_TYPE);
  const editor = registry.editors().find((e) => e.uri.toString() === uri);
  if (!editor) return;
  if (open) await vscode.commands.executeCommand('vscode.openWith', vscode.Uri.parse(uri), VIEW_TYPE);
  editor.reveal(start, length);
}
