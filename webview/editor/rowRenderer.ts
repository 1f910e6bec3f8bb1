/**
 * Draws the visible rows into a fixed set of reused row elements: the DOM
 * holds rows x (address + bytesPerRow hex cells + bytesPerRow text cells)
 * nodes whatever the file size.
 *
 * WHY rows are recycled by position rather than rewritten: row element k
 * always shows the file row r with r ≡ k (mod rowCount) and is moved with a
 * transform. Scrolling by three rows then rewrites three rows' text and
 * moves the others — layout and paint of a frame stay proportional to the
 * rows that came into view, not to the whole screen (measured: rewriting
 * every cell each frame cost ~12 ms of layout alone). A frame also only
 * touches attributes whose value changed (compared first).
 */
import { ByteClass, type Utf8Layout } from './utf8Layout';

/** Bits of the per-byte highlight mask built by the editor each frame. */
export const enum Mark { Selected = 1, Unsaved = 2, Match = 4, CurrentMatch = 8, Flash = 16 }

export type Pane = 'hex' | 'text';

export interface FrameState {
  topRow: number;
  bytesPerRow: number;
  fileSize: number;
  layout: Utf8Layout;
  marks: Uint8Array;
  cursor: number;
  hover: number;
  pane: Pane;
  totalRows: number;
}

const HEX = Array.from({ length: 256 }, (_, b) => b.toString(16).toUpperCase().padStart(2, '0'));
const KIND = ['k-a', 'k-l', 'k-c', 'k-i', 'k-u'];
const KIND_NAME = ['ASCII', 'lead byte', 'continuation byte', 'invalid', 'loading'];

interface RowSlot {
  row: HTMLElement;
  /** translateY currently applied, in px. */
  y: number;
  addr: HTMLElement;
  hex: HTMLElement[];
  text: HTMLElement[];
  glyph: HTMLElement[];
  // Text nodes updated in place (.data): cheaper than textContent, which replaces the node.
  hexNode: Text[];
  glyphNode: Text[];
  addrNode: Text;
  // Last values written, to skip DOM writes that would change nothing.
  addrText: string;
  hexText: string[];
  hexClass: string[];
  textClass: string[];
  glyphText: string[];
  glyphClass: string[];
  rowIndex: number;
  /** Row is past the end of the file (hidden). */
  pastEnd: boolean;
  /** aria-selected written per column (1 = selected). */
  selected: Uint8Array;
}

export class RowRenderer {
  private slots: RowSlot[] = [];
  private bytesPerRow = 16;
  private addressDigits = 8;
  private activeId = '';
  private rowHeight = 20;

  constructor(private readonly grid: HTMLElement) {}

  get rowCount(): number { return this.slots.length; }

  /** Integer px, so recycled rows land on whole pixels. */
  setRowHeight(px: number): void {
    if (px === this.rowHeight) return;
    this.rowHeight = px;
    for (const s of this.slots) s.y = NaN; // re-position on the next render
  }

  /** (Re)creates the row elements; only when the row count or row width changes. */
  build(rows: number, bytesPerRow: number, addressDigits: number): void {
    if (addressDigits !== this.addressDigits) {
      // Only text: the next render rewrites every address, no element changes.
      this.addressDigits = addressDigits;
      for (const s of this.slots) s.addrText = '\u0000';
    }
    if (rows === this.slots.length && bytesPerRow === this.bytesPerRow) return;
    this.bytesPerRow = bytesPerRow;
    this.addressDigits = addressDigits;
    this.grid.replaceChildren();
    this.slots = [];
    this.grid.setAttribute('aria-colcount', String(1 + 2 * bytesPerRow));
    for (let r = 0; r < rows; r++) this.slots.push(this.buildRow(r));
  }

