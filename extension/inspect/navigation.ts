/**
 * Jump to the next / previous invalid sequence or non-ASCII character in
 * the document's text encoding, with unsaved edits considered
 * (findUnitInDocument), selecting the unit. "Invalid" is what the text pane
 * flags (windows-1252's undefined bytes included); "non-ASCII" is anything
 * but one valid character U+0000..U+007F in that encoding.
 */
import * as vscode from 'vscode';
import { findUnitInDocument, type UnitKind } from '../search/findUnitInDocument';
import { codecFor, type TextEncoding } from '../../shared/encodings';
import type { InspectEditors, InspectableEditor } from './editors';
import { hexOffset } from './format';
import { wasCancelled, withLateProgress } from './lateProgress';

/** What the messages call the unit looked for, in the encoding's words. */
export function unitName(kind: UnitKind, encoding: TextEncoding): string {
  const label = codecFor(encoding).label;
  if (kind === 'nonAscii') return `non-ASCII character (${label})`;
  if (encoding === 'windows-1252') return `undefined ${label} byte`;
  if (encoding === 'ascii') return 'byte outside ASCII';
  return `invalid ${label} sequence`;
}

/** Runs the search from the cursor; returns the unit's offset, or -1. */
export async function findUnitFrom(e: InspectableEditor, kind: UnitKind, forward: boolean, from: number, signal: AbortSignal,
  report: (d: number, t: number) => void, encoding: TextEncoding = 'utf-8'): Promise<number> {
  return findUnitInDocument(e.model, kind, from, forward ? 'forward' : 'backward', { signal, onProgress: report }, encoding);
}

/** `encodingOf` gives the encoding a file's text pane shows (UTF-8 when not given). */
export async function jumpToUnit(editors: InspectEditors, kind: UnitKind, forward: boolean,
  encodingOf: (e: InspectableEditor) => TextEncoding = () => 'utf-8'): Promise<void> {
  const e = editors.active;
  if (!e) {
    void vscode.window.showInformationMessage('Hexmap: open a file with Hexmap first.');
    return;
  }
  const encoding = encodingOf(e);
  const name = unitName(kind, encoding);
  const size = e.model.size;
  const from = forward ? Math.min(size, e.cursor + 1) : e.cursor;
  try {
    const found = await withLateProgress(`Hexmap: looking for the ${forward ? 'next' : 'previous'} ${name}`,
      (signal, report) => findUnitFrom(e, kind, forward, from, signal, report, encoding));
    if (found >= 0) {
      e.reveal(found, await unitLength(e, found, encoding));
      return;
    }
    // Not awaited: the command finishes now; the offer to wrap around stays until the user answers.
    const wrap = forward ? 'Search from Start' : 'Search from End';
    void vscode.window.showInformationMessage(`Hexmap: no ${name} ${forward ? 'after' : 'before'} offset ${hexOffset(e.cursor)}.`, wrap)
      .then(async (answer) => {
        if (answer !== wrap) return;
        const again = await withLateProgress(`Hexmap: looking for ${name}s`,
          (signal, report) => findUnitFrom(e, kind, forward, forward ? 0 : size, signal, report, encoding));
        if (again < 0) void vscode.window.showInformationMessage(`Hexmap: the file has no ${name}.`);
        else e.reveal(again, await unitLength(e, again, encoding));
      })
      .then(undefined, (error: unknown) => showFailure(error));
  } catch (error) {
    showFailure(error);
  }
}

function showFailure(error: unknown): void {
  if (wasCancelled(error)) return;
  void vscode.window.showErrorMessage(`Hexmap: search failed: ${error instanceof Error ? error.message : String(error)}`);
}

/** Bytes in the unit of `encoding` at `offset` (edits applied), so the whole sequence gets selected. */
export async function unitLength(e: InspectableEditor, offset: number, encoding: TextEncoding = 'utf-8'): Promise<number> {
  const n = Math.min(4, e.model.size - offset);
  if (n <= 0) return 0;
  const bytes = await e.model.read(offset, n);
  return codecFor(encoding).decodeUnit(bytes, 0, bytes.length, offset).length;
}
