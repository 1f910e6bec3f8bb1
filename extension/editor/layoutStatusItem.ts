/**
 * The layout in the status bar while a Hexmap editor is active ("16 · HEX",
 * "fit · bin"); a click runs "Hexmap: Change Layout…". It follows the
 * settings, which every editor shares.
 */
import * as vscode from 'vscode';
import type { CellFormat } from '../../shared/protocol';
import { currentLayout } from './layoutPicker';
import { describeLayout, LAYOUT_KEYS } from './layoutSettings';

const SHORT: Record<CellFormat, string> = { hex: 'HEX', hexLower: 'hex', decimal: 'dec', octal: 'oct', binary: 'bin' };

export class LayoutStatusItem implements vscode.Disposable {
  private readonly item = vscode.window.createStatusBarItem('hexmap.status.layout', vscode.StatusBarAlignment.Right, 105);
  private readonly disposables: vscode.Disposable[] = [];

  constructor(private readonly editors: { readonly active: unknown; onDidChangeActive: vscode.Event<unknown> }) {
    this.item.name = 'Hexmap Layout';
    this.item.command = 'hexmap.changeLayout';
    this.disposables.push(
      editors.onDidChangeActive(() => this.update()),
      vscode.workspace.onDidChangeConfiguration((e) => { if (LAYOUT_KEYS.some((k) => e.affectsConfiguration(`hexmap.${k}`))) this.update(); }),
    );
    this.update();
  }

  update(): void {
    if (!this.editors.active) { this.item.hide(); return; }
    const layout = currentLayout();
    this.item.text = `$(layout) ${layout.bytesPerRow} · ${SHORT[layout.cellFormat]}`;
    this.item.tooltip = `Hexmap layout: ${describeLayout(layout)}. Click to change it.`;
    this.item.show();
  }

  dispose(): void {
    this.disposables.forEach((d) => d.dispose());
    this.item.dispose();
  }
}
