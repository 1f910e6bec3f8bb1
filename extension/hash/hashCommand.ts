/**
 * "Hexmap: Compute Hash…": CRC-32, Adler-32, MD5, SHA-1 and SHA-256 of the
 * selection (or of the whole document when nothing is selected), unsaved
 * edits included. The hashing runs in a worker (hashPieces); this file only
 * asks, shows progress with Cancel, and presents the digests in a quick pick
 * where choosing one copies it.
 */
import * as vscode from 'vscode';
import type { InspectEditors } from '../inspect/editors';
import { hexOffset, humanBytes, plural } from '../inspect/format';
import { wasCancelled, withLateProgress } from '../inspect/lateProgress';
import { HASH_ALGORITHMS, algorithmLabel, isHashAlgorithm, type HashAlgorithm } from './algorithms';
import { hashPieces, type Digests } from './hashPieces';
import { segmentsAsPieces } from './segmentsAsPieces';

/**
 * With `{ algorithms: [...] }` as its argument (a keybinding's args, or a
 * script) the command asks nothing and returns the digests instead of
 * showing them; undefined when there was nothing to hash or it was cancelled.
 */
export async function computeHash(editors: InspectEditors, args?: unknown): Promise<Digests | undefined> {
  const e = editors.active;
  if (!e) {
    void vscode.window.showInformationMessage('Hexmap: Compute Hash works on an open Hexmap editor.');
    return undefined;
  }
  if (e.model.source.kind === 'vscode-fs') {
    void vscode.window.showInformationMessage('Hexmap: Compute Hash reads the file directly and works on local files only.');
    return undefined;
  }
  const size = e.model.size;
  // A selection is two or more bytes; a bare cursor means "the whole document".
  const selected = e.cursor !== e.anchor;
  const offset = selected ? Math.min(e.cursor, e.anchor) : 0;
  const length = selected ? Math.min(size - 1, Math.max(e.cursor, e.anchor)) - offset + 1 : size;
  const what = selected ? `the selection ${hexOffset(offset)}..${hexOffset(offset + length - 1)} (${plural(length, 'byte')})` : `the whole file (${plural(length, 'byte')})`;

  const given = scriptedAlgorithms(args);
  let algorithms = given;
  if (!algorithms) {
    const picked = await vscode.window.showQuickPick(
      HASH_ALGORITHMS.map((a) => ({ label: a.label, description: a.detail, picked: true, id: a.id })),
      { canPickMany: true, title: `Hash ${what}`, placeHolder: 'Algorithms to compute (all in one pass over the bytes)' },
    );
    if (!picked || picked.length === 0) return undefined;
    algorithms = picked.map((p) => p.id);
  }

  let digests: Digests;
  // The pieces name disk ranges; a save or another program writing the file while the worker reads it
  // would mix old and new bytes. Edits alone are harmless: the pieces hold the edited bytes of the moment.
  let diskChanged = false;
  const watch = e.model.onDidChange((change) => {
    if (change.reason === 'external' || (change.reason === 'save' && (change.ranges === undefined || change.ranges.length > 0))) diskChanged = true;
  });
  try {
    // While a save moves bytes, disk offsets are in flux: wait, as the native scans do.
    await e.model.scansAllowed();
    const pieces = segmentsAsPieces(e.model.segments(offset, length));
    digests = await withLateProgress(`Hexmap: hashing ${humanBytes(length)}`, (signal, report) =>
      hashPieces(e.model.source.path, pieces, algorithms, { signal, onProgress: report }));
  } catch (error) {
    if (wasCancelled(error)) return undefined;
    void vscode.window.showErrorMessage(`Hexmap: could not hash: ${error instanceof Error ? error.message : String(error)}`);
    return undefined;
  } finally {
    watch.dispose();
  }
  if (diskChanged) {
    void vscode.window.showWarningMessage('Hexmap: the file was saved or changed on disk while it was being hashed, so the result could mix old and new bytes. Run Compute Hash again.');
    return undefined;
  }
  if (!given) await showDigests(what, algorithms, digests);
  return digests;
}

function scriptedAlgorithms(args: unknown): HashAlgorithm[] | undefined {
  const list = (args as { algorithms?: unknown } | undefined)?.algorithms;
  return Array.isArray(list) && list.length > 0 && list.every(isHashAlgorithm) ? list : undefined;
}

/** A quick pick of the digests: choosing one copies it; "Copy all" copies every line. */
async function showDigests(what: string, algorithms: HashAlgorithm[], digests: Digests): Promise<void> {
  const lines = algorithms.map((a) => `${algorithmLabel(a)}: ${digests[a]}`);
  const items: (vscode.QuickPickItem & { copy: string })[] = [
    ...algorithms.map((a) => ({ label: digests[a] ?? '', description: algorithmLabel(a), copy: digests[a] ?? '' })),
    { label: '$(copy) Copy all', description: `${algorithms.length} lines`, copy: lines.join('\n') },
  ];
  const choice = await vscode.window.showQuickPick(items, { title: `Hashes of ${what}`, placeHolder: 'Choose a digest to copy it' });
  if (!choice) return;
  await vscode.env.clipboard.writeText(choice.copy);
  vscode.window.setStatusBarMessage('Hexmap: copied to the clipboard', 3000);
}
