/**
 * "Hexmap: Copy As…": the selection as hex, `hexdump -C` text (offsets from
 * the selection's place in the file), a C, Rust, Go or Java array, a Python
 * bytes literal, Base64, UTF-8 text or JSON, to the clipboard. Bytes come
 * from the model (edits applied). A selection above MAX_COPY_BYTES gets a
 * clear message instead of a frozen extension host and a clipboard holding
 * hundreds of megabytes.
 */
import * as vscode from 'vscode';
import { COPY_FORMATS, MAX_COPY_BYTES, formatBytes, type CopyFormat } from '../../shared/inspectCopy';
import type { InspectEditors } from './editors';
import { selectionRange } from './editors';
import { humanBytes, plural } from './format';
import { wasCancelled, withLateProgress } from './lateProgress';

/** Reads in pieces so progress moves and Cancel is honoured between pieces. */
const READ_PIECE = 1 << 20;

export async function copyAs(editors: InspectEditors, format?: unknown): Promise<void> {
  const e = editors.active;
  if (!e) {
    void vscode.window.showInformationMessage('Hexmap: Copy As works on the selection of an open Hexmap editor.');
    return;
  }
  const { offset, length } = selectionRange(e);
  if (length === 0) {
    void vscode.window.showInformationMessage('Hexmap: the file is empty; there is nothing to copy.');
    return;
  }
  if (length > MAX_COPY_BYTES) {
    void vscode.window.showWarningMessage(
      `Hexmap: the selection is ${humanBytes(length)}; Copy As handles at most ${humanBytes(MAX_COPY_BYTES)}. Select less, or use File: Save As for a copy of the whole file.`,
    );
    return;
  }
  let chosen = COPY_FORMATS.find((f) => f.format === format)?.format;
  if (!chosen) {
    const pick = await vscode.window.showQuickPick(
      COPY_FORMATS.map((f) => ({ label: f.label, description: f.detail, format: f.format })),
      { title: `Copy ${plural(length, 'byte')} as…`, placeHolder: 'Format for the clipboard' },
    );
    if (!pick) return;
    chosen = pick.format as CopyFormat;
  }
  try {
    const text = await withLateProgress(`Hexmap: copying ${humanBytes(length)}`, async (signal, report) => {
      const bytes = new Uint8Array(length);
      for (let done = 0; done < length; done += READ_PIECE) {
        if (signal.aborted) throw Object.assign(new Error('cancelled'), { code: 'ERR_HEXMAP_CANCELLED' });
        bytes.set(await e.model.read(offset + done, Math.min(READ_PIECE, length - done)), done);
        report(done, length);
      }
      return formatBytes(bytes, chosen!, offset);
    });
    await vscode.env.clipboard.writeText(text);
    vscode.window.setStatusBarMessage(`Hexmap: copied ${plural(length, 'byte')} as ${COPY_FORMATS.find((f) => f.format === chosen)!.label}`, 3000);
  } catch (error) {
    if (wasCancelled(error)) return;
    void vscode.window.showErrorMessage(`Hexmap: could not copy: ${error instanceof Error ? error.message : String(error)}`);
  }
}
