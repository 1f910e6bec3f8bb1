/**
 * The encoding report shown as a webview panel beside the editor (a table a
 * user can read at a glance, with every listed invalid offset a link that
 * jumps there). One panel per file; asking again reveals it, recomputing
 * only when the document changed since (ReportCache).
 */
import * as vscode from 'vscode';
import type { DocumentModel } from '../document/documentModel';
import type { InspectEditors } from './editors';
import { ReportCache, computeReport, type ReportData } from './encodingReport';
import { unitLength } from './navigation';
import { webviewOptions, webviewPage } from './webviewPage';
import type { EncodingChoices } from './encodingChoice';
import { codecFor, type TextEncoding } from '../../shared/encodings';

export type ReportToHost = { type: 'ready' } | { type: 'reveal'; offset: number } | { type: 'refresh' };
export type HostToReport = { type: 'report'; data: ReportData; stale: boolean } | { type: 'computing' };

function parseReportMessage(raw: unknown): ReportToHost | undefined {
  if (typeof raw !== 'object' || raw === null) return undefined;
  const m = raw as Record<string, unknown>;
  if (m.type === 'ready' || m.type === 'refresh') return { type: m.type };
  if (m.type === 'reveal' && Number.isSafeInteger(m.offset) && (m.offset as number) >= 0) return { type: 'reveal', offset: m.offset as number };
  return undefined;
}

export class ReportPanels implements vscode.Disposable {
  private readonly panels = new Map<string, { panel: vscode.WebviewPanel; model: DocumentModel; data?: ReportData }>();
  private readonly cache = new ReportCache();

  constructor(private readonly extensionUri: vscode.Uri, private readonly editors: InspectEditors, private readonly encodings?: EncodingChoices) {}

  /** The text encoding a file is shown in: the report counts in it. */
  private encodingOf(uri: vscode.Uri): TextEncoding {
    return this.encodings?.current(uri.toString()).encoding ?? 'utf-8';
  }

  /** The command: report for the active Hexmap editor. */
  async show(): Promise<void> {
    const e = this.editors.active;
    if (!e) {
      void vscode.window.showInformationMessage('Hexmap: open a file with Hexmap to see its encoding report.');
      return;
    }
    const key = e.uri.toString();
    let entry = this.panels.get(key);
    const data = this.cache.get(e.model, this.encodingOf(e.uri)) ?? await this.compute(e.model, e.uri);
    if (!data) return; // cancelled
    if (entry && entry.model !== e.model) { entry.panel.dispose(); entry = undefined; }
    if (!entry) entry = this.open(key, e.model, e.uri);
    entry.data = data;
    entry.panel.reveal(vscode.ViewColumn.Beside, false);
    this.send(key);
  }

  private async compute(model: DocumentModel, uri: vscode.Uri): Promise<ReportData | undefined> {
    try {
      const data = await computeReport(model, uri, this.encodingOf(uri));
      if (data) this.cache.set(model, data);
      return data;
    } catch (error) {
      void vscode.window.showErrorMessage(`Hexmap: the encoding report failed: ${error instanceof Error ? error.message : String(error)}`);
      return undefined;
    }
  }

  private open(key: string, model: DocumentModel, uri: vscode.Uri) {
    const name = uri.path.split('/').pop() || key;
    const panel = vscode.window.createWebviewPanel('hexmap.encodingReport', `Encoding: ${name}`, { viewColumn: vscode.ViewColumn.Beside, preserveFocus: false },
      { ...webviewOptions(this.extensionUri), retainContextWhenHidden: false });
    panel.webview.html = webviewPage(panel.webview, this.extensionUri, 'report', `Encoding report: ${name}`);
    const entry: { panel: vscode.WebviewPanel; model: DocumentModel; data?: ReportData } = { panel, model };
    this.panels.set(key, entry);
    const changed = model.onDidChange((c) => { if (c.reason !== 'save') this.send(key); });
    panel.onDidDispose(() => { changed.dispose(); if (this.panels.get(key) === entry) this.panels.delete(key); });
    panel.webview.onDidReceiveMessage(async (raw) => {
      const m = parseReportMessage(raw);
      if (!m) return;
      if (m.type === 'ready') this.send(key);
      else if (m.type === 'reveal') await this.reveal(uri, m.offset);
      else {
        void panel.webview.postMessage({ type: 'computing' } satisfies HostToReport);
        const data = await this.compute(model, uri);
        if (data) entry.data = data;
        this.send(key);
      }
    });
    return entry;
  }

  private send(key: string): void {
    const entry = this.panels.get(key);
    if (!entry?.data) return;
    const stale = this.cache.get(entry.model, entry.data.encoding) !== entry.data;
    void entry.panel.webview.postMessage({ type: 'report', data: entry.data, stale } satisfies HostToReport);
  }

  /** Jump to an offset in the report's file, bringing its Hexmap editor to the front. */
  private async reveal(uri: vscode.Uri, offset: number): Promise<void> {
    if (this.editors.active?.uri.toString() !== uri.toString()) {
      await vscode.commands.executeCommand('vscode.openWith', uri, 'hexmap.editor', { viewColumn: vscode.ViewColumn.One, preserveFocus: false });
      await waitFor(() => this.editors.active?.uri.toString() === uri.toString(), this.editors, 3000);
    }
    const e = this.editors.active;
    if (!e || e.uri.toString() !== uri.toString()) {
      void vscode.window.showWarningMessage('Hexmap: could not bring the file\'s Hexmap editor to the front.');
      return;
    }
    if (offset >= e.model.size) {
      void vscode.window.showWarningMessage('Hexmap: that offset is past the end of the file now; refresh the report.');
      return;
    }
    const encoding = this.encodingOf(uri);
    e.reveal(offset, encoding === 'utf-8' ? await unitLength(e, offset) : await unitLengthIn(e.model, encoding, offset));
  }

  dispose(): void {
    for (const { panel } of this.panels.values()) panel.dispose();
    this.panels.clear();
  }
}

/** Bytes in the unit of `encoding` that starts at `offset` (edits applied), so the whole unit gets selected. */
async function unitLengthIn(model: DocumentModel, encoding: TextEncoding, offset: number): Promise<number> {
  const n = Math.min(4, model.size - offset);
  if (n <= 0) return 0;
  return codecFor(encoding).decodeUnit(await model.readBytes(offset, n), 0, n, offset).length;
}

function waitFor(done: () => boolean, editors: InspectEditors, timeoutMs: number): Promise<void> {
  if (done()) return Promise.resolve();
  return new Promise((resolve) => {
    const timer = setTimeout(finish, timeoutMs);
    const sub = editors.onDidChangeActive(() => { if (done()) finish(); });
    function finish() { clearTimeout(timer); sub.dispose(); resolve(); }
  });
}
