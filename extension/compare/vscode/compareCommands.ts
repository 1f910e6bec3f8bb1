/**
 * The commands of the compare feature: "Hexmap: Compare With…", the
 * explorer's "Select for Compare" / "Compare with Selected", next / previous
 * difference (F7 / Shift+F7), copy the difference to the other side, and
 * scroll lock. Dialogs (file picker, messages) live here; the comparison
 * itself is CompareView's.
 */
import * as vscode from 'vscode';
import type { ActiveHexEditor, EditorRegistry } from '../../editor/editorRegistry';
import type { CompareMode } from '../types';
import { CompareStatusBar } from './compareStatusBar';
import { CompareView } from './compareView';
import { openComparePair } from './openComparePair';

export class CompareFeature implements vscode.Disposable {
  private readonly views = new Set<CompareView>();
  private selected: vscode.Uri | undefined;
  private readonly statusBar: CompareStatusBar;
  private readonly disposables: vscode.Disposable[] = [];

  /** `activeResource`: the file of the active tab when it is not a Hexmap editor (the explorer and editor-title entries pass their own). */
  constructor(private readonly registry: EditorRegistry, private readonly activeResource: () => vscode.Uri | undefined) {
    this.statusBar = new CompareStatusBar(registry, (e) => this.viewFor(e));
    this.disposables.push(
      this.statusBar,
      vscode.commands.registerCommand('hexmap.compareWith', (uri?: vscode.Uri) => this.compareWith(uri)),
      vscode.commands.registerCommand('hexmap.selectForCompare', (uri?: vscode.Uri) => this.selectForCompare(uri)),
      vscode.commands.registerCommand('hexmap.compareWithSelected', (uri?: vscode.Uri) => this.compareWithSelected(uri)),
      vscode.commands.registerCommand('hexmap.nextDifference', () => this.activeView()?.go(true)),
      vscode.commands.registerCommand('hexmap.previousDifference', () => this.activeView()?.go(false)),
      vscode.commands.registerCommand('hexmap.copyDifferenceToOtherSide', () => this.activeView()?.copyToOtherSide()),
      vscode.commands.registerCommand('hexmap.toggleCompareScrollLock', () => this.activeView()?.toggleScrollLock()),
    );
  }

  /** The comparisons on screen (the in-host tests reach them through the extension's API). */
  get comparisons(): readonly CompareView[] {
    return [...this.views];
  }

  /** Compares two files: opens both side by side in Hexmap and starts comparing. */
  async compare(left: vscode.Uri, right: vscode.Uri): Promise<CompareView | undefined> {
    let pair: [ActiveHexEditor, ActiveHexEditor];
    try {
      pair = await openComparePair(this.registry, left, right);
    } catch (e) {
      void vscode.window.showErrorMessage(`Hexmap: cannot compare: ${(e as Error).message}`);
      return undefined;
    }
    const [a, b] = pair;
    for (const old of this.views) if (old.sideOf(a) || old.sideOf(b)) old.dispose(); // an editor shows one comparison
    const mode = vscode.workspace.getConfiguration('hexmap').get<CompareMode>('compareMode', 'resync') === 'bytes' ? 'bytes' : 'resync';
    const view = new CompareView(a, b, this.registry, mode);
    this.views.add(view);
    view.onDidClose(() => {
      this.views.delete(view);
      this.statusBar.refresh();
    });
    this.statusBar.refresh();
    void view.start();
    return view;
  }

  dispose(): void {
    for (const v of this.views) v.dispose();
    this.disposables.forEach((d) => d.dispose());
  }

  private viewFor(editor: ActiveHexEditor | undefined): CompareView | undefined {
    for (const v of this.views) if (v.sideOf(editor)) return v;
    return undefined;
  }

  private activeView(): CompareView | undefined {
    const view = this.viewFor(this.registry.active);
    if (!view) void vscode.window.showInformationMessage('Hexmap: this editor is not part of a comparison. Run "Hexmap: Compare With…" first.');
    return view;
  }

  private async compareWith(uri?: vscode.Uri): Promise<void> {
    const left = uri instanceof vscode.Uri ? uri : this.registry.active?.uri ?? this.activeResource();
    const first = left ?? (await pickFile('Hexmap: Compare — pick the first (left) file', 'Select'));
    if (!first) return;
    const second = await pickFile(`Hexmap: Compare ${baseName(first)} with…`, 'Compare');
    if (!second) return;
    await this.compare(first, second);
  }

  private selectForCompare(uri?: vscode.Uri): void {
    const target = uri instanceof vscode.Uri ? uri : this.registry.active?.uri ?? this.activeResource();
    if (!target) {
      void vscode.window.showInformationMessage('Hexmap: select a file in the explorer first.');
      return;
    }
    this.selected = target;
    void vscode.commands.executeCommand('setContext', 'hexmap.compareSelected', true);
    void vscode.window.setStatusBarMessage(`Hexmap: ${baseName(target)} selected for compare`, 4000);
  }

  private async compareWithSelected(uri?: vscode.Uri): Promise<void> {
    const right = uri instanceof vscode.Uri ? uri : this.registry.active?.uri ?? this.activeResource();
    if (!this.selected) {
      void vscode.window.showInformationMessage('Hexmap: run "Select for Compare" on the first file, then "Compare with Selected" on the second.');
      return;
    }
    if (!right) return;
    await this.compare(this.selected, right);
  }
}

async function pickFile(title: string, openLabel: string): Promise<vscode.Uri | undefined> {
  const picked = await vscode.window.showOpenDialog({ title, openLabel, canSelectFiles: true, canSelectFolders: false, canSelectMany: false });
  return picked?.[0];
}

function baseName(uri: vscode.Uri): string {
  return uri.path.split('/').pop() || uri.toString();
}
