/**
 * The grid as assistive technology sees it. The bytes are drawn on a canvas
 * (aria-hidden); this keeps one real ARIA row in the DOM — the cursor's row,
 * with its row header and two gridcells per byte (hex, then text) — so the
 * grid's aria-activedescendant always names a real cell with a full label
 * ("Offset 0x1F, byte C3, lead byte, character U+00E9"), selected cells say
 * aria-selected, and screen readers announce every cursor move.
 *
 * The cells sit exactly over their drawn counterparts (transparent, no
 * pointer events), so a screen reader's highlight lands on the right spot.
 */
import { Cell, KIND_NAME, type DrawList } from './drawList';
import type { Geometry } from './geometry';
import { ByteClass } from './textLayout';

export class AccessibleRow {
  readonly row: HTMLElement;
  private readonly header: HTMLElement;
  private hex: HTMLElement[] = [];
  private text: HTMLElement[] = [];
  /** Last values written, to skip DOM writes that would change nothing. */
  private readonly written = new Map<string, string | null>();
  private activeId = '';
  private rowIndex = -2;

  constructor(private readonly grid: HTMLElement) {
    this.row = document.createElement('div');
    this.row.className = 'a11y-row';
    this.row.setAttribute('role', 'row');
    this.header = document.createElement('div');
    this.header.className = 'a11y-cell';
    this.header.setAttribute('role', 'rowheader');
    this.row.appendChild(this.header);
    grid.appendChild(this.row);
  }

  /** (Re)creates the cells for a row width; positions them over the canvas cells. */
  build(g: Geometry): void {
    for (const e of [...this.hex, ...this.text]) e.remove();
    this.hex = [];
    this.text = [];
    this.written.clear();
    this.grid.setAttribute('aria-colcount', String(1 + 2 * g.bytesPerRow));
    for (const pane of ['hex', 'text'] as const) {
      for (let c = 0; c < g.bytesPerRow; c++) {
        const cell = document.createElement('div');
        cell.className = 'a11y-cell';
        cell.setAttribute('role', 'gridcell');
        cell.dataset.key = `${pane}${c}`;
        cell.setAttribute('aria-colindex', String(pane === 'hex' ? 2 + c : 2 + g.bytesPerRow + c));
        cell.style.left = `${g.cellX(pane, c)}px`;
        cell.style.width = `${g.cellWidth(pane)}px`;
        this.row.appendChild(cell);
        (pane === 'hex' ? this.hex : this.text).push(cell);
      }
    }
    this.header.style.left = '0px';
    this.header.style.width = `${g.addressRight}px`;
    this.row.style.height = `${g.rowHeight}px`;
    this.rowIndex = -2;
  }

  private set(e: HTMLElement, key: string, value: string | null): void {
    const k = `${key}\u0000${e.dataset.key}`;
    if (this.written.get(k) === value) return;
    this.written.set(k, value);
    if (key === 'text') e.textContent = value ?? '';
    else if (value === null) e.removeAttribute(key);
    else e.setAttribute(key, value);
  }

  update(d: DrawList, g: Geometry): void {
    const bpr = d.bytesPerRow;
    const cursorRowIndex = d.cursor >= 0 ? Math.floor(d.cursor / bpr) : -1;
    const r = cursorRowIndex >= 0 ? d.rowOf(cursorRowIndex) : -1;
    if (r < 0 || !(d.flags[r * bpr + (d.cursor % bpr)] & Cell.Data)) {
      // The cursor is not on screen: no active cell (as a screen reader expects of a scrolled-away cursor).
      this.row.hidden = true;
      if (this.activeId) { this.grid.removeAttribute('aria-activedescendant'); this.activeId = ''; }
      return;
    }
    this.row.hidden = false;
    this.row.style.transform = `translateY(${r * g.rowHeight - d.fraction * g.rowHeight}px)`;
    if (this.rowIndex !== cursorRowIndex) {
      this.rowIndex = cursorRowIndex;
      this.row.setAttribute('aria-rowindex', String(cursorRowIndex + 1));
      this.header.textContent = g.address(cursorRowIndex * bpr);
      // Ids name the file row, so moving to another row changes the active descendant and is announced.
      for (let c = 0; c < bpr; c++) { this.hex[c].id = `h-${cursorRowIndex}-${c}`; this.text[c].id = `t-${cursorRowIndex}-${c}`; }
    }
    for (let c = 0; c < bpr; c++) {
      const k = r * bpr + c;
      const f = d.flags[k];
      const selected = f & Cell.Selected ? 'true' : null;
      this.set(this.hex[c], 'text', d.hex[k]);
      this.set(this.text[c], 'text', d.glyph[k]);
      this.set(this.hex[c], 'aria-selected', selected);
      this.set(this.text[c], 'aria-selected', selected);
      this.set(this.hex[c], 'aria-label', null);
      this.set(this.text[c], 'aria-label', null);
    }
    const col = d.cursor % bpr;
    const active = d.pane === 'hex' ? this.hex[col] : this.text[col];
    const info = d.cursorInfo;
    const at = `Offset 0x${d.cursor.toString(16).toUpperCase()}`;
    const cursorFlags = d.flags[r * bpr + col];
    const bookmark = cursorFlags & Cell.BookmarkStart ? ', start of a bookmark' : cursorFlags & Cell.Bookmark ? ', in a bookmark' : '';
    this.set(active, 'aria-label', info.cls === ByteClass.Unknown || info.byte < 0 ? `${at}, loading`
      : `${at}, byte ${d.hex[r * bpr + col]}, ${KIND_NAME[info.cls]}, character U+${info.codePoint.toString(16).toUpperCase().padStart(4, '0')}${bookmark}`);
    if (this.activeId !== active.id) {
      this.activeId = active.id;
      this.grid.setAttribute('aria-activedescendant', active.id);
    }
  }
}
