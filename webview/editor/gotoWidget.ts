/**
 * Ctrl+G: a small box over the editor. Parsing is shared with the host's
 * command (shared/gotoOffset.ts); errors show under the input, and Enter on
 * a valid offset moves the cursor there and closes the box. The bytes there
 * are asked for while the offset is typed.
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
    this.input.addEventListener('input', () => {
      this.error.textContent = '';
      this.input.removeAttribute('aria-invalid');
      this.prefetch();
    });
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

  /**
   * Asks for the bytes at the offset being typed, so that Enter paints them
   * at once instead of after a round trip to the host. The span is the one
   * the jump will show (the target's row centred, as HexEditor.select does).
   */
  private prefetch(): void {
    const ed = this.editor;
    const r = parseGotoOffset(this.input.value, { cursor: ed.sel.cursor, size: ed.fileSize });
    if (!r.ok) return;
    const bpr = ed.bytesPerRow;
    const top = Math.max(0, Math.floor(r.offset / bpr) - Math.floor(ed.scroll.fullRows / 2));
    ed.cache.ensure(top * bpr, Math.min(ed.fileSize, (top + ed.renderer.rowCount) * bpr), 0);
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
    this.editor.flushFrame(); // the coming frame shows the target (when its bytes are here)
  }
}
