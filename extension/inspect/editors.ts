/**
 * What the inspect features need from DOCUMENT's EditorRegistry (brief item
 * 5), stated structurally so this folder builds and is tested on its own;
 * the real EditorRegistry satisfies it as is.
 */
import type * as vscode from 'vscode';
import type { DocumentModel } from '../document/documentModel';

export interface InspectableEditor {
  uri: vscode.Uri;
  model: DocumentModel;
  /** Byte under the cursor; the selection is [min(cursor, anchor), max(cursor, anchor)] inclusive. */
  cursor: number;
  anchor: number;
  reveal(offset: number, length: number): void;
  action(action: 'find' | 'goto' | 'copy', argument?: string): void;
}

export interface InspectEditors {
  readonly active: InspectableEditor | undefined;
  readonly onDidChangeActive: vscode.Event<unknown>;
  readonly onDidChangeSelection: vscode.Event<unknown>;
}

/** Inclusive selection as a byte range (the cursor byte alone when nothing is selected). */
export function selectionRange(e: InspectableEditor): { offset: number; length: number } {
  if (e.model.size === 0) return { offset: 0, length: 0 };
  const start = Math.min(e.cursor, e.anchor);
  const end = Math.min(e.model.size - 1, Math.max(e.cursor, e.anchor));
  return { offset: start, length: end - start + 1 };
}

/** The model's content version (HexDocumentModel has one; DocumentModel, the interface, does not promise it). */
export function versionOf(model: DocumentModel): number | undefined {
  const v = (model as { version?: unknown }).version;
  return typeof v === 'number' ? v : undefined;
}
