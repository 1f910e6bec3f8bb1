/**
 * Jump to the next / previous invalid UTF-8 sequence or non-ASCII character,
 * with unsaved edits considered (findUnitInDocument), selecting the unit.
 */
import * as vscode from 'vscode';
import { findUnitInDocument, type UnitKind } from '../search/findUnitInDocument';
import { decodeUnit } from '../../shared/utf8';
import type { InspectEditors, InspectableEditor } from './editors';
import { hexOffset } from './format';
import { wasCancelled, withLateProgress } from './lateProgress';

const NAMES: Record<UnitKind, string> = { invalid: 'invalid UTF-8 sequence', nonAscii: 'non-ASCII character' };

/** Runs the search from the cursor; returns the unit's offset, or -1. */
export async function findUnitFrom(e: InspectableEditor, kind: UnitKind, forward: boolean, from: number, signal: AbortSignal, report: (d: number, t: number) => void): Promise<number> {
  return findUnitInDocument(e.model, kind, from, forward ? 'forward' : 'backward', { signal, onProgress: report });
}

export async function jumpToUnit(editors: InspectEditors, kind: UnitKind, forward: boolean): Promise<void> {
  const e = editors.active;
  if (!e) {
    void vscode.window.showInformationMessage('Hexmap: open a file with Hexmap first.');
    return;
  }
  const size = e.model.size;
  const from = forward ? Math.min(size, e.cursor + 1) : e.cursor;
  try {
    const found = await withLateProgress(`Hexmap: looking for the ${forward ? 'next' : 'previous'} ${NAMES[kind]}`,
      (signal, report) => findUnitFrom(e, kind, forward, from, signal, report));
    if (found >= 0) {
      e.reveal(found, await unitLength(e, found));
      return;
    }
    // Not awaited: the command finishes now; the offer to wrap around stays until the user answers.
    const wrap = forward ? 'Search from Start' : 'Search from End';
    void vscode.window.showInformationMessage(`Hexmap: no ${NAMES[kind]} ${forward ? 'after' : 'before'} offset ${hexOffset(e.cursor)}.`, wrap)
      .then(async (answer) => {
        if (answer !== wrap) return;
        const again = await withLateProgress(`Hexmap: looking for ${NAMES[kind]}s`,
          (signal, report) => findUnitFrom(e, kind, forward, forward ? 0 : size, signal, report));
        if (again < 0) void vscode.window.showInformationMessage(`Hexmap: the file has no ${NAMES[kind]}.`);
        else e.reveal(again, await unitLength(e, again));
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

/** Bytes in the unit at `offset` (edits applied), so the whole sequence gets selected. */
export async function unitLength(e: InspectableEditor, offset: number): Promise<number> {
  const n = Math.min(4, e.model.size - offset);
  if (n <= 0) return 0;
  const bytes = await e.model.read(offset, n);
  return decodeUnit(bytes, 0, bytes.length).length;
}
