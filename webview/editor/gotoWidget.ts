/**
 * Ctrl+G: a small box over the editor. Parsing is shared with the host's
 * command (shared/gotoOffset.ts); errors show under the input, and Enter on
 * a valid offset moves the cursor there and closes the box.
 */
import { parseGotoOffset } from '../../shared/gotoOffset';
import type { HexEditor } from './editor';
import { iconButton, textInput } from './widgetParts';

export class GotoWidget {
  readonly el: HTMLElement;
  private readonly input: HTMLInputElement;
  private readonly error: HTMLElement;

  constructor(private readonly editor: HexEditor, parent: HTMLElement) {
    this.el = document.createElement('div');
    this.el.className = 'widget goto-widget';
    this.el.setAttribute('role', 'dialog');
    this.el.setAttribute('aria-label', 'Go to offset');
    this.el.hidden = true;
    this.input = textInput('Offset to go to', 'Offset: 1234, 0x4D2, +16, -16, end-16');
    this.input.setAttribute('aria-describedby', 'goto-error');
    this.error = document.createElement('div');
    this.error.className = 'widget-error';
    this.error.id = 'goto-error';
    this.error.setAttribute('role', 'alert');
    const row = document.createElement('div');
    row.className = 'widget-row';
    row.append(this.input, iconButton('arrow-right', 'Go (Enter)', () => this.go()), iconButton('close', 'Close (Escape)', () => this.close()));
    this.el.append(row, this.error);
    parent.appendChild(this.el);
    this.input.addEventListener('keydown', (e) => {
      if (e.key === 'Enter') { e.preventDefault(); this.go(); }
      else if (e.key === 'Escape') { e.preventDefault(); this.close(); }
    });
    this.input.addEventListener('input', () => { this.error.textContent = ''; this.input.removeAttribute('aria-invalid'); });
  }

  open(initial?: string): void {
    this.el.hidden = false;
    if (initial !== undefined) this.input.value = initial;
    this.error.textContent = '';
    this.input.focus();
    this.input.select();
  }

  close(): void {
    this.el.hidden = true;
    this.editor.grid.focus({ preventScroll: true });
  }

  go(): void {
    const r = parseGotoOffset(this.input.value, { cursor: this.editor.sel.cursor, size: this.editor.fileSize });
    if (!r.ok) {
      this.error.textContent = r.error;
      this.input.setAttribute('aria-invalid', 'true');
      return;
    }
    this.editor.select(r.offset, 1);
    this.close();
  }
}