  private buildRow(r: number): RowSlot {
    const row = el('div', 'row');
    row.setAttribute('role', 'row');
    row.dataset.slot = String(r);
    const addr = el('div', 'addr');
    addr.setAttribute('role', 'rowheader');
    const hexPane = el('div', 'hex');
    hexPane.setAttribute('role', 'presentation');
    const textPane = el('div', 'txt');
    textPane.setAttribute('role', 'presentation');
    const hex: HTMLElement[] = [];
    const text: HTMLElement[] = [];
    const glyph: HTMLElement[] = [];
    const hexNode: Text[] = [];
    const glyphNode: Text[] = [];
    const addrNode = addr.appendChild(document.createTextNode(''));
    for (let c = 0; c < this.bytesPerRow; c++) {
      const h = el('span', 'hc');
      h.setAttribute('role', 'gridcell');
      h.id = `h-${r}-${c}`;
      h.dataset.col = String(c);
      h.dataset.pane = 'hex';
      if (c > 0 && c % 8 === 0) hexPane.appendChild(el('span', 'gap')).setAttribute('aria-hidden', 'true');
      hexPane.appendChild(h);
      hex.push(h);
      hexNode.push(h.appendChild(document.createTextNode('')));
      const t = el('span', 'tc');
      t.setAttribute('role', 'gridcell');
      t.id = `t-${r}-${c}`;
      t.dataset.col = h.dataset.col;
      t.dataset.pane = 'text';
      const g = el('span', 'g');
      t.appendChild(g);
      glyphNode.push(g.appendChild(document.createTextNode('')));
      textPane.appendChild(t);
      text.push(t);
      glyph.push(g);
    }
    row.append(addr, hexPane, textPane);
    this.grid.appendChild(row);
    const n = this.bytesPerRow;
    return {
      row, y: NaN, addr, hex, text, glyph, hexNode, glyphNode, addrNode, addrText: '', rowIndex: -1, pastEnd: false, selected: new Uint8Array(n),
      hexText: new Array(n).fill(''), hexClass: new Array(n).fill(''), textClass: new Array(n).fill(''),
      glyphText: new Array(n).fill(''), glyphClass: new Array(n).fill(''),
    };
  }

  render(f: FrameState): void {
    const bpr = this.bytesPerRow;
    const { layout, marks } = f;
    let activeId = '';
    const n = this.slots.length;
    for (let r = 0; r < n; r++) {
      const s = this.slots[r];
      // The one row in [topRow, topRow + n) that this element shows.
      const rowIndex = f.topRow + ((((r - f.topRow) % n) + n) % n);
      const y = (rowIndex - f.topRow) * this.rowHeight;
      if (y !== s.y) { s.row.style.transform = `translateY(${y}px)`; s.y = y; }
      const rowOffset = rowIndex * bpr;
      const inFile = rowIndex < f.totalRows;
      if (s.rowIndex !== rowIndex) {
        s.rowIndex = rowIndex;
        s.row.setAttribute('aria-rowindex', String(rowIndex + 1));
      }
      // Apart from the row index: the file can grow or shrink under a row.
      if (s.pastEnd !== !inFile) { s.pastEnd = !inFile; s.row.classList.toggle('past-end', s.pastEnd); }
      const addrText = inFile ? rowOffset.toString(16).toUpperCase().padStart(this.addressDigits, '0') : '';
      if (addrText !== s.addrText) { s.addrNode.data = addrText; s.addrText = addrText; }
      const cursorRow = f.cursor >= rowOffset && f.cursor < rowOffset + bpr;
      s.row.classList.toggle('cursor-row', cursorRow);

      for (let c = 0; c < bpr; c++) {
        const offset = rowOffset + c;
        const i = offset - layout.start;
        let hexText = '';
        let hexClass = 'hc';
        let textClass = 'tc';
        let glyphText = '';
        let glyphClass = 'g';
        let selected = 0;
        if (offset < f.fileSize && i >= 0 && i < layout.length) {
          const cls = layout.cls[i];
          const pos = layout.pos[i];
          const len = layout.len[i];
          const m = marks[i];
          hexText = cls === ByteClass.Unknown ? '\u00b7\u00b7' : HEX[this.byteAt(layout, i)];
          let common = ' ' + KIND[cls];
          if (cls !== ByteClass.Unknown && this.byteAt(layout, i) === 0) common += ' z'; // NUL: dimmed, as hexyl does
          if (len > 1) {
            common += pos === 0 ? ' u-s' : pos === len - 1 ? ' u-e' : ' u-m';
            if (pos > 0 && c === 0) common += ' carry'; // continues from the previous row
            if (pos < len - 1 && c === bpr - 1) common += ' carry-on'; // continues on the next row
          }
          if (m & Mark.Selected) { common += ' sel'; selected = 1; }
          if (m & Mark.Unsaved) common += ' uns';
          if (m & Mark.Match) common += ' mat';
          if (m & Mark.CurrentMatch) common += ' mat-cur';
          if (m & Mark.Flash) common += ' flash';
          if (offset === f.hover) common += ' hov';
          if (offset === f.cursor) common += f.pane === 'hex' ? ' cur cur-hex' : ' cur cur-text';
          hexClass += common;
          textClass += common;
          if (pos === 0) {
            glyphText = layout.glyph[i];
            // The glyph spans the unit's cells that are on this row.
            const span = Math.min(len, bpr - c);
            glyphClass = 'g' + (span > 1 ? ' w' + span : '') + (layout.dim[i] ? ' dim' : '');
          }
          if (offset === f.cursor) activeId = (f.pane === 'hex' ? 'h-' : 't-') + r + '-' + c;
        } else if (offset >= f.fileSize) {
          hexClass += ' eof';
          textClass += ' eof';
        }
        if (hexText !== s.hexText[c]) { s.hexNode[c].data = hexText; s.hexText[c] = hexText; }
        if (hexClass !== s.hexClass[c]) { s.hex[c].className = hexClass; s.hexClass[c] = hexClass; }
        if (textClass !== s.textClass[c]) { s.text[c].className = textClass; s.textClass[c] = textClass; }
        if (glyphText !== s.glyphText[c]) { s.glyphNode[c].data = glyphText; s.glyphText[c] = glyphText; }
        if (glyphClass !== s.glyphClass[c]) { s.glyph[c].className = glyphClass; s.glyphClass[c] = glyphClass; }
        if (selected !== s.selected[c]) {
          // The grid is aria-multiselectable: selected cells say so (unselected ones carry nothing, to keep frames cheap).
          s.selected[c] = selected;
          if (selected) { s.hex[c].setAttribute('aria-selected', 'true'); s.text[c].setAttribute('aria-selected', 'true'); }
          else { s.hex[c].removeAttribute('aria-selected'); s.text[c].removeAttribute('aria-selected'); }
        }
      }
    }
    this.updateActiveDescendant(activeId, f);
  }

