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
import { TextCounter } from '../search/textCounter';
import { ValidityScanner } from '../../shared/encodings/validity';
import type { TextEncoding } from '../../shared/encodings';
import { versionOf } from './editors';

/** How many invalid offsets the report lists (each one a link). */
export const REPORT_INVALID_OFFSETS = 1000;

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
  }
}

/** Bytes per read of the second pass (even, so UTF-16 units never straddle reads). */
const PASS_CHUNK = 1 << 20;

/**
 * The counts in `encoding` (unless UTF-8) and the validity in every
 * encoding, in one pass over the document. `onProgress` gets bytes done.
 */
export async function textFacts(model: DocumentModel, utf8: Utf8Stats, encoding: TextEncoding, signal: AbortSignal | undefined,
  onProgress?: (done: number, total: number) => void): Promise<{ text?: TextStats; validIn: Record<TextEncoding, boolean> }> {
  const size = model.size;
  const counter = encoding === 'utf-8' ? undefined : new TextCounter(encoding, 0, REPORT_INVALID_OFFSETS);
  const validity = new ValidityScanner();
  let bom = false;
  for (let pos = 0; pos < size; pos += PASS_CHUNK) {
    if (!counter && validity.decided) break;
    if (signal?.aborted) throw new Error('cancelled');
    const n = Math.min(PASS_CHUNK, size - pos);
    const bytes = await model.readBytes(pos, n);
    if (pos === 0) bom = (encoding === 'utf-16le' && bytes[0] === 0xff && bytes[1] === 0xfe) || (encoding === 'utf-16be' && bytes[0] === 0xfe && bytes[1] === 0xff);
    if (!validity.decided) validity.feed(bytes);
    counter?.feed(bytes, pos + n >= size);
    onProgress?.(pos + n, size);
  }
  if (counter && size === 0) counter.feed(new Uint8Array(0), true);
  const decided = validity.finish();
  const validIn: Record<TextEncoding, boolean> = {
    'utf-8': utf8.invalid === 0, 'utf-16le': decided['utf-16le'], 'utf-16be': decided['utf-16be'],
    'windows-1252': decided['windows-1252'], 'iso-8859-1': true, ascii: utf8.ascii === utf8.bytes,
  };
  return { text: counter ? { ...counter.counts, invalidOffsets: counter.invalidOffsets, bom } : undefined, validIn };
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
