/**
 * Insert or overwrite: one mode for every Hexmap editor, as in HxD (the
 * Insert key in any editor, or "Hexmap: Toggle Insert Mode", switches all
 * of them, and the status bar shows the one mode). It starts from the
 * setting hexmap.insertMode. Free of `vscode` so sessions and tests use it
 * as is.
 */
export class InsertModeState {
  private readonly listeners = new Set<(insert: boolean) => void>();

  constructor(private current = false) {}

  get insert(): boolean { return this.current; }

  set(insert: boolean): void {
    if (insert === this.current) return;
    this.current = insert;
    for (const l of [...this.listeners]) l(insert);
  }

  toggle(): void { this.set(!this.current); }

  onDidChange(listener: (insert: boolean) => void): { dispose(): void } {
    this.listeners.add(listener);
    return { dispose: () => { this.listeners.delete(listener); } };
  }
}
