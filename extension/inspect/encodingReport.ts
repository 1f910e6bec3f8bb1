/**
 * The whole-file encoding report: computed natively (documentUtf8Stats, the
 * same helper countInDocument uses, so unsaved edits are counted as they
 * appear) under a progress notification with Cancel, and cached per document
 * version so reopening it is instant until the bytes change.
 */
import * as vscode from 'vscode';
import type { Utf8Stats } from '../engine/byteSource';
import type { DocumentModel } from '../document/documentModel';
import { documentUtf8Stats } from '../search/countInDocument';
import { versionOf } from './editors';
import { wholeFileScanned } from '../overview/invalidMarks';

/** How many invalid offsets the report lists (each one a link). */
export const REPORT_INVALID_OFFSETS = 1000;

export interface ReportData {
  fileName: string;
  uri: string;
  fileSize: number;
  stats: Utf8Stats;
  /** The report includes unsaved edits. */
  includesUnsavedEdits: boolean;
  backend: string;
  durationMs: number;
  computedAt: string;
}

interface CacheEntry { version: number | undefined; stale: boolean; data: ReportData; listener: { dispose(): void } }

export class ReportCache {
  private readonly entries = new WeakMap<DocumentModel, CacheEntry>();

  get(model: DocumentModel): ReportData | undefined {
    const entry = this.entries.get(model);
    if (!entry || entry.stale || entry.version !== versionOf(model)) return undefined;
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
export async function computeReport(model: DocumentModel, uri: vscode.Uri): Promise<ReportData | undefined> {
  const fileName = uri.path.split('/').pop() || uri.toString();
  return vscode.window.withProgress({
    location: vscode.ProgressLocation.Notification, title: `Hexmap: encoding report for ${fileName}`, cancellable: true,
  }, async (progress, token) => {
    const controller = new AbortController();
    token.onCancellationRequested(() => controller.abort());
    const started = performance.now();
    let reported = 0;
    try {
      const stats = await documentUtf8Stats(model, {
        signal: controller.signal, maxInvalidOffsets: REPORT_INVALID_OFFSETS,
        onProgress: (done, total) => {
          const pct = total > 0 ? (done / total) * 100 : 100;
          progress.report({ increment: pct - reported, message: `${Math.floor(pct)}%` });
          reported = pct;
        },
      });
      return {
        fileName, uri: uri.toString(), fileSize: model.size, stats, includesUnsavedEdits: model.isDirty, backend: model.source.kind,
        durationMs: performance.now() - started, computedAt: new Date().toISOString(),
      };
    } catch (error) {
      if (controller.signal.aborted) return undefined;
      throw error;
    }
  });
}
