/**
 * The whole-file encoding report: the UTF-8 facts computed natively
 * (documentUtf8Stats, the same helper countInDocument uses, so unsaved edits
 * are counted as they appear); then, over the document's bytes in 1 MiB
 * reads, the counts in the file's chosen text encoding (when it is not
 * UTF-8) and in which of the six encodings the whole file is valid
 * (ValidityScanner; that pass ends early once every encoding it decides is
 * ruled out). Under a progress notification with Cancel, and cached per
 * document version and encoding so reopening it is instant until the bytes
 * change.
 */
import * as vscode from 'vscode';
import type { Utf8Stats } from '../engine/byteSource';
import type { DocumentModel } from '../document/documentModel';
import { documentUtf8Stats, type TextStats } from '../search/countInDocument';
import type { TextEncoding } from '../../shared/encodings';
import { REPORT_INVALID_OFFSETS, textFacts } from './textFacts';

export { REPORT_INVALID_OFFSETS };
import { versionOf } from './editors';
import { wholeFileScanned } from '../overview/invalidMarks';


export interface ReportData {
  fileName: string;
  uri: string;
  fileSize: number;
  stats: Utf8Stats;
  /** The encoding the text pane shows the file in (absent: UTF-8). */
  encoding?: TextEncoding;
  /** Counts in `encoding` when it is not UTF-8 (`stats` holds the UTF-8 ones). */
  text?: TextStats;
  /** Whether the whole file is valid in each encoding. */
  validIn?: Record<TextEncoding, boolean>;
  /** The report includes unsaved edits. */
  includesUnsavedEdits: boolean;
  backend: string;
  durationMs: number;
  computedAt: string;
}

interface CacheEntry { version: number | undefined; stale: boolean; data: ReportData; listener: { dispose(): void } }

export class ReportCache {
  private readonly entries = new WeakMap<DocumentModel, CacheEntry>();

  get(model: DocumentModel, encoding: TextEncoding = 'utf-8'): ReportData | undefined {
    const entry = this.entries.get(model);
    if (!entry || entry.stale || entry.version !== versionOf(model) || (entry.data.encoding ?? 'utf-8') !== encoding) return undefined;
    return entry.data;
  }

  set(model: DocumentModel, data: ReportData): void {
    this.entries.get(model)?.listener.dispose();
    const entry: CacheEntry = { version: versionOf(model), stale: false, data, listener: { dispose() {} } };
    // Any change to the bytes (edit, undo, revert, outside change) makes the report stale;
    // 'save' only moves unsaved marks, the bytes the user sees stay the same.
    entry.listener = model.onDidChange((c) => { if (c.reason !== 'save') entry.stale = true; });
    this.entries.set(model, entry);
    wholeFileScanned(model, data.stats);
  }
}

/** Computes the report with a notification (progress + Cancel). Undefined when cancelled. */
export async function computeReport(model: DocumentModel, uri: vscode.Uri, encoding: TextEncoding = 'utf-8'): Promise<ReportData | undefined> {
  const fileName = uri.path.split('/').pop() || uri.toString();
  return vscode.window.withProgress({
    location: vscode.ProgressLocation.Notification, title: `Hexmap: encoding report for ${fileName}`, cancellable: true,
  }, async (progress, token) => {
    const controller = new AbortController();
    token.onCancellationRequested(() => controller.abort());
    const started = performance.now();
    let reported = 0;
    try {
      // The native UTF-8 pass is the first half of the bar, the pass in JavaScript the second.
      const report = (phase: number) => (done: number, total: number) => {
        const pct = phase * 50 + (total > 0 ? (done / total) * 50 : 50);
        progress.report({ increment: pct - reported, message: `${Math.floor(pct)}%` });
        reported = pct;
      };
      const stats = await documentUtf8Stats(model, {
        signal: controller.signal, maxInvalidOffsets: REPORT_INVALID_OFFSETS, onProgress: report(0),
      });
      const { text, validIn } = await textFacts(model, stats, encoding, controller.signal, report(1));
      return {
        fileName, uri: uri.toString(), fileSize: model.size, stats, encoding, text, validIn,
        includesUnsavedEdits: model.isDirty, backend: model.source.kind,
        durationMs: performance.now() - started, computedAt: new Date().toISOString(),
      };
    } catch (error) {
      if (controller.signal.aborted) return undefined;
      throw error;
    }
  });
}