  /** Bytes are not stored in the layout; the editor hands them over per frame. */
  private bytes: Uint8Array = new Uint8Array(0);
  private bytesStart = 0;
  setBytes(bytes: Uint8Array, start: number): void { this.bytes = bytes; this.bytesStart = start; }
  private byteAt(layout: Utf8Layout, i: number): number { return this.bytes[layout.start + i - this.bytesStart]; }

  private updateActiveDescendant(id: string, f: FrameState): void {
    if (this.activeId && this.activeId !== id) document.getElementById(this.activeId)?.removeAttribute('aria-label');
    this.activeId = id;
    if (!id) { this.grid.removeAttribute('aria-activedescendant'); return; }
    this.grid.setAttribute('aria-activedescendant', id);
    const i = f.cursor - f.layout.start;
    const b = this.byteAt(f.layout, i);
    const cls = f.layout.cls[i];
    const cp = f.layout.codePoint[i - f.layout.pos[i]];
    const at = `Offset 0x${f.cursor.toString(16).toUpperCase()}`;
    document.getElementById(id)?.setAttribute('aria-label', cls === ByteClass.Unknown ? `${at}, loading`
      : `${at}, byte ${HEX[b]}, ${KIND_NAME[cls]}, character U+${cp.toString(16).toUpperCase().padStart(4, '0')}`);
  }

  /** File offset and pane of the cell under the pointer (offset may be past the end). */
  cellOf(target: EventTarget | null): { offset: number; pane: Pane } | undefined {
    let node = target as HTMLElement | null;
    if (node && node.classList?.contains('g')) node = node.parentElement;
    if (!node?.dataset?.col) return undefined;
    const row = node.closest<HTMLElement>('.row');
    const slot = row ? this.slots[Number(row.dataset.slot)] : undefined;
    if (!slot || slot.rowIndex < 0) return undefined;
    return { offset: slot.rowIndex * this.bytesPerRow + Number(node.dataset.col), pane: node.dataset.pane as Pane };
  }
}

function el(tag: string, className: string): HTMLElement {
  const e = document.createElement(tag);
  e.className = className;
  return e;
}
