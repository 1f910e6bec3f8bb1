/**
 * The status bar item of a comparison: "Difference k of N" (or the progress
 * while it runs), shown while one of the compared editors is active; a
 * click moves to the next difference. Also keeps the `hexmap.compareActive`
 * context key that enables F7 / Shift+F7.
 */
import * as vscode from 'vscode';
import type { ActiveHexEditor, EditorRegistry } from '../../editor/editorRegistry';
import { statusText, statusTooltip } from '../summaryText';
import type { CompareView } from './compareView';

export class CompareStatusBar implements vscode.Disposable {
  private readonly item = vscode.window.createStatusBarItem('hexmap.status.compare', vscode.StatusBarAlignment.Right, 106);
  private readonly disposables: vscode.Disposable[] = [];
  private shown: CompareView | undefined;
  private viewListener: vscode.Disposable | undefined;

  constructor(private readonly registry: EditorRegistry, private readonly viewFor: (editor: ActiveHexEditor | undefined) => CompareView | undefined) {
    this.item.name = 'Hexmap Compare';
    this.item.command = 'hexmap.nextDifference';
    this.disposables.push(registry.onDidChangeActive(() => this.refresh()));
  }

  /** Re-reads which comparison the active editor belongs to (call after one starts or ends). */
  refresh(): void {
    const view = this.viewFor(this.registry.active);
    if (view !== this.shown) {
      this.viewListener?.dispose();
      this.shown = view;
      this.viewListener = view?.onDidChange(() => this.render());
    }
    void vscode.commands.executeCommand('setContext', 'hexmap.compareActive', !!view);
    this.render();
  }

  dispose(): void {
    this.viewListener?.dispose();
    this.disposables.forEach((d) => d.dispose());
    this.item.dispose();
  }

  private render(): void {
    const view = this.shown;
    if (!view) {
      this.item.hide();
      return;
    }
    const s = view.state;
    this.item.text = statusText({ current: s.current, kept: s.ranges, summary: s.summary, running: s.running, done: s.done, total: s.total });
    this.item.tooltip = statusTooltip(s.summary, view.mode);
    this.item.show();
  }
}
